import { createSalesforceProvider } from '../../../nodes/shared/providers/salesforce';
import type { SalesforceProviderOptions } from '../../../nodes/shared/providers/salesforce';
import type { ActivityDraft } from '../../../nodes/shared/model';
import { CrmRequestError } from '../../../nodes/shared/transport/errors';
import {
	API,
	CountingTokens,
	FakeSalesforce,
	localNetworkOnly,
	queryResult,
	virtualClock,
	uniqueLimiterKey,
} from './fakeSalesforce';

const CONTACT_ID = '003000000000001AAA';
const contactRecord = { attributes: { type: 'Contact' }, Id: CONTACT_ID, LastName: 'Doe' };

describe('Salesforce provider under rate limits, outages and expired sessions', () => {
	let fake: FakeSalesforce;
	let tokens: CountingTokens;
	let waits: number[];

	beforeAll(localNetworkOnly);
	beforeEach(async () => {
		fake = await new FakeSalesforce().start();
		tokens = new CountingTokens();
	});
	afterEach(() => fake.close());

	function provider(overrides: Partial<SalesforceProviderOptions> = {}) {
		const clock = virtualClock();
		waits = clock.waits;
		return createSalesforceProvider({
			tokens,
			instanceUrl: fake.url,
			limiterKey: uniqueLimiterKey(),
			// random() = 1 makes backoff deterministic: 500, 1000, 2000, 4000 ms.
			transport: { sleep: clock.sleep, now: clock.now, random: () => 1 },
			...overrides,
		});
	}

	const readContact = (p: ReturnType<typeof provider>) =>
		p.getRecords('Contact', [CONTACT_ID], ['LastName']);

	it('waits exactly the Retry-After of a 429, then succeeds', async () => {
		fake.once('GET', `${API}/composite/sobjects/Contact`, {
			status: 429,
			headers: { 'Retry-After': '7' },
			body: [
				{ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'ConcurrentPerOrgLongTxn Limit exceeded' },
			],
		});
		fake.once('GET', `${API}/composite/sobjects/Contact`, { body: [contactRecord] });
		const p = provider();

		const [record] = await readContact(p);

		expect(record?.id).toBe(CONTACT_ID);
		expect(waits).toEqual([7000]);
		expect(fake.requests).toHaveLength(2);
		expect(p.usage()).toMatchObject({ calls: 2, retries: 1 });
	});

	it('retries a 503 (not processed) even for a create, and jsforce adds no retries of its own', async () => {
		fake.once('POST', `${API}/composite/sobjects`, {
			status: 503,
			headers: { 'Retry-After': '2' },
			body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }],
		});
		fake.once('POST', `${API}/composite/sobjects`, {
			body: [{ id: CONTACT_ID, success: true, errors: [] }],
		});
		const p = provider();

		const results = await p.upsertRecords('Contact', [{ properties: { LastName: 'Doe' } }]);

		expect(results).toEqual([{ ok: true, id: CONTACT_ID, created: true }]);
		expect(fake.requests).toHaveLength(2);
		// The shared transport backs off on 503 (it honours Retry-After on 429 only).
		expect(waits).toEqual([500]);
	});

	it('sends a failing GET exactly once when the transport allows no retry: jsforce retry is off', async () => {
		fake.on('GET', `${API}/composite/sobjects/Contact`, {
			status: 503,
			body: [{ errorCode: 'SERVER_UNAVAILABLE', message: 'down' }],
		});
		const p = provider({ transport: { ...virtualClock(), retry: { maxRetries: 0 } } });

		await expect(readContact(p)).rejects.toBeInstanceOf(CrmRequestError);
		// jsforce's default would have re-sent this GET up to 5 more times on its own.
		expect(fake.requests).toHaveLength(1);
	});

	it('backs off on repeated 500s and then fails with a clear error naming Salesforce, the call and the status', async () => {
		fake.on('GET', `${API}/composite/sobjects/Contact`, {
			status: 500,
			body: [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred' }],
		});
		const p = provider();

		const error = (await readContact(p).catch((e: unknown) => e)) as CrmRequestError;

		expect(error).toBeInstanceOf(CrmRequestError);
		expect(error).toMatchObject({
			crm: 'salesforce',
			status: 500,
			code: 'UNKNOWN_EXCEPTION',
			attempts: 5,
			retryable: true,
		});
		expect(error.message).toBe(
			'Salesforce GET /composite/sobjects/Contact: failed after 5 attempts; last error HTTP 500: An unexpected error occurred',
		);
		expect(waits).toEqual([500, 1000, 2000, 4000]);
		expect(fake.requests).toHaveLength(5);
	});

	it('refreshes an expired session once through the token source and retries with the new token on the same instance', async () => {
		fake.once('GET', `${API}/composite/sobjects/Contact`, {
			status: 401,
			body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
		});
		fake.once('GET', `${API}/composite/sobjects/Contact`, { body: [contactRecord] });
		const p = provider();

		const [record] = await readContact(p);

		expect(record?.id).toBe(CONTACT_ID);
		expect(tokens.refreshes).toBe(1);
		expect(fake.requests.map((request) => request.headers.authorization)).toEqual([
			'Bearer token-1',
			'Bearer token-2',
		]);
		const host = new URL(fake.url).host;
		expect(fake.requests.map((request) => [request.headers.host, request.path])).toEqual([
			[host, `${API}/composite/sobjects/Contact`],
			[host, `${API}/composite/sobjects/Contact`],
		]);
	});

	it('never puts a token in the thrown error, even when Salesforce echoes it back', async () => {
		fake.on('GET', `${API}/composite/sobjects/Contact`, (request) => ({
			status: 401,
			body: [
				{
					message: `Session expired or invalid: ${request.headers.authorization}`,
					errorCode: 'INVALID_SESSION_ID',
				},
			],
		}));
		const p = provider();

		const error = (await readContact(p).catch((e: unknown) => e)) as CrmRequestError;

		expect(error).toBeInstanceOf(CrmRequestError);
		expect(tokens.refreshes).toBe(1);
		expect(fake.requests).toHaveLength(2);
		const everything = [
			error.message,
			error.stack,
			error.crmMessage,
			JSON.stringify(error),
			JSON.stringify(error.body),
		].join('\n');
		expect(everything).toContain('INVALID_SESSION_ID');
		expect(everything).not.toContain('token-1');
		expect(everything).not.toContain('token-2');
	});

	it('does not follow a redirect, so the token never goes to another host', async () => {
		const elsewhere = await new FakeSalesforce().start();
		try {
			fake.on('GET', `${API}/composite/sobjects/Contact`, {
				status: 302,
				headers: { Location: `${elsewhere.url}${API}/composite/sobjects/Contact` },
			});
			const error = (await readContact(provider()).catch((e: unknown) => e)) as CrmRequestError;
			expect(error).toBeInstanceOf(CrmRequestError);
			expect(error).toMatchObject({ status: 302, kind: 'rejected' });
			expect(elsewhere.requests).toHaveLength(0);
		} finally {
			await elsewhere.close();
		}
	});

	it('captures Sforce-Limit-Info into usage', async () => {
		fake.once('GET', `${API}/composite/sobjects/Contact`, {
			headers: { 'Sforce-Limit-Info': 'api-usage=18/15000' },
			body: [contactRecord],
		});
		const p = provider();
		await readContact(p);
		expect(p.usage().reported).toEqual({
			used: 18,
			limit: 15000,
			remaining: 14982,
			window: 'daily',
		});
	});

	describe('a create that fails ambiguously', () => {
		const callDraft: ActivityDraft = {
			key: 'crmsync:conv-42:call:log',
			kind: 'call',
			conversationId: 'conv-42',
			body: 'Summary',
			startAt: '2026-11-20T10:00:00Z',
			durationSeconds: 300,
			direction: 'inbound',
			targets: [{ crm: 'salesforce', kind: 'contact', objectType: 'Contact', id: CONTACT_ID }],
		};

		it('is looked up (Task by CallObject) instead of being sent twice when it did happen', async () => {
			fake.once('POST', `${API}/composite/sobjects`, {
				status: 500,
				body: [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'boom' }],
			});
			fake.once('GET', `${API}/query`, {
				body: queryResult([
					{
						attributes: { type: 'Task' },
						Id: '00T000000000001AAA',
						CallObject: 'crmsync:conv-42:call:log',
					},
				]),
			});
			const p = provider();

			const results = await p.createActivities([callDraft]);

			expect(results).toEqual([{ ok: true, id: '00T000000000001AAA', created: true }]);
			expect(fake.to('POST', `${API}/composite/sobjects`)).toHaveLength(1);
			expect(fake.queries()).toEqual([
				"SELECT Id, Subject, WhoId, WhatId, OwnerId, CreatedDate, LastModifiedDate, CallObject FROM Task WHERE CallObject IN ('crmsync:conv-42:call:log') ORDER BY CreatedDate DESC",
			]);
		});

		it('is sent again only after the lookup shows it did not happen', async () => {
			fake.once('POST', `${API}/composite/sobjects`, { reset: true });
			fake.once('GET', `${API}/query`, { body: queryResult([]) });
			fake.once('POST', `${API}/composite/sobjects`, {
				body: [{ id: '00T000000000002AAA', success: true, errors: [] }],
			});
			const p = provider();

			const results = await p.createActivities([callDraft]);

			expect(results).toEqual([{ ok: true, id: '00T000000000002AAA', created: true }]);
			expect(fake.to('POST', `${API}/composite/sobjects`)).toHaveLength(2);
		});

		it('is not re-sent when nothing can verify it (plain record create after a reset)', async () => {
			fake.on('POST', `${API}/composite/sobjects`, { reset: true });
			const p = provider();

			const [result] = await p.upsertRecords('Contact', [{ properties: { LastName: 'Doe' } }]);

			expect(result.ok).toBe(false);
			expect(result.ok ? '' : result.error.message).toMatch(
				/there is no way to check whether it was carried out/,
			);
			expect(fake.requests).toHaveLength(1);
		});
	});
});
