import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

import { ACCESS_TOKEN_PROPERTY, requestClientCredentialsToken, requireHttpUrl, stringField } from './clientCredentialsToken';
import { expression, urlFieldJs } from './expressions';
import { trimTrailingSlash } from './hosts';

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
			description: 'Consumer key of the connected app (client credentials flow enabled, run-as user set)',
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
		const myDomainUrl = requireHttpUrl(credentials.myDomainUrl, 'My Domain URL', 'https://acme.my.salesforce.com');
		const clientSecret = stringField(credentials, 'clientSecret');
		const token = await requestClientCredentialsToken(this, {
			vendor: 'Salesforce',
			tokenUrl: `${myDomainUrl}/services/oauth2/token`,
			form: { client_id: stringField(credentials, 'clientId'), client_secret: clientSecret },
			secrets: [clientSecret],
		});
		const instanceUrl =
			typeof token.instance_url === 'string' && token.instance_url
				? trimTrailingSlash(token.instance_url)
				: myDomainUrl;
		return { accessToken: token.access_token, instanceUrl };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: expression(urlFieldJs('$credentials', 'myDomainUrl')),
			url: '/services/data/',
			method: 'GET',
		},
	};
}
