import nock from 'nock';
import type {
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	INode,
} from 'n8n-workflow';
import { createTransport } from '../../../nodes/shared/transport/createTransport';
import { n8nTokenSource } from '../../../nodes/shared/transport/n8nTokenSource';
import { clearSharedRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { autoClock } from './support/clock';
import { crmFetch, toFailure } from './support/http';

const HUBSPOT = 'https://api.hubapi.com';
const PROBE: IHttpRequestOptions = {
	method: 'GET',
	url: `${HUBSPOT}/account-info/v3/details`,
	json: true,
};
const node: INode = {
	id: 'n',
	name: 'CRM Link',
	type: 'crmLink',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

type Recorded = {
	fn: 'getCredentials' | 'httpRequestWithAuthentication';
	args: unknown[];
	self?: unknown;
};

/**
 * The smallest stand-in for n8n's execute context: a credential record and an authenticated
 * request helper that, like n8n's, sends the request with the stored token and on a 401 refreshes
 * the token (here: takes the next one the "token endpoint" issues), stores it and resends once.
 */
function fakeN8n(
	initial: ICredentialDataDecryptedObject,
	issued: string[],
	options: { refreshFails?: boolean } = {},
) {
	const calls: Recorded[] = [];
	const store = structuredClone(initial);
	const tokenOf = () =>
		(store.oauthTokenData as { access_token?: string } | undefined)?.access_token;
	const send = (request: IHttpRequestOptions) =>
		crmFetch(request.url, {
			method: request.method,
			headers: { authorization: `Bearer ${tokenOf() ?? ''}` },
		});
	const ctx = {
		getNode: () => node,
		getCredentials: async (type: string) => {
			calls.push({ fn: 'getCredentials', args: [type] });
			return structuredClone(store);
		},
		helpers: {
			async httpRequestWithAuthentication(
				this: unknown,
				type: string,
				request: IHttpRequestOptions,
			) {
				calls.push({ fn: 'httpRequestWithAuthentication', args: [type, request], self: this });
				const refresh = () => {
					const next = issued.shift();
					if (options.refreshFails || !next)
						throw new Error(
							`token endpoint said invalid_grant for refresh_token=rt-secret-0000 (token ${tokenOf()})`,
						);
					store.oauthTokenData = { access_token: next, refresh_token: 'rt-secret-0000' };
				};
				if (!tokenOf()) refresh();
				try {
					return await send(request);
				} catch (error) {
					if ((error as { status?: number }).status !== 401) throw error;
					refresh();
					return send(request);
				}
			},
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, calls, stored: tokenOf };
}

const readToken = (data: ICredentialDataDecryptedObject) =>
	(data.oauthTokenData as { access_token?: string } | undefined)?.access_token;

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
	nock.cleanAll();
	clearSharedRateLimiters();
});
afterAll(() => nock.enableNetConnect());

describe('n8nTokenSource', () => {
	it('reads the current token from the credential once, without a request', async () => {
		const n8n = fakeN8n({ oauthTokenData: { access_token: 'at-current-1111' } }, []);
		const tokens = n8nTokenSource(n8n.ctx, 'hubspotOAuth2Api', { readToken, probe: PROBE });
		expect(await tokens.getAccessToken()).toBe('at-current-1111');
		expect(await tokens.getAccessToken()).toBe('at-current-1111');
		expect(n8n.calls.map((call) => call.fn)).toEqual(['getCredentials']);
	});

	it('on first use without a token (client credentials) lets n8n authenticate the probe, then reads again', async () => {
		nock(HUBSPOT)
			.get('/account-info/v3/details')
			.matchHeader('authorization', 'Bearer at-first-2222')
			.reply(200, { portalId: 1 });
		const n8n = fakeN8n({ clientId: 'x' }, ['at-first-2222']);
		const tokens = n8nTokenSource(n8n.ctx, 'salesforceClientCredentialsApi', {
			readToken,
			probe: PROBE,
		});
		expect(await tokens.getAccessToken()).toBe('at-first-2222');
		expect(n8n.calls.map((call) => call.fn)).toEqual([
			'getCredentials',
			'httpRequestWithAuthentication',
			'getCredentials',
		]);
	});

	it('refresh() sends the probe through httpRequestWithAuthentication on the n8n context and re-reads the stored token', async () => {
		nock(HUBSPOT)
			.get('/account-info/v3/details')
			.matchHeader('authorization', 'Bearer at-expired-3333')
			.reply(401, { category: 'EXPIRED_AUTHENTICATION' })
			.get('/account-info/v3/details')
			.matchHeader('authorization', 'Bearer at-renewed-4444')
			.reply(200, { portalId: 1 });
		const n8n = fakeN8n({ oauthTokenData: { access_token: 'at-expired-3333' } }, [
			'at-renewed-4444',
		]);
		const tokens = n8nTokenSource(n8n.ctx, 'hubspotOAuth2Api', { readToken, probe: PROBE });
		await tokens.getAccessToken();
		expect(await tokens.refresh()).toBe('at-renewed-4444');
		const probeCall = n8n.calls.find((call) => call.fn === 'httpRequestWithAuthentication')!;
		expect(probeCall.self).toBe(n8n.ctx);
		expect(probeCall.args).toEqual(['hubspotOAuth2Api', PROBE]);
		expect(n8n.calls.map((call) => call.fn)).toEqual([
			'getCredentials',
			'httpRequestWithAuthentication',
			'getCredentials',
		]);
		expect(await tokens.getAccessToken()).toBe('at-renewed-4444');
	});

	it('returns the unchanged token when the probe succeeds with it (another worker refreshed already)', async () => {
		nock(HUBSPOT).get('/account-info/v3/details').reply(200, { portalId: 1 });
		const n8n = fakeN8n({ oauthTokenData: { access_token: 'at-valid-5555' } }, []);
		const tokens = n8nTokenSource(n8n.ctx, 'hubspotOAuth2Api', { readToken, probe: PROBE });
		expect(await tokens.refresh()).toBe('at-valid-5555');
	});

	it('shares one refresh between concurrent callers', async () => {
		nock(HUBSPOT)
			.get('/account-info/v3/details')
			.reply(401, {})
			.get('/account-info/v3/details')
			.reply(200, {});
		const n8n = fakeN8n({ oauthTokenData: { access_token: 'at-old-6666' } }, ['at-new-7777']);
		const tokens = n8nTokenSource(n8n.ctx, 'hubspotOAuth2Api', { readToken, probe: PROBE });
		const results = await Promise.all([tokens.refresh(), tokens.refresh(), tokens.refresh()]);
		expect(results).toEqual(['at-new-7777', 'at-new-7777', 'at-new-7777']);
		expect(n8n.calls.filter((call) => call.fn === 'httpRequestWithAuthentication')).toHaveLength(1);
	});

	it('never echoes a secret of the credential, even before any token was handed out', async () => {
		nock(HUBSPOT).get('/account-info/v3/details').reply(401, {});
		const n8n = fakeN8n(
			{ oauthTokenData: { access_token: 'at-unseen-9090' }, clientSecret: 'cs-abcdef' },
			[],
			{ refreshFails: true },
		);
		const tokens = n8nTokenSource(n8n.ctx, 'hubspotOAuth2Api', { readToken, probe: PROBE });
		const error = await tokens.refresh().then(
			() => undefined,
			(caught: unknown) => caught as Error,
		);
		expect(error?.message).toContain('n8n could not renew');
		expect(error?.message).not.toContain('at-unseen-9090');
	});

	it('fails clearly, without any secret, when n8n cannot refresh', async () => {
		nock(HUBSPOT).get('/account-info/v3/details').reply(401, {});
		const n8n = fakeN8n({ oauthTokenData: { access_token: 'at-dead-8888' } }, [], {
			refreshFails: true,
		});
		const tokens = n8nTokenSource(n8n.ctx, 'hubspotOAuth2Api', { readToken, probe: PROBE });
		await tokens.getAccessToken();
		const error = await tokens.refresh().then(
			() => undefined,
			(caught: unknown) => caught as Error,
		);
		expect(error?.message).toMatch(
			/^n8n could not renew the access token of the "hubspotOAuth2Api" credential/,
		);
		expect(error?.message).not.toContain('at-dead-8888');
		expect(error?.message).not.toContain('rt-secret-0000');
	});
});

describe('transport + n8nTokenSource', () => {
	it('a 401 from the CRM makes n8n refresh the token, and the call is retried with it', async () => {
		nock(HUBSPOT)
			.post('/crm/v3/objects/contacts/batch/read')
			.matchHeader('authorization', 'Bearer at-stale-1212')
			.reply(401, { status: 'error', category: 'EXPIRED_AUTHENTICATION' })
			.get('/account-info/v3/details')
			.matchHeader('authorization', 'Bearer at-stale-1212')
			.reply(401, {})
			.get('/account-info/v3/details')
			.matchHeader('authorization', 'Bearer at-fresh-3434')
			.reply(200, {})
			.post('/crm/v3/objects/contacts/batch/read')
			.matchHeader('authorization', 'Bearer at-fresh-3434')
			.reply(200, { results: [] });
		const n8n = fakeN8n({ oauthTokenData: { access_token: 'at-stale-1212' } }, ['at-fresh-3434']);
		const transport = createTransport({
			crm: 'hubspot',
			limiterKey: 'hubspotOAuth2Api:e2e',
			toFailure,
			tokens: n8nTokenSource(n8n.ctx, 'hubspotOAuth2Api', { readToken, probe: PROBE }),
			...autoClock(),
		});
		const result = await transport.call(
			(ctx) =>
				crmFetch(`${HUBSPOT}/crm/v3/objects/contacts/batch/read`, {
					method: 'POST',
					headers: { authorization: `Bearer ${ctx.token}` },
					body: '{}',
				}),
			{ label: 'read contacts', idempotent: true },
		);
		expect(result).toEqual({ results: [] });
		expect(n8n.stored()).toBe('at-fresh-3434');
		expect(nock.isDone()).toBe(true);
	});
});
