import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { expression, hubSpotApiBaseJs, hubSpotAppBaseJs } from './expressions';

/**
 * Scopes for matching (contacts, companies, deals), owners for task assignment and the
 * schemas for field metadata. HubSpot authorises notes, meetings, tasks and calls through
 * the object scopes of the records they attach to, so these cover engagements too.
 */
export const HUBSPOT_OAUTH_SCOPES = [
	'oauth',
	'crm.objects.contacts.read',
	'crm.objects.contacts.write',
	'crm.objects.companies.read',
	'crm.objects.companies.write',
	'crm.objects.deals.read',
	'crm.objects.deals.write',
	'crm.objects.owners.read',
	'crm.schemas.contacts.read',
	'crm.schemas.companies.read',
	'crm.schemas.deals.read',
] as const;

export class CrmSyncHubSpotOAuth2Api implements ICredentialType {
	name = 'crmSyncHubSpotOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'CRM Sync: HubSpot OAuth2 API';

	documentationUrl = 'https://developers.hubspot.com/docs/api/oauth-quickstart-guide';

	icon: Icon = { light: 'file:icons/hubspot.svg', dark: 'file:icons/hubspot.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Use Custom Hosts',
			name: 'useCustomHosts',
			type: 'boolean',
			default: false,
			description:
				'Whether to send API and OAuth calls to other hosts. For CRM sandboxes, proxies and tests.',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: 'https://api.hubapi.com',
			description: 'Replaces https://api.hubapi.com for API calls and the token endpoint',
			displayOptions: { show: { useCustomHosts: [true] } },
		},
		{
			displayName: 'Authorization Page Base URL',
			name: 'appBaseUrl',
			type: 'string',
			default: '',
			placeholder: 'https://app.hubspot.com',
			description:
				'Replaces https://app.hubspot.com for the consent page. Empty: use the API base URL.',
			displayOptions: { show: { useCustomHosts: [true] } },
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: expression(`${hubSpotAppBaseJs('$self')} + "/oauth/authorize"`),
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: expression(`${hubSpotApiBaseJs('$self')} + "/oauth/v1/token"`),
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: HUBSPOT_OAUTH_SCOPES.join(' '),
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// HubSpot's token endpoint expects client_id/client_secret as form fields.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

	// n8n signs this with the OAuth access token; account-info needs no extra scope.
	test: ICredentialTestRequest = {
		request: {
			baseURL: expression(hubSpotApiBaseJs('$credentials')),
			url: '/account-info/v3/details',
			method: 'GET',
		},
	};
}
