/**
 * The node's "Direction": which CRM's timeline activities become tasks in which CRM, and
 * which activity types each direction copies. Only the target CRM is called: the activities
 * arrive from CRM Sync Trigger with their people's e-mail addresses.
 */
import type { CrmName, TimelineType } from '../shared/model';
import { profileOf } from '../shared/providers/profiles';

export interface TimelineDirection {
	value: string;
	source: CrmName;
	target: CrmName;
	/** Source activity types copied as tasks, with the task type each gets by default. */
	types: ReadonlyArray<{ type: TimelineType; defaultTaskType: string }>;
}

export const TIMELINE_DIRECTIONS: readonly TimelineDirection[] = [
	{
		value: 'hubspotToSalesforce',
		source: 'hubspot',
		target: 'salesforce',
		types: [
			{ type: 'call', defaultTaskType: 'Call' },
			{ type: 'meeting', defaultTaskType: 'Meeting' },
			{ type: 'note', defaultTaskType: 'Other' },
			{ type: 'email', defaultTaskType: 'Email' },
		],
	},
	{
		value: 'hubspotToDynamics',
		source: 'hubspot',
		target: 'dynamics',
		types: [
			{ type: 'call', defaultTaskType: 'Call' },
			{ type: 'meeting', defaultTaskType: 'Meeting' },
			{ type: 'note', defaultTaskType: 'Other' },
			{ type: 'email', defaultTaskType: 'Email' },
		],
	},
	{
		value: 'salesforceToHubspot',
		source: 'salesforce',
		target: 'hubspot',
		types: [
			{ type: 'task', defaultTaskType: 'TODO' },
			{ type: 'call', defaultTaskType: 'CALL' },
			{ type: 'email', defaultTaskType: 'EMAIL' },
		],
	},
];

export function directionLabel(direction: TimelineDirection): string {
	return `${profileOf(direction.source).selectorLabel} → ${profileOf(direction.target).selectorLabel}`;
}

export function timelineDirectionOf(value: unknown): TimelineDirection | undefined {
	return TIMELINE_DIRECTIONS.find((direction) => direction.value === value);
}

/** Direction values whose target is the CRM. */
export function directionsInto(crm: CrmName): string[] {
	return TIMELINE_DIRECTIONS.filter((d) => d.target === crm).map((d) => d.value);
}

/** The CRMs tasks are written to. */
export const TIMELINE_TARGETS: CrmName[] = [...new Set(TIMELINE_DIRECTIONS.map((d) => d.target))];

/** Node parameter holding the task type of one source type in one direction. */
export function taskTypeParameter(direction: TimelineDirection, type: TimelineType): string {
	return `${direction.source}${type[0].toUpperCase()}${type.slice(1)}TaskType`;
}
