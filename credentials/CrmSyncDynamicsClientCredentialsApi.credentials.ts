import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { dynamicsTokenRequest } from './clientCredentialsFlows';
import { ACCESS_TOKEN_PROPERTY, requestClientCredentialsToken } from './clientCredentialsToken';

/**
 * No declarative `test` here: n8n would sign it with the cached token and pass a revoked
 * secret. The CRM nodes list this credential with `testedBy`, a test that always fetches a
 * fresh token (credentials/connectionTests.ts).
 */
// The rule reads testedBy only from literal node descriptions; crmCredentials() sets it.
// eslint-disable-next-line @n8n/community-nodes/credential-test-required
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
			description:
				'Whether to request tokens from another authority. For CRM sandboxes, proxies and tests.',
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
		const token = await requestClientCredentialsToken(this, dynamicsTokenRequest(credentials));
		return { accessToken: token.access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};
}
