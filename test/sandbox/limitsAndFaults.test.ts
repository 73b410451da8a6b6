/** Rate limiting, fault injection, the request log and counters, over plain HTTP. */
import { call, clientCredentialsToken, localNetworkOnly } from './helpers';
import { HUBSPOT_SEED_IDS, startSandbox, type LoggedRequest, type SandboxHandle } from './server';

const CONTACT = `/hubspot/crm/v3/objects/contacts/${HUBSPOT_SEED_IDS.contacts.alice}`;

describe('sandbox rate limits', () => {
	localNetworkOnly();

	it('HubSpot: the 101st request in the window is a 429 with the documented body and headers, per token', async () => {
		const sandbox = await startSandbox({
			rateLimits: { hubspot: { requests: 100, windowMs: 60_000 } },
		});
		try {
			const token = await clientCredentialsToken(sandbox.url, 'hubspot');
			const answers = [];
			for (let i = 0; i < 100; i++) answers.push(await call(`${sandbox.url}${CONTACT}`, { token }));
			expect(answers.every((a) => a.status === 200)).toBe(true);
			expect(answers[0].headers.get('x-hubspot-ratelimit-max')).toBe('100');
			expect(answers[0].headers.get('x-hubspot-ratelimit-remaining')).toBe('99');
			expect(answers[99].headers.get('x-hubspot-ratelimit-remaining')).toBe('0');
			expect(answers[99].headers.get('x-hubspot-ratelimit-interval-milliseconds')).toBe('60000');

			const limited = await call<Record<string, unknown>>(`${sandbox.url}${CONTACT}`, { token });
			expect(limited.status).toBe(429);
			expect(limited.body).toMatchObject({
				status: 'error',
				message: 'You have reached your ten_secondly_rolling limit.',
				errorType: 'RATE_LIMIT',
				policyName: 'TEN_SECONDLY_ROLLING',
			});
			expect(limited.body.correlationId).toEqual(expect.any(String));
			expect(limited.headers.get('x-hubspot-ratelimit-remaining')).toBe('0');

			// Another token (another installed app) has its own window.
			const other = await call(`${sandbox.url}${CONTACT}`, { token: 'pat-na1-other-app' });
			expect(other.status).toBe(200);
		} finally {
			await sandbox.close();
		}
	});

	it('the window slides with the (injected) clock', async () => {
		let now = Date.UTC(2026, 10, 21, 12);
		const sandbox = await startSandbox({
			now: () => now,
			rateLimits: { hubspot: { requests: 2, windowMs: 10_000 } },
		});
		try {
			const token = 'pat-na1-clock';
			expect((await call(`${sandbox.url}${CONTACT}`, { token })).status).toBe(200);
			now += 6_000;
			expect((await call(`${sandbox.url}${CONTACT}`, { token })).status).toBe(200);
			expect((await call(`${sandbox.url}${CONTACT}`, { token })).status).toBe(429);
			now += 4_001; // the first request left the window
			expect((await call(`${sandbox.url}${CONTACT}`, { token })).status).toBe(200);
			expect((await call(`${sandbox.url}${CONTACT}`, { token })).status).toBe(429);
		} finally {
			await sandbox.close();
		}
	});
});

describe('sandbox faults, request log and counters', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let token: string;

	beforeAll(async () => {
		sandbox = await startSandbox({ rateLimits: { hubspot: false } });
	});
	afterAll(() => sandbox.close());
	beforeEach(async () => {
		sandbox.admin.clearFaults();
		token = await clientCredentialsToken(sandbox.url, 'hubspot');
		sandbox.admin.clearRequests();
	});

	it("'status' answers the next N matching requests with the vendor's error shape and Retry-After", async () => {
		const added = await call(`${sandbox.url}/__admin/faults`, {
			body: {
				vendor: 'hubspot',
				pathPattern: '/objects/contacts/',
				method: 'GET',
				kind: 'status',
				status: 429,
				retryAfterSeconds: 2,
				count: 2,
			},
		});
		expect(added.status).toBe(201);
		const first = await call<Record<string, unknown>>(`${sandbox.url}${CONTACT}`, { token });
		const second = await call(`${sandbox.url}${CONTACT}`, { token });
		const third = await call(`${sandbox.url}${CONTACT}`, { token });
		expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
		expect(first.headers.get('retry-after')).toBe('2');
		expect(first.body).toMatchObject({ status: 'error', policyName: 'TEN_SECONDLY_ROLLING' });

		// Regex patterns, and a fault for another method does not fire.
		sandbox.admin.addFault({
			vendor: 'hubspot',
			pathPattern: '/batch\\/(create|update)$/',
			kind: 'status',
			status: 503,
			count: 1,
		});
		const read = await call(`${sandbox.url}/hubspot/crm/v3/objects/contacts/batch/read`, {
			token,
			body: { inputs: [] },
		});
		const create = await call<Record<string, unknown>>(
			`${sandbox.url}/hubspot/crm/v3/objects/contacts/batch/create`,
			{ token, body: { inputs: [] } },
		);
		expect(read.status).not.toBe(503);
		expect(create.status).toBe(503);
		expect(create.body).toMatchObject({ status: 'error', category: 'INTERNAL_ERROR' });
	});

	it("'reset' destroys the socket without an answer", async () => {
		sandbox.admin.addFault({ vendor: 'hubspot', kind: 'reset', count: 1 });
		await expect(
			fetch(`${sandbox.url}${CONTACT}`, { headers: { Authorization: `Bearer ${token}` } }),
		).rejects.toThrow();
		expect((await call(`${sandbox.url}${CONTACT}`, { token })).status).toBe(200);
		expect(sandbox.admin.requests('hubspot').map((r) => r.status)).toEqual([0, 200]);
	});

	it("'slow' delays the answer by delayMs, then answers normally", async () => {
		sandbox.admin.addFault({ vendor: 'hubspot', kind: 'slow', delayMs: 300, count: 1 });
		const started = Date.now();
		const slow = await call(`${sandbox.url}${CONTACT}`, { token });
		expect(slow.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(290);
	});

	it("'expireTokens' expires every current token: 401 EXPIRED_AUTHENTICATION until the client refreshes", async () => {
		const login = await call<{ access_token: string; refresh_token: string }>(
			`${sandbox.url}/hubspot/oauth/v1/token`,
			{
				form: {
					grant_type: 'authorization_code',
					code: 'any-code',
					client_id: 'app',
					client_secret: 'secret',
					redirect_uri: 'http://localhost/cb',
				},
			},
		);
		sandbox.admin.addFault({ vendor: 'hubspot', kind: 'expireTokens', count: 1 });
		const expired = await call<Record<string, unknown>>(`${sandbox.url}${CONTACT}`, {
			token: login.body.access_token,
		});
		expect(expired.status).toBe(401);
		expect(expired.body).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION' });
		expect((await call(`${sandbox.url}${CONTACT}`, { token })).status).toBe(401); // the other token expired too

		const refreshed = await call<{ access_token: string }>(
			`${sandbox.url}/hubspot/oauth/v1/token`,
			{
				form: {
					grant_type: 'refresh_token',
					refresh_token: login.body.refresh_token,
					client_id: 'app',
					client_secret: 'secret',
				},
			},
		);
		expect(refreshed.status).toBe(200);
		expect(
			(await call(`${sandbox.url}${CONTACT}`, { token: refreshed.body.access_token })).status,
		).toBe(200);
		// Private app tokens never expire.
		expect((await call(`${sandbox.url}${CONTACT}`, { token: 'pat-na1-still-fine' })).status).toBe(
			200,
		);
	});

	it('logs method, path, route, query, parsed body, status and time; secrets are redacted; admin calls are not logged', async () => {
		await call(
			`${sandbox.url}/hubspot/crm/v3/objects/contacts/search?hapikey=legacy-key-value&archived=false`,
			{
				token,
				body: {
					filterGroups: [
						{
							filters: [
								{ propertyName: 'email', operator: 'EQ', value: 'alice.nguyen@acme.example' },
							],
						},
					],
				},
			},
		);
		await call(`${sandbox.url}/hubspot/oauth/v1/token`, {
			form: { grant_type: 'client_credentials', client_id: 'c', client_secret: 'top-secret-value' },
		});
		await call(`${sandbox.url}/__admin/counters`);
		const log = await call<{ requests: LoggedRequest[] }>(
			`${sandbox.url}/__admin/requests?vendor=hubspot`,
		);
		expect(log.body.requests).toHaveLength(2);
		const [search, tokenCall] = log.body.requests;
		expect(search).toMatchObject({
			vendor: 'hubspot',
			method: 'POST',
			path: '/hubspot/crm/v3/objects/contacts/search',
			route: '/hubspot/crm/v3/objects/:objectType/search',
			query: { hapikey: '[redacted]', archived: 'false' },
			body: {
				filterGroups: [
					{
						filters: [
							{ propertyName: 'email', operator: 'EQ', value: 'alice.nguyen@acme.example' },
						],
					},
				],
			},
			status: 200,
		});
		expect(Date.parse(search.at)).not.toBeNaN();
		expect(tokenCall.body).toMatchObject({
			grant_type: 'client_credentials',
			client_secret: '[redacted]',
		});
		expect(JSON.stringify(log.body)).not.toContain('top-secret-value');
		expect(JSON.stringify(log.body)).not.toContain('legacy-key-value');
	});

	it('counters count per vendor and per "METHOD route-template"; DELETE /__admin/requests starts over', async () => {
		for (const id of Object.values(HUBSPOT_SEED_IDS.contacts).slice(0, 3))
			await call(`${sandbox.url}/hubspot/crm/v3/objects/contacts/${id}`, { token });
		await call(`${sandbox.url}/hubspot/crm/v3/objects/deals/batch/read`, {
			token,
			body: { inputs: [{ id: HUBSPOT_SEED_IDS.deals['acme-pilot'] }] },
		});
		await call(`${sandbox.url}/autochat/v1/clients`, { token: 'ak_counter' });
		const counters = await call<{
			total: number;
			vendors: Record<string, { total: number; routes: Record<string, number> }>;
		}>(`${sandbox.url}/__admin/counters`);
		expect(counters.body.total).toBe(5);
		expect(counters.body.vendors.hubspot).toEqual({
			total: 4,
			routes: {
				'GET /hubspot/crm/v3/objects/:objectType/:id': 3,
				'POST /hubspot/crm/v3/objects/:objectType/batch/read': 1,
			},
		});
		expect(counters.body.vendors.autochat.routes).toEqual({ 'GET /autochat/v1/clients': 1 });
		expect((await call(`${sandbox.url}/__admin/requests`, { method: 'DELETE' })).status).toBe(200);
		expect((await call<{ total: number }>(`${sandbox.url}/__admin/counters`)).body.total).toBe(0);
	});

	it('DELETE /__admin/faults disarms pending faults; bad fault bodies are refused', async () => {
		sandbox.admin.addFault({ vendor: 'hubspot', kind: 'status', status: 500, count: 5 });
		expect((await call(`${sandbox.url}/__admin/faults`, { method: 'DELETE' })).status).toBe(200);
		expect((await call(`${sandbox.url}${CONTACT}`, { token })).status).toBe(200);
		const bad = await call<{ error: string }>(`${sandbox.url}/__admin/faults`, {
			body: { vendor: 'hubspot', kind: 'status', status: 418, count: 1 },
		});
		expect(bad.status).toBe(400);
		expect(bad.body.error).toContain('status');
	});

	it('admin reset empties the store, seed restores the demo data, records can be read and planted', async () => {
		expect((await call(`${sandbox.url}/__admin/reset`, { method: 'POST' })).status).toBe(200);
		expect(sandbox.admin.records('hubspot', 'contacts')).toHaveLength(0);
		const planted = await call<{ records: Array<{ id: string; fields: Record<string, unknown> }> }>(
			`${sandbox.url}/__admin/records/hubspot/contacts`,
			{
				body: [
					{ id: '123', properties: { email: 'planted@acme.example', phone: '+1 415 555 0199' } },
				],
			},
		);
		expect(planted.status).toBe(201);
		expect(planted.body.records[0].fields).toMatchObject({
			hs_object_id: '123',
			hs_searchable_calculated_phone_number: '4155550199',
		});
		const search = await call<{ total: number }>(
			`${sandbox.url}/hubspot/crm/v3/objects/contacts/search`,
			{
				token,
				body: {
					filterGroups: [
						{
							filters: [
								{
									propertyName: 'hs_searchable_calculated_phone_number',
									operator: 'EQ',
									value: '4155550199',
								},
							],
						},
					],
				},
			},
		);
		expect(search.body.total).toBe(1);
		expect((await call(`${sandbox.url}/__admin/seed`, { method: 'POST' })).status).toBe(200);
		const listed = await call<{ records: unknown[] }>(
			`${sandbox.url}/__admin/records/hubspot/contacts`,
		);
		expect(listed.body.records).toHaveLength(6);
		expect(
			(await call<{ records: unknown[] }>(`${sandbox.url}/__admin/records/autochat/clients`)).body
				.records,
		).toHaveLength(8);
	});
});
