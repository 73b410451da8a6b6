import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { CrmSyncSalesforceClientCredentialsApi } from '../../credentials/CrmSyncSalesforceClientCredentialsApi.credentials';
import { CrmSyncSalesforceOAuth2Api } from '../../credentials/CrmSyncSalesforceOAuth2Api.credentials';
import { salesforceInstanceBase, salesforceLoginBase } from '../../credentials/hosts';
import { interceptOnce, isolateNetwork } from './harness/capture';
import { applyCredentialDefaults, runCredentialTest } from './harness/n8nCredentials';
import { testCredentialLikeN8n } from './harness/n8nCredentialTester';
import { n8nHttpRequestHelper } from './harness/n8nHttpHelper';
import { packNodeTypes } from './harness/packNodes';

isolateNetwork();

const VERSION_RESOURCES = {
	sobjects: '/services/data/v62.0/sobjects',
	limits: '/services/data/v62.0/limits',
};

describe('CrmSyncSalesforceOAuth2Api', () => {
	const type = new CrmSyncSalesforceOAuth2Api();

	it.each([
		['production', 'https://login.salesforce.com'],
		['sandbox', 'https://test.salesforce.com'],
	])('signs in at the %s login host', async (environment, host) => {
		const data = await applyCredentialDefaults(type, { environment });

		expect(data.grantType).toBe('authorizationCode');
		expect(data.authUrl).toBe(`${host}/services/oauth2/authorize`);
		expect(data.accessTokenUrl).toBe(`${host}/services/oauth2/token`);
		expect(data.scope).toBe('api refresh_token');
		expect(salesforceLoginBase(data)).toBe(host);
	});

	it('uses the custom login URL over the environment, and ignores it while the toggle is off', async () => {
		const custom = await applyCredentialDefaults(type, {
			environment: 'sandbox',
			useCustomHosts: true,
			loginUrl: 'https://acme--uat.sandbox.my.salesforce.com/',
		});
		expect(custom.authUrl).toBe(
			'https://acme--uat.sandbox.my.salesforce.com/services/oauth2/authorize',
		);
		expect(custom.accessTokenUrl).toBe(
			'https://acme--uat.sandbox.my.salesforce.com/services/oauth2/token',
		);

		const emptyOverride = await applyCredentialDefaults(type, {
			environment: 'sandbox',
			useCustomHosts: true,
			loginUrl: '',
		});
		expect(emptyOverride.accessTokenUrl).toBe('https://test.salesforce.com/services/oauth2/token');

		const toggledOff = await applyCredentialDefaults(type, {
			environment: 'production',
			useCustomHosts: false,
			loginUrl: 'https://elsewhere.test',
		});
		expect(toggledOff.accessTokenUrl).toBe('https://login.salesforce.com/services/oauth2/token');
	});

	it('tests the connection with GET <instance_url>/services/data/v62.0/ (needs a session) and the OAuth access token', async () => {
		const capture = interceptOnce(
			'https://acme.my.salesforce.com',
			'GET',
			'/services/data/v62.0/',
			200,
			VERSION_RESOURCES,
		);

		const stored = {
			environment: 'production',
			oauthTokenData: {
				access_token: '00Dxx!sf-access',
				instance_url: 'https://acme.my.salesforce.com/',
			},
		};
		const response = await runCredentialTest(type, stored);

		expect(response.status).toBe(200);
		expect(capture.requests).toHaveLength(1);
		expect(capture.requests[0].headers.authorization).toBe('Bearer 00Dxx!sf-access');
		expect(salesforceInstanceBase(stored)).toBe('https://acme.my.salesforce.com');
	});

	it('fails the connection test when Salesforce refuses the session', async () => {
		interceptOnce('https://acme.my.salesforce.com', 'GET', '/services/data/v62.0/', 401, [
			{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
		]);
		const result = await testCredentialLikeN8n(
			type,
			{
				oauthTokenData: { access_token: 'expired', instance_url: 'https://acme.my.salesforce.com' },
			},
			[],
		);
		expect(result).toEqual({ status: 'Error', message: 'Unauthorized' });
	});
});

describe('CrmSyncSalesforceClientCredentialsApi', () => {
	const type = new CrmSyncSalesforceClientCredentialsApi();
	const stored: ICredentialDataDecryptedObject = {
		myDomainUrl: 'https://acme.my.salesforce.com/',
		clientId: '3MVG9-consumer-key',
		clientSecret: 'sf-client-secret-value',
	};

	async function preAuthenticate(data: ICredentialDataDecryptedObject) {
		return await type.preAuthentication.call(n8nHttpRequestHelper(), data);
	}

	it('posts a client_credentials grant to <My Domain>/services/oauth2/token', async () => {
		const capture = interceptOnce(
			'https://acme.my.salesforce.com',
			'POST',
			'/services/oauth2/token',
			200,
			{
				access_token: '00Dxx!cc-token',
				instance_url: 'https://acme.my.salesforce.com',
				token_type: 'Bearer',
			},
		);

		const result = await preAuthenticate(await applyCredentialDefaults(type, stored));

		expect(result).toEqual({
			accessToken: '00Dxx!cc-token',
			instanceUrl: 'https://acme.my.salesforce.com',
		});
		const sent = capture.requests[0];
		expect(sent.headers['content-type']).toContain('application/x-www-form-urlencoded');
		expect(Object.fromEntries(new URLSearchParams(sent.body))).toEqual({
			grant_type: 'client_credentials',
			client_id: '3MVG9-consumer-key',
			client_secret: 'sf-client-secret-value',
		});
	});

	it('falls back to the My Domain URL when the token response has no instance_url', async () => {
		interceptOnce('https://acme.my.salesforce.com', 'POST', '/services/oauth2/token', 200, {
			access_token: 'tok',
		});

		const result = await preAuthenticate(await applyCredentialDefaults(type, stored));

		expect(result).toEqual({ accessToken: 'tok', instanceUrl: 'https://acme.my.salesforce.com' });
	});

	it('fails with the vendor reason and no secret when the token endpoint answers 401', async () => {
		interceptOnce('https://acme.my.salesforce.com', 'POST', '/services/oauth2/token', 401, {
			error: 'invalid_client',
			error_description: 'invalid client credentials',
		});

		const error = await preAuthenticate(await applyCredentialDefaults(type, stored)).then(
			() => undefined,
			(e: unknown) => e as Error,
		);

		expect(error).toBeInstanceOf(Error);
		expect(error!.message).toBe(
			'Salesforce token request to https://acme.my.salesforce.com/services/oauth2/token failed (HTTP 401: invalid_client: invalid client credentials)',
		);
		const everything =
			JSON.stringify(error, Object.getOwnPropertyNames(error)) + String(error!.stack);
		expect(everything).not.toContain('sf-client-secret-value');
		expect((error as Error & { cause?: unknown }).cause).toBeUndefined();
	});

	it('(control) the raw n8n HTTP error does carry the secret, which is why the credential rebuilds it', async () => {
		interceptOnce('https://acme.my.salesforce.com', 'POST', '/services/oauth2/token', 401, {
			error: 'invalid_client',
		});

		const raw: unknown = await n8nHttpRequestHelper()
			.helpers.httpRequest({
				method: 'POST',
				url: 'https://acme.my.salesforce.com/services/oauth2/token',
				body: 'grant_type=client_credentials&client_secret=sf-client-secret-value',
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				json: true,
			})
			.catch((e: unknown) => e);

		expect(JSON.stringify((raw as { config?: unknown }).config)).toContain(
			'sf-client-secret-value',
		);
	});

	it.each(['', 'acme.my.salesforce.com', 'https://'])(
		'refuses to request a token without a usable My Domain URL (%j)',
		async (myDomainUrl) => {
			await expect(preAuthenticate({ ...stored, myDomainUrl })).rejects.toThrow(
				'My Domain URL must be a URL like https://acme.my.salesforce.com',
			);
		},
	);

	it('refuses a 200 response without an access token', async () => {
		interceptOnce('https://acme.my.salesforce.com', 'POST', '/services/oauth2/token', 200, {
			instance_url: 'x',
		});

		await expect(preAuthenticate(await applyCredentialDefaults(type, stored))).rejects.toThrow(
			'did not contain an access token',
		);
	});

	it('tests the connection with a fresh token, never the cached one: token first, then GET <instance>/services/data/v62.0/ with it', async () => {
		const token = interceptOnce(
			'https://acme.my.salesforce.com',
			'POST',
			'/services/oauth2/token',
			200,
			{
				access_token: '00Dxx!fresh',
				instance_url: 'https://eu42.my.salesforce.com',
			},
		);
		const resources = interceptOnce(
			'https://eu42.my.salesforce.com',
			'GET',
			'/services/data/v62.0/',
			200,
			VERSION_RESOURCES,
		);

		const result = await testCredentialLikeN8n(
			type,
			{ ...stored, accessToken: '00Dxx!cached' },
			packNodeTypes(),
		);

		expect(result).toEqual({
			status: 'OK',
			message:
				'Connection successful: Salesforce issued a new access token and the Salesforce REST API accepted it.',
		});
		expect(Object.fromEntries(new URLSearchParams(token.requests[0].body))).toEqual({
			grant_type: 'client_credentials',
			client_id: '3MVG9-consumer-key',
			client_secret: 'sf-client-secret-value',
		});
		expect(resources.requests[0].headers.authorization).toBe('Bearer 00Dxx!fresh');
	});

	it('fails the connection test with what Salesforce rejected, never the secret', async () => {
		interceptOnce('https://acme.my.salesforce.com', 'POST', '/services/oauth2/token', 400, {
			error: 'invalid_client_id',
			error_description: 'client identifier invalid',
		});
		const badId = await testCredentialLikeN8n(type, stored, packNodeTypes());
		expect(badId).toEqual({
			status: 'Error',
			message:
				'The client ID was rejected by Salesforce: invalid_client_id: client identifier invalid (HTTP 400).',
		});

		interceptOnce('https://acme.my.salesforce.com', 'POST', '/services/oauth2/token', 400, {
			error: 'invalid_grant',
			error_description: 'no client credentials user enabled',
		});
		const noUser = await testCredentialLikeN8n(type, stored, packNodeTypes());
		expect(noUser).toEqual({
			status: 'Error',
			message:
				'Salesforce refused the token request: invalid_grant: no client credentials user enabled (HTTP 400).',
		});

		interceptOnce('https://acme.my.salesforce.com', 'POST', '/services/oauth2/token', 400, {
			error: 'invalid_client',
			error_description: 'secret sf-client-secret-value is wrong',
		});
		const echoed = await testCredentialLikeN8n(type, stored, packNodeTypes());
		expect(echoed.message).toBe(
			'The client secret was rejected by Salesforce: invalid_client: secret [redacted] is wrong (HTTP 400). Check the secret; a rotated, expired or revoked secret fails here.',
		);

		interceptOnce('https://acme.my.salesforce.com', 'POST', '/services/oauth2/token', 200, {
			access_token: '00Dxx!fresh',
		});
		interceptOnce('https://acme.my.salesforce.com', 'GET', '/services/data/v62.0/', 403, [
			{
				message: 'The REST API is not enabled for this Organization.',
				errorCode: 'API_DISABLED_FOR_ORG',
			},
		]);
		const disabled = await testCredentialLikeN8n(type, stored, packNodeTypes());
		expect(disabled).toEqual({
			status: 'Error',
			message:
				'Salesforce issued a new access token, but the Salesforce REST API answered HTTP 403: API_DISABLED_FOR_ORG: The REST API is not enabled for this Organization. (GET https://acme.my.salesforce.com/services/data/v62.0/).',
		});
	});

	it('declares the token as an expirable hidden field so n8n caches and refreshes it', () => {
		const accessToken = type.properties.find((p) => p.name === 'accessToken');
		expect(accessToken).toMatchObject({
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
		});
		expect(type.properties.find((p) => p.name === 'instanceUrl')?.type).toBe('hidden');
	});
});
