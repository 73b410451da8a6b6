import fc from 'fast-check';
import type { ICredentialDataDecryptedObject, ICredentialType } from 'n8n-workflow';

import {
	dynamicsSessionCheckUrl,
	dynamicsTokenRequest,
	salesforceInstanceUrl,
	salesforceSessionCheckUrl,
	salesforceTokenRequest,
} from '../../credentials/clientCredentialsFlows';
import { CrmSyncAutochatApi } from '../../credentials/CrmSyncAutochatApi.credentials';
import { CrmSyncDynamicsClientCredentialsApi } from '../../credentials/CrmSyncDynamicsClientCredentialsApi.credentials';
import { CrmSyncDynamicsOAuth2Api } from '../../credentials/CrmSyncDynamicsOAuth2Api.credentials';
import { CrmSyncHubSpotOAuth2Api } from '../../credentials/CrmSyncHubSpotOAuth2Api.credentials';
import { CrmSyncHubSpotPrivateAppApi } from '../../credentials/CrmSyncHubSpotPrivateAppApi.credentials';
import { CrmSyncSalesforceClientCredentialsApi } from '../../credentials/CrmSyncSalesforceClientCredentialsApi.credentials';
import { CrmSyncSalesforceOAuth2Api } from '../../credentials/CrmSyncSalesforceOAuth2Api.credentials';
import {
	autochatApiBase,
	dynamicsApiBase,
	dynamicsOrgBase,
	dynamicsResourceScope,
	hubSpotApiBase,
	hubSpotAppBase,
	microsoftAuthority,
	microsoftAuthorizeUrl,
	microsoftTenant,
	microsoftTokenUrl,
	salesforceInstanceBase,
	salesforceLoginBase,
	trimTrailingSlash,
} from '../../credentials/hosts';
import { applyCredentialDefaults, buildTestRequest, requestUrl } from './harness/n8nCredentials';

describe('hosts helpers', () => {
	it('trimTrailingSlash removes every trailing slash and nothing else', () => {
		expect(trimTrailingSlash('https://x.test///')).toBe('https://x.test');
		expect(trimTrailingSlash('https://x.test/a/b')).toBe('https://x.test/a/b');
		expect(trimTrailingSlash('')).toBe('');
	});

	it('returns the vendor hosts when nothing is overridden', () => {
		expect(hubSpotApiBase({})).toBe('https://api.hubapi.com');
		expect(hubSpotAppBase({})).toBe('https://app.hubspot.com');
		expect(salesforceLoginBase({})).toBe('https://login.salesforce.com');
		expect(salesforceLoginBase({ environment: 'sandbox' })).toBe('https://test.salesforce.com');
		expect(microsoftAuthority({})).toBe('https://login.microsoftonline.com');
		expect(microsoftTenant({})).toBe('organizations');
		expect(microsoftTokenUrl({ tenantId: 't1' })).toBe(
			'https://login.microsoftonline.com/t1/oauth2/v2.0/token',
		);
	});

	it('honours overrides only while useCustomHosts is exactly true', () => {
		const overrides = {
			apiBaseUrl: 'https://h.test/',
			loginUrl: 'https://l.test',
			authorityUrl: 'https://a.test/',
		};
		expect(hubSpotApiBase({ ...overrides, useCustomHosts: true })).toBe('https://h.test');
		expect(hubSpotApiBase({ ...overrides, useCustomHosts: 'true' })).toBe('https://api.hubapi.com');
		expect(
			salesforceLoginBase({ ...overrides, useCustomHosts: true, environment: 'sandbox' }),
		).toBe('https://l.test');
		expect(microsoftAuthority({ ...overrides, useCustomHosts: true })).toBe('https://a.test');
		expect(microsoftAuthority({ ...overrides, useCustomHosts: false })).toBe(
			'https://login.microsoftonline.com',
		);
	});

	it('derives the Dynamics, Salesforce instance and autoch.at bases from the credential data', () => {
		const org = { orgUrl: ' https://acme.crm.dynamics.com/ ' };
		expect(dynamicsOrgBase(org)).toBe('https://acme.crm.dynamics.com');
		expect(dynamicsApiBase(org)).toBe('https://acme.crm.dynamics.com/api/data/v9.2');
		expect(dynamicsResourceScope(org)).toBe('https://acme.crm.dynamics.com/.default');
		expect(
			salesforceInstanceBase({ oauthTokenData: { instance_url: 'https://na1.salesforce.com/' } }),
		).toBe('https://na1.salesforce.com');
		expect(
			salesforceInstanceBase({ instanceUrl: 'https://i.test', myDomainUrl: 'https://m.test' }),
		).toBe('https://i.test');
		expect(salesforceInstanceBase({ instanceUrl: '', myDomainUrl: 'https://m.test/' })).toBe(
			'https://m.test',
		);
		expect(autochatApiBase({ baseUrl: 'https://x.supabase.co/functions/v1/crm-api/v1/' })).toBe(
			'https://x.supabase.co/functions/v1/crm-api/v1',
		);
	});
});

/**
 * The credential classes compute the same hosts with n8n expressions. These properties
 * resolve the real classes through n8n's expression engine and compare with hosts.ts.
 */
describe('credential expressions agree with hosts.ts', () => {
	const host = fc.constantFrom(
		'https://sandbox.test',
		'http://127.0.0.1:8787/hubspot',
		'https://proxy.example.com/a/b',
		'https://login.microsoftonline.us',
	);
	const messyUrl = fc
		.tuple(host, fc.constantFrom('', '/', '//'), fc.constantFrom('', ' ', '  '))
		.map(([url, slashes, space]) => `${space}${url}${slashes}${space}`);
	const maybeUrl = fc.oneof(fc.constant(''), messyUrl);
	const runs = { numRuns: 40 };

	function testUrl(type: ICredentialType, data: ICredentialDataDecryptedObject) {
		return buildTestRequest(type, data).then(requestUrl);
	}

	it('HubSpot OAuth2: authUrl, accessTokenUrl and test URL', async () => {
		const type = new CrmSyncHubSpotOAuth2Api();
		await fc.assert(
			fc.asyncProperty(
				fc.boolean(),
				maybeUrl,
				maybeUrl,
				async (useCustomHosts, apiBaseUrl, appBaseUrl) => {
					const data = await applyCredentialDefaults(type, {
						useCustomHosts,
						apiBaseUrl,
						appBaseUrl,
						oauthTokenData: {},
					});
					expect(data.accessTokenUrl).toBe(`${hubSpotApiBase(data)}/oauth/v1/token`);
					expect(data.authUrl).toBe(`${hubSpotAppBase(data)}/oauth/authorize`);
					expect(await testUrl(type, data)).toBe(`${hubSpotApiBase(data)}/account-info/v3/details`);
				},
			),
			runs,
		);
	});

	it('HubSpot private app: test URL', async () => {
		const type = new CrmSyncHubSpotPrivateAppApi();
		await fc.assert(
			fc.asyncProperty(fc.boolean(), maybeUrl, async (useCustomHosts, apiBaseUrl) => {
				const data = await applyCredentialDefaults(type, {
					useCustomHosts,
					apiBaseUrl,
					accessToken: 't',
				});
				expect(await testUrl(type, data)).toBe(`${hubSpotApiBase(data)}/account-info/v3/details`);
			}),
			runs,
		);
	});

	it('Salesforce OAuth2: authUrl, accessTokenUrl and test URL', async () => {
		const type = new CrmSyncSalesforceOAuth2Api();
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom('production', 'sandbox'),
				fc.boolean(),
				maybeUrl,
				messyUrl,
				async (environment, useCustomHosts, loginUrl, instanceUrl) => {
					const data = await applyCredentialDefaults(type, {
						environment,
						useCustomHosts,
						loginUrl,
						oauthTokenData: { access_token: 't', instance_url: instanceUrl },
					});
					expect(data.authUrl).toBe(`${salesforceLoginBase(data)}/services/oauth2/authorize`);
					expect(data.accessTokenUrl).toBe(`${salesforceLoginBase(data)}/services/oauth2/token`);
					expect(await testUrl(type, data)).toBe(
						`${salesforceInstanceBase(data)}/services/data/v62.0/`,
					);
				},
			),
			runs,
		);
	});

	it('Salesforce client credentials: token and connection-test URLs', async () => {
		const type = new CrmSyncSalesforceClientCredentialsApi();
		await fc.assert(
			fc.asyncProperty(
				messyUrl,
				fc.option(messyUrl, { nil: undefined }),
				async (myDomainUrl, instanceUrl) => {
					const data = await applyCredentialDefaults(type, { myDomainUrl, accessToken: 't' });
					expect(salesforceTokenRequest(data).tokenUrl).toBe(
						`${salesforceInstanceBase({ myDomainUrl })}/services/oauth2/token`,
					);
					const token = {
						access_token: 't',
						...(instanceUrl === undefined ? {} : { instance_url: instanceUrl.trim() }),
					};
					const instance = salesforceInstanceUrl(token, data);
					expect(instance).toBe(
						salesforceInstanceBase({ instanceUrl: instanceUrl?.trim(), myDomainUrl }),
					);
					expect(salesforceSessionCheckUrl(instance)).toBe(`${instance}/services/data/v62.0/`);
				},
			),
			runs,
		);
	});

	it('Dynamics OAuth2: authorize, token, scope and test URL', async () => {
		const type = new CrmSyncDynamicsOAuth2Api();
		await fc.assert(
			fc.asyncProperty(
				fc.boolean(),
				maybeUrl,
				fc.constantFrom('', 'organizations', 'common', ' contoso.onmicrosoft.com '),
				messyUrl,
				async (useCustomHosts, authorityUrl, tenantId, orgUrl) => {
					const data = await applyCredentialDefaults(type, {
						useCustomHosts,
						authorityUrl,
						tenantId,
						orgUrl,
						oauthTokenData: {},
					});
					expect(data.authUrl).toBe(microsoftAuthorizeUrl(data));
					expect(data.accessTokenUrl).toBe(microsoftTokenUrl(data));
					expect(data.scope).toBe(`openid offline_access ${dynamicsResourceScope(data)}`);
					expect(await testUrl(type, data)).toBe(`${dynamicsApiBase(data)}/WhoAmI`);
				},
			),
			runs,
		);
	});

	it('Dynamics client credentials (token and connection-test URLs) and autoch.at (test URL)', async () => {
		const dynamics = new CrmSyncDynamicsClientCredentialsApi();
		const autochat = new CrmSyncAutochatApi();
		await fc.assert(
			fc.asyncProperty(messyUrl, async (url) => {
				const dyn = await applyCredentialDefaults(dynamics, {
					orgUrl: url,
					tenantId: 'tid',
					accessToken: 't',
				});
				expect(dynamicsSessionCheckUrl(dyn)).toBe(`${dynamicsApiBase(dyn)}/WhoAmI`);
				expect(dynamicsTokenRequest(dyn)).toMatchObject({
					tokenUrl: microsoftTokenUrl(dyn),
					form: { scope: dynamicsResourceScope(dyn) },
				});
				const ac = await applyCredentialDefaults(autochat, { baseUrl: url, apiKey: 'k' });
				expect(await testUrl(autochat, ac)).toBe(`${autochatApiBase(ac)}/clients?limit=1`);
			}),
			runs,
		);
	});
});
