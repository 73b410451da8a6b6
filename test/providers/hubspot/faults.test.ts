import { Client } from '@hubspot/api-client';
import nock from 'nock';

import { CrmRequestError } from '../../../nodes/shared/transport/errors';
import { keyMarker } from '../../../nodes/shared/providers/hubspot/activityKey';
import { credentialInUse } from '../../../nodes/shared/providers/connect';
import { API, batchBody, fakeTokens, hsObject, isolateNetwork, makeProvider } from './helpers';

const READ = '/crm/v3/objects/contacts/batch/read';

function readOk(id = '1') {
	return batchBody([hsObject(id, { email: 'a@acme.com' })]);
}

async function caught(promise: Promise<unknown>): Promise<CrmRequestError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof CrmRequestError) return error;
		throw error;
	}
	throw new Error('expected the call to fail');
}

describe('HubSpot provider under rate limits, outages and expired tokens', () => {
	isolateNetwork();

	it('waits exactly Retry-After (2 s ⇒ sleep 2000 ms) after a 429, then succeeds', async () => {
		nock(API)
			.post(READ)
			.query(true)
			.reply(
				429,
				{
					status: 'error',
					message: 'You have reached your ten_secondly_rolling limit.',
					errorType: 'RATE_LIMIT',
					policyName: 'TEN_SECONDLY_ROLLING',
				},
				{ 'Retry-After': '2' },
			)
			.post(READ)
			.query(true)
			.reply(200, readOk(), {
				'X-HubSpot-RateLimit-Max': '100',
				'X-HubSpot-RateLimit-Remaining': '97',
			});
		const { provider, sleeps } = makeProvider();

		const [record] = await provider.getRecords('contacts', ['1'], ['email']);

		expect(record?.id).toBe('1');
		expect(sleeps).toEqual([2000]);
		expect(provider.usage()).toMatchObject({
			calls: 2,
			retries: 1,
			waitedMs: 2000,
			reported: { limit: 100, remaining: 97 },
		});
	});

	it('retries a 5xx read with growing backoff, then fails with a clear error after the retry limit', async () => {
		let requests = 0;
		nock(API)
			.post(READ)
			.query(true)
			.times(3)
			.reply(() => {
				requests++;
				return [500, { status: 'error', message: 'internal error', category: 'INTERNAL_ERROR' }];
			});
		const { provider, sleeps } = makeProvider({
			transport: { retry: { maxRetries: 2, baseDelayMs: 100, maxDelayMs: 10_000 } },
		});

		const error = await caught(provider.getRecords('contacts', ['1'], ['email']));

		expect(requests).toBe(3);
		// Full jitter with random() = 0.5: 0.75 × 100, 0.75 × 200.
		expect(sleeps).toEqual([75, 150]);
		expect(error.kind).toBe('gave-up');
		expect(error.status).toBe(500);
		expect(error.attempts).toBe(3);
		expect(error.message).toContain('HubSpot POST /crm/v3/objects/contacts/batch/read');
		expect(error.message).toContain('failed after 3 attempts');
		expect(error.message).toContain('internal error');
	});

	it('retries a read after a connection reset, but never repeats an unverifiable record create', async () => {
		let creates = 0;
		nock(API)
			.post(READ)
			.query(true)
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.post(READ)
			.query(true)
			.reply(200, readOk())
			.post('/crm/v3/objects/contacts/batch/create')
			.reply(() => {
				creates++;
				return [500, { status: 'error', message: 'internal error' }];
			});
		const { provider } = makeProvider();

		const [record] = await provider.getRecords('contacts', ['1'], ['email']);
		const [write] = await provider.upsertRecords('contacts', [
			{ properties: { email: 'new@acme.com' } },
		]);

		expect(record?.id).toBe('1');
		expect(creates).toBe(1);
		expect(write?.ok).toBe(false);
		if (write && !write.ok) {
			expect(write.error.code).toBe('ambiguous');
			expect(write.error.message).toContain('there is no way to check whether it was carried out');
		}
	});

	it('refreshes an expired token once on 401 and retries with the new Bearer token', async () => {
		const authorizations: string[] = [];
		nock(API)
			.post(READ)
			.query(true)
			.times(2)
			.reply(function () {
				authorizations.push(String(this.req.headers.authorization));
				return authorizations.length === 1
					? [
							401,
							{
								status: 'error',
								message: 'Authentication credentials not found.',
								category: 'INVALID_AUTHENTICATION',
							},
						]
					: [200, readOk()];
			});
		const tokens = fakeTokens('expired-token-aaaa1111', 'fresh-token-bbbb2222');
		const { provider } = makeProvider({ tokens });

		const [record] = await provider.getRecords('contacts', ['1'], ['email']);

		expect(record?.id).toBe('1');
		expect(tokens.refreshes).toBe(1);
		expect(authorizations).toEqual([
			'Bearer expired-token-aaaa1111',
			'Bearer fresh-token-bbbb2222',
		]);
	});

	it('a rejected private app token fails at once in the credential\'s own terms: "rejected", its name, what to do; never a refresh', async () => {
		let requests = 0;
		nock(API)
			.post(READ)
			.query(true)
			.reply(() => {
				requests++;
				return [
					401,
					{
						status: 'error',
						message: 'Authentication credentials not found.',
						category: 'INVALID_AUTHENTICATION',
					},
				];
			});
		const tokens = fakeTokens('pat-na1-revoked-token-7777');
		const { provider } = makeProvider({
			tokens,
			transport: { credential: credentialInUse('hubspot', 'privateApp', 'HubSpot (sales portal)') },
		});

		const error = await caught(provider.getRecords('contacts', ['1'], ['email']));

		expect(error.kind).toBe('unauthorized');
		expect(requests).toBe(1);
		expect(tokens.refreshes).toBe(0);
		expect(error.message).toContain(
			'HubSpot rejected the Private App Token credential "HubSpot (sales portal)" (HTTP 401)',
		);
		expect(error.message).toContain('Settings → Integrations → Private Apps');
		expect(error.message).not.toMatch(/refresh|renew/i);
		expect(JSON.stringify({ ...error, message: error.message })).not.toContain(
			'pat-na1-revoked-token-7777',
		);
	});

	it('an OAuth2 token rejected again after one renewal names the credential and says to reconnect it', async () => {
		nock(API).post(READ).query(true).times(2).reply(401, {
			status: 'error',
			message: 'The OAuth token used to make this call expired.',
			category: 'EXPIRED_AUTHENTICATION',
		});
		const tokens = fakeTokens();
		const { provider } = makeProvider({
			tokens,
			transport: { credential: credentialInUse('hubspot', 'oAuth2', 'HubSpot OAuth') },
		});

		const error = await caught(provider.getRecords('contacts', ['1'], ['email']));

		expect(tokens.refreshes).toBe(1);
		expect(error.message).toContain(
			'HubSpot rejected the OAuth2 credential "HubSpot OAuth" even after its access token was renewed (HTTP 401)',
		);
		expect(error.message).toContain('connect it to HubSpot again');
	});

	it('never puts a token in a thrown error, even when HubSpot echoes it back', async () => {
		const tokens = fakeTokens('secret-token-cccc3333', 'secret-token-dddd4444');
		nock(API)
			.post(READ)
			.query(true)
			.times(2)
			.reply(function () {
				const sent = String(this.req.headers.authorization);
				return [
					401,
					{
						status: 'error',
						message: `The OAuth token used to make this call expired: ${sent}`,
						category: 'EXPIRED_AUTHENTICATION',
					},
				];
			});
		const { provider } = makeProvider({ tokens });

		const error = await caught(provider.getRecords('contacts', ['1'], ['email']));

		expect(tokens.refreshes).toBe(1);
		expect(error.kind).toBe('unauthorized');
		const visible = [
			error.message,
			error.crmMessage,
			JSON.stringify(error),
			String(error.stack),
		].join('\n');
		expect(visible).toContain('expired');
		for (const secret of ['secret-token-cccc3333', 'secret-token-dddd4444'])
			expect(visible).not.toContain(secret);
	});

	it('does not let the SDK’s process-wide retry kick in: one 500 with maxRetries 0 ⇒ exactly one request', async () => {
		let requests = 0;
		nock(API)
			.post(READ)
			.query(true)
			.times(2)
			.reply(() => {
				requests++;
				return [500, { status: 'error', message: 'boom' }];
			});
		// Another part of the process configures the SDK singleton with retries, before and after our client exists.
		new Client({ accessToken: 'other', numberOfApiCallRetries: 3 });
		const { provider } = makeProvider({ transport: { retry: { maxRetries: 0 } } });

		const first = await caught(provider.getRecords('contacts', ['1'], ['email']));
		expect(requests).toBe(1);
		new Client({ accessToken: 'other', numberOfApiCallRetries: 3 });
		const second = await caught(provider.getRecords('contacts', ['1'], ['email']));

		expect(requests).toBe(2);
		expect([first.attempts, second.attempts]).toEqual([1, 1]);
		expect(provider.usage().calls).toBe(2);
	});

	const contact = {
		crm: 'hubspot' as const,
		kind: 'contact' as const,
		objectType: 'contacts',
		id: '501',
	};

	it("retries a create after an ambiguous 500 only once the target's associations show it did not happen (no search involved)", async () => {
		let creates = 0;
		nock(API)
			.post('/crm/v3/objects/notes/batch/create')
			.times(2)
			.reply((_uri, body) => {
				creates++;
				if (creates === 1) return [500, { status: 'error', message: 'internal error' }];
				const inputs = (body as { inputs: Array<{ objectWriteTraceId: string }> }).inputs;
				return [
					201,
					batchBody(
						inputs.map((input) =>
							hsObject('900', {}, { objectWriteTraceId: input.objectWriteTraceId }),
						),
					),
				];
			})
			.post('/crm/v4/associations/contacts/notes/batch/read', { inputs: [{ id: '501' }] })
			.reply(200, {
				status: 'COMPLETE',
				results: [{ from: { id: '501' }, to: [{ toObjectId: 77, associationTypes: [] }] }],
			})
			.post('/crm/v3/objects/notes/batch/read')
			.query(true)
			.reply(
				200,
				batchBody([
					hsObject('77', { hs_note_body: '<p>another call</p><p>Ref: crmsyncdeadbeef</p>' }),
				]),
			);
		const { provider } = makeProvider();

		const results = await provider.createActivities([
			{
				key: 'crmsync:c1:note:summary',
				kind: 'note',
				body: 'Hello',
				startAt: '2026-11-21T09:00:00Z',
				targets: [contact],
			},
		]);

		expect(creates).toBe(2);
		expect(results).toEqual([{ ok: true, id: '900', created: true }]);
	});

	it("a create whose answer was lost is found through the target's associations even before search indexes it", async () => {
		const key = 'crmsync:c3:note:summary';
		nock(API)
			.post('/crm/v3/objects/notes/batch/create')
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.post('/crm/v4/associations/contacts/notes/batch/read')
			.reply(200, {
				status: 'COMPLETE',
				results: [{ from: { id: '501' }, to: [{ toObjectId: 905, associationTypes: [] }] }],
			})
			.post('/crm/v3/objects/notes/batch/read')
			.query(true)
			.reply(
				200,
				batchBody([hsObject('905', { hs_note_body: `<p>Hello</p><p>Ref: ${keyMarker(key)}</p>` })]),
			);
		const { provider } = makeProvider();

		const results = await provider.createActivities([
			{ key, kind: 'note', body: 'Hello', startAt: '2026-11-21T09:00:00Z', targets: [contact] },
		]);

		expect(results).toEqual([{ ok: true, id: '905', created: true }]);
		expect(provider.usage().calls).toBe(3);
	});

	it('a note without targets after an ambiguous 500: the lagging search finds nothing, so it is reported uncertain and not re-sent', async () => {
		nock(API)
			.post('/crm/v3/objects/notes/batch/create')
			.reply(500, { status: 'error', message: 'internal error' })
			.post('/crm/v3/objects/notes/search')
			.reply(200, { total: 0, results: [] });
		const { provider } = makeProvider();

		const [result] = await provider.createActivities([
			{
				key: 'crmsync:c4:note:summary',
				kind: 'note',
				body: 'Hello',
				startAt: '2026-11-21T09:00:00Z',
				targets: [],
			},
		]);

		expect(result).toMatchObject({ ok: false, error: { code: 'ambiguous' } });
		expect(result.ok ? '' : result.error.message).toContain(
			"HubSpot cannot tell yet whether it was carried out (a note without associated records can only be found by HubSpot's search",
		);
		expect(provider.usage().calls).toBe(2);
	});

	it('does not create twice when the ambiguous create did happen: the verify search finds it', async () => {
		const key = 'crmsync:c2:call:log';
		nock(API)
			.post('/crm/v3/objects/calls/batch/create')
			.reply(504, { status: 'error', message: 'gateway timeout' })
			.post('/crm/v3/objects/calls/search')
			.reply(200, { total: 1, results: [hsObject('901', { hs_call_external_id: key })] });
		const { provider } = makeProvider();

		const results = await provider.createActivities([
			{ key, kind: 'call', body: 'Call', targets: [] },
		]);

		expect(results).toEqual([{ ok: true, id: '901', created: true }]);
		expect(provider.usage().calls).toBe(2);
	});
});
