/**
 * Meeting write options shared by CRM Note Router (HubSpot Meetings destination) and
 * CRM Meeting / Event Writer: the seed's write mode and meeting type.
 */
import type { INodeProperties } from 'n8n-workflow';

import { MEETING_WRITE_MODES } from '../logic/meetingWriteMode';

const MODE_LABELS: Record<(typeof MEETING_WRITE_MODES)[number], { name: string; description: string }> = {
	alwaysCreate: { name: 'Always Create', description: 'Create a new meeting for every call' },
	updateIfExists: {
		name: 'Update if a Matching Meeting Exists',
		description: 'Update the meeting for this call (same conversation, or same start time on the same contact), else create one',
	},
	updateOnly: { name: 'Update Only', description: 'Only update a matching meeting; never create one' },
};

/** Write mode and start-time tolerance, plus the HubSpot meeting type where `typeShow` applies. */
export function meetingWriteParameters(show: Record<string, string[]>, typeShow: Record<string, string[]> = show): INodeProperties[] {
	return [
		{
			displayName: 'When to Write Meetings',
			name: 'meetingWriteMode',
			type: 'options',
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
			description: 'A meeting on the same contact starting this close to the call counts as the same meeting',
		},
		{
			displayName: 'Meeting Type Name or ID',
			name: 'meetingType',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getMeetingTypes' },
			default: '',
			displayOptions: { show: typeShow },
			description:
				'Optional HubSpot meeting type, loaded from your portal (cached; use the Clear Metadata Cache operation of CRM Meeting / Event Writer after changing types). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
	];
}
