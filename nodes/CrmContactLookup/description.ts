import type { INodeProperties } from 'n8n-workflow';

import { authenticationParameters, crmParameter } from '../shared/descriptions/crmSelector';
import { defaultCountryParameter } from '../shared/descriptions/defaultCountry';
import type { CrmName } from '../shared/model';
import { crmsWhere, hasLeads, profileOf } from '../shared/providers/profiles';

export const CONTACT_LOOKUP_CRMS: CrmName[] = crmsWhere(
	(profile) => profile.personLookup !== undefined,
);

const whatEachCrmGives = CONTACT_LOOKUP_CRMS.map(
	(crm) => profileOf(crm).personLookup?.notes ?? '',
).join('. ');

export const contactLookupProperties: INodeProperties[] = [
	crmParameter(CONTACT_LOOKUP_CRMS),
	...authenticationParameters(CONTACT_LOOKUP_CRMS),
	{
		displayName: 'Phone Number',
		name: 'phone',
		type: 'string',
		default: '',
		placeholder: '+1 415 555 0101',
		description:
			"The caller's phone number in any format; used first when both a phone number and an email address are given",
	},
	{
		displayName: 'Email Address',
		name: 'email',
		type: 'string',
		default: '',
		placeholder: 'name@example.com',
		description: 'Used when no phone number is given',
	},
	{
		displayName: 'Fields',
		name: 'fields',
		type: 'string',
		noDataExpression: true,
		default: '',
		placeholder: 'jobtitle, lifecyclestage',
		description: `Further person fields to return under "person.fields" (the CRM's field names, comma-separated). ${whatEachCrmGives}.`,
	},
	{
		displayName: 'Lead Fields',
		name: 'leadFields',
		type: 'string',
		noDataExpression: true,
		default: '',
		placeholder: 'Title, Status',
		displayOptions: { show: { crm: CONTACT_LOOKUP_CRMS.filter(hasLeads) } },
		description:
			'Further lead fields to return under "person.fields" when the best match is a lead (comma-separated)',
	},
	{
		displayName: 'Max Open Deals',
		name: 'maxOpenDeals',
		type: 'number',
		noDataExpression: true,
		typeOptions: { minValue: 0, maxValue: 20 },
		default: 3,
		description: 'Open deals/opportunities returned per person, newest first',
	},
	defaultCountryParameter(
		'Two-letter country code used for phone numbers written without a country code',
	),
];
