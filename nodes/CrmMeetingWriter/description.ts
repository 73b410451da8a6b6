import type { INodeProperties } from 'n8n-workflow';

import { contentSourceParameter } from '../shared/descriptions/contentSource';
import { conversationLimitsProperty } from '../shared/descriptions/conversationLimits';
import { authenticationParameters, crmParameter } from '../shared/descriptions/crmSelector';
import { meetingWriteParameters } from '../shared/descriptions/meetingOptions';
import { requestTimeoutOption } from '../shared/descriptions/requestTimeout';
import { targetParameters } from '../shared/descriptions/targets';
import { CRM_NAMES, type CrmName } from '../shared/model';
import { crmsWhere } from '../shared/providers/profiles';

export const MEETING_WRITER_CRMS: CrmName[] = [...CRM_NAMES];

const WRITES = ['writeMeeting', 'logCall'];

export const meetingWriterProperties: INodeProperties[] = [
	crmParameter(MEETING_WRITER_CRMS),
	...authenticationParameters(MEETING_WRITER_CRMS),
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Write Meeting / Event',
				value: 'writeMeeting',
				action: 'Write a meeting or event',
				description:
					'HubSpot meeting, Salesforce event, Dynamics appointment or autoch.at meeting activity',
			},
			{
				name: 'Log Call',
				value: 'logCall',
				action: 'Log a call',
				description:
					'HubSpot call, Salesforce call task, Dynamics phone call or autoch.at call activity',
			},
			{
				name: 'Clear Metadata Cache',
				value: 'clearMetadataCache',
				action: 'Clear the metadata cache',
				description:
					'Forget cached CRM fields, picklists and meeting types (after changing them in the CRM)',
			},
		],
		default: 'writeMeeting',
	},
	...targetParameters(
		MEETING_WRITER_CRMS,
		{
			displayName: 'Associate With',
			description:
				'Which matched records the meeting or call belongs to. Types CRM Link does not match are left out.',
		},
		{ operation: WRITES },
	),
	contentSourceParameter('What the meeting description or call notes contain', {
		show: { operation: WRITES },
	}),
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		placeholder: 'Call outbound 2026-11-20',
		displayOptions: { show: { operation: WRITES } },
		description: 'Leave empty for "Call &lt;direction&gt; &lt;date&gt;"',
	},
	...meetingWriteParameters({ operation: ['writeMeeting'] }, { operation: ['writeMeeting'] }),
	{
		displayName: 'Meeting Outcome',
		name: 'meetingOutcome',
		type: 'options',
		options: [
			{ name: 'Completed', value: 'completed' },
			{ name: 'Scheduled', value: 'scheduled' },
			{ name: 'No Show', value: 'no show' },
		],
		default: 'completed',
		displayOptions: {
			show: {
				operation: ['writeMeeting'],
				crm: crmsWhere((profile) => profile.meetingDetails?.outcome === true),
			},
		},
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: ['writeMeeting', 'logCall'] } },
		options: [requestTimeoutOption],
	},
	conversationLimitsProperty({ show: { operation: WRITES } }),
];
