/**
 * The task settings of action-item tasks (owner, due date, timezone, priority and their
 * options), shared by CRM Action Items → Tasks and CRM Note Router's "Create Action Item Tasks".
 */
import type { INodeProperties } from 'n8n-workflow';

import type { CrmName } from '../model';
import { crmsWhere } from '../providers/profiles';

/** CRMs that store tasks (autoch.at has no task activity). */
export const TASK_CRMS: CrmName[] = crmsWhere((profile) => profile.activityKinds.includes('task'));

type Show = Record<string, Array<string | boolean>>;

function shown(show: Show): Pick<INodeProperties, 'displayOptions'> {
	return Object.keys(show).length ? { displayOptions: { show } } : {};
}

/** Task Owner, Due in Business Days, Timezone, Priority, and a collection of the task options. */
export function actionItemTaskParameters(settings: {
	show?: Show;
	/** Name of the collection with Due Hour and Include Call Summary. */
	optionsName: string;
	optionsDisplayName: string;
	/** Further options of that collection (the node's own). */
	extraOptions?: INodeProperties[];
}): INodeProperties[] {
	const show = shown(settings.show ?? {});
	return [
		{
			displayName: 'Task Owner',
			name: 'ownerSource',
			type: 'options',
			// One owner lookup serves the whole batch.
			noDataExpression: true,
			description: 'Who the tasks are assigned to; applies to the whole batch',
			options: [
				{
					name: 'Action Item Owner, Else Record Owner',
					value: 'itemThenRecord',
					description:
						"The CRM user with the action item's owner email; if none, the owner of the first associated record",
				},
				{
					name: 'Action Item Owner Only',
					value: 'item',
					description: 'Leave the task unassigned when the owner email is not a CRM user',
				},
				{
					name: 'Record Owner',
					value: 'record',
					description: 'The owner of the first associated record',
				},
				{ name: 'Nobody', value: 'none', description: 'Let the CRM apply its default' },
			],
			default: 'itemThenRecord',
			...show,
		},
		{
			displayName: 'Due in Business Days',
			name: 'dueBusinessDays',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 60 },
			default: 2,
			description:
				'Used when an action item has no due date: this many working days (Monday–Friday) after the call',
			...show,
		},
		{
			displayName: 'Timezone',
			name: 'timezone',
			type: 'string',
			default: '={{ $now.zoneName }}',
			placeholder: 'Europe/Berlin',
			description: 'IANA timezone used to count business days and to place the due time',
			...show,
		},
		{
			displayName: 'Priority',
			name: 'taskPriority',
			type: 'options',
			options: [
				{ name: 'Low', value: 'low' },
				{ name: 'Normal', value: 'normal' },
				{ name: 'High', value: 'high' },
			],
			default: 'normal',
			...show,
		},
		{
			displayName: settings.optionsDisplayName,
			name: settings.optionsName,
			type: 'collection',
			placeholder: 'Add Option',
			default: {},
			options: [
				{
					displayName: 'Due Hour',
					name: 'dueHour',
					type: 'number',
					typeOptions: { minValue: 0, maxValue: 23 },
					default: 9,
					description:
						'Local hour on the due date the task is due (HubSpot and Dynamics store a time)',
				},
				{
					displayName: 'Include Call Summary in Task',
					name: 'includeSummary',
					type: 'boolean',
					default: true,
					description: 'Whether to add the call summary below the action item in the task body',
				},
				...(settings.extraOptions ?? []),
			],
			...show,
		},
	];
}
