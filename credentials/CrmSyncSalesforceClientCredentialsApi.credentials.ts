import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { salesforceInstanceUrl, salesforceTokenRequest } from './clientCredentialsFlows';
import { ACCESS_TOKEN_PROPERTY, requestClientCredentialsToken } from './clientCredentialsToken';

/**
 * No declarative `test` here: n8n would sign it with the cached token and pass a revoked
 * secret. The CRM nodes list this credential with `testedBy`, a test that always fetches a
 * fresh token (credentials/connectionTests.ts).
 */
// The rule reads testedBy only from literal node descriptions; crmCredentials() sets it.
// eslint-disable-next-line @n8n/community-nodes/credential-test-required
export class CrmSyncSalesforceClientCredentialsApi implements ICredentialType {
	name = 'crmSyncSalesforceClientCredentialsApi';

	displayName = 'CRM Sync: Salesforce Client Credentials API';

	documentationUrl =
		'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_client_credentials_flow.htm&type=5';

	icon: Icon = { light: 'file:icons/salesforce.svg', dark: 'file:icons/salesforce.dark.svg' };

	properties: INodeProperties[] = [
		ACCESS_TOKEN_PROPERTY,
		{
			displayName: 'Instance URL',
			name: 'instanceUrl',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'My Domain URL',
			name: 'myDomainUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://acme.my.salesforce.com',
			description: "Your org's My Domain URL; the client credentials flow only works there",
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description:
				'Consumer key of the connected app (client credentials flow enabled, run-as user set)',
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const token = await requestClientCredentialsToken(this, salesforceTokenRequest(credentials));
		return {
			accessToken: token.access_token,
			instanceUrl: salesforceInstanceUrl(token, credentials),
		};
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};
}
