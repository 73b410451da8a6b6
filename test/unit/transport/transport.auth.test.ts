import nock from 'nock';
import { createTransport } from '../../../nodes/shared/transport/createTransport';
import { CrmRequestError } from '../../../nodes/shared/transport/errors';
import { clearSharedRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import type { CallContext, TokenSource } from '../../../nodes/shared/transport/types';
import { autoClock } from './support/clock';
import { crmFetch, toFailure } from './support/http';

const ORG = 'https://acme.crm.dynamics.com';
const CONTACTS = '/api/data/v9.2/contacts';

/** Stands in for n8n's credential store: hands out the current token, rotates it on refresh. */
function rotatingTokens(tokens: string[], options: { failRefresh?: Error } = {}) {
	let index = 0;
	let refreshes = 0;
	const source: TokenSource = {
		getAccessToken: async () => tokens[index],
		refresh: async () => {
			refreshes++;
			if (options.failRefresh) throw options.failRefresh;
			index = Math.min(index + 1, tokens.length - 1);
			return tokens[index];
		},
	};
	return { source, refreshes: () => refreshes };
}

const listContacts = (ctx: CallContext) =>
	crmFetch(`${ORG}${CONTACTS}`, { headers: { authorization: `Bearer ${ctx.token}` } });

async function caught(promise: Promise<unknown>): Promise<CrmRequestError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof CrmRequestError) return error;
		throw error;
	}
	throw new Error('expected the call to fail');
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	nock.cleanAll();
	clearSharedRateLimiters();
});
afterAll(() => nock.enableNetConnect());

describe('401 and token refresh', () => {
	it('refreshes once through the token source and retries with the new token', async () => {
		const tokens = rotatingTokens(['expired-token-111', 'fresh-token-222']);
		const api = nock(ORG)
			.get(CONTACTS)
			.matchHeader('authorization', 'Bearer expired-token-111')
			.reply(401, {
				error: { code: '0x80072560', message: 'The user is not a member of the organization.' },
			})
			.get(CONTACTS)
			.matchHeader('authorization', 'Bearer fresh-token-222')
			.reply(200, { value: [{ contactid: 'c1' }] });
		const clock = autoClock();
		const transport = createTransport({
			crm: 'dynamics',
			limiterKey: 'dyn:401',
			toFailure,
			tokens: tokens.source,
			...clock,
		});
		await expect(
			transport.call(listContacts, { label: 'GET contacts', idempotent: true }),
		).resolves.toEqual({ value: [{ contactid: 'c1' }] });
		expect(api.isDone()).toBe(true);
		expect(tokens.refreshes()).toBe(1);
		expect(clock.sleeps).toEqual([]);
		expect(transport.usage()).toMatchObject({ calls: 2, retries: 1 });
	});

	it('fails after a second 401 without refreshing again', async () => {
		const tokens = rotatingTokens(['old-token-aaaa', 'new-token-bbbb', 'newer-token-cccc']);
		nock(ORG)
			.get(CONTACTS)
			.times(3)
			.reply(401, { error: { message: 'unauthorized' } });
		const transport = createTransport({
			crm: 'dynamics',
			limiterKey: 'dyn:401x2',
			toFailure,
			tokens: tokens.source,
			...autoClock(),
		});
		const error = await caught(
			transport.call(listContacts, { label: 'GET contacts', idempotent: true }),
		);
		expect(tokens.refreshes()).toBe(1);
		expect(error).toMatchObject({
			kind: 'unauthorized',
			status: 401,
			attempts: 2,
			retryable: false,
		});
		expect(error.message).toContain('again after refreshing the access token once');
		expect(nock.pendingMocks()).toHaveLength(1);
	});

	it('fails at once on 401 when there is no token source (static key)', async () => {
		nock(ORG).get(CONTACTS).reply(401, { message: 'Invalid API key' });
		const transport = createTransport({
			crm: 'autochat',
			limiterKey: 'ac:401',
			toFailure,
			...autoClock(),
		});
		const error = await caught(
			transport.call(() => crmFetch(`${ORG}${CONTACTS}`), {
				label: 'GET clients',
				idempotent: true,
			}),
		);
		expect(error).toMatchObject({ kind: 'unauthorized', attempts: 1 });
		expect(error.message).toBe(
			'autoch.at CRM GET clients: authentication failed (HTTP 401); check the credential. Invalid API key',
		);
	});

	it('reports a failed refresh clearly, without the token', async () => {
		const tokens = rotatingTokens(['leaky-token-zzzz'], {
			failRefresh: new Error('refresh rejected for leaky-token-zzzz'),
		});
		nock(ORG).get(CONTACTS).reply(401, {});
		const transport = createTransport({
			crm: 'dynamics',
			limiterKey: 'dyn:refreshfail',
			toFailure,
			tokens: tokens.source,
			...autoClock(),
		});
		const error = await caught(
			transport.call(listContacts, { label: 'GET contacts', idempotent: true }),
		);
		expect(error.kind).toBe('token');
		expect(error.message).toBe(
			'Dynamics 365 GET contacts: could not refresh the access token through n8n: refresh rejected for ***',
		);
	});

	it('hands the token to the call and scrubs it even if the CRM echoes it', async () => {
		const tokens = rotatingTokens(['echoed-token-9999']);
		nock(ORG).get(CONTACTS).reply(400, {
			message: 'bad header Authorization: Bearer echoed-token-9999',
			token: 'echoed-token-9999',
		});
		const transport = createTransport({
			crm: 'dynamics',
			limiterKey: 'dyn:echo',
			toFailure,
			tokens: tokens.source,
			...autoClock(),
		});
		const error = await caught(
			transport.call(listContacts, { label: 'GET contacts', idempotent: true }),
		);
		expect(
			JSON.stringify({ message: error.message, crm: error.crmMessage, body: error.body }),
		).not.toContain('echoed-token-9999');
		expect(error.crmMessage).toBe('bad header Authorization: Bearer ***');
	});
});
