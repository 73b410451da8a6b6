/**
 * The sObjects the sandbox serves and their fields, in Salesforce describe terms. Field
 * names are matched case-insensitively, as Salesforce does; `calculated` fields are
 * maintained by the sandbox and refused on write like formula/system fields. A `standard`
 * sandbox serves the same objects without custom fields and with a customised Lead Status.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

import type { SandboxSchema } from '../../core/types';
import { addressCodeFields } from './addressPicklists';

export type SalesforceFieldType =
	| 'id'
	| 'string'
	| 'textarea'
	| 'combobox'
	| 'email'
	| 'phone'
	| 'url'
	| 'picklist'
	| 'boolean'
	| 'int'
	| 'double'
	| 'currency'
	| 'date'
	| 'datetime'
	| 'reference'
	| 'base64';

export interface SalesforceField {
	name: string;
	label: string;
	type: SalesforceFieldType;
	length?: number;
	/** Required on create (nillable false, not defaulted). */
	required?: boolean;
	/** Maintained by the platform: neither createable nor updateable. */
	calculated?: boolean;
	/** Createable but not updateable (e.g. ContentDocumentLink keys). */
	createOnly?: boolean;
	defaultValue?: string | boolean;
	externalId?: boolean;
	idLookup?: boolean;
	picklist?: string[];
	/** Restricted picklists refuse values outside the list. */
	restricted?: boolean;
	referenceTo?: string[];
	relationshipName?: string;
	/** Only in the demo org (the `standard` org is left as it was: its fields shape the templates). */
	demoOnly?: boolean;
	/** A state/country code picklist (State and Country/Territory Picklists, ./addressPicklists.ts). */
	addressCode?: { role: 'country' } | { role: 'state'; countryField: string };
}

export interface SalesforceObject {
	name: string;
	label: string;
	labelPlural: string;
	fields: SalesforceField[];
	/** Objects SOSL can return. */
	searchable: boolean;
}

const system = (): SalesforceField[] => [
	{ name: 'Id', label: 'Record ID', type: 'id', calculated: true, idLookup: true },
	{ name: 'CreatedDate', label: 'Created Date', type: 'datetime', calculated: true },
	{ name: 'LastModifiedDate', label: 'Last Modified Date', type: 'datetime', calculated: true },
	{ name: 'SystemModstamp', label: 'System Modstamp', type: 'datetime', calculated: true },
];

const owner = (): SalesforceField => ({
	name: 'OwnerId',
	label: 'Owner ID',
	type: 'reference',
	referenceTo: ['User'],
	relationshipName: 'Owner',
});
const ref = (
	name: string,
	label: string,
	to: string[],
	extra: Partial<SalesforceField> = {},
): SalesforceField => ({
	name,
	label,
	type: 'reference',
	referenceTo: to,
	relationshipName: name.replace(/Id$/, ''),
	...extra,
});
const text = (
	name: string,
	label: string,
	length = 255,
	extra: Partial<SalesforceField> = {},
): SalesforceField => ({ name, label, type: 'string', length, ...extra });
const externalKey = (): SalesforceField =>
	text('External_Id__c', 'External Id', 80, { externalId: true, idLookup: true });

/**
 * An address's text fields (every org) and its state/country code picklists (demo org only:
 * State and Country/Territory Picklists turned on).
 */
const addressFields = (prefix: string, label: string): SalesforceField[] => [
	{ name: `${prefix}Street`, label: `${label} Street`.trim(), type: 'textarea', length: 255 },
	text(`${prefix}City`, `${label} City`.trim(), 40),
	text(`${prefix}State`, `${label} State/Province`.trim(), 80),
	text(`${prefix}PostalCode`, `${label} Zip/Postal Code`.trim(), 20),
	text(`${prefix}Country`, `${label} Country`.trim(), 80),
	...addressCodeFields(prefix, label).map((field) => ({ ...field, demoOnly: true })),
];

const LEAD_SOURCES = ['Web', 'Phone Inquiry', 'Partner Referral', 'Other'];
export const OPPORTUNITY_STAGES: Readonly<Record<string, { closed: boolean; won: boolean }>> = {
	Prospecting: { closed: false, won: false },
	Qualification: { closed: false, won: false },
	'Proposal/Price Quote': { closed: false, won: false },
	'Negotiation/Review': { closed: false, won: false },
	'Closed Won': { closed: true, won: true },
	'Closed Lost': { closed: true, won: false },
};
const WHO = ['Contact', 'Lead'];
const WHAT = ['Account', 'Opportunity'];

const OBJECTS: SalesforceObject[] = [
	{
		name: 'Account',
		label: 'Account',
		labelPlural: 'Accounts',
		searchable: true,
		fields: [
			...system(),
			text('Name', 'Account Name', 255, { required: true, idLookup: true }),
			{ name: 'Phone', label: 'Account Phone', type: 'phone', length: 40 },
			{ name: 'Website', label: 'Website', type: 'url', length: 255 },
			{
				name: 'Industry',
				label: 'Industry',
				type: 'picklist',
				picklist: ['Energy', 'Manufacturing', 'Software', 'Retail'],
			},
			...addressFields('Billing', 'Billing'),
			...addressFields('Shipping', 'Shipping'),
			{ name: 'Description', label: 'Account Description', type: 'textarea', length: 32_000 },
			owner(),
			externalKey(),
		],
	},
	{
		name: 'Contact',
		label: 'Contact',
		labelPlural: 'Contacts',
		searchable: true,
		fields: [
			...system(),
			text('FirstName', 'First Name', 40),
			text('LastName', 'Last Name', 80, { required: true }),
			text('Name', 'Full Name', 121, { calculated: true, idLookup: true }),
			{ name: 'Email', label: 'Email', type: 'email', length: 80, idLookup: true },
			{ name: 'Phone', label: 'Business Phone', type: 'phone', length: 40 },
			{ name: 'MobilePhone', label: 'Mobile Phone', type: 'phone', length: 40 },
			text('Title', 'Title', 128),
			...addressFields('Mailing', 'Mailing'),
			...addressFields('Other', 'Other'),
			{ name: 'LastActivityDate', label: 'Last Activity', type: 'date', calculated: true },
			ref('AccountId', 'Account ID', ['Account']),
			{ name: 'LeadSource', label: 'Lead Source', type: 'picklist', picklist: LEAD_SOURCES },
			{ name: 'Description', label: 'Contact Description', type: 'textarea', length: 32_000 },
			owner(),
			externalKey(),
		],
	},
	{
		name: 'Lead',
		label: 'Lead',
		labelPlural: 'Leads',
		searchable: true,
		fields: [
			...system(),
			text('FirstName', 'First Name', 40),
			text('LastName', 'Last Name', 80, { required: true }),
			text('Name', 'Full Name', 121, { calculated: true, idLookup: true }),
			text('Company', 'Company', 255, { required: true }),
			...addressFields('', ''),
			{ name: 'Email', label: 'Email', type: 'email', length: 80, idLookup: true },
			{ name: 'Phone', label: 'Phone', type: 'phone', length: 40 },
			{ name: 'MobilePhone', label: 'Mobile Phone', type: 'phone', length: 40 },
			text('Title', 'Title', 128),
			{ name: 'LastActivityDate', label: 'Last Activity', type: 'date', calculated: true },
			{
				name: 'Status',
				label: 'Lead Status',
				type: 'picklist',
				picklist: [
					'Open - Not Contacted',
					'Working - Contacted',
					'Closed - Converted',
					'Closed - Not Converted',
				],
				defaultValue: 'Open - Not Contacted',
			},
			{
				name: 'IsConverted',
				label: 'Converted',
				type: 'boolean',
				defaultValue: false,
				createOnly: true,
			},
			// Set by lead conversion (the admin API stands in for it); a converted lead refuses updates.
			ref('ConvertedContactId', 'Converted Contact ID', ['Contact'], { calculated: true }),
			{ name: 'LeadSource', label: 'Lead Source', type: 'picklist', picklist: LEAD_SOURCES },
			{ name: 'Description', label: 'Description', type: 'textarea', length: 32_000 },
			owner(),
			externalKey(),
		],
	},
	{
		name: 'Opportunity',
		label: 'Opportunity',
		labelPlural: 'Opportunities',
		searchable: true,
		fields: [
			...system(),
			text('Name', 'Name', 120, { required: true }),
			{
				name: 'StageName',
				label: 'Stage',
				type: 'picklist',
				required: true,
				restricted: true,
				picklist: Object.keys(OPPORTUNITY_STAGES),
			},
			{ name: 'CloseDate', label: 'Close Date', type: 'date', required: true },
			{ name: 'Amount', label: 'Amount', type: 'currency' },
			{ name: 'IsClosed', label: 'Closed', type: 'boolean', calculated: true },
			{ name: 'IsWon', label: 'Won', type: 'boolean', calculated: true },
			ref('AccountId', 'Account ID', ['Account']),
			ref('ContactId', 'Contact ID', ['Contact']),
			{ name: 'Description', label: 'Description', type: 'textarea', length: 32_000 },
			owner(),
		],
	},
	{
		name: 'OpportunityContactRole',
		label: 'Opportunity Contact Role',
		labelPlural: 'Opportunity Contact Role',
		searchable: false,
		fields: [
			...system(),
			ref('OpportunityId', 'Opportunity ID', ['Opportunity'], { required: true, createOnly: true }),
			ref('ContactId', 'Contact ID', ['Contact'], { required: true }),
			{
				name: 'Role',
				label: 'Role',
				type: 'picklist',
				picklist: ['Decision Maker', 'Economic Buyer', 'Influencer', 'Other'],
			},
			{ name: 'IsPrimary', label: 'Primary', type: 'boolean', defaultValue: false },
		],
	},
	{
		name: 'Task',
		label: 'Task',
		labelPlural: 'Tasks',
		searchable: false,
		fields: [
			...system(),
			{ name: 'Subject', label: 'Subject', type: 'combobox', length: 255 },
			{ name: 'Description', label: 'Description', type: 'textarea', length: 32_000 },
			{ name: 'ActivityDate', label: 'Due Date Only', type: 'date' },
			{
				name: 'Status',
				label: 'Status',
				type: 'picklist',
				picklist: [
					'Not Started',
					'In Progress',
					'Completed',
					'Waiting on someone else',
					'Deferred',
				],
				defaultValue: 'Not Started',
			},
			{
				name: 'Priority',
				label: 'Priority',
				type: 'picklist',
				picklist: ['High', 'Normal', 'Low'],
				defaultValue: 'Normal',
			},
			{ name: 'IsClosed', label: 'Closed', type: 'boolean', calculated: true },
			ref('WhoId', 'Name ID', WHO, { relationshipName: 'Who' }),
			ref('WhatId', 'Related To ID', WHAT, { relationshipName: 'What' }),
			owner(),
			{
				name: 'TaskSubtype',
				label: 'Task Subtype',
				type: 'picklist',
				restricted: true,
				picklist: ['Task', 'Email', 'Call', 'ListEmail', 'Cadence'],
				defaultValue: 'Task',
				createOnly: true,
			},
			{ name: 'CallDurationInSeconds', label: 'Call Duration', type: 'int' },
			{
				name: 'CallType',
				label: 'Call Type',
				type: 'picklist',
				restricted: true,
				picklist: ['Internal', 'Inbound', 'Outbound'],
			},
			text('CallObject', 'Call Object Identifier', 255),
			text('CallDisposition', 'Call Result', 255),
		],
	},
	{
		name: 'Event',
		label: 'Event',
		labelPlural: 'Events',
		searchable: false,
		fields: [
			...system(),
			{ name: 'Subject', label: 'Subject', type: 'combobox', length: 255 },
			{ name: 'Description', label: 'Description', type: 'textarea', length: 32_000 },
			{ name: 'StartDateTime', label: 'Start Date Time', type: 'datetime', required: true },
			{ name: 'EndDateTime', label: 'End Date Time', type: 'datetime', required: true },
			{ name: 'DurationInMinutes', label: 'Duration', type: 'int', calculated: true },
			{ name: 'Location', label: 'Location', type: 'string', length: 255 },
			ref('WhoId', 'Name ID', WHO, { relationshipName: 'Who' }),
			ref('WhatId', 'Related To ID', WHAT, { relationshipName: 'What' }),
			owner(),
		],
	},
	{
		name: 'ContentNote',
		label: 'Note',
		labelPlural: 'Notes',
		searchable: false,
		fields: [
			...system(),
			text('Title', 'Title', 255, { required: true }),
			{ name: 'Content', label: 'Content', type: 'base64' },
			text('TextPreview', 'Text Preview', 300, { calculated: true }),
			text('FileType', 'File Type', 20, { calculated: true }),
			owner(),
		],
	},
	{
		name: 'ContentDocumentLink',
		label: 'Content Document Link',
		labelPlural: 'Content Document Link',
		searchable: false,
		fields: [
			{ name: 'Id', label: 'ContentDocumentLink ID', type: 'id', calculated: true, idLookup: true },
			{ name: 'SystemModstamp', label: 'System Modstamp', type: 'datetime', calculated: true },
			ref('ContentDocumentId', 'ContentDocument ID', ['ContentDocument'], {
				required: true,
				createOnly: true,
			}),
			ref(
				'LinkedEntityId',
				'Linked Entity ID',
				['Account', 'Contact', 'Lead', 'Opportunity', 'User'],
				{ required: true, createOnly: true },
			),
			{
				name: 'ShareType',
				label: 'Share Type',
				type: 'picklist',
				restricted: true,
				picklist: ['V', 'C', 'I'],
				defaultValue: 'V',
			},
			{
				name: 'Visibility',
				label: 'Visibility',
				type: 'picklist',
				restricted: true,
				picklist: ['AllUsers', 'InternalUsers', 'SharedUsers'],
				defaultValue: 'AllUsers',
			},
		],
	},
	{
		name: 'Note',
		label: 'Note',
		labelPlural: 'Notes',
		searchable: false,
		fields: [
			...system(),
			ref('ParentId', 'Parent ID', ['Account', 'Contact', 'Lead', 'Opportunity'], {
				required: true,
				createOnly: true,
			}),
			text('Title', 'Title', 80, { required: true }),
			{ name: 'Body', label: 'Body', type: 'textarea', length: 32_000 },
			owner(),
		],
	},
	{
		name: 'Campaign',
		label: 'Campaign',
		labelPlural: 'Campaigns',
		searchable: true,
		fields: [
			...system(),
			text('Name', 'Name', 80, { required: true }),
			{
				name: 'Type',
				label: 'Type',
				type: 'picklist',
				picklist: ['Conference', 'Webinar', 'Trade Show', 'Email', 'Other'],
			},
			{ name: 'IsActive', label: 'Active', type: 'boolean', defaultValue: true },
			owner(),
		],
	},
	{
		name: 'ListView',
		label: 'List View',
		labelPlural: 'List Views',
		searchable: false,
		fields: [
			...system(),
			text('Name', 'View Name', 40, { required: true }),
			text('DeveloperName', 'View Unique Name', 80),
			text('SobjectType', 'Sobject Type', 40, { required: true }),
		],
	},
	{
		name: 'CampaignMember',
		label: 'Campaign Member',
		labelPlural: 'Campaign Members',
		searchable: false,
		fields: [
			...system(),
			ref('CampaignId', 'Campaign ID', ['Campaign'], { required: true, createOnly: true }),
			ref('LeadId', 'Lead ID', ['Lead'], { createOnly: true }),
			ref('ContactId', 'Contact ID', ['Contact']),
			text('Status', 'Status', 40, { defaultValue: 'Sent' }),
		],
	},
	{
		name: 'User',
		label: 'User',
		labelPlural: 'Users',
		searchable: true,
		fields: [
			...system(),
			text('FirstName', 'First Name', 40),
			text('LastName', 'Last Name', 80, { required: true }),
			text('Name', 'Full Name', 121, { calculated: true }),
			{ name: 'Email', label: 'Email', type: 'email', length: 128, required: true },
			text('Username', 'Username', 80, { required: true, idLookup: true }),
			{ name: 'IsActive', label: 'Active', type: 'boolean', defaultValue: true },
		],
	},
];

/** A customised Lead Status picklist (the values of newer orgs), restricted: a value outside it is refused. */
export const STANDARD_LEAD_STATUSES = ['New', 'Contacted', 'Nurturing', 'Qualified', 'Unqualified'];

/** The org with only standard fields: no External_Id__c, and the customised Lead Status picklist. */
function standardObjects(): SalesforceObject[] {
	return OBJECTS.map((object) => ({
		...object,
		fields: object.fields
			.filter((field) => !field.name.endsWith('__c') && !field.demoOnly)
			.map((field) =>
				object.name === 'Lead' && field.name === 'Status'
					? {
							...field,
							picklist: [...STANDARD_LEAD_STATUSES],
							restricted: true,
							defaultValue: STANDARD_LEAD_STATUSES[0],
						}
					: field,
			),
	}));
}

interface SalesforceSchema {
	objects: readonly SalesforceObject[];
	byName: ReadonlyMap<string, SalesforceObject>;
}

function schemaOf(objects: SalesforceObject[]): SalesforceSchema {
	return { objects, byName: new Map(objects.map((object) => [object.name.toLowerCase(), object])) };
}

const SCHEMAS: Record<SandboxSchema, SalesforceSchema> = {
	demo: schemaOf(OBJECTS),
	standard: schemaOf(standardObjects()),
};

/**
 * The org a request is served for. Each sandbox's routes run inside `withSalesforceSchema`, so
 * every lookup below sees its own sandbox's org, also when sandboxes of both kinds share a process.
 */
const currentSchema = new AsyncLocalStorage<SalesforceSchema>();

export function withSalesforceSchema<T>(schema: SandboxSchema, run: () => T): T {
	return currentSchema.run(SCHEMAS[schema], run);
}

const schema = (): SalesforceSchema => currentSchema.getStore() ?? SCHEMAS.demo;

export function salesforceObject(name: string): SalesforceObject | undefined {
	return schema().byName.get(name.toLowerCase());
}

export function allSalesforceObjects(): readonly SalesforceObject[] {
	return schema().objects;
}

export function fieldOf(object: SalesforceObject, name: string): SalesforceField | undefined {
	const lower = name.toLowerCase();
	return object.fields.find((field) => field.name.toLowerCase() === lower);
}

/** The reference field behind a relationship name (`Opportunity` → OpportunityId, `Owner` → OwnerId). */
export function relationshipField(
	object: SalesforceObject,
	relationship: string,
): SalesforceField | undefined {
	const lower = relationship.toLowerCase();
	return object.fields.find(
		(field) => field.type === 'reference' && field.relationshipName?.toLowerCase() === lower,
	);
}
