/**
 * "Test connection" of the client-credentials credentials, run the way n8n runs it (see
 * harness/n8nCredentialTester.ts) against the local CRM sandbox: a fresh token with the
 * stored secret, then an API call that needs it. A secret revoked after a token was cached
 * fails, although the cached token still opens a session (which fooled the old test).
 */
import type { ICredentialDataDecryptedObject, ICredentialType } from 'n8n-workflow';

import { CrmSyncDynamicsClientCredentialsApi } from '../../credentials/CrmSyncDynamicsClientCredentialsApi.credentials';
import { CrmSyncSalesforceClientCredentialsApi } from '../../credentials/CrmSyncSalesforceClientCredentialsApi.credentials';
import { CrmSyncSalesforceOAuth2Api } from '../../credentials/CrmSyncSalesforceOAuth2Api.credentials';
import { CREDENTIAL_TEST_NAMES, crmCredentialTests } from '../../nodes/shared/node/credentialTests';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { isolateNetwork } from './harness/capture';
import { findCredentialTest, testCredentialLikeN8n } from './harness/n8nCredentialTester';
import { packNodeTypes } from './harness/packNodes';

isolateNetwork();

const nodes = packNodeTypes();
const salesforce = new CrmSyncSalesforceClientCredentialsApi();
const dynamics = new CrmSyncDynamicsClientCredentialsApi();

let sandbox: SandboxHandle;
beforeAll(async () => {
	sandbox = await startSandbox({ port: 0, seed: true });
});
afterAll(async () => {
	await sandbox.close();
});
afterEach(() => {
	sandbox.admin.restoreClients();
	sandbox.admin.clearFaults();
});

async function tokenFor(
	url: string,
	form: Record<string, string>,
): Promise<Record<string, string>> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form).toString(),
	});
	expect(response.status).toBe(200);
	return (await response.json()) as Record<string, string>;
}

const testNow = (type: ICredentialType, stored: ICredentialDataDecryptedObject) =>
	testCredentialLikeN8n(type, stored, nodes);

describe('which test n8n runs', () => {
	it.each<ICredentialType>([salesforce, dynamics])(
		'$name: no test request, so n8n calls the nodes’ fresh-token test, offered by every node that lists it',
		(type) => {
			expect(type.test).toBeUndefined();
			const testedBy = CREDENTIAL_TEST_NAMES[type.name];
			expect(findCredentialTest(type, nodes)).toMatchObject({
				kind: 'function',
				testedBy,
				fn: crmCredentialTests[testedBy],
			});
			// n8n stops at the first node listing the credential, so every one of them must offer it.
			const listing = nodes.filter(([, node]) =>
				node.description.credentials?.some((slot) => slot.name === type.name),
			);
			expect(listing.length).toBeGreaterThan(3);
			for (const [name, node] of listing) {
				const slot = node.description.credentials!.find(
					(candidate) => candidate.name === type.name,
				)!;
				expect({
					name,
					testedBy: slot.testedBy,
					fn: node.methods?.credentialTest?.[testedBy],
				}).toEqual({ name, testedBy, fn: crmCredentialTests[testedBy] });
			}
		},
	);
});

describe('Salesforce client credentials', () => {
	const data = () => ({
		myDomainUrl: `${sandbox.url}/salesforce/`,
		clientId: '3MVG9-sf-app',
		clientSecret: 'sf-secret-value',
	});

	it('passes with a good secret: a fresh token (not the cached one), then the REST API with it', async () => {
		sandbox.admin.clearRequests();
		const result = await testNow(salesforce, { ...data(), accessToken: 'stale-cached-token' });

		expect(result).toEqual({
			status: 'OK',
			message:
				'Connection successful: Salesforce issued a new access token and the Salesforce REST API accepted it.',
		});
		expect(
			sandbox.admin.requests('salesforce').map((r) => `${r.method} ${r.path} ${r.status}`),
		).toEqual([
			'POST /salesforce/services/oauth2/token 200',
			'GET /salesforce/services/data/v62.0/ 200',
		]);
	});

	it('fails when the secret was revoked after a token was cached, although the cached token still opens a session', async () => {
		const cached = await tokenFor(`${sandbox.url}/salesforce/services/oauth2/token`, {
			grant_type: 'client_credentials',
			client_id: data().clientId,
			client_secret: data().clientSecret,
		});
		sandbox.admin.revokeClient('salesforce', data().clientId, data().clientSecret);
		// What fooled the old test: a request signed with the cached token still succeeds.
		const withCached = await fetch(`${sandbox.url}/salesforce/services/data/v62.0/limits`, {
			headers: { Authorization: `Bearer ${cached.access_token}` },
		});
		expect(withCached.status).toBe(200);

		const result = await testNow(salesforce, {
			...data(),
			accessToken: cached.access_token,
			instanceUrl: cached.instance_url,
		});

		expect(result).toEqual({
			status: 'Error',
			message:
				'The client secret was rejected by Salesforce: invalid_client: invalid client credentials (HTTP 400). Check the secret; a rotated, expired or revoked secret fails here.',
		});
		expect(result.message).not.toContain(data().clientSecret);
	});

	it('fails naming the REST API when it rejects the new token, without showing the token', async () => {
		// The next REST call expires every token first, as a revoked session would.
		sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: '/services/data/v62.0',
			kind: 'expireTokens',
			count: 1,
		});
		sandbox.admin.clearRequests();

		const result = await testNow(salesforce, data());

		expect(result.status).toBe('Error');
		expect(result.message).toBe(
			`Salesforce issued a new access token, but the Salesforce REST API rejected it: INVALID_SESSION_ID: Session expired or invalid (GET ${sandbox.url}/salesforce/services/data/v62.0/).`,
		);
		expect(result.message).not.toMatch(/sbx-salesforce-/);
	});

	it('explains an unreachable My Domain and an unusable URL field', async () => {
		const closed = await testNow(salesforce, { ...data(), myDomainUrl: 'http://127.0.0.1:9' });
		expect(closed).toEqual({
			status: 'Error',
			message:
				'Could not reach the Salesforce token endpoint http://127.0.0.1:9/services/oauth2/token (ECONNREFUSED).',
		});
		const empty = await testNow(salesforce, { ...data(), myDomainUrl: 'acme.my.salesforce.com' });
		expect(empty).toEqual({
			status: 'Error',
			message: 'My Domain URL must be a URL like https://acme.my.salesforce.com',
		});
	});
});

describe('Dynamics 365 client credentials', () => {
	const data = () => ({
		tenantId: 'contoso-tenant',
		clientId: 'dyn-app-id',
		clientSecret: 'dyn~secret~value',
		orgUrl: `${sandbox.url}/dynamics`,
		useCustomHosts: true,
		authorityUrl: `${sandbox.url}/microsoft`,
	});

	it('passes with a good secret: a fresh token, then WhoAmI with it', async () => {
		sandbox.admin.clearRequests();
		const result = await testNow(dynamics, { ...data(), accessToken: 'stale-cached-token' });

		expect(result).toEqual({
			status: 'OK',
			message:
				'Connection successful: Microsoft Entra ID issued a new access token and the Dataverse Web API accepted it.',
		});
		expect(
			sandbox.admin.requests('dynamics').map((r) => `${r.method} ${r.path} ${r.status}`),
		).toEqual([
			'POST /microsoft/contoso-tenant/oauth2/v2.0/token 200',
			'GET /dynamics/api/data/v9.2/WhoAmI 200',
		]);
	});

	it('fails when the secret was revoked after a token was cached, although the cached token still works', async () => {
		const cached = await tokenFor(`${sandbox.url}/microsoft/contoso-tenant/oauth2/v2.0/token`, {
			grant_type: 'client_credentials',
			client_id: data().clientId,
			client_secret: data().clientSecret,
			scope: `${sandbox.url}/dynamics/.default`,
		});
		sandbox.admin.revokeClient('dynamics', data().clientId, data().clientSecret);
		const withCached = await fetch(`${sandbox.url}/dynamics/api/data/v9.2/WhoAmI`, {
			headers: { Authorization: `Bearer ${cached.access_token}` },
		});
		expect(withCached.status).toBe(200);

		const result = await testNow(dynamics, { ...data(), accessToken: cached.access_token });

		expect(result).toEqual({
			status: 'Error',
			message:
				'The client secret was rejected by Microsoft Entra ID: invalid_client: AADSTS7000215: the client secret was revoked (HTTP 401). Check the secret; a rotated, expired or revoked secret fails here.',
		});
		expect(result.message).not.toContain(data().clientSecret);
	});

	it('fails naming the Dataverse Web API when it rejects the new token', async () => {
		sandbox.admin.addFault({
			vendor: 'dynamics',
			pathPattern: '/WhoAmI',
			kind: 'expireTokens',
			count: 1,
		});
		const result = await testNow(dynamics, data());
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^Microsoft Entra ID issued a new access token, but the Dataverse Web API rejected it: .+ \(GET http:\/\/127\.0\.0\.1:\d+\/dynamics\/api\/data\/v9\.2\/WhoAmI\)\.$/,
		);
	});

	it('explains a missing tenant', async () => {
		expect(await testNow(dynamics, { ...data(), tenantId: ' ' })).toEqual({
			status: 'Error',
			message: 'Tenant ID is required for the client credentials flow',
		});
	});
});

describe('Salesforce OAuth2 (interactive)', () => {
	const oauth = new CrmSyncSalesforceOAuth2Api();

	it('tests with a call that needs a session: a good token passes, a bad one fails', async () => {
		const issued = await tokenFor(`${sandbox.url}/salesforce/services/oauth2/token`, {
			grant_type: 'authorization_code',
			code: 'consent',
			client_id: 'c',
			client_secret: 's',
		});
		sandbox.admin.clearRequests();

		const good = await testNow(oauth, {
			environment: 'production',
			oauthTokenData: { access_token: issued.access_token, instance_url: issued.instance_url },
		});
		const bad = await testNow(oauth, {
			environment: 'production',
			oauthTokenData: { access_token: 'revoked-session', instance_url: issued.instance_url },
		});

		expect(good).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(bad).toEqual({ status: 'Error', message: 'Unauthorized' });
		expect(
			sandbox.admin.requests('salesforce').map((r) => `${r.method} ${r.path} ${r.status}`),
		).toEqual([
			'GET /salesforce/services/data/v62.0/ 200',
			'GET /salesforce/services/data/v62.0/ 401',
		]);
		// The old test URL (the versions list) answers without any session, so it proved nothing.
		expect((await fetch(`${sandbox.url}/salesforce/services/data/`)).status).toBe(200);
	});
});
