import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

import { requestTimeoutOption } from '../shared/descriptions/requestTimeout';
import {
	directionAuthentication,
	directionCredentials,
	type DirectionCrms,
} from '../shared/descriptions/directionCredentials';
import type { TimelineType } from '../shared/model';
import { profileOf } from '../shared/providers/profiles';
import {
	directionLabel,
	directionsInto,
	taskTypeParameter,
	TIMELINE_DIRECTIONS,
	TIMELINE_TARGETS,
	type TimelineDirection,
} from './directions';

const PLURAL: Record<TimelineType, string> = {
	call: 'Calls',
	meeting: 'Meetings',
	note: 'Notes',
	email: 'Emails',
	task: 'Tasks',
};

/** The target CRMs' authentication and credentials, shown for the directions into them. */
const DIRECTION_CRMS: DirectionCrms = {
	crms: TIMELINE_TARGETS,
	directions: TIMELINE_DIRECTIONS.map((d) => d.value),
	directionsOf: directionsInto,
};

export function timelineSyncCredentials(): INodeCredentialDescription[] {
	return directionCredentials(DIRECTION_CRMS);
}

function taskTypeParameters(direction: TimelineDirection): INodeProperties[] {
	const task = profileOf(direction.target).timelineTask;
	const target = profileOf(direction.target).displayName;
	return direction.types.map(({ type, defaultTaskType }) => {
		const shown = { show: { direction: [direction.value] } };
		if (task?.typeValues === 'text')
			return {
				displayName: `${PLURAL[type]} Task Type`,
				name: taskTypeParameter(direction, type),
				type: 'string',
				default: defaultTaskType,
				description: `Written to the ${target} task's ${task.typeField} (free text); empty = none`,
				displayOptions: shown,
			};
		return {
			displayName: `${PLURAL[type]} Task Type Name or ID`,
			name: taskTypeParameter(direction, type),
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getTaskTypes', loadOptionsDependsOn: ['direction'] },
			default: defaultTaskType,
			description: `A value of the ${target} task's ${task?.typeField ?? 'type'} list. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
			displayOptions: shown,
		};
	});
}

export const timelineSyncProperties: INodeProperties[] = [
	{
		displayName: 'Direction',
		name: 'direction',
		type: 'options',
		noDataExpression: true,
		options: TIMELINE_DIRECTIONS.map((d) => ({ name: directionLabel(d), value: d.value })),
		default: 'hubspotToSalesforce',
		description:
			'Source CRM → target CRM. Each activity from CRM Sync Trigger ("Timeline Activities" of the source) becomes one completed task in the target, once.',
	},
	...directionAuthentication(DIRECTION_CRMS),
	{
		displayName:
			'Each activity becomes one completed task about the counterpart (found by e-mail) of its contact; a later change of the activity updates that task, and no delivery ever adds a second one',
		name: 'timelineNotice',
		type: 'notice',
		default: '',
	},
	...TIMELINE_DIRECTIONS.flatMap(taskTypeParameters),
	{
		displayName: 'Related Record',
		name: 'relatedRecord',
		type: 'options',
		options: [
			{ name: 'None', value: 'none', description: 'The task is about the person only' },
			{
				name: "The Person's Company",
				value: 'company',
				description: "Also about the counterpart contact's company (never for a lead)",
			},
			{
				name: "The Person's Newest Open Deal",
				value: 'deal',
				description:
					'Also about the most recently changed open deal/opportunity of the counterpart contact (never for a lead)',
			},
		],
		default: 'none',
		description:
			'What else the task is about, found in the same lookup as the person (no further calls on Salesforce)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [requestTimeoutOption],
	},
];
