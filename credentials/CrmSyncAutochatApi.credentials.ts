import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { expression, urlFieldJs } from './expressions';

export class CrmSyncAutochatApi implements ICredentialType {
	name = 'crmSyncAutochatApi';

	displayName = 'CRM Sync: autoch.at CRM API';

	documentationUrl = 'https://docs.autoch.at';

	icon: Icon = { light: 'file:icons/autochat.svg', dark: 'file:icons/autochat.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://<instance>.supabase.co/functions/v1/crm-api/v1',
			description: 'The CRM API v1 base URL of your autoch.at instance',
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'API key with the clients:read and clients:write scopes',
		},
		{
			displayName: 'Webhook Signing Secret',
			name: 'webhookSigningSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Used by the autoch.at CRM Trigger to verify the X-Webhook-Signature of incoming events. Optional for the other nodes.',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: expression(urlFieldJs('$credentials', 'baseUrl')),
			url: '/clients',
			qs: { limit: 1 },
			method: 'GET',
		},
	};
}
