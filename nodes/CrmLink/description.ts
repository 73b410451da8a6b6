import type { INodeProperties } from 'n8n-workflow';

import { conversationLimitsProperty } from '../shared/descriptions/conversationLimits';
import { authenticationParameters, crmParameter } from '../shared/descriptions/crmSelector';
import { defaultCountryParameter } from '../shared/descriptions/defaultCountry';
import { matchedObjectTypeParameters } from '../shared/descriptions/objectTypes';
import { CRM_NAMES, type CrmName } from '../shared/model';
import { crmsWhere, profileOf } from '../shared/providers/profiles';

const CRMS: CrmName[] = [...CRM_NAMES];

export const CRM_LINK_CRMS: CrmName[] = CRMS;

export const crmLinkProperties: INodeProperties[] = [
	crmParameter(CRMS),
	...authenticationParameters(CRMS),
	...matchedObjectTypeParameters(CRMS, {
		name: 'objectTypes',
		displayName: 'Object Types to Match',
		description:
			'Which CRM records a call can be linked to; these are the records later nodes can write to',
	}),
	{
		displayName: 'Match By',
		name: 'matchBy',
		type: 'multiOptions',
		// Batch-level, like the other search settings: one search serves every item.
		noDataExpression: true,
		options: [
			{
				name: 'Phone Number',
				value: 'phone',
				description: "External participants' phone numbers, normalised to E.164",
			},
			{
				name: 'Email Address',
				value: 'email',
				description: "External participants' email addresses",
			},
			{
				name: 'Email Domain',
				value: 'domain',
				description:
					'Companies/accounts whose domain or website matches the email domain (free-mail domains never match)',
			},
		],
		default: ['phone', 'email', 'domain'],
		description: 'Which participant details to search the CRM with',
	},
	{
		displayName: 'Open Deals Only',
		name: 'openDealsOnly',
		type: 'boolean',
		noDataExpression: true,
		default: true,
		displayOptions: {
			show: { crm: CRMS.filter((crm) => profileOf(crm).objects.deal !== undefined) },
		},
		description: 'Whether to ignore closed (won or lost) deals and opportunities',
	},
	{
		displayName: 'Phone Matching',
		name: 'phoneMatching',
		type: 'options',
		noDataExpression: true,
		displayOptions: {
			show: { crm: crmsWhere((profile) => profile.phoneSearchIndex === true) },
		},
		options: [
			{
				name: 'Query (One Call)',
				value: 'query',
				description:
					'Phones are matched inside the one matching call, on current data: a contact created seconds ago is found',
			},
			{
				name: 'Search Index (One More Call)',
				value: 'searchIndex',
				description:
					"Phones are found through the CRM's search index first: lighter on very large orgs, but records added in the last minutes may be missed",
			},
		],
		default: 'query',
		description: 'How participants are found by phone number',
	},
	{
		displayName: 'Max Matches per Object Type',
		name: 'maxPerType',
		type: 'number',
		noDataExpression: true,
		typeOptions: { minValue: 1, maxValue: 100 },
		default: 10,
		description: 'The newest records are kept when more match',
	},
	defaultCountryParameter(
		'Two-letter country code used for phone numbers written without a country code',
	),
	conversationLimitsProperty(),
];
