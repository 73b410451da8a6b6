/**
 * Parameters of CRM Record Sync.
 *
 * Design: the field mappings are a list of source field → target field → rule, each drop-down
 * loaded from the CRM's live describe. A resource mapper has one column per target field and
 * no slot for the source field or a rule, and the values come from the source record, not
 * from expressions, so a plain list fits better. The source record comes from the item (the
 * CRM Sync Trigger's record items by default), its stored link from the item too.
 */
import type { INodeProperties, INodeCredentialDescription } from 'n8n-workflow';

import { CRM_NAMES } from '../shared/model';
import {
	directionAuthentication,
	directionCredentials,
	type DirectionCrms,
} from '../shared/descriptions/directionCredentials';
import { profileOf } from '../shared/providers/profiles';
import { DIRECTIONS, directionLabel, directionsWhere, directionsWith } from './directions';

export const RULE_OPTIONS = [
	{
		name: 'Two-Way',
		value: 'twoWay',
		description:
			'The record changed most recently wins; a value cleared there is cleared on the other side',
	},
	{
		name: 'Prefer Target Unless Blank',
		value: 'preferTarget',
		description: 'The target keeps its value; the source fills the field only while it is blank',
	},
	{
		name: 'Always Use Source',
		value: 'alwaysSource',
		description: 'The target always gets the source value, a blank one included',
	},
	{ name: "Don't Sync", value: 'none', description: 'The field is never written' },
];

const KIND_OPTIONS = [
	{ name: 'Contact / Lead (Client)', value: 'contact' },
	{ name: 'Company / Account', value: 'company' },
	{ name: 'Deal / Opportunity', value: 'deal' },
];

const TARGETS_WITH_LEADS = directionsWhere((d) => profileOf(d.target).objects.lead !== undefined);

const DIRECTION_CRMS: DirectionCrms = {
	crms: CRM_NAMES,
	directions: DIRECTIONS.map((d) => d.value),
	directionsOf: directionsWith,
};

/** Credential slots, one per CRM + authentication, hidden unless the direction involves the CRM. */
export function recordSyncCredentials(): INodeCredentialDescription[] {
	return directionCredentials(DIRECTION_CRMS);
}

export const recordSyncProperties: INodeProperties[] = [
	{
		displayName: 'Direction',
		name: 'direction',
		type: 'options',
		noDataExpression: true,
		options: DIRECTIONS.map((d) => ({ name: directionLabel(d), value: d.value })),
		default: 'hubspotToSalesforce',
		description:
			'Source CRM → target CRM. Sync both ways with two of these nodes, one per direction, sharing one link table.',
	},
	...directionAuthentication(DIRECTION_CRMS),
	{
		displayName: 'Object',
		name: 'objectKind',
		type: 'options',
		noDataExpression: true,
		options: KIND_OPTIONS,
		default: 'contact',
		description:
			'What the records are. People are looked for as both leads and contacts where the target has leads.',
	},
	{
		displayName: 'Field Mappings',
		name: 'mappings',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Field Mapping',
		default: {},
		description:
			'Source field → target field, each with its sync rule. Types are checked before anything is read: a pair that cannot convert fails the run naming both fields.',
		options: [
			{
				name: 'mapping',
				displayName: 'Mapping',
				values: [
					{
						displayName: 'Source Field Name or ID',
						name: 'sourceField',
						type: 'options',
						typeOptions: {
							loadOptionsMethod: 'getSourceFields',
							loadOptionsDependsOn: ['direction', 'objectKind'],
						},
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Target Field Name or ID',
						name: 'targetField',
						type: 'options',
						typeOptions: {
							loadOptionsMethod: 'getTargetFields',
							loadOptionsDependsOn: ['direction', 'objectKind'],
						},
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Sync Rule',
						name: 'rule',
						type: 'options',
						options: RULE_OPTIONS,
						default: 'twoWay',
					},
				],
			},
		],
	},
	{
		displayName: 'Create Records in the Target',
		name: 'createRecords',
		type: 'options',
		options: [
			{
				name: 'If Eligible',
				value: 'ifEligible',
				description:
					'Create when the record is eligible: a person has an email address, a company or deal a name',
			},
			{ name: 'Always', value: 'always' },
			{
				name: 'Never',
				value: 'never',
				description: 'Only update records that already have a counterpart',
			},
		],
		default: 'ifEligible',
		description:
			'What to do with a source record that has no counterpart after the link, email (people) and domain (companies) lookups',
	},
	{
		displayName: 'Default Object for New People',
		name: 'newPersonKind',
		type: 'options',
		options: [
			{ name: 'Lead', value: 'lead' },
			{ name: 'Contact', value: 'contact' },
		],
		default: 'lead',
		description:
			'What a new person becomes in the target. An existing lead or contact with the email is updated instead, never duplicated.',
		displayOptions: {
			show: { direction: TARGETS_WITH_LEADS, objectKind: ['contact'] },
			hide: { createRecords: ['never'] },
		},
	},
	{
		displayName: 'Source Record',
		name: 'sourceRecord',
		type: 'json',
		default: '={{ $json }}',
		description:
			"The record to sync: an object with objectType, ID, properties and updatedAt, as the CRM Sync Trigger's record items carry them",
	},
	{
		displayName: 'Stored Link',
		name: 'storedLink',
		type: 'json',
		default: '={{ $json.link }}',
		description:
			'The source record\'s row from the link table (e.g. a Data Table "CRM record links" looked up by key), if any. The node outputs the rows to store in `link.rows`.',
	},
	{
		displayName: 'Associations',
		name: 'associations',
		type: 'json',
		default: '={{ $json.associations }}',
		description:
			'The source record\'s associated records by kind, e.g. {"company": ["123"], "contact": ["456"]}: each an ID of the source CRM (its counterpart is found through the links the sync keeps) or an object with that ID and its counterpartId. Written to the target the way it stores them: record fields (Salesforce AccountId, Dynamics 365 lookups), junction records (Salesforce OpportunityContactRole) or the HubSpot association API.',
	},
	{
		displayName: 'Deletions',
		name: 'deletions',
		type: 'options',
		options: [
			{
				name: 'Delete the Counterpart',
				value: 'propagate',
				description: `Delete the record the sync linked to a deleted source record — found only through the stored link, never by email or domain. ${CRM_NAMES.map((crm) => profileOf(crm).recordDeletion.description).join('. ')}.`,
			},
			{
				name: "Don't Sync Deletions",
				value: 'ignore',
				description:
					'A deleted source record (event = "deleted" from the CRM Sync Trigger with Include Deletions) is output as skipped; its counterpart is kept',
			},
		],
		default: 'ignore',
		description:
			"What a record deleted in the source does to its counterpart. A deletion the sync made itself is recognised when the other side's poll reports it, and skipped.",
	},
	{
		displayName: 'State and Country Picklists',
		name: 'stateCountryCodes',
		type: 'boolean',
		default: false,
		description:
			'Whether to write states and countries in the form the target field holds: free text such as "USA", "U.S." or "Calif." as ISO 3166 codes where the target field is a state or country code picklist (Salesforce with State and Country/Territory Picklists: CountryCode, MailingStateCode …), codes as names where it is text (HubSpot, Dynamics 365). A value that does not resolve is reported on the item and that field is not written; the rest of the record is.',
	},
	{
		displayName: 'Daily API Cap (%)',
		name: 'dailyApiCapPercent',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 0,
		description:
			"Stop writing before the target CRM's own daily API usage passes this share of its daily limit, as the CRM reports it (Salesforce: every answer; HubSpot: private apps). The records left are output as deferred, with a sync-log line, for a later run. 0 = no cap.",
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		noDataExpression: true,
		default: false,
		description: 'Whether to only return the per-field diff without writing to the target',
	},
];
