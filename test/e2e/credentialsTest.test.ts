/**
 * "Test connection" in a real n8n (POST /rest/credentials/test, as the editor sends it for a
 * saved credential: its redacted data, which n8n fills from the stored values — including the
 * cached access token). A client-credentials credential whose secret was revoked in the CRM
 * after a token was cached must fail with the vendor's reason; a good one must pass.
 */
import { randomUUID } from 'node:crypto';

import { restCall } from '../../scripts/runtime/n8nApi';
import { startE2eStack, STACK_START_TIMEOUT_MS, type E2eStack } from './harness';

let stack: E2eStack;
let sandboxUrl: string;

beforeAll(async () => {
	stack = await startE2eStack();
	sandboxUrl = stack.sandbox!.url.replace(/\/+$/, '');
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

interface TestResult {
	status: 'OK' | 'Error';
	message: string;
}

async function token(path: string, form: Record<string, string>): Promise<Record<string, string>> {
	const response = await fetch(`${sandboxUrl}${path}`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({ grant_type: 'client_credentials', ...form }).toString(),
	});
	expect(response.status).toBe(200);
	return (await response.json()) as Record<string, string>;
}

async function revoke(vendor: string, clientId: string, clientSecret: string): Promise<void> {
	const response = await fetch(`${sandboxUrl}/__admin/revocations`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ vendor, clientId, clientSecret }),
	});
	expect(response.status).toBe(201);
}

/** Saves the credential (with a cached token, as n8n stores one after a run) and returns a "Test connection" function. */
async function saveCredential(
	type: string,
	data: Record<string, unknown>,
): Promise<() => Promise<TestResult>> {
	const created = await restCall<{ id: string; name: string }>(
		stack.session,
		'POST',
		'/credentials',
		{ name: `e2e ${type} ${randomUUID()}`, type, data },
	);
	return async () => {
		// What the editor holds for a saved credential: secrets and the cached token redacted.
		const shown = await restCall<{ data: Record<string, unknown> }>(
			stack.session,
			'GET',
			`/credentials/${created.id}?includeData=true`,
		);
		expect(JSON.stringify(shown.data)).not.toContain(String(data.clientSecret));
		return await restCall<TestResult>(stack.session, 'POST', '/credentials/test', {
			credentials: { id: created.id, name: created.name, type, data: shown.data },
		});
	};
}

test('Salesforce client credentials: passes with a good secret, fails once the secret is revoked although the cached token still works', async () => {
	const clientId = `3MVG9-e2e-${randomUUID()}`;
	const clientSecret = `sf-e2e-secret-${randomUUID()}`;
	const cached = await token('/salesforce/services/oauth2/token', {
		client_id: clientId,
		client_secret: clientSecret,
	});
	const test = await saveCredential('crmSyncSalesforceClientCredentialsApi', {
		myDomainUrl: `${sandboxUrl}/salesforce`,
		clientId,
		clientSecret,
		accessToken: cached.access_token,
		instanceUrl: cached.instance_url,
	});

	expect(await test()).toEqual({
		status: 'OK',
		message:
			'Connection successful: Salesforce issued a new access token and the Salesforce REST API accepted it.',
	});

	await revoke('salesforce', clientId, clientSecret);
	const cachedStillWorks = await fetch(`${sandboxUrl}/salesforce/services/data/v62.0/limits`, {
		headers: { Authorization: `Bearer ${cached.access_token}` },
	});
	expect(cachedStillWorks.status).toBe(200);

	const result = await test();
	expect(result).toEqual({
		status: 'Error',
		message:
			'The client secret was rejected by Salesforce: invalid_client: invalid client credentials (HTTP 400). Check the secret; a rotated, expired or revoked secret fails here.',
	});
	expect(JSON.stringify(result)).not.toContain(clientSecret);
});

test('Dynamics 365 client credentials: passes with a good secret, fails once the secret is revoked', async () => {
	const clientId = `dyn-e2e-${randomUUID()}`;
	const clientSecret = `dyn-e2e-secret-${randomUUID()}`;
	const cached = await token('/microsoft/e2e-tenant/oauth2/v2.0/token', {
		client_id: clientId,
		client_secret: clientSecret,
		scope: `${sandboxUrl}/dynamics/.default`,
	});
	const test = await saveCredential('crmSyncDynamicsClientCredentialsApi', {
		tenantId: 'e2e-tenant',
		clientId,
		clientSecret,
		orgUrl: `${sandboxUrl}/dynamics`,
		useCustomHosts: true,
		authorityUrl: `${sandboxUrl}/microsoft`,
		accessToken: cached.access_token,
	});

	expect(await test()).toEqual({
		status: 'OK',
		message:
			'Connection successful: Microsoft Entra ID issued a new access token and the Dataverse Web API accepted it.',
	});

	await revoke('dynamics', clientId, clientSecret);
	const result = await test();
	expect(result.status).toBe('Error');
	expect(result.message).toMatch(
		/^The client secret was rejected by Microsoft Entra ID: invalid_client: AADSTS7000215: /,
	);
	expect(JSON.stringify(result)).not.toContain(clientSecret);
});
