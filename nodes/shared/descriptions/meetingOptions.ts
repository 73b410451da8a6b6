/**
 * Meeting write options shared by CRM Note Router (meeting and event destinations) and
 * CRM Meeting / Event Writer: when to write a meeting, and the meeting type where the CRM
 * has portal-defined types.
 */
import type { INodeProperties } from 'n8n-workflow';

import { MEETING_WRITE_MODES } from '../logic/meetingWriteMode';
import { crmsWhere } from '../providers/profiles';

const MODE_LABELS: Record<
	(typeof MEETING_WRITE_MODES)[number],
	{ name: string; description: string }
> = {
	alwaysCreate: { name: 'Always Create', description: 'Create a new meeting for every call' },
	updateIfExists: {
		name: 'Update if a Matching Meeting Exists',
		description:
			'Update the meeting for this call (same conversation, or same start time on the same contact), else create one',
	},
	updateOnly: {
		name: 'Update Only',
		description: 'Only update a matching meeting; never create one',
	},
};

/** CRMs whose meetings carry a type from a portal-defined list and an outcome (HubSpot). */
export const MEETING_DETAIL_CRMS = crmsWhere((profile) => profile.meetingDetails !== undefined);

/** Write mode and start-time tolerance, plus the meeting type where `typeShow` is given. */
export function meetingWriteParameters(
	show: Record<string, string[]>,
	typeShow?: Record<string, string[]>,
): INodeProperties[] {
	const parameters: INodeProperties[] = [
		{
			displayName: 'When to Write Meetings',
			name: 'meetingWriteMode',
			type: 'options',
			noDataExpression: true,
			options: MEETING_WRITE_MODES.map((value) => ({ value, ...MODE_LABELS[value] })),
			default: 'updateIfExists',
			displayOptions: { show },
		},
		{
			displayName: 'Start Time Tolerance (Minutes)',
			name: 'matchToleranceMinutes',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: 1440 },
			default: 15,
			displayOptions: { show: { ...show, meetingWriteMode: ['updateIfExists', 'updateOnly'] } },
			description:
				'A meeting on the same contact starting this close to the call counts as the same meeting. One value for the whole run: an expression must give every item the same value.',
		},
	];
	if (!typeShow) return parameters;
	return [
		...parameters,
		{
			displayName: 'Meeting Type Name or ID',
			name: 'meetingType',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getMeetingTypes' },
			default: '',
			displayOptions: { show: { ...typeShow, crm: MEETING_DETAIL_CRMS } },
			description:
				'Optional HubSpot meeting type, loaded from your portal (cached; use the Clear Metadata Cache operation of CRM Meeting / Event Writer after changing types). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
	];
}
