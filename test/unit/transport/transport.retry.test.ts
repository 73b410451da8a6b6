import http from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import {
	createTransport,
	type TransportOptions,
} from '../../../nodes/shared/transport/createTransport';
import { CrmRequestError } from '../../../nodes/shared/transport/errors';
import type { VerifyOutcome } from '../../../nodes/shared/transport/types';
import { clearSharedRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { autoClock } from './support/clock';
import { isHubSpotDailyLimit } from '../../../nodes/shared/providers/hubspot/errors';
import { crmFetch, HttpStatusError, toFailure } from './support/http';

const HUBSPOT = 'https://api.hubapi.com';
const NOTES = '/crm/v3/objects/notes';

function hubspotTransport(
	clock: ReturnType<typeof autoClock>,
	extra: Partial<TransportOptions> = {},
) {
	return createTransport({
		crm: 'hubspot',
		limiterKey: 'hubspotPrivateApp:test',
		toFailure,
		random: () => 1,
		...clock,
		...extra,
	});
}

const createNote = (ctx: { attempt: number }) =>
	crmFetch(`${HUBSPOT}${NOTES}`, {
		method: 'POST',
		body: JSON.stringify({ properties: { hs_note_body: `try ${ctx.attempt}` } }),
	});

async function caught(promise: Promise<unknown>): Promise<CrmRequestError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof CrmRequestError) return error;
		throw new Error(`expected a CrmRequestError, got ${String(error)}`);
	}
	throw new Error('expected the call to fail');
}

beforeAll(() => {
	nock.disableNetConnect();
	nock.enableNetConnect('127.0.0.1');
});
afterEach(() => {
	nock.cleanAll();
	clearSharedRateLimiters();
});
afterAll(() => nock.enableNetConnect());

describe('429 rate limiting', () => {
	it('waits exactly Retry-After seconds, then succeeds (even for a create: a 429 was not processed)', async () => {
		const clock = autoClock();
		const api = nock(HUBSPOT)
			.post(NOTES)
			.reply(429, { status: 'error', policyName: 'TEN_SECONDLY_ROLLING' }, { 'Retry-After': '3' })
			.post(NOTES)
			.reply(201, { id: '501' });
		const transport = hubspotTransport(clock);
		await expect(
			transport.call(createNote, { label: `POST ${NOTES}`, idempotent: false }),
		).resolves.toEqual({ id: '501' });
		expect(clock.sleeps).toEqual([3000]);
		expect(api.isDone()).toBe(true);
		expect(transport.usage()).toMatchObject({ calls: 2, retries: 1, waitedMs: 3000 });
	});

	it('waits exactly until a Retry-After HTTP-date', async () => {
		const clock = autoClock();
		const until = new Date(clock.now() + 7000).toUTCString();
		nock(HUBSPOT)
			.get('/crm/v3/objects/contacts/1')
			.reply(429, {}, { 'Retry-After': until })
			.get('/crm/v3/objects/contacts/1')
			.reply(200, { id: '1' });
		const transport = createTransport({
			crm: 'dynamics',
			limiterKey: 'dyn:date',
			toFailure,
			...clock,
		});
		await transport.call(() => crmFetch(`${HUBSPOT}/crm/v3/objects/contacts/1`), {
			label: 'GET contact',
			idempotent: true,
		});
		expect(clock.sleeps).toEqual([7000]);
	});

	it('uses jittered exponential backoff when there is no Retry-After', async () => {
		const clock = autoClock();
		nock(HUBSPOT)
			.post(NOTES)
			.times(2)
			.reply(429, { policyName: 'TEN_SECONDLY_ROLLING' })
			.post(NOTES)
			.reply(201, { id: '7' });
		const transport = hubspotTransport(clock, { random: () => 0.5 });
		await transport.call(createNote, { label: 'create note', idempotent: false });
		// base 500 ms doubling, jitter at the middle of [half, full]: 375, then 750.
		expect(clock.sleeps).toEqual([375, 750]);
	});

	it('does not retry HubSpot’s DAILY limit and says so', async () => {
		const clock = autoClock();
		nock(HUBSPOT).post(NOTES).reply(429, {
			status: 'error',
			message: 'You have reached your daily limit.',
			policyName: 'DAILY',
		});
		// HubSpot's own translator flags the DAILY policy; the transport acts on the flag.
		const hubSpotFailure = (thrown: unknown) => ({
			...toFailure(thrown),
			dailyLimit: thrown instanceof HttpStatusError && isHubSpotDailyLimit(thrown.body),
		});
		const error = await caught(
			hubspotTransport(clock, { toFailure: hubSpotFailure }).call(createNote, {
				label: 'create note',
				idempotent: false,
			}),
		);
		expect(error).toMatchObject({
			crm: 'hubspot',
			status: 429,
			attempts: 1,
			kind: 'rate-limited',
			retryable: true,
		});
		expect(error.message).toMatch(/^HubSpot create note: the daily API limit/);
		expect(clock.sleeps).toEqual([]);
	});

	it('fails clearly when the CRM asks for a longer wait than allowed', async () => {
		const clock = autoClock();
		nock(HUBSPOT).get('/x').reply(429, { message: 'slow down' }, { 'Retry-After': '600' });
		const transport = createTransport({
			crm: 'autochat',
			limiterKey: 'ac:long',
			toFailure,
			...clock,
			retry: { maxRetryAfterMs: 120_000 },
		});
		const error = await caught(
			transport.call(() => crmFetch(`${HUBSPOT}/x`), { label: 'GET /clients', idempotent: true }),
		);
		expect(error.message).toBe(
			'autoch.at CRM GET /clients: rate limited (HTTP 429); autoch.at CRM asked to wait 600 s, longer than the 120 s this node is allowed to wait. Try again later. slow down',
		);
		expect(error).toMatchObject({ attempts: 1, retryAfterMs: 600_000, retryable: true });
		expect(clock.sleeps).toEqual([]);
	});
});

describe('server errors and backoff', () => {
	it('retries a 500 on an idempotent call with growing backoff, then gives up naming the attempts and last error', async () => {
		const clock = autoClock();
		const api = nock(HUBSPOT)
			.get('/crm/v3/objects/deals/9')
			.times(5)
			.reply(500, { message: 'internal error' });
		const error = await caught(
			hubspotTransport(clock).call(() => crmFetch(`${HUBSPOT}/crm/v3/objects/deals/9`), {
				label: 'GET deal',
				idempotent: true,
			}),
		);
		expect(api.isDone()).toBe(true);
		expect(clock.sleeps).toEqual([500, 1000, 2000, 4000]);
		expect(error).toMatchObject({
			kind: 'gave-up',
			attempts: 5,
			status: 500,
			crmMessage: 'internal error',
		});
		expect(error.message).toBe(
			'HubSpot GET deal: failed after 5 attempts; last error HTTP 500: internal error',
		);
	});

	it('caps the backoff at maxDelayMs', async () => {
		const clock = autoClock();
		nock(HUBSPOT).get('/r').times(5).reply(503, 'unavailable');
		await caught(
			hubspotTransport(clock, { retry: { baseDelayMs: 500, maxDelayMs: 1500 } }).call(
				() => crmFetch(`${HUBSPOT}/r`),
				{ label: 'GET r', idempotent: true },
			),
		);
		expect(clock.sleeps).toEqual([500, 1000, 1500, 1500]);
	});

	it('retries 502/503 even for a create: the request never reached the CRM', async () => {
		const clock = autoClock();
		const api = nock(HUBSPOT)
			.post(NOTES)
			.reply(502, 'bad gateway')
			.post(NOTES)
			.reply(503, 'unavailable')
			.post(NOTES)
			.reply(201, { id: '42' });
		await expect(
			hubspotTransport(clock).call(createNote, { label: 'create note', idempotent: false }),
		).resolves.toEqual({ id: '42' });
		expect(api.isDone()).toBe(true);
		expect(clock.sleeps).toEqual([500, 1000]);
	});

	it('retries a create after connection refused', async () => {
		const refusedPort = await closedPort();
		const served = await jsonServer(201, { id: '5' });
		try {
			const clock = autoClock();
			const transport = hubspotTransport(clock);
			const result = await transport.call(
				(ctx) =>
					crmFetch(`http://127.0.0.1:${ctx.attempt === 0 ? refusedPort : served.port}/notes`, {
						method: 'POST',
						body: '{}',
					}),
				{ label: 'create note', idempotent: false },
			);
			expect(result).toEqual({ id: '5' });
			expect(served.requests()).toBe(1);
			expect(transport.usage()).toMatchObject({ calls: 2, retries: 1 });
		} finally {
			await served.close();
		}
	});

	it('fails at once on other 4xx answers, keeping the CRM’s message and body', async () => {
		const clock = autoClock();
		const body = {
			status: 'error',
			message: 'Property values were not valid',
			category: 'VALIDATION_ERROR',
		};
		nock(HUBSPOT).post(NOTES).reply(400, body);
		const error = await caught(
			hubspotTransport(clock).call(createNote, { label: 'create note', idempotent: false }),
		);
		expect(error).toMatchObject({
			kind: 'rejected',
			status: 400,
			attempts: 1,
			retryable: false,
			crmMessage: 'Property values were not valid',
			body,
		});
		expect(error.message).toBe(
			'HubSpot create note: rejected (HTTP 400: Property values were not valid)',
		);
		expect(clock.sleeps).toEqual([]);
	});
});

describe('ambiguous failures of creates', () => {
	it('never retries a create after a connection reset when nothing can verify it', async () => {
		const clock = autoClock();
		const api = nock(HUBSPOT)
			.post(NOTES)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.post(NOTES)
			.reply(201, { id: 'duplicate' });
		const error = await caught(
			hubspotTransport(clock).call(createNote, { label: 'create note', idempotent: false }),
		);
		expect(api.pendingMocks()).toHaveLength(1); // the second create was never sent
		expect(error).toMatchObject({
			kind: 'ambiguous',
			attempts: 1,
			retryable: false,
			code: 'ECONNRESET',
		});
		expect(error.message).toContain(
			'the request may have reached HubSpot, and there is no way to check whether it was carried out',
		);
	});

	it('sends exactly one create when a real server drops the connection mid-request', async () => {
		const dropping = await droppingServer();
		try {
			const error = await caught(
				hubspotTransport(autoClock()).call(
					() => crmFetch(`http://127.0.0.1:${dropping.port}/notes`, { method: 'POST', body: '{}' }),
					{
						label: 'create note',
						idempotent: false,
					},
				),
			);
			expect(dropping.requests()).toBe(1);
			expect(error.kind).toBe('ambiguous');
		} finally {
			await dropping.close();
		}
	});

	it('returns what verify finds instead of creating a second time', async () => {
		const clock = autoClock();
		const api = nock(HUBSPOT)
			.post(NOTES)
			.reply(504, 'gateway timeout')
			.post(`${NOTES}/search`)
			.reply(200, { total: 1, results: [{ id: '77' }] })
			.post(NOTES)
			.reply(201, { id: 'duplicate' });
		const transport = hubspotTransport(clock);
		const result = await transport.call(createNote, {
			label: 'create note',
			idempotent: false,
			verify: async () => {
				const found = (await crmFetch(`${HUBSPOT}${NOTES}/search`, {
					method: 'POST',
					body: '{}',
				})) as { results: Array<{ id: string }> };
				return found.results.length > 0
					? { status: 'done', value: { id: found.results[0].id } }
					: { status: 'not-done' };
			},
		});
		expect(result).toEqual({ id: '77' });
		expect(api.pendingMocks()).toEqual([`POST ${HUBSPOT}:443${NOTES}`]);
		expect(clock.sleeps).toEqual([]);
	});

	const searchVerify = async (): Promise<VerifyOutcome<unknown>> => {
		const found = (await crmFetch(`${HUBSPOT}${NOTES}/search`, { method: 'POST', body: '{}' })) as {
			results: Array<{ id: string }>;
		};
		return found.results.length > 0
			? { status: 'done', value: { id: found.results[0].id } }
			: { status: 'not-done' };
	};

	it('retries the create when verify proves it did not happen after a dropped connection', async () => {
		const clock = autoClock();
		const api = nock(HUBSPOT)
			.post(NOTES)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.post(`${NOTES}/search`)
			.reply(200, { total: 0, results: [] })
			.post(NOTES)
			.reply(201, { id: '8' });
		const result = await hubspotTransport(clock).call(createNote, {
			label: 'create note',
			idempotent: false,
			verify: searchVerify,
		});
		expect(result).toEqual({ id: '8' });
		expect(api.isDone()).toBe(true);
		expect(clock.sleeps).toEqual([500]);
	});

	it('never re-sends a create after a timeout, even when verify finds nothing yet (the CRM may still store it)', async () => {
		const clock = autoClock();
		const api = nock(HUBSPOT)
			.post(NOTES)
			.replyWithError(Object.assign(new Error('read ETIMEDOUT'), { code: 'ETIMEDOUT' }))
			.post(`${NOTES}/search`)
			.reply(200, { total: 0, results: [] })
			.post(NOTES)
			.reply(201, { id: 'duplicate' });
		const error = await caught(
			hubspotTransport(clock).call(createNote, {
				label: 'create note',
				idempotent: false,
				verify: searchVerify,
			}),
		);
		expect(error.kind).toBe('ambiguous');
		expect(error.timedOut).toBe(true);
		expect(error.retryable).toBe(false);
		expect(error.message).toMatch(/HubSpot may still be carrying it out.*not sent again/);
		expect(api.pendingMocks()).toEqual([`POST ${HUBSPOT}:443${NOTES}`]);
	});

	it('reports a create as uncertain when verify cannot tell (e.g. a lagging search index)', async () => {
		const clock = autoClock();
		const api = nock(HUBSPOT)
			.post(NOTES)
			.reply(500, 'oops')
			.post(NOTES)
			.reply(201, { id: 'duplicate' });
		const error = await caught(
			hubspotTransport(clock).call(createNote, {
				label: 'create note',
				idempotent: false,
				verify: async () => ({ status: 'unknown', reason: 'the search index lags' }),
			}),
		);
		expect(error.kind).toBe('ambiguous');
		expect(error.message).toContain(
			'HubSpot cannot tell yet whether it was carried out (the search index lags)',
		);
		expect(api.pendingMocks()).toEqual([`POST ${HUBSPOT}:443${NOTES}`]);
	});

	it('gives every attempt its own deadline: a hung create is abandoned as timed out, a hung read is retried', async () => {
		const clock = autoClock();
		let reads = 0;
		const hung = (): Promise<never> => new Promise<never>(() => undefined);
		const transport = hubspotTransport(clock, { retry: { requestTimeoutMs: 40 } });
		const create = await caught(
			transport.call(hung, {
				label: 'create note',
				idempotent: false,
				verify: async () => ({ status: 'not-done' }),
			}),
		);
		expect(create.kind).toBe('ambiguous');
		expect(create.timedOut).toBe(true);
		expect(create.message).toMatch(
			/^HubSpot create note: no answer within 40 ms: the request may have reached HubSpot/,
		);
		const value = await transport.call(
			async ({ signal }) => {
				reads += 1;
				if (reads === 1) return await hung();
				expect(signal.aborted).toBe(false);
				return 'read';
			},
			{ label: 'read', idempotent: true },
		);
		expect(value).toBe('read');
		expect(reads).toBe(2);
	});

	it('fails without retrying when verify itself fails', async () => {
		const clock = autoClock();
		nock(HUBSPOT)
			.post(NOTES)
			.reply(500, 'oops')
			.post(`${NOTES}/search`)
			.reply(403, { message: 'missing scope' });
		const error = await caught(
			hubspotTransport(clock).call(createNote, {
				label: 'create note',
				idempotent: false,
				verify: () =>
					crmFetch(`${HUBSPOT}${NOTES}/search`, { method: 'POST', body: '{}' }).then(() => ({
						status: 'not-done' as const,
					})),
			}),
		);
		expect(error.kind).toBe('ambiguous');
		expect(error.message).toContain('checking whether it was carried out failed too');
	});

	it('retries an idempotent call after a reset', async () => {
		const clock = autoClock();
		nock(HUBSPOT)
			.patch(`${NOTES}/3`)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.patch(`${NOTES}/3`)
			.reply(200, { id: '3' });
		const result = await hubspotTransport(clock).call(
			() => crmFetch(`${HUBSPOT}${NOTES}/3`, { method: 'PATCH', body: '{}' }),
			{
				label: 'update note',
				idempotent: true,
			},
		);
		expect(result).toEqual({ id: '3' });
	});
});

describe('other rules', () => {
	it('passes a CrmRequestError thrown inside fn through unchanged, without retrying it', async () => {
		const clock = autoClock();
		const inner = hubspotTransport(clock, { limiterKey: 'inner' });
		const outer = hubspotTransport(clock, { limiterKey: 'outer' });
		nock(HUBSPOT).get('/inner').times(5).reply(503, 'down');
		const error = await caught(
			outer.call(
				() =>
					inner.call(() => crmFetch(`${HUBSPOT}/inner`), { label: 'GET inner', idempotent: true }),
				{ label: 'outer', idempotent: true },
			),
		);
		expect(error.label).toBe('GET inner');
		expect(outer.usage().calls).toBe(1);
		expect(inner.usage().calls).toBe(5);
	});

	it('stops before exceeding the API budget', async () => {
		const clock = autoClock();
		nock(HUBSPOT).get('/b').times(2).reply(200, {});
		const transport = hubspotTransport(clock, { maxCalls: 2 });
		await transport.call(() => crmFetch(`${HUBSPOT}/b`), { label: 'GET b', idempotent: true });
		await transport.call(() => crmFetch(`${HUBSPOT}/b`), { label: 'GET b', idempotent: true });
		const error = await caught(
			transport.call(() => crmFetch(`${HUBSPOT}/b`), { label: 'GET b', idempotent: true }),
		);
		expect(error.kind).toBe('budget');
		expect(transport.usage().calls).toBe(2);
	});

	it('still reports the original failure when the provider’s translator throws', async () => {
		const clock = autoClock();
		const transport = hubspotTransport(clock, {
			toFailure: () => {
				throw new Error('translator bug');
			},
		});
		const error = await caught(
			transport.call(() => Promise.reject(new Error('weird client failure')), {
				label: 'GET x',
				idempotent: true,
			}),
		);
		expect(error).toMatchObject({
			kind: 'unexpected',
			crmMessage: 'weird client failure',
			attempts: 1,
		});
	});
});

// --- local servers for real connection failures -------------------------------------

async function listen(server: http.Server): Promise<number> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return (server.address() as AddressInfo).port;
}

async function closedPort(): Promise<number> {
	const server = http.createServer();
	const port = await listen(server);
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

async function jsonServer(status: number, body: unknown) {
	let count = 0;
	const server = http.createServer((req, res) => {
		count++;
		req.resume();
		res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
	});
	const port = await listen(server);
	return {
		port,
		requests: () => count,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}

async function droppingServer() {
	let count = 0;
	const server = http.createServer((req) => {
		count++;
		req.socket.destroy();
	});
	const port = await listen(server);
	return {
		port,
		requests: () => count,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
