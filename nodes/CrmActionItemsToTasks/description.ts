import type { INodeProperties } from 'n8n-workflow';

import { conversationLimitsProperty } from '../shared/descriptions/conversationLimits';
import { authenticationParameters, crmParameter } from '../shared/descriptions/crmSelector';
import { requestTimeoutOption } from '../shared/descriptions/requestTimeout';
import { targetParameters } from '../shared/descriptions/targets';
import type { CrmName } from '../shared/model';
import { crmsWhere } from '../shared/providers/profiles';

/** CRMs that store tasks (autoch.at has no task activity). */
export const TASK_CRMS: CrmName[] = crmsWhere((profile) => profile.activityKinds.includes('task'));

export const actionItemsToTasksProperties: INodeProperties[] = [
	crmParameter(TASK_CRMS),
	...authenticationParameters(TASK_CRMS),
	...targetParameters(TASK_CRMS, {
		displayName: 'Associate With',
		description:
			'Which matched records each task is associated with (Dynamics and single-record CRMs use the first one). Types CRM Link does not match are left out.',
	}),
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
	},
	{
		displayName: 'Due in Business Days',
		name: 'dueBusinessDays',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 60 },
		default: 2,
		description:
			'Used when an action item has no due date: this many working days (Monday–Friday) after the call',
	},
	{
		displayName: 'Timezone',
		name: 'timezone',
		type: 'string',
		default: '={{ $now.zoneName }}',
		placeholder: 'Europe/Berlin',
		description: 'IANA timezone used to count business days and to place the due time',
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
	},
	{
		displayName: 'Options',
		name: 'options',
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
			requestTimeoutOption,
		],
	},
	conversationLimitsProperty(),
];
