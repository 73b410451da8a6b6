import type { ICredentialTestRequest, ICredentialType, Icon, INodeProperties } from 'n8n-workflow';

import { expression, microsoftEndpointJs, urlFieldJs } from './expressions';
import { DATAVERSE_API_PATH } from './hosts';

export class CrmSyncDynamicsOAuth2Api implements ICredentialType {
	name = 'crmSyncDynamicsOAuth2Api';

	// Self-contained on purpose: the org-specific scope and the authority override must
	// not depend on how n8n's own Microsoft OAuth2 credential evolves.
	extends = ['oAuth2Api'];

	displayName = 'CRM Sync: Dynamics 365 OAuth2 API';

	documentationUrl =
		'https://learn.microsoft.com/en-us/power-apps/developer/data-platform/authenticate-oauth';

	icon: Icon = { light: 'file:icons/dynamics.svg', dark: 'file:icons/dynamics.dark.svg' };

	properties: INodeProperties[] = [
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
			displayName: 'Tenant',
			name: 'tenantId',
			type: 'string',
			default: 'organizations',
			description:
				'Directory (tenant) ID or domain. "organizations" lets any work or school account sign in.',
		},
		{
			displayName: 'Use Custom Hosts',
			name: 'useCustomHosts',
			type: 'boolean',
			default: false,
			description: 'Whether to sign in at another authority. For CRM sandboxes, proxies and tests.',
		},
		{
			displayName: 'Authority URL',
			name: 'authorityUrl',
			type: 'string',
			default: 'https://login.microsoftonline.com',
			description: 'Replaces https://login.microsoftonline.com (e.g. a national cloud)',
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
			default: expression(microsoftEndpointJs('$self', 'authorize')),
			required: true,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: expression(microsoftEndpointJs('$self', 'token')),
			required: true,
		},
		{
			// offline_access yields the refresh token n8n needs; <org>/.default asks for the
			// Dataverse permissions granted to the app registration.
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: expression(
				`"openid offline_access " + ${urlFieldJs('$self', 'orgUrl')} + "/.default"`,
			),
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: 'response_mode=query',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];

	test: ICredentialTestRequest = {
		request: {
			baseURL: expression(urlFieldJs('$credentials', 'orgUrl')),
			url: `${DATAVERSE_API_PATH}/WhoAmI`,
			method: 'GET',
		},
	};
}
