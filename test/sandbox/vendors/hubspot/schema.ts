/**
 * Property definitions per object type, in the shape of HubSpot's
 * `GET /crm/v3/properties/{objectType}`. Only the properties the pack and its demo use,
 * plus a few custom ones (as a portal would have) for field-merge flows — left out when the
 * sandbox plays a `standard` portal.
 */
import type { SandboxSchema } from '../../core/types';
import { timestampProperties, type HubSpotObjectType } from './objectTypes';

export type HubSpotPropertyType =
	'string' | 'number' | 'enumeration' | 'bool' | 'date' | 'datetime' | 'phone_number';

export interface PropertyOption {
	label: string;
	value: string;
	displayOrder: number;
	hidden: boolean;
	description?: string;
}

export interface PropertyDefinition {
	name: string;
	label: string;
	type: HubSpotPropertyType;
	fieldType: string;
	description: string;
	groupName: string;
	options: PropertyOption[];
	displayOrder: number;
	calculated: boolean;
	externalOptions: boolean;
	hasUniqueValue: boolean;
	hidden: boolean;
	hubspotDefined: boolean;
	modificationMetadata: {
		archivable: boolean;
		readOnlyDefinition: boolean;
		readOnlyValue: boolean;
	};
	formField: boolean;
	createdAt: string;
	updatedAt: string;
	archived: boolean;
}

const DEFINED_AT = '2020-01-01T00:00:00.000Z';

interface Spec {
	name: string;
	label: string;
	type?: HubSpotPropertyType;
	options?: Array<string | [value: string, label: string]>;
	readOnly?: boolean;
	unique?: boolean;
	custom?: boolean;
	fieldType?: string;
}

const FIELD_TYPES: Record<HubSpotPropertyType, string> = {
	string: 'text',
	number: 'number',
	enumeration: 'select',
	bool: 'booleancheckbox',
	date: 'date',
	datetime: 'date',
	phone_number: 'phonenumber',
};

function define(spec: Spec, index: number, groupName: string): PropertyDefinition {
	const type = spec.type ?? 'string';
	const optionList: Array<string | [string, string]> =
		type === 'bool'
			? [
					['true', 'Yes'],
					['false', 'No'],
				]
			: (spec.options ?? []);
	return {
		name: spec.name,
		label: spec.label,
		type,
		fieldType: spec.fieldType ?? FIELD_TYPES[type],
		description: '',
		groupName,
		options: optionList.map((option, order) => {
			const [value, label] = Array.isArray(option) ? option : [option, option];
			return { label, value, displayOrder: order, hidden: false };
		}),
		displayOrder: index,
		calculated: spec.readOnly === true && !spec.name.endsWith('date'),
		externalOptions: false,
		hasUniqueValue: spec.unique === true,
		hidden: false,
		hubspotDefined: spec.custom !== true,
		modificationMetadata: {
			archivable: spec.custom === true,
			readOnlyDefinition: spec.custom !== true,
			readOnlyValue: spec.readOnly === true,
		},
		formField: !spec.readOnly,
		createdAt: DEFINED_AT,
		updatedAt: DEFINED_AT,
		archived: false,
	};
}

const OWNER: Spec = {
	name: 'hubspot_owner_id',
	label: 'Owner',
	type: 'enumeration',
	fieldType: 'select',
};

function common(type: HubSpotObjectType): Spec[] {
	const { created, modified } = timestampProperties(type);
	return [
		{ name: 'hs_object_id', label: 'Record ID', type: 'number', readOnly: true, unique: true },
		{ name: created, label: 'Create Date', type: 'datetime', readOnly: true },
		{ name: modified, label: 'Last Modified Date', type: 'datetime', readOnly: true },
		OWNER,
	];
}

const SPECS: Record<HubSpotObjectType, Spec[]> = {
	contacts: [
		{ name: 'firstname', label: 'First Name' },
		{ name: 'lastname', label: 'Last Name' },
		{ name: 'email', label: 'Email', unique: true, fieldType: 'text' },
		{ name: 'hs_additional_emails', label: 'Additional email addresses', fieldType: 'textarea' },
		{ name: 'phone', label: 'Phone Number', type: 'string', fieldType: 'phonenumber' },
		{ name: 'mobilephone', label: 'Mobile Phone Number', type: 'string', fieldType: 'phonenumber' },
		{
			name: 'hs_searchable_calculated_phone_number',
			label: 'Phone Number (searchable)',
			readOnly: true,
		},
		{
			name: 'hs_searchable_calculated_mobile_number',
			label: 'Mobile Phone Number (searchable)',
			readOnly: true,
		},
		{ name: 'notes_last_updated', label: 'Last Activity Date', type: 'datetime', readOnly: true },
		{ name: 'company', label: 'Company Name' },
		{ name: 'jobtitle', label: 'Job Title' },
		{ name: 'website', label: 'Website URL' },
		{ name: 'address', label: 'Street Address' },
		{ name: 'city', label: 'City' },
		{ name: 'state', label: 'State/Region' },
		{ name: 'zip', label: 'Postal Code' },
		{ name: 'country', label: 'Country/Region' },
		{
			name: 'lifecyclestage',
			label: 'Lifecycle Stage',
			type: 'enumeration',
			options: [
				['subscriber', 'Subscriber'],
				['lead', 'Lead'],
				['marketingqualifiedlead', 'Marketing Qualified Lead'],
				['salesqualifiedlead', 'Sales Qualified Lead'],
				['opportunity', 'Opportunity'],
				['customer', 'Customer'],
				['evangelist', 'Evangelist'],
				['other', 'Other'],
			],
		},
		{
			// Set by HubSpot from the first tracked visit or how the contact was created.
			name: 'hs_analytics_source',
			label: 'Original Source',
			type: 'enumeration',
			readOnly: true,
			options: [
				['ORGANIC_SEARCH', 'Organic Search'],
				['PAID_SEARCH', 'Paid Search'],
				['EMAIL_MARKETING', 'Email Marketing'],
				['SOCIAL_MEDIA', 'Organic Social'],
				['REFERRALS', 'Referrals'],
				['OTHER_CAMPAIGNS', 'Other Campaigns'],
				['DIRECT_TRAFFIC', 'Direct Traffic'],
				['OFFLINE', 'Offline Sources'],
				['PAID_SOCIAL', 'Paid Social'],
			],
		},
		{
			name: 'hs_lead_status',
			label: 'Lead Status',
			type: 'enumeration',
			fieldType: 'radio',
			options: [
				['NEW', 'New'],
				['OPEN', 'Open'],
				['IN_PROGRESS', 'In Progress'],
				['OPEN_DEAL', 'Open Deal'],
				['UNQUALIFIED', 'Unqualified'],
				['ATTEMPTED_TO_CONTACT', 'Attempted to Contact'],
				['CONNECTED', 'Connected'],
				['BAD_TIMING', 'Bad Timing'],
			],
		},
		{
			name: 'hs_buying_role',
			label: 'Buying Role',
			type: 'enumeration',
			fieldType: 'checkbox',
			options: [
				['BLOCKER', 'Blocker'],
				['BUDGET_HOLDER', 'Budget Holder'],
				['CHAMPION', 'Champion'],
				['DECISION_MAKER', 'Decision Maker'],
				['END_USER', 'End User'],
				['EXECUTIVE_SPONSOR', 'Executive Sponsor'],
				['INFLUENCER', 'Influencer'],
				['LEGAL_AND_COMPLIANCE', 'Legal & Compliance'],
				['OTHER', 'Other'],
			],
		},
		{ name: 'annual_budget', label: 'Annual Budget', type: 'number', custom: true },
		{ name: 'decision_maker', label: 'Decision Maker', type: 'bool', custom: true },
		{ name: 'preferred_contact_date', label: 'Preferred Contact Date', type: 'date', custom: true },
		{ name: 'last_call_summary', label: 'Last Call Summary', custom: true, fieldType: 'textarea' },
		{ name: 'notes_last_contacted', label: 'Last Contacted', type: 'datetime' },
	],
	companies: [
		{ name: 'name', label: 'Company name' },
		{ name: 'domain', label: 'Company Domain Name', unique: true },
		{ name: 'phone', label: 'Phone Number', fieldType: 'phonenumber' },
		{ name: 'city', label: 'City' },
		{ name: 'country', label: 'Country/Region' },
		{ name: 'industry', label: 'Industry' },
		{ name: 'numberofemployees', label: 'Number of Employees', type: 'number' },
		{
			name: 'lifecyclestage',
			label: 'Lifecycle Stage',
			type: 'enumeration',
			options: ['lead', 'opportunity', 'customer', 'other'],
		},
	],
	deals: [
		{ name: 'dealname', label: 'Deal Name' },
		{ name: 'amount', label: 'Amount', type: 'number' },
		{
			name: 'dealstage',
			label: 'Deal Stage',
			type: 'enumeration',
			fieldType: 'radio',
			options: [
				['appointmentscheduled', 'Appointment Scheduled'],
				['qualifiedtobuy', 'Qualified To Buy'],
				['presentationscheduled', 'Presentation Scheduled'],
				['decisionmakerboughtin', 'Decision Maker Bought-In'],
				['contractsent', 'Contract Sent'],
				['closedwon', 'Closed Won'],
				['closedlost', 'Closed Lost'],
			],
		},
		{
			name: 'pipeline',
			label: 'Pipeline',
			type: 'enumeration',
			options: [['default', 'Sales Pipeline']],
		},
		{ name: 'closedate', label: 'Close Date', type: 'datetime' },
		{ name: 'hs_is_closed', label: 'Is Deal Closed?', type: 'bool', readOnly: true },
		{ name: 'hs_is_closed_won', label: 'Is Closed Won', type: 'bool', readOnly: true },
		{ name: 'description', label: 'Deal Description', fieldType: 'textarea' },
	],
	notes: [
		{ name: 'hs_note_body', label: 'Note body', fieldType: 'html' },
		{ name: 'hs_timestamp', label: 'Activity date', type: 'datetime' },
		{
			name: 'hs_attachment_ids',
			label: 'Attached file IDs',
			type: 'enumeration',
			fieldType: 'checkbox',
		},
	],
	meetings: [
		{ name: 'hs_meeting_title', label: 'Meeting name' },
		{ name: 'hs_meeting_body', label: 'Meeting description', fieldType: 'html' },
		{ name: 'hs_internal_meeting_notes', label: 'Internal notes', fieldType: 'html' },
		{ name: 'hs_meeting_location', label: 'Location' },
		{ name: 'hs_meeting_external_url', label: 'External URL' },
		{ name: 'hs_meeting_start_time', label: 'Meeting start time', type: 'datetime' },
		{ name: 'hs_meeting_end_time', label: 'Meeting end time', type: 'datetime' },
		{
			name: 'hs_meeting_outcome',
			label: 'Meeting outcome',
			type: 'enumeration',
			options: [
				['SCHEDULED', 'Scheduled'],
				['COMPLETED', 'Completed'],
				['RESCHEDULED', 'Rescheduled'],
				['NO_SHOW', 'No Show'],
				['CANCELED', 'Canceled'],
			],
		},
		{
			name: 'hs_activity_type',
			label: 'Call and meeting type',
			type: 'enumeration',
			options: ['Discovery call', 'Demo', 'Follow-up', 'Negotiation'],
		},
		{ name: 'hs_timestamp', label: 'Activity date', type: 'datetime' },
	],
	tasks: [
		{ name: 'hs_task_subject', label: 'Task Title' },
		{ name: 'hs_task_body', label: 'Task notes', fieldType: 'html' },
		{
			name: 'hs_task_status',
			label: 'Task Status',
			type: 'enumeration',
			options: [
				['NOT_STARTED', 'Not Started'],
				['IN_PROGRESS', 'In Progress'],
				['WAITING', 'Waiting'],
				['COMPLETED', 'Completed'],
				['DEFERRED', 'Deferred'],
			],
		},
		{
			name: 'hs_task_priority',
			label: 'Priority',
			type: 'enumeration',
			options: [
				['NONE', 'None'],
				['LOW', 'Low'],
				['MEDIUM', 'Medium'],
				['HIGH', 'High'],
			],
		},
		{
			name: 'hs_task_type',
			label: 'Task Type',
			type: 'enumeration',
			options: [
				['EMAIL', 'Email'],
				['CALL', 'Call'],
				['TODO', 'To-do'],
			],
		},
		{ name: 'hs_timestamp', label: 'Due date', type: 'datetime' },
	],
	calls: [
		{ name: 'hs_call_title', label: 'Call Title' },
		{ name: 'hs_call_body', label: 'Call notes', fieldType: 'html' },
		{ name: 'hs_call_duration', label: 'Call duration (ms)', type: 'number' },
		{
			name: 'hs_call_direction',
			label: 'Call direction',
			type: 'enumeration',
			options: [
				['INBOUND', 'Inbound'],
				['OUTBOUND', 'Outbound'],
			],
		},
		{ name: 'hs_call_from_number', label: 'From number' },
		{ name: 'hs_call_to_number', label: 'To number' },
		{
			name: 'hs_call_status',
			label: 'Call status',
			type: 'enumeration',
			options: [
				'BUSY',
				'CALLING_CRM_USER',
				'CANCELED',
				'COMPLETED',
				'CONNECTING',
				'FAILED',
				'IN_PROGRESS',
				'NO_ANSWER',
				'QUEUED',
				'RINGING',
			],
		},
		{ name: 'hs_call_disposition', label: 'Call outcome' },
		{ name: 'hs_call_external_id', label: 'External ID' },
		{ name: 'hs_call_recording_url', label: 'Recording URL' },
		{ name: 'hs_timestamp', label: 'Activity date', type: 'datetime' },
	],
	// Emails logged on (or sent from) a record's timeline.
	emails: [
		{ name: 'hs_email_subject', label: 'Email subject' },
		{ name: 'hs_email_text', label: 'Email body (text)', fieldType: 'textarea' },
		{ name: 'hs_email_html', label: 'Email body (HTML)', fieldType: 'html' },
		{
			name: 'hs_email_direction',
			label: 'Email direction',
			type: 'enumeration',
			options: [
				['EMAIL', 'Logged or sent email'],
				['INCOMING_EMAIL', 'Reply email'],
				['FORWARDED_EMAIL', 'Forwarded email'],
			],
		},
		{
			name: 'hs_email_status',
			label: 'Email send status',
			type: 'enumeration',
			options: ['BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING', 'SENT'],
		},
		{ name: 'hs_timestamp', label: 'Activity date', type: 'datetime' },
	],
	// WhatsApp, LinkedIn and SMS messages logged on the timeline.
	communications: [
		{
			name: 'hs_communication_channel_type',
			label: 'Channel type',
			type: 'enumeration',
			options: [
				['WHATS_APP', 'WhatsApp'],
				['LINKEDIN_MESSAGE', 'LinkedIn'],
				['SMS', 'SMS'],
			],
		},
		{
			name: 'hs_communication_logged_from',
			label: 'Logged from',
			type: 'enumeration',
			options: [['CRM', 'CRM']],
		},
		{ name: 'hs_communication_body', label: 'Message body', fieldType: 'html' },
		{ name: 'hs_timestamp', label: 'Activity date', type: 'datetime' },
	],
};

/** A fresh, mutable copy of every object's property definitions (portals can add custom ones); a `standard` portal has no custom ones yet. */
export function defaultSchemas(
	ownerIds: string[],
	schema: SandboxSchema = 'demo',
): Map<HubSpotObjectType, Map<string, PropertyDefinition>> {
	const schemas = new Map<HubSpotObjectType, Map<string, PropertyDefinition>>();
	for (const [type, specs] of Object.entries(SPECS) as Array<[HubSpotObjectType, Spec[]]>) {
		const groupName =
			type === 'contacts'
				? 'contactinformation'
				: type === 'companies'
					? 'companyinformation'
					: type === 'deals'
						? 'dealinformation'
						: 'engagement';
		const all = [
			...common(type),
			...specs.filter((spec) => schema === 'demo' || spec.custom !== true),
		];
		const map = new Map<string, PropertyDefinition>();
		all.forEach((spec, index) => {
			const ownerSpec = spec.name === 'hubspot_owner_id' ? { ...spec, options: ownerIds } : spec;
			map.set(spec.name, define(ownerSpec, index, groupName));
		});
		schemas.set(type, map);
	}
	return schemas;
}

/** Builds a custom property from a `POST /crm/v3/properties/{objectType}` body. */
export function customProperty(
	input: Record<string, unknown>,
	displayOrder: number,
): PropertyDefinition {
	const type = (input.type as HubSpotPropertyType | undefined) ?? 'string';
	const rawOptions = Array.isArray(input.options)
		? (input.options as Array<Record<string, unknown>>)
		: [];
	const def = define(
		{
			name: String(input.name),
			label: String(input.label ?? input.name),
			type,
			fieldType: typeof input.fieldType === 'string' ? input.fieldType : undefined,
			options: rawOptions.map(
				(o) => [String(o.value), String(o.label ?? o.value)] as [string, string],
			),
			unique: input.hasUniqueValue === true,
			custom: true,
		},
		displayOrder,
		typeof input.groupName === 'string' ? input.groupName : 'custom',
	);
	return { ...def, description: typeof input.description === 'string' ? input.description : '' };
}
