import type { INodeProperties } from 'n8n-workflow';

import { contentSourceParameter } from '../shared/descriptions/contentSource';
import { conversationLimitsProperty } from '../shared/descriptions/conversationLimits';
import { authenticationParameters, crmParameter } from '../shared/descriptions/crmSelector';
import { meetingWriteParameters } from '../shared/descriptions/meetingOptions';
import { requestTimeoutOption } from '../shared/descriptions/requestTimeout';
import { targetParameters, type TargetParameterNames } from '../shared/descriptions/targets';
import { TASK_CRMS, actionItemTaskParameters } from '../shared/descriptions/actionItemTasks';
import { CRM_NAMES, type CrmName } from '../shared/model';
import { profileOf } from '../shared/providers/profiles';

export const NOTE_ROUTER_CRMS: CrmName[] = [...CRM_NAMES];

/** The node parameter choosing note or meeting for this CRM; undefined where only notes are offered. */
export function destinationParameter(crm: CrmName): string | undefined {
	return profileOf(crm).noteAsMeeting?.parameter;
}

function destinationParameters(): INodeProperties[] {
	return NOTE_ROUTER_CRMS.flatMap((crm) => {
		const destination = profileOf(crm).noteAsMeeting;
		if (!destination) return [];
		const { displayName, meetingName, notesAsTasks } = profileOf(crm);
		const meetings = `${meetingName[0].toUpperCase()}${meetingName.slice(1)}s`;
		const tasks = notesAsTasks
			? [
					{
						name: 'Completed Tasks',
						value: 'task',
						description: `One completed ${displayName} task per target record (Subject, Description, linked as Name or Related To), instead of a note`,
					},
				]
			: [];
		return [
			{
				displayName: 'Destination',
				name: destination.parameter,
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Notes',
						value: 'note',
						description: `${displayName} notes on the matched records`,
					},
					{ name: meetings, value: meetingName, description: destination.description },
					...tasks,
				],
				default: 'note',
				displayOptions: { show: { crm: [crm] } },
				description: `Where ${displayName} stores the call content`,
			},
		];
	});
}

/** Meeting options for each CRM's meeting destination (write mode; the type where the CRM has types). */
function meetingParameters(): INodeProperties[] {
	return NOTE_ROUTER_CRMS.flatMap((crm) => {
		const parameter = destinationParameter(crm);
		if (!parameter) return [];
		const { meetingName, meetingDetails } = profileOf(crm);
		const show = { crm: [crm], [parameter]: [meetingName] };
		return meetingWriteParameters(show, meetingDetails ? show : undefined);
	});
}

/** Single-target destinations route to one record: the routing choice does not apply. */
const SINGLE_TARGET_DESTINATIONS = Object.fromEntries(
	NOTE_ROUTER_CRMS.flatMap((crm) => {
		const parameter = destinationParameter(crm);
		const { meetingName, singleTargetActivityKinds } = profileOf(crm);
		return parameter && singleTargetActivityKinds.includes('meeting')
			? [[parameter, [meetingName]]]
			: [];
	}),
);

/** Where the action-item tasks go: their own target settings, apart from the note's. */
export const TASK_TARGET_PARAMETERS: TargetParameterNames = {
	types: 'taskTargetObjectTypes',
	routing: 'taskRouting',
	priority: 'taskTargetPriority',
};

export const TASK_OPTIONS_PARAMETER = 'taskOptions';

const TASKS_ON = { createActionItemTasks: [true], crm: TASK_CRMS };
/** For per-CRM parameters, which name their own CRM. */
const TASKS_ON_ANY_CRM = { createActionItemTasks: [true] };

/** "Create Action Item Tasks": the settings of CRM Action Items → Tasks, shown when it is on. */
function actionItemTaskProperties(): INodeProperties[] {
	return [
		{
			displayName: 'Create Action Item Tasks',
			name: 'createActionItemTasks',
			type: 'boolean',
			// Decides what the batch's one write holds.
			noDataExpression: true,
			default: false,
			description:
				'Whether to also create one task per action item, as CRM Action Items → Tasks does, in the same request as the note (one write call instead of two). A CRM Action Items → Tasks node later in the workflow finds these tasks and does not create them again.',
			displayOptions: { show: { crm: TASK_CRMS } },
		},
		...targetParameters(
			TASK_CRMS,
			{
				displayName: 'Associate Tasks With',
				description:
					'Which matched records each task is associated with (Dynamics and single-record CRMs use the first one). Types CRM Link does not match are left out.',
			},
			TASKS_ON_ANY_CRM,
			{},
			TASK_TARGET_PARAMETERS,
		),
		...actionItemTaskParameters({
			show: TASKS_ON,
			optionsName: TASK_OPTIONS_PARAMETER,
			optionsDisplayName: 'Task Options',
		}),
	];
}

export const noteRouterProperties: INodeProperties[] = [
	crmParameter(NOTE_ROUTER_CRMS),
	...authenticationParameters(NOTE_ROUTER_CRMS),
	contentSourceParameter('What the CRM entry contains'),
	...destinationParameters(),
	...targetParameters(
		NOTE_ROUTER_CRMS,
		{
			displayName: 'Send To',
			description:
				'Which matched records receive the entry. Types CRM Link does not match are left out; at least one must be among them.',
		},
		{},
		SINGLE_TARGET_DESTINATIONS,
	),
	...meetingParameters(),
	...actionItemTaskProperties(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Subject Prefix',
				name: 'subjectPrefix',
				type: 'string',
				default: 'Call',
				description: 'Start of the note/meeting title, followed by the direction and date',
			},
			{
				displayName: 'Skip Empty Content',
				name: 'skipEmptyContent',
				type: 'boolean',
				default: true,
				description:
					'Whether to write nothing (and log "skipped") when the chosen content source is empty',
			},
			{
				displayName: 'Salesforce Note Type',
				name: 'salesforceNoteStyle',
				type: 'options',
				options: [
					{
						name: 'Notes (ContentNote)',
						value: 'contentNote',
						description: 'Enhanced notes, linked to every target',
					},
					{
						name: 'Legacy Notes',
						value: 'legacyNote',
						description: 'The classic Note object, one per target',
					},
				],
				default: 'contentNote',
				description:
					'Only used for Salesforce notes. One value for the whole run: an expression must give every item the same value.',
			},
			requestTimeoutOption,
		],
	},
	conversationLimitsProperty(),
];
