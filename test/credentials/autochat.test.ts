import { CrmSyncAutochatApi } from '../../credentials/CrmSyncAutochatApi.credentials';
import { interceptOnce, isolateNetwork } from './harness/capture';
import { runCredentialTest } from './harness/n8nCredentials';

isolateNetwork();

describe('CrmSyncAutochatApi', () => {
	const type = new CrmSyncAutochatApi();
	const origin = 'https://abcd1234.supabase.co';

	it('tests the connection with GET <baseUrl>/clients?limit=1 and the API key as Bearer token', async () => {
		const capture = interceptOnce(origin, 'GET', '/functions/v1/crm-api/v1/clients?limit=1', 200, {
			data: [],
		});

		const response = await runCredentialTest(type, {
			baseUrl: `${origin}/functions/v1/crm-api/v1/`,
			apiKey: 'ac_live_key',
			webhookSigningSecret: 'whsec-value',
		});

		expect(response.status).toBe(200);
		expect(capture.requests).toHaveLength(1);
		expect(capture.requests[0].path).toBe('/functions/v1/crm-api/v1/clients?limit=1');
		expect(capture.requests[0].headers.authorization).toBe('Bearer ac_live_key');
		// The signing secret is for the trigger only: it is never sent with API calls.
		expect(JSON.stringify(capture.requests[0])).not.toContain('whsec-value');
	});

	it('surfaces a rejected key as a failed test (401 with the documented error body)', async () => {
		interceptOnce(origin, 'GET', '/functions/v1/crm-api/v1/clients?limit=1', 401, {
			error: { message: 'Invalid API key', code: 'UNAUTHORIZED' },
		});

		const response = await runCredentialTest(type, {
			baseUrl: `${origin}/functions/v1/crm-api/v1`,
			apiKey: 'wrong',
		});

		expect(response.status).toBe(401);
	});
});
