/** Token endpoints of HubSpot, Salesforce (My Domain) and Microsoft Entra ID, and token expiry. */
import { call, localNetworkOnly } from './helpers';
import { HUBSPOT_SEED_IDS, startSandbox, type SandboxHandle } from './server';

describe('sandbox OAuth token endpoints', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let now = Date.UTC(2026, 10, 21, 8);

	beforeAll(async () => {
		sandbox = await startSandbox({
			now: () => now,
			tokenTtlSeconds: 600,
			rateLimits: { hubspot: false },
		});
	});
	afterAll(() => sandbox.close());

	const contact = () =>
		`${sandbox.url}/hubspot/crm/v3/objects/contacts/${HUBSPOT_SEED_IDS.contacts.alice}`;

	it('HubSpot: tokens expire after tokenTtlSeconds with a 401 EXPIRED_AUTHENTICATION; refresh issues a working token', async () => {
		const issued = await call<{
			token_type: string;
			access_token: string;
			refresh_token: string;
			expires_in: number;
		}>(`${sandbox.url}/hubspot/oauth/v1/token`, {
			form: {
				grant_type: 'authorization_code',
				code: 'c0de',
				client_id: 'id',
				client_secret: 'secret',
				redirect_uri: 'http://localhost:5678/rest/oauth2-credential/callback',
			},
		});
		expect(issued.status).toBe(200);
		expect(issued.body).toMatchObject({ token_type: 'bearer', expires_in: 600 });
		expect((await call(contact(), { token: issued.body.access_token })).status).toBe(200);

		now += 600_001;
		const expired = await call<Record<string, unknown>>(contact(), {
			token: issued.body.access_token,
		});
		expect(expired.status).toBe(401);
		expect(expired.body).toMatchObject({ status: 'error', category: 'EXPIRED_AUTHENTICATION' });

		const refreshed = await call<{ access_token: string; refresh_token: string }>(
			`${sandbox.url}/hubspot/oauth/v1/token`,
			{
				form: {
					grant_type: 'refresh_token',
					refresh_token: issued.body.refresh_token,
					client_id: 'id',
					client_secret: 'secret',
				},
			},
		);
		expect(refreshed.body.refresh_token).toBe(issued.body.refresh_token);
		expect((await call(contact(), { token: refreshed.body.access_token })).status).toBe(200);
	});

	it('HubSpot: wrong-secret, unknown refresh tokens and unknown bearer tokens are refused in HubSpot shapes', async () => {
		const wrongSecret = await call<Record<string, unknown>>(
			`${sandbox.url}/hubspot/oauth/v1/token`,
			{
				form: {
					grant_type: 'authorization_code',
					code: 'c',
					client_id: 'id',
					client_secret: 'wrong-secret',
				},
			},
		);
		expect(wrongSecret.status).toBe(400);
		expect(wrongSecret.body).toMatchObject({ status: 'BAD_CLIENT_ID' });
		const badRefresh = await call<Record<string, unknown>>(
			`${sandbox.url}/hubspot/oauth/v1/token`,
			{
				form: {
					grant_type: 'refresh_token',
					refresh_token: 'never-issued',
					client_id: 'id',
					client_secret: 's',
				},
			},
		);
		expect(badRefresh.body).toMatchObject({ status: 'BAD_REFRESH_TOKEN' });
		const unknown = await call<Record<string, unknown>>(contact(), { token: 'made-up' });
		expect(unknown.status).toBe(401);
		expect(unknown.body).toMatchObject({ status: 'error', category: 'INVALID_AUTHENTICATION' });
		const noHeader = await call(contact());
		expect(noHeader.status).toBe(401);
	});

	it('Salesforce: client credentials at the My Domain token URL return instance_url and no refresh token', async () => {
		const issued = await call<Record<string, string>>(
			`${sandbox.url}/salesforce/services/oauth2/token`,
			{
				form: {
					grant_type: 'client_credentials',
					client_id: '3MVG9-consumer',
					client_secret: 'consumer-secret',
				},
			},
		);
		expect(issued.status).toBe(200);
		expect(issued.body).toMatchObject({
			token_type: 'Bearer',
			instance_url: `${sandbox.url}/salesforce`,
		});
		expect(issued.body.refresh_token).toBeUndefined();
		expect(issued.body.issued_at).toBe(String(now));

		const code = await call<Record<string, string>>(
			`${sandbox.url}/salesforce/services/oauth2/token`,
			{
				form: {
					grant_type: 'authorization_code',
					code: 'aPrx',
					client_id: 'c',
					client_secret: 's',
					redirect_uri: 'http://localhost/cb',
				},
			},
		);
		expect(code.body.refresh_token).toEqual(expect.any(String));

		const wrong = await call<Record<string, string>>(
			`${sandbox.url}/salesforce/services/oauth2/token`,
			{
				form: { grant_type: 'client_credentials', client_id: 'c', client_secret: 'wrong-secret' },
			},
		);
		expect(wrong.status).toBe(400);
		expect(wrong.body).toEqual({
			error: 'invalid_client',
			error_description: 'invalid client credentials',
		});

		// A bogus session gets Salesforce's 401 shape; an unknown resource with a valid one, its 404.
		const unauthenticated = await call(
			`${sandbox.url}/salesforce/services/data/v62.0/no-such-resource`,
			{ token: 'nope' },
		);
		expect(unauthenticated.status).toBe(401);
		expect(unauthenticated.body).toEqual([
			{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
		]);
		const unknownResource = await call<Array<{ errorCode: string }>>(
			`${sandbox.url}/salesforce/services/data/v62.0/no-such-resource`,
			{
				token: issued.body.access_token,
			},
		);
		expect(unknownResource.status).toBe(404);
		expect(unknownResource.body[0].errorCode).toBe('NOT_FOUND');
		sandbox.admin.addFault({ vendor: 'salesforce', kind: 'status', status: 503, count: 1 });
		const fault = await call<Array<{ errorCode: string }>>(
			`${sandbox.url}/salesforce/services/data/v62.0/no-such-resource`,
			{ token: issued.body.access_token },
		);
		expect(fault.status).toBe(503);
		expect(fault.body[0].errorCode).toBe('UNKNOWN_EXCEPTION');
	});

	it('Microsoft Entra ID: client credentials (HTTP Basic or form) for Dynamics, AADSTS errors with 401 for a bad secret', async () => {
		const basic = Buffer.from('app-id:app-secret').toString('base64');
		const response = await fetch(`${sandbox.url}/microsoft/contoso-tenant/oauth2/v2.0/token`, {
			method: 'POST',
			headers: {
				Authorization: `Basic ${basic}`,
				'Content-Type': 'application/x-www-form-urlencoded',
			},
			body: new URLSearchParams({
				grant_type: 'client_credentials',
				scope: 'https://contoso.crm.dynamics.com/.default',
			}).toString(),
		});
		const issued = (await response.json()) as Record<string, unknown>;
		expect(response.status).toBe(200);
		expect(issued).toMatchObject({
			token_type: 'Bearer',
			expires_in: 600,
			ext_expires_in: 600,
			scope: 'https://contoso.crm.dynamics.com/.default',
		});
		expect(issued.refresh_token).toBeUndefined();

		const wrong = await call<{ error: string; error_codes: number[]; error_description: string }>(
			`${sandbox.url}/microsoft/contoso-tenant/oauth2/v2.0/token`,
			{
				form: {
					grant_type: 'client_credentials',
					client_id: 'app-id',
					client_secret: 'wrong-secret',
					scope: 'x/.default',
				},
			},
		);
		expect(wrong.status).toBe(401);
		expect(wrong.body.error).toBe('invalid_client');
		expect(wrong.body.error_description).toMatch(/^AADSTS7000215: /);

		const unsupported = await call<{ error: string }>(
			`${sandbox.url}/microsoft/contoso-tenant/oauth2/v2.0/token`,
			{
				form: { grant_type: 'password', client_id: 'a', client_secret: 'b' },
			},
		);
		expect(unsupported.status).toBe(400);
		expect(unsupported.body.error).toBe('unsupported_grant_type');

		// Dynamics tokens are not HubSpot tokens.
		expect((await call(contact(), { token: issued.access_token as string })).status).toBe(401);
	});

	it('revoked client secrets: the token endpoints answer invalid_client afterwards; tokens issued before keep working until they expire', async () => {
		const sfToken = `${sandbox.url}/salesforce/services/oauth2/token`;
		const entra = `${sandbox.url}/microsoft/contoso-tenant/oauth2/v2.0/token`;
		const grant = (client_id: string, client_secret: string, scope?: string) => ({
			form: {
				grant_type: 'client_credentials',
				client_id,
				client_secret,
				...(scope ? { scope } : {}),
			},
		});
		const before = await call<{ access_token: string }>(sfToken, grant('sf-app', 'old-secret'));
		expect(before.status).toBe(200);

		sandbox.admin.revokeClient('salesforce', 'sf-app', 'old-secret');
		const refused = await call<Record<string, string>>(sfToken, grant('sf-app', 'old-secret'));
		expect(refused.status).toBe(400);
		expect(refused.body).toEqual({
			error: 'invalid_client',
			error_description: 'invalid client credentials',
		});
		// a rotated secret of the same app works; the same secret of another app too; other vendors are untouched
		expect((await call(sfToken, grant('sf-app', 'new-secret'))).status).toBe(200);
		expect((await call(sfToken, grant('other-app', 'old-secret'))).status).toBe(200);
		expect((await call(entra, grant('sf-app', 'old-secret', 'x/.default'))).status).toBe(200);
		// the token issued before the revocation still opens a session
		expect(
			(
				await call(`${sandbox.url}/salesforce/services/data/v62.0/limits`, {
					token: before.body.access_token,
				})
			).status,
		).toBe(200);
		now += 600_001;
		expect(
			(
				await call(`${sandbox.url}/salesforce/services/data/v62.0/limits`, {
					token: before.body.access_token,
				})
			).status,
		).toBe(401);

		// over HTTP, a whole client id for Dynamics: every secret is refused in Entra ID's shape
		const admin = await fetch(`${sandbox.url}/__admin/revocations`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ vendor: 'dynamics', clientId: 'dyn-app' }),
		});
		expect(admin.status).toBe(201);
		const aadsts = await call<{ error: string; error_description: string }>(
			entra,
			grant('dyn-app', 'any-secret', 'x/.default'),
		);
		expect(aadsts.status).toBe(401);
		expect(aadsts.body.error).toBe('invalid_client');
		expect(aadsts.body.error_description).toBe('AADSTS7000215: the client secret was revoked.');

		expect((await fetch(`${sandbox.url}/__admin/revocations`, { method: 'DELETE' })).status).toBe(
			200,
		);
		expect((await call(sfToken, grant('sf-app', 'old-secret'))).status).toBe(200);
		expect((await call(entra, grant('dyn-app', 'any-secret', 'x/.default'))).status).toBe(200);
	});

	it('Salesforce: the versions list needs no session, as on Salesforce; the resources of a version and /limits do', async () => {
		const versions = await call<Array<{ version: string }>>(
			`${sandbox.url}/salesforce/services/data/`,
		);
		expect(versions.status).toBe(200);
		expect(versions.body.map((v) => v.version)).toContain('62.0');
		expect((await call(`${sandbox.url}/services/data`)).status).toBe(200);
		for (const path of [
			'/salesforce/services/data/v62.0/',
			'/salesforce/services/data/v62.0/limits',
			'/services/data/v62.0/sobjects',
		]) {
			const answer = await call(`${sandbox.url}${path}`, { token: 'not-a-session' });
			expect({ path, status: answer.status, body: answer.body }).toEqual({
				path,
				status: 401,
				body: [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
			});
		}
		const token = await call<{ access_token: string }>(
			`${sandbox.url}/salesforce/services/oauth2/token`,
			{
				form: { grant_type: 'client_credentials', client_id: 'c', client_secret: 's' },
			},
		);
		const resources = await call<Record<string, string>>(
			`${sandbox.url}/salesforce/services/data/v62.0/`,
			{ token: token.body.access_token },
		);
		expect(resources.status).toBe(200);
		expect(resources.body).toMatchObject({
			sobjects: '/services/data/v62.0/sobjects',
			limits: '/services/data/v62.0/limits',
		});
	});
});
