/** Rate limits, outages, rejected keys and error envelopes, with the transport's waits recorded by an injected sleep. */
import { credentialInUse } from '../../../nodes/shared/providers/connect';
import {
	API_KEY,
	CLOCK_START,
	api,
	caught,
	client,
	isolateNetwork,
	makeProvider,
	p,
} from './helpers';

const RATE_LIMITED = { error: { message: 'Rate limit exceeded', code: 'rate_limited' } };
const resetIn = (seconds: number): string => String(CLOCK_START / 1000 + seconds);

describe('autoch.at provider under rate limits, outages and bad keys', () => {
	isolateNetwork();

	it('waits until X-RateLimit-Reset when a 429 has no Retry-After, then succeeds and reports usage', async () => {
		api()
			.get(p('/clients/c-1'))
			.reply(429, RATE_LIMITED, {
				'X-RateLimit-Limit': '100',
				'X-RateLimit-Remaining': '0',
				'X-RateLimit-Reset': resetIn(42),
			})
			.get(p('/clients/c-1'))
			.reply(
				200,
				{ data: client('c-1') },
				{
					'X-RateLimit-Limit': '100',
					'X-RateLimit-Remaining': '99',
					'X-RateLimit-Reset': resetIn(102),
				},
			);
		const { provider, sleeps } = makeProvider();

		const [record] = await provider.getRecords('client', ['c-1'], []);

		expect(record?.id).toBe('c-1');
		expect(sleeps).toEqual([42_000]);
		expect(provider.usage()).toMatchObject({
			calls: 2,
			retries: 1,
			waitedMs: 42_000,
			reported: { limit: 100, remaining: 99, used: 1, window: 'minute' },
		});
	});

	it('prefers Retry-After over X-RateLimit-Reset, and waits at least 1 s for a reset already past', async () => {
		api()
			.get(p('/clients/c-1'))
			.reply(429, RATE_LIMITED, { 'Retry-After': '7', 'X-RateLimit-Reset': resetIn(50) })
			.get(p('/clients/c-1'))
			.reply(429, RATE_LIMITED, { 'X-RateLimit-Reset': resetIn(-30) })
			.get(p('/clients/c-1'))
			.reply(200, { data: client('c-1') });
		const { provider, sleeps } = makeProvider();

		await provider.getRecords('client', ['c-1'], []);

		expect(sleeps).toEqual([7000, 1000]);
	});

	it('does not wait out a reset beyond the allowed Retry-After; fails with a clear rate-limit error', async () => {
		api()
			.get(p('/clients'))
			.query(true)
			.reply(429, RATE_LIMITED, { 'X-RateLimit-Reset': resetIn(600) });
		const { provider, sleeps } = makeProvider();

		const error = await caught(
			provider.listChanged({ objectType: 'client', since: '2026-11-01T00:00:00Z', properties: [] }),
		);

		expect(error.kind).toBe('rate-limited');
		expect(error.retryAfterMs).toBe(600_000);
		expect(error.code).toBe('rate_limited');
		expect(error.message).toContain('autoch.at CRM GET /clients: rate limited (HTTP 429)');
		expect(error.message).toContain('asked to wait 600 s');
		expect(sleeps).toEqual([]);
	});

	it('retries a 5xx read with growing backoff, then fails with a clear error carrying the API message', async () => {
		let requests = 0;
		api()
			.get(p('/clients/c-1'))
			.times(3)
			.reply(() => {
				requests++;
				return [500, { error: { message: 'Internal server error', code: 'internal_error' } }];
			});
		const { provider, sleeps } = makeProvider({
			transport: { retry: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 10_000 } },
		});

		const error = await caught(provider.getRecords('client', ['c-1'], []));

		expect(requests).toBe(3);
		// Jitter with random() = 0.5: 0.75 × 100, 0.75 × 200.
		expect(sleeps).toEqual([75, 150]);
		expect(error.kind).toBe('gave-up');
		expect(error.status).toBe(500);
		expect(error.code).toBe('internal_error');
		expect(error.attempts).toBe(3);
		expect(error.message).toBe(
			'autoch.at CRM GET /clients/{id}: failed after 3 attempts; last error HTTP 500: Internal server error',
		);
	});

	it('retries a create after 503 (never reached the API) and creates exactly once', async () => {
		api()
			.post(p('/clients'))
			.reply(503, { error: { message: 'Service unavailable', code: 'unavailable' } })
			.post(p('/clients'))
			.reply(201, { data: client('new-1') });
		const { provider, sleeps } = makeProvider();

		const [result] = await provider.upsertRecords('client', [{ properties: { name: 'Ivy Chen' } }]);

		expect(result).toEqual({ ok: true, id: 'new-1', created: true });
		expect(sleeps).toEqual([375]);
	});

	it("aborts a hanging read at the transport's deadline (the only timeout) and retries it", async () => {
		api()
			.get(p('/clients/c-1'))
			.delay(500)
			.reply(200, { data: client('late') })
			.get(p('/clients/c-1'))
			.reply(200, { data: client('c-1') });
		const { provider, sleeps } = makeProvider({ transport: { retry: { requestTimeoutMs: 50 } } });

		const [record] = await provider.getRecords('client', ['c-1'], []);

		expect(record?.id).toBe('c-1');
		expect(sleeps).toEqual([375]);
		expect(provider.usage()).toMatchObject({ calls: 2, retries: 1 });
	});

	it('does not repeat a client create after a timeout-like 504: the item fails as ambiguous', async () => {
		api()
			.post(p('/clients'))
			.reply(504, { error: { message: 'Gateway timeout', code: 'timeout' } });
		const { provider } = makeProvider();

		const [result] = await provider.upsertRecords('client', [{ properties: { name: 'Ivy Chen' } }]);

		expect(result).toMatchObject({
			ok: false,
			error: {
				status: 504,
				code: 'timeout',
				message: expect.stringContaining('there is no way to check whether it was carried out'),
			},
		});
		expect(provider.usage().calls).toBe(1);
	});

	it('fails a 401 at once with "API key rejected" — no refresh, no retry, never the key', async () => {
		api()
			.get(p('/clients/c-1'))
			.reply(401, { error: { message: 'Invalid API key', code: 'unauthorized' } });
		const { provider, sleeps } = makeProvider();

		const error = await caught(provider.getRecords('client', ['c-1'], []));

		expect(error.kind).toBe('unauthorized');
		expect(error.status).toBe(401);
		expect(error.attempts).toBe(1);
		expect(error.message).toContain(
			'autoch.at CRM GET /clients/{id}: authentication failed (HTTP 401)',
		);
		expect(error.message).toContain('API key rejected');
		expect(error.message).toContain('Invalid API key');
		expect(JSON.stringify({ ...error, message: error.message })).not.toContain(API_KEY);
		expect(sleeps).toEqual([]);
	});

	it('a rejected API key names the credential as the user sees it and says how to replace the key', async () => {
		api()
			.get(p('/clients/c-1'))
			.reply(401, { error: { message: 'Invalid API key', code: 'unauthorized' } });
		const { provider, sleeps } = makeProvider({
			transport: { credential: credentialInUse('autochat', 'apiKey', 'autoch.at production') },
		});

		const error = await caught(provider.getRecords('client', ['c-1'], []));

		expect(error.attempts).toBe(1);
		expect(error.message).toContain(
			'autoch.at CRM rejected the API Key credential "autoch.at production" (HTTP 401)',
		);
		expect(error.message).toContain(
			'create a new one in autoch.at CRM under Settings → API Keys and paste it there',
		);
		expect(error.message).not.toMatch(/refresh|renew/i);
		expect(JSON.stringify({ ...error, message: error.message })).not.toContain(API_KEY);
		expect(sleeps).toEqual([]);
	});

	it('surfaces { error: { message, code } } in the thrown CrmRequestError', async () => {
		api()
			.get(p('/clients'))
			.query(true)
			.reply(400, { error: { message: 'cursor is invalid', code: 'invalid_request' } });
		const { provider } = makeProvider();

		const error = await caught(
			provider.listChanged({
				objectType: 'client',
				since: '2026-11-01T00:00:00Z',
				properties: [],
				cursor: 'bogus',
			}),
		);

		expect(error.kind).toBe('rejected');
		expect(error.status).toBe(400);
		expect(error.code).toBe('invalid_request');
		expect(error.crmMessage).toBe('cursor is invalid');
		expect(error.message).toBe(
			'autoch.at CRM GET /clients: rejected (HTTP 400: cursor is invalid)',
		);
		expect(error.body).toEqual({
			error: { message: 'cursor is invalid', code: 'invalid_request' },
		});
	});

	it('never puts the API key in an error, even when the API or the network echoes it', async () => {
		api()
			.get(p('/clients/c-1'))
			.reply(403, {
				error: { message: `Key ${API_KEY} lacks clients:read`, code: 'forbidden' },
				echo: { authorization: `Bearer ${API_KEY}` },
			})
			.get(p('/clients/c-2'))
			.replyWithError(
				Object.assign(new Error(`connect ECONNREFUSED while sending ${API_KEY}`), {
					code: 'ECONNREFUSED',
				}),
			)
			.get(p('/clients/c-2'))
			.reply(422, `upstream said: api_key=${API_KEY}`);
		const { provider } = makeProvider();

		const forbidden = await caught(provider.getRecords('client', ['c-1'], []));
		const refused = await caught(provider.getRecords('client', ['c-2'], []));

		for (const error of [forbidden, refused]) {
			const everything = JSON.stringify({
				message: error.message,
				crmMessage: error.crmMessage,
				code: error.code,
				body: error.body,
				stack: error.stack,
			});
			expect(everything).not.toContain(API_KEY);
		}
		expect(forbidden.crmMessage).toBe('Key *** lacks clients:read');
		// ECONNREFUSED never reached the API, so it was retried; the second answer carried the key in plain text.
		expect(refused.status).toBe(422);
		expect(refused.crmMessage).toContain('api_key=***');
	});

	it('explains a rejected key without showing it', async () => {
		api()
			.get(p('/clients/c-1'))
			.reply(401, { error: { message: 'Invalid API key', code: 'unauthorized' } });
		const { provider } = makeProvider();

		const bad = await caught(provider.getRecords('client', ['c-1'], ['name']));

		expect(bad.message).toContain('API key rejected');
		expect(bad.message).not.toContain(API_KEY);
	});
});
