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

const WRITES = ['writeMeeting', 'logCall', 'logChat'];

/** CRMs that store a chat log. */
export const CHAT_CRMS = crmsWhere((profile) => profile.activityKinds.includes('chat'));

const CALL = { operation: ['logCall'] };

/** Log Call's outcome, recording and further fields; each CRM's shape comes from its profile. */
function callLogParameters(): INodeProperties[] {
	const choiceCrms = crmsWhere((profile) => profile.callLog.outcome.store === 'choice');
	const textCrms = crmsWhere((profile) => profile.callLog.outcome.store !== 'choice');
	const describable = crmsWhere((profile) => profile.callLog.fieldsObject !== undefined);
	return [
		{
			displayName: 'Outcome / Disposition Name or ID',
			name: 'callOutcome',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getCallOutcomes', loadOptionsDependsOn: ['crm'] },
			default: '',
			displayOptions: { show: { ...CALL, crm: choiceCrms } },
			description:
				'One of the account\'s call outcomes (HubSpot: Call outcome). An expression may give its label or its ID; an unknown one fails the item. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Outcome / Disposition',
			name: 'callOutcome',
			type: 'string',
			default: '',
			placeholder: 'Left voicemail',
			displayOptions: { show: { ...CALL, crm: textCrms } },
			description:
				'How the call ended, as text: Salesforce Call Result (CallDisposition, at most 255 characters), Dynamics 365 an "Outcome:" line in the description, autoch.at CRM the activity\'s metadata',
		},
		{
			displayName: 'Recording URL',
			name: 'recordingUrl',
			type: 'string',
			default: '',
			placeholder: '={{ $json.recordingUrl }}',
			displayOptions: { show: CALL },
			description:
				'Link to the call recording (http or https). Empty: the conversation\'s own recordingUrl, if any. HubSpot stores it in Recording URL; Salesforce and Dynamics 365 as a "Recording:" line in the description.',
		},
		{
			displayName: 'Additional Activity Fields',
			name: 'additionalCallFields',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Field',
			default: {},
			displayOptions: { show: { ...CALL, crm: describable } },
			description:
				"Further fields of the CRM's call record, typed as the field (numbers, true/false, a choice's label or value). Fields the node sets itself (key, links, times) are not offered.",
			options: [
				{
					displayName: 'Field',
					name: 'field',
					values: [
						{
							displayName: 'Field Name or ID',
							name: 'name',
							type: 'options',
							typeOptions: {
								loadOptionsMethod: 'getCallFieldNames',
								loadOptionsDependsOn: ['crm'],
							},
							default: '',
							description:
								'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
						},
						{
							displayName: 'Value',
							name: 'value',
							type: 'string',
							default: '',
						},
					],
				},
			],
		},
	];
}

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
				name: 'Log Chat',
				value: 'logChat',
				action: 'Log a chat',
				description:
					'A WhatsApp, LinkedIn or SMS conversation: HubSpot communication, Salesforce completed task, Dynamics 365 task',
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
		description:
			'Leave empty for "Call &lt;direction&gt; &lt;date&gt;" ("&lt;channel&gt; chat …" for a chat). HubSpot communications have no title.',
	},
	{
		displayName: 'Channel',
		name: 'chatChannel',
		type: 'options',
		options: [
			{ name: 'WhatsApp', value: 'WHATS_APP' },
			{ name: 'LinkedIn', value: 'LINKEDIN_MESSAGE' },
			{ name: 'SMS', value: 'SMS' },
		],
		default: 'WHATS_APP',
		displayOptions: { show: { operation: ['logChat'], crm: CHAT_CRMS } },
		description:
			'Where the conversation took place. An expression may give WHATS_APP, LINKEDIN_MESSAGE, SMS or their names. HubSpot stores it as the channel type; Salesforce and Dynamics 365 as a "Channel:" line.',
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
	...callLogParameters(),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: WRITES } },
		options: [requestTimeoutOption],
	},
	conversationLimitsProperty({ show: { operation: WRITES } }),
];
