import {
	CrmSyncHubSpotOAuth2Api,
	HUBSPOT_OAUTH_SCOPES,
} from '../../credentials/CrmSyncHubSpotOAuth2Api.credentials';
import { CrmSyncHubSpotPrivateAppApi } from '../../credentials/CrmSyncHubSpotPrivateAppApi.credentials';
import { hubSpotApiBase, hubSpotAppBase } from '../../credentials/hosts';
import { interceptOnce, isolateNetwork } from './harness/capture';
import { applyCredentialDefaults, runCredentialTest } from './harness/n8nCredentials';

isolateNetwork();

const ACCOUNT = { portalId: 123, accountType: 'STANDARD' };

describe('CrmSyncHubSpotOAuth2Api', () => {
	const type = new CrmSyncHubSpotOAuth2Api();
	const oauthTokenData = { access_token: 'hs-oauth-access', refresh_token: 'hs-refresh' };

	it('uses the HubSpot OAuth hosts, body client authentication and the CRM scopes by default', async () => {
		const data = await applyCredentialDefaults(type, { clientId: 'cid', clientSecret: 'csecret' });

		expect(data.grantType).toBe('authorizationCode');
		expect(data.authUrl).toBe('https://app.hubspot.com/oauth/authorize');
		expect(data.accessTokenUrl).toBe('https://api.hubapi.com/oauth/v1/token');
		expect(data.authentication).toBe('body');
		const scopes = String(data.scope).split(' ');
		expect(scopes).toEqual(
			expect.arrayContaining([
				'oauth',
				'crm.objects.contacts.read',
				'crm.objects.contacts.write',
				'crm.objects.companies.write',
				'crm.objects.deals.write',
				'crm.objects.owners.read',
				'crm.schemas.contacts.read',
				'crm.schemas.deals.read',
			]),
		);
		expect(scopes).toHaveLength(HUBSPOT_OAUTH_SCOPES.length);
	});

	it('ignores stored override values while the custom-hosts toggle is off', async () => {
		const data = await applyCredentialDefaults(type, {
			useCustomHosts: false,
			apiBaseUrl: 'http://127.0.0.1:9/hubspot',
			appBaseUrl: 'http://127.0.0.1:9/app',
		});
		expect(data.accessTokenUrl).toBe('https://api.hubapi.com/oauth/v1/token');
		expect(data.authUrl).toBe('https://app.hubspot.com/oauth/authorize');
	});

	it('sends authorize and token to the custom hosts (consent page falls back to the API base)', async () => {
		const onlyApi = await applyCredentialDefaults(type, {
			useCustomHosts: true,
			apiBaseUrl: 'https://hubspot.sandbox.test/',
			appBaseUrl: '',
		});
		expect(onlyApi.accessTokenUrl).toBe('https://hubspot.sandbox.test/oauth/v1/token');
		expect(onlyApi.authUrl).toBe('https://hubspot.sandbox.test/oauth/authorize');
		expect(onlyApi.authUrl).toBe(`${hubSpotAppBase(onlyApi)}/oauth/authorize`);

		const both = await applyCredentialDefaults(type, {
			useCustomHosts: true,
			apiBaseUrl: 'https://proxy.example.test/hs',
			appBaseUrl: 'https://consent.example.test',
		});
		expect(both.accessTokenUrl).toBe('https://proxy.example.test/hs/oauth/v1/token');
		expect(both.authUrl).toBe('https://consent.example.test/oauth/authorize');
	});

	it('tests the connection with GET /account-info/v3/details signed with the OAuth access token', async () => {
		const capture = interceptOnce(
			'https://api.hubapi.com',
			'GET',
			'/account-info/v3/details',
			200,
			ACCOUNT,
		);

		const response = await runCredentialTest(type, { oauthTokenData });

		expect(response.status).toBe(200);
		expect(capture.requests).toHaveLength(1);
		expect(capture.requests[0].headers.authorization).toBe('Bearer hs-oauth-access');
	});

	it('sends the test request to the custom API base', async () => {
		const capture = interceptOnce(
			'https://hubspot.sandbox.test',
			'GET',
			'/v/account-info/v3/details',
			200,
			ACCOUNT,
		);

		const response = await runCredentialTest(type, {
			oauthTokenData,
			useCustomHosts: true,
			apiBaseUrl: 'https://hubspot.sandbox.test/v/',
		});

		expect(response.status).toBe(200);
		expect(capture.requests[0].path).toBe('/v/account-info/v3/details');
	});
});

describe('CrmSyncHubSpotPrivateAppApi', () => {
	const type = new CrmSyncHubSpotPrivateAppApi();

	it('tests the connection with a Bearer private-app token against api.hubapi.com', async () => {
		const capture = interceptOnce(
			'https://api.hubapi.com',
			'GET',
			'/account-info/v3/details',
			200,
			ACCOUNT,
		);

		const response = await runCredentialTest(type, { accessToken: 'pat-na1-secret' });

		expect(response.status).toBe(200);
		expect(capture.requests).toHaveLength(1);
		expect(capture.requests[0].method).toBe('GET');
		expect(capture.requests[0].headers.authorization).toBe('Bearer pat-na1-secret');
	});

	it('honours the API base override, and drops it again when the toggle is off', async () => {
		const custom = interceptOnce(
			'https://hubspot.sandbox.test',
			'GET',
			'/account-info/v3/details',
			200,
			ACCOUNT,
		);
		await runCredentialTest(type, {
			accessToken: 'pat-na1-secret',
			useCustomHosts: true,
			apiBaseUrl: 'https://hubspot.sandbox.test',
		});
		expect(custom.requests).toHaveLength(1);
		expect(custom.requests[0].headers.authorization).toBe('Bearer pat-na1-secret');

		const vendor = interceptOnce(
			'https://api.hubapi.com',
			'GET',
			'/account-info/v3/details',
			200,
			ACCOUNT,
		);
		const data = await applyCredentialDefaults(type, {
			accessToken: 'pat-na1-secret',
			useCustomHosts: false,
			apiBaseUrl: 'https://hubspot.sandbox.test',
		});
		expect(hubSpotApiBase(data)).toBe('https://api.hubapi.com');
		await runCredentialTest(type, data);
		expect(vendor.requests).toHaveLength(1);
	});

	it('reports a rejected token as a failed test (HubSpot answers 401)', async () => {
		interceptOnce('https://api.hubapi.com', 'GET', '/account-info/v3/details', 401, {
			status: 'error',
			category: 'INVALID_AUTHENTICATION',
		});
		const response = await runCredentialTest(type, { accessToken: 'revoked' });
		expect(response.status).toBe(401);
	});
});
