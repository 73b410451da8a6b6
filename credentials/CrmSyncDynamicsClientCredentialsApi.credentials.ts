import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';
import { OperationalError } from 'n8n-workflow';

import { ACCESS_TOKEN_PROPERTY, requestClientCredentialsToken, requireHttpUrl, stringField } from './clientCredentialsToken';
import { expression, urlFieldJs } from './expressions';
import { DATAVERSE_API_PATH, dynamicsResourceScope, microsoftTokenUrl } from './hosts';

export class CrmSyncDynamicsClientCredentialsApi implements ICredentialType {
	name = 'crmSyncDynamicsClientCredentialsApi';

	displayName = 'CRM Sync: Dynamics 365 Client Credentials API';

	documentationUrl =
		'https://learn.microsoft.com/en-us/power-apps/developer/data-platform/use-single-tenant-server-server-authentication';

	icon: Icon = { light: 'file:icons/dynamics.svg', dark: 'file:icons/dynamics.dark.svg' };

	properties: INodeProperties[] = [
		ACCESS_TOKEN_PROPERTY,
		{
			displayName: 'Tenant ID',
			name: 'tenantId',
			type: 'string',
			default: '',
			required: true,
			description: 'Directory (tenant) ID of the app registration',
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: 'Application (client) ID; add it as an application user in the environment',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Organization URL',
			name: 'orgUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://acme.crm.dynamics.com',
			description: 'Root URL of your Dynamics 365 / Dataverse environment',
		},
		{
			displayName: 'Use Custom Hosts',
			name: 'useCustomHosts',
			type: 'boolean',
			default: false,
			description: 'Whether to request tokens from another authority. For CRM sandboxes, proxies and tests.',
		},
		{
			displayName: 'Authority URL',
			name: 'authorityUrl',
			type: 'string',
			default: 'https://login.microsoftonline.com',
			description: 'Replaces https://login.microsoftonline.com (e.g. a national cloud)',
			displayOptions: { show: { useCustomHosts: [true] } },
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		requireHttpUrl(credentials.orgUrl, 'Organization URL', 'https://acme.crm.dynamics.com');
		if (!stringField(credentials, 'tenantId')) {
			throw new OperationalError('Tenant ID is required for the client credentials flow');
		}
		const clientSecret = stringField(credentials, 'clientSecret');
		const clientId = stringField(credentials, 'clientId');
		const token = await requestClientCredentialsToken(this, {
			vendor: 'Microsoft Entra ID',
			tokenUrl: microsoftTokenUrl(credentials),
			form: {
				client_id: clientId,
				client_secret: clientSecret,
				scope: dynamicsResourceScope(credentials),
			},
			secrets: [clientSecret],
		});
		return { accessToken: token.access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: expression(urlFieldJs('$credentials', 'orgUrl')),
			url: `${DATAVERSE_API_PATH}/WhoAmI`,
			method: 'GET',
		},
	};
}
