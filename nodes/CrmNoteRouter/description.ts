import type { INodeProperties } from 'n8n-workflow';

import { contentSourceParameter } from '../shared/descriptions/contentSource';
import { conversationLimitsProperty } from '../shared/descriptions/conversationLimits';
import { authenticationParameters, crmParameter } from '../shared/descriptions/crmSelector';
import { meetingWriteParameters } from '../shared/descriptions/meetingOptions';
import { matchedObjectTypeParameters, priorityParameters } from '../shared/descriptions/objectTypes';
import { requestTimeoutOption } from '../shared/descriptions/requestTimeout';
import type { CrmName } from '../shared/model';

export const NOTE_ROUTER_CRMS: CrmName[] = ['hubspot', 'salesforce', 'dynamics', 'autochat'];

const HUBSPOT_MEETINGS = { crm: ['hubspot'], hubspotDestination: ['meeting'] };

export const noteRouterProperties: INodeProperties[] = [
	crmParameter(NOTE_ROUTER_CRMS),
	...authenticationParameters(NOTE_ROUTER_CRMS),
	contentSourceParameter('What the CRM entry contains'),
	{
		displayName: 'Destination',
		name: 'hubspotDestination',
		type: 'options',
		options: [
			{ name: 'Notes', value: 'note', description: 'A HubSpot note on the matched records' },
			{ name: 'Meetings', value: 'meeting', description: 'Create or update a HubSpot meeting' },
		],
		default: 'note',
		displayOptions: { show: { crm: ['hubspot'] } },
		description: 'Where HubSpot stores the call content',
	},
	{
		displayName: 'Destination',
		name: 'salesforceDestination',
		type: 'options',
		options: [
			{ name: 'Notes', value: 'note', description: 'Salesforce notes on the matched records' },
			{
				name: 'Events',
				value: 'event',
				description: 'One Salesforce event for the selected matched record (single-target routing)',
			},
		],
		default: 'note',
		displayOptions: { show: { crm: ['salesforce'] } },
		description: 'Where Salesforce stores the call content',
	},
	...matchedObjectTypeParameters(NOTE_ROUTER_CRMS, {
		name: 'targetObjectTypes',
		displayName: 'Send To',
		description: 'Which matched records receive the entry. Types CRM Link does not match are left out; at least one must be among them.',
	}),
	{
		displayName: 'When Several Object Types Match',
		name: 'routing',
		type: 'options',
		options: [
			{
				name: 'Send to One Object Type',
				value: 'oneType',
				description: 'The first type in the priority order that matched wins; all of its matches receive the entry',
			},
			{ name: 'Send to All Matching Object Types', value: 'allTypes', description: 'Every selected type that matched receives the entry' },
		],
		default: 'oneType',
		displayOptions: { hide: { salesforceDestination: ['event'] } },
	},
	...priorityParameters(NOTE_ROUTER_CRMS),
	...meetingWriteParameters(HUBSPOT_MEETINGS),
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
				description: 'Whether to write nothing (and log "skipped") when the chosen content source is empty',
			},
			{
				displayName: 'Salesforce Note Type',
				name: 'salesforceNoteStyle',
				type: 'options',
				options: [
					{ name: 'Notes (ContentNote)', value: 'contentNote', description: 'Enhanced notes, linked to every target' },
					{ name: 'Legacy Notes', value: 'legacyNote', description: 'The classic Note object, one per target' },
				],
				default: 'contentNote',
				description: 'Only used for Salesforce notes',
			},
			requestTimeoutOption,
		],
	},
	conversationLimitsProperty(),
];
