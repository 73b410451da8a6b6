import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { expression, salesforceLoginBaseJs } from './expressions';
import { SALESFORCE_API_PATH } from './hosts';

export class CrmSyncSalesforceOAuth2Api implements ICredentialType {
	name = 'crmSyncSalesforceOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'CRM Sync: Salesforce OAuth2 API';

	documentationUrl =
		'https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_web_server_flow.htm&type=5';

	icon: Icon = { light: 'file:icons/salesforce.svg', dark: 'file:icons/salesforce.dark.svg' };

	properties: INodeProperties[] = [
		{
			displayName: 'Environment Type',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Production', value: 'production' },
				{ name: 'Sandbox', value: 'sandbox' },
			],
			default: 'production',
			description: 'Production signs in at login.salesforce.com, Sandbox at test.salesforce.com',
		},
		{
			displayName: 'Use Custom Hosts',
			name: 'useCustomHosts',
			type: 'boolean',
			default: false,
			description: 'Whether to sign in at another host. For CRM sandboxes, proxies and tests.',
		},
		{
			displayName: 'Login URL',
			name: 'loginUrl',
			type: 'string',
			default: '',
			placeholder: 'https://acme.my.salesforce.com',
			description:
				'Replaces the login host of the environment (e.g. your My Domain URL). Empty: use the environment.',
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
			default: expression(`${salesforceLoginBaseJs('$self')} + "/services/oauth2/authorize"`),
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: expression(`${salesforceLoginBaseJs('$self')} + "/services/oauth2/token"`),
			required: true,
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: 'api refresh_token',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'header',
		},
	];

	// The org's API host is only known from the token response (instance_url), which n8n
	// keeps in oauthTokenData. The versions list (/services/data/) needs no session, so the
	// test asks for the resources of one version: it needs a valid session but no object or
	// setup permission (/limits would need "View Setup and Configuration").
	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ ("" + (($credentials.oauthTokenData || {}).instance_url || "")).trim().replace(/\\/+$/, "") }}',
			url: `${SALESFORCE_API_PATH}/`,
			method: 'GET',
		},
	};
}
