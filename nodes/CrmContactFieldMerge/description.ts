/**
 * Parameters of CRM Contact Field Merge.
 *
 * Design: the values go in n8n's resource mapper (the CRM's fields loaded live, picklists as
 * drop-downs, match-capable fields marked), the update mode per field in a separate
 * "Update Modes" list with a default for unlisted fields. The resource mapper's value
 * schema has no slot for a per-field option, and a second list keeps the mapping form
 * exactly as n8n users know it from Google Sheets / Data Tables. The record is found by an
 * explicit match key (phone, email or CRM id), because phone matching searches several
 * phone fields at once and a CRM id is not a field value to map.
 */
import type { INodeProperties } from 'n8n-workflow';

import { authenticationParameters, crmParameter } from '../shared/descriptions/crmSelector';
import { defaultCountryParameter } from '../shared/descriptions/defaultCountry';
import { CRM_NAMES, type CrmName } from '../shared/model';
import { crmsWhere, personKindsOf, profileOf } from '../shared/providers/profiles';

export const FIELD_MERGE_CRMS: CrmName[] = [...CRM_NAMES];

/** The person kinds the node updates in a CRM (contacts, and leads where it has them), by the CRM's labels. */
function mergeKinds(crm: CrmName) {
	const { objects } = profileOf(crm);
	return personKindsOf(crm).map((kind) => ({ name: objects[kind]?.label ?? kind, value: kind }));
}

const CRMS_WITH_ADDRESS_CODES = crmsWhere((profile) => profile.address?.storage === 'codes');
const CRMS_WITH_ADDRESS_NAMES = crmsWhere((profile) => profile.address?.storage === 'names');

const CRMS_WITH_LEADS = crmsWhere((profile) => profile.objects.lead !== undefined);

export const UPDATE_MODE_OPTIONS = [
	{
		name: 'Overwrite',
		value: 'overwrite',
		description: 'Replace the CRM value with the new one (an empty new value never clears it)',
	},
	{
		name: 'Fill if Empty',
		value: 'fillIfEmpty',
		description: 'Write only when the CRM field is empty',
	},
	{
		name: 'Merge',
		value: 'merge',
		description:
			'Text: append a dated line unless already present. Multi-select: add the new options. Numbers, booleans, dates, picklists: overwrite.',
	},
	{
		name: 'AI Merge',
		value: 'aiMerge',
		description:
			'Text: a language model combines old and new text. Needs a chat model connected to the Chat Model input — without one these items fail.',
	},
	{
		name: 'Only Move Forward',
		value: 'advanceOnly',
		description:
			"Picklists whose options are stages in order (lifecycle stage, lead status): write only a stage after the CRM's current one, never an earlier one",
	},
];

const objectParameters: INodeProperties[] = FIELD_MERGE_CRMS.map((crm) => ({
	displayName: 'Object',
	name: 'objectKind',
	type: 'options',
	noDataExpression: true,
	options: mergeKinds(crm),
	default: 'contact',
	description: 'Which records to find and update',
	displayOptions: { show: { crm: [crm] } },
}));

const matchValue = (
	matchBy: string,
	displayName: string,
	expression: string,
	description: string,
): INodeProperties => ({
	displayName,
	name: 'matchValue',
	type: 'string',
	default: expression,
	required: true,
	description,
	displayOptions: { show: { matchBy: [matchBy] } },
});

const fallbackValue = (
	matchBy: string,
	displayName: string,
	expression: string,
	description: string,
): INodeProperties => ({
	displayName,
	name: 'fallbackValue',
	type: 'string',
	default: expression,
	description,
	displayOptions: { show: { matchBy: [matchBy], fallBackToOtherKey: [true] } },
});

const defaultCountry = (show: Record<string, Array<string | boolean>>): INodeProperties =>
	defaultCountryParameter(
		'Two-letter country code used for phone numbers written without a country code',
		show,
	);

export const fieldMergeProperties: INodeProperties[] = [
	crmParameter(FIELD_MERGE_CRMS),
	...authenticationParameters(FIELD_MERGE_CRMS),
	...objectParameters,
	{
		displayName: 'Match By',
		name: 'matchBy',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Phone Number',
				value: 'phone',
				description: 'Normalised to E.164 and searched in all phone fields',
			},
			{ name: 'Email Address', value: 'email' },
			{ name: 'CRM Record ID', value: 'id' },
		],
		default: 'phone',
		description: 'How each item finds its CRM record',
	},
	matchValue(
		'phone',
		'Phone Number',
		'={{ $json.phone }}',
		'The phone number of the item, in any common format',
	),
	matchValue('email', 'Email Address', '={{ $json.email }}', 'The email address of the item'),
	matchValue(
		'id',
		'Record ID',
		'={{ $json.crmId }}',
		'The CRM record ID, e.g. from CRM Link: {{ $json.crm.matches.contact[0].id }}',
	),
	{
		displayName: 'Fall Back to Other Key',
		name: 'fallBackToOtherKey',
		type: 'boolean',
		noDataExpression: true,
		default: true,
		description:
			'Whether an item without a usable phone number is matched by its email address instead (or, matching by email, by its phone number)',
		displayOptions: { show: { matchBy: ['phone', 'email'] } },
	},
	fallbackValue(
		'phone',
		'Fallback Email Address',
		'={{ $json.email }}',
		'Used when the item has no usable phone number',
	),
	fallbackValue(
		'email',
		'Fallback Phone Number',
		'={{ $json.phone }}',
		'Used when the item has no usable email address',
	),
	defaultCountry({ matchBy: ['phone'] }),
	defaultCountry({ matchBy: ['email'], fallBackToOtherKey: [true] }),
	{
		displayName: 'Known Record ID',
		name: 'knownRecordId',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.hubspot_id }}',
		description:
			'The record ID an earlier write returned and you stored (e.g. in your contact table). When set and the record still exists it is updated without any phone/email search; when the CRM no longer has it (deleted or merged) the item is matched by phone/email as usual and its crm.knownRecord.status says "stale". Leave empty to always match by phone/email.',
		displayOptions: { show: { matchBy: ['phone', 'email'] } },
	},
	{
		displayName: 'Known Record Object',
		name: 'knownRecordObject',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.salesforce_object }}',
		description:
			'Which object the known record ID is: Lead or Contact (the crm.record.objectType an earlier write returned). Leave empty to read it as each object looked up.',
		displayOptions: { show: { matchBy: ['phone', 'email'], crm: CRMS_WITH_LEADS } },
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['crm', 'objectKind'],
			resourceMapper: {
				resourceMapperMethod: 'getMergeFields',
				mode: 'map',
				valuesLabel: 'Values to Write',
				fieldWords: { singular: 'field', plural: 'fields' },
				addAllFields: false,
				supportAutoMap: false,
				noFieldsError: 'The CRM returned no writable fields for this object',
			},
		},
		description:
			'Values for the CRM fields. Empty values are ignored: they never clear a CRM field.',
	},
	{
		displayName: 'Default Update Mode',
		name: 'defaultMode',
		type: 'options',
		noDataExpression: true,
		options: UPDATE_MODE_OPTIONS,
		default: 'overwrite',
		description: 'How to combine new and current values for fields not listed under Update Modes',
	},
	{
		displayName: 'Update Modes',
		name: 'updateModes',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Field Mode',
		default: {},
		description:
			'Update mode for particular fields. One value for the whole run: an expression must give every item the same value.',
		options: [
			{
				name: 'modes',
				displayName: 'Field Mode',
				values: [
					{
						displayName: 'Field Name or ID',
						name: 'field',
						type: 'options',
						typeOptions: {
							loadOptionsMethod: 'getMergeFieldNames',
							loadOptionsDependsOn: ['crm', 'objectKind'],
						},
						default: '',
						description:
							'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
					},
					{
						displayName: 'Mode',
						name: 'mode',
						type: 'options',
						options: UPDATE_MODE_OPTIONS,
						default: 'fillIfEmpty',
					},
				],
			},
		],
	},
	{
		displayName: 'Create If Missing',
		name: 'createIfMissing',
		type: 'boolean',
		noDataExpression: true,
		default: false,
		description:
			'Whether to create a record when none matches; otherwise the item goes to the No Match output with its diff. Where the CRM has leads, the person is first looked for as both contact and lead, and an existing record of the other kind is updated instead.',
	},
	{
		displayName: 'Create As',
		name: 'createAs',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Contact', value: 'contact' },
			{ name: 'Lead', value: 'lead' },
		],
		default: 'lead',
		description:
			"The default object for new records (as in HubSpot's Salesforce integration settings)",
		displayOptions: { show: { crm: CRMS_WITH_LEADS, createIfMissing: [true] } },
	},
	{
		displayName: 'Map State & Country to Codes',
		name: 'mapStateAndCountry',
		type: 'boolean',
		noDataExpression: true,
		default: false,
		description:
			'Whether to turn states and countries written as text ("USA", "Deutschland", "California") into the codes the CRM\'s state and country picklists store ("US", "DE", "CA"). A value mapped to a country or state field (e.g. Mailing Country) is written to its code field (Mailing Country Code). Turn on only when State and Country/Territory Picklists are enabled in the CRM. A state is read within its country. A value that is not a known place fails only its item.',
		displayOptions: { show: { crm: CRMS_WITH_ADDRESS_CODES } },
	},
	{
		displayName: 'Map State & Country to Names',
		name: 'mapStateAndCountry',
		type: 'boolean',
		noDataExpression: true,
		default: false,
		description:
			'Whether to write states and countries as full names: codes and short forms ("US", "U.S.A.", "US-CA", "CA" in the United States) become "United States" and "California". A state is read within its country. A value that is not a known place fails only its item.',
		displayOptions: { show: { crm: CRMS_WITH_ADDRESS_NAMES } },
	},
	{
		displayName: 'Dry Run',
		name: 'dryRun',
		type: 'boolean',
		noDataExpression: true,
		default: false,
		description: 'Whether to only return the per-field diff without writing anything to the CRM',
	},
];
