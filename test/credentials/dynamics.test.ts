import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CrmSyncDynamicsClientCredentialsApi } from '../../credentials/CrmSyncDynamicsClientCredentialsApi.credentials';
import { CrmSyncDynamicsOAuth2Api } from '../../credentials/CrmSyncDynamicsOAuth2Api.credentials';
import { microsoftAuthorizeUrl, microsoftTokenUrl } from '../../credentials/hosts';
import { interceptOnce, isolateNetwork } from './harness/capture';
import { applyCredentialDefaults, runCredentialTest } from './harness/n8nCredentials';
import { testCredentialLikeN8n } from './harness/n8nCredentialTester';
import { n8nHttpRequestHelper } from './harness/n8nHttpHelper';
import { packNodeTypes } from './harness/packNodes';

isolateNetwork();

const WHO_AM_I = {
	BusinessUnitId: '6f0a8c8e-0000-0000-0000-000000000001',
	UserId: '6f0a8c8e-0000-0000-0000-000000000002',
	OrganizationId: '6f0a8c8e-0000-0000-0000-000000000003',
};

describe('CrmSyncDynamicsOAuth2Api', () => {
	const type = new CrmSyncDynamicsOAuth2Api();

	it('authorizes against Microsoft identity v2 for any organization with the org .default scope', async () => {
		const data = await applyCredentialDefaults(type, { orgUrl: 'https://acme.crm4.dynamics.com/' });

		expect(data.grantType).toBe('authorizationCode');
		expect(data.authUrl).toBe(
			'https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize',
		);
		expect(data.accessTokenUrl).toBe(
			'https://login.microsoftonline.com/organizations/oauth2/v2.0/token',
		);
		expect(data.scope).toBe('openid offline_access https://acme.crm4.dynamics.com/.default');
		expect(data.authentication).toBe('body');
	});

	it('uses the tenant and the custom authority when given', async () => {
		const tenant = await applyCredentialDefaults(type, {
			orgUrl: 'https://acme.crm.dynamics.com',
			tenantId: 'contoso.onmicrosoft.com',
		});
		expect(tenant.accessTokenUrl).toBe(
			'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
		);

		const custom = await applyCredentialDefaults(type, {
			orgUrl: 'https://acme.crm.dynamics.com',
			tenantId: 'tid-1',
			useCustomHosts: true,
			authorityUrl: 'https://login.microsoftonline.us/',
		});
		expect(custom.authUrl).toBe('https://login.microsoftonline.us/tid-1/oauth2/v2.0/authorize');
		expect(custom.accessTokenUrl).toBe('https://login.microsoftonline.us/tid-1/oauth2/v2.0/token');
		expect(custom.authUrl).toBe(microsoftAuthorizeUrl(custom));
		expect(custom.accessTokenUrl).toBe(microsoftTokenUrl(custom));
	});

	it('tests the connection with GET <org>/api/data/v9.2/WhoAmI and the OAuth access token', async () => {
		const capture = interceptOnce(
			'https://acme.crm.dynamics.com',
			'GET',
			'/api/data/v9.2/WhoAmI',
			200,
			WHO_AM_I,
		);

		const response = await runCredentialTest(type, {
			orgUrl: 'https://acme.crm.dynamics.com/',
			oauthTokenData: { access_token: 'eyJ-dyn-user' },
		});

		expect(response.status).toBe(200);
		expect(capture.requests).toHaveLength(1);
		expect(capture.requests[0].headers.authorization).toBe('Bearer eyJ-dyn-user');
	});
});

describe('CrmSyncDynamicsClientCredentialsApi', () => {
	const type = new CrmSyncDynamicsClientCredentialsApi();
	const stored: ICredentialDataDecryptedObject = {
		tenantId: '11111111-2222-3333-4444-555555555555',
		clientId: 'app-client-id',
		clientSecret: 'dyn~client~secret',
		orgUrl: 'https://acme.crm.dynamics.com/',
	};
	const tokenPath = '/11111111-2222-3333-4444-555555555555/oauth2/v2.0/token';

	async function preAuthenticate(data: ICredentialDataDecryptedObject) {
		return await type.preAuthentication.call(n8nHttpRequestHelper(), data);
	}

	it('posts client_credentials with scope <org>/.default (trailing slash trimmed) to the tenant token endpoint', async () => {
		const capture = interceptOnce('https://login.microsoftonline.com', 'POST', tokenPath, 200, {
			token_type: 'Bearer',
			expires_in: 3599,
			access_token: 'eyJ-app-token',
		});

		const result = await preAuthenticate(await applyCredentialDefaults(type, stored));

		expect(result).toEqual({ accessToken: 'eyJ-app-token' });
		expect(Object.fromEntries(new URLSearchParams(capture.requests[0].body))).toEqual({
			grant_type: 'client_credentials',
			client_id: 'app-client-id',
			client_secret: 'dyn~client~secret',
			scope: 'https://acme.crm.dynamics.com/.default',
		});
	});

	it('requests the token from the custom authority when enabled', async () => {
		const capture = interceptOnce(
			'https://login.partner.microsoftonline.cn',
			'POST',
			tokenPath,
			200,
			{
				access_token: 'cn-token',
			},
		);

		const result = await preAuthenticate(
			await applyCredentialDefaults(type, {
				...stored,
				useCustomHosts: true,
				authorityUrl: 'https://login.partner.microsoftonline.cn',
			}),
		);

		expect(result).toEqual({ accessToken: 'cn-token' });
		expect(capture.requests).toHaveLength(1);
	});

	it('fails with the AADSTS reason and no secret when the token endpoint answers 401', async () => {
		interceptOnce('https://login.microsoftonline.com', 'POST', tokenPath, 401, {
			error: 'invalid_client',
			error_description: 'AADSTS7000215: Invalid client secret provided.',
			error_codes: [7000215],
		});

		const error = await preAuthenticate(await applyCredentialDefaults(type, stored)).then(
			() => undefined,
			(e: unknown) => e as Error,
		);

		expect(error).toBeInstanceOf(Error);
		expect(error!.message).toContain(
			'HTTP 401: invalid_client: AADSTS7000215: Invalid client secret provided.',
		);
		const everything =
			JSON.stringify(error, Object.getOwnPropertyNames(error)) + String(error!.stack);
		expect(everything).not.toContain('dyn~client~secret');
	});

	it('refuses to request a token without tenant or organization URL', async () => {
		await expect(preAuthenticate({ ...stored, tenantId: ' ' })).rejects.toThrow(
			'Tenant ID is required',
		);
		await expect(preAuthenticate({ ...stored, orgUrl: '' })).rejects.toThrow(
			'Organization URL must be a URL like https://acme.crm.dynamics.com',
		);
	});

	it('redacts the secret even if the vendor echoes it back', async () => {
		interceptOnce('https://login.microsoftonline.com', 'POST', tokenPath, 400, {
			error: 'invalid_request',
			error_description: 'client_secret dyn~client~secret is malformed',
		});

		await expect(preAuthenticate(await applyCredentialDefaults(type, stored))).rejects.toThrow(
			'client_secret [redacted] is malformed',
		);
	});

	it('tests the connection with a fresh token, never the cached one: token, then GET <org>/api/data/v9.2/WhoAmI with it', async () => {
		interceptOnce('https://login.microsoftonline.com', 'POST', tokenPath, 200, {
			access_token: 'eyJ-fresh',
		});
		const whoAmI = interceptOnce(
			'https://acme.crm.dynamics.com',
			'GET',
			'/api/data/v9.2/WhoAmI',
			200,
			WHO_AM_I,
		);

		const result = await testCredentialLikeN8n(
			type,
			{ ...stored, accessToken: 'eyJ-cached' },
			packNodeTypes(),
		);

		expect(result).toEqual({
			status: 'OK',
			message:
				'Connection successful: Microsoft Entra ID issued a new access token and the Dataverse Web API accepted it.',
		});
		expect(whoAmI.requests[0].headers.authorization).toBe('Bearer eyJ-fresh');
	});

	it('fails the connection test with what was rejected: the secret at Entra ID, or the token at Dataverse', async () => {
		interceptOnce('https://login.microsoftonline.com', 'POST', tokenPath, 401, {
			error: 'invalid_client',
			error_description: 'AADSTS7000222: The provided client secret keys for app are expired.',
		});
		const expired = await testCredentialLikeN8n(type, stored, packNodeTypes());
		expect(expired).toEqual({
			status: 'Error',
			message:
				'The client secret was rejected by Microsoft Entra ID: invalid_client: AADSTS7000222: The provided client secret keys for app are expired (HTTP 401). Check the secret; a rotated, expired or revoked secret fails here.',
		});

		interceptOnce('https://login.microsoftonline.com', 'POST', tokenPath, 200, {
			access_token: 'eyJ-not-a-member',
		});
		interceptOnce('https://acme.crm.dynamics.com', 'GET', '/api/data/v9.2/WhoAmI', 403, {
			error: { code: '0x80072560', message: 'The user is not a member of the organization.' },
		});
		const notMember = await testCredentialLikeN8n(type, stored, packNodeTypes());
		expect(notMember).toEqual({
			status: 'Error',
			message:
				'Microsoft Entra ID issued a new access token, but the Dataverse Web API answered HTTP 403: 0x80072560: The user is not a member of the organization. (GET https://acme.crm.dynamics.com/api/data/v9.2/WhoAmI).',
		});
		expect(JSON.stringify(notMember)).not.toContain('eyJ-not-a-member');
	});
});
