import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { expression, hubSpotApiBaseJs } from './expressions';

export class CrmSyncHubSpotPrivateAppApi implements ICredentialType {
	name = 'crmSyncHubSpotPrivateAppApi';

	displayName = 'CRM Sync: HubSpot Private App API';

	documentationUrl = 'https://developers.hubspot.com/docs/api/private-apps';

	icon: Icon = { light: 'file:icons/hubspot.svg', dark: 'file:icons/hubspot.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'Private app access token. Give the app the contacts, companies, deals, owners and schema scopes.',
		},
		{
			displayName: 'Use Custom Hosts',
			name: 'useCustomHosts',
			type: 'boolean',
			default: false,
			description:
				'Whether to send API calls to another host. For CRM sandboxes, proxies and tests.',
		},
		{
			displayName: 'API Base URL',
			name: 'apiBaseUrl',
			type: 'string',
			default: 'https://api.hubapi.com',
			description: 'Replaces https://api.hubapi.com',
			displayOptions: { show: { useCustomHosts: [true] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: expression(hubSpotApiBaseJs('$credentials')),
			url: '/account-info/v3/details',
			method: 'GET',
		},
	};
}
