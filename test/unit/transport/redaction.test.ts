import fc from 'fast-check';
import nock from 'nock';
import { createTransport } from '../../../nodes/shared/transport/createTransport';
import { CrmRequestError, redactSecrets } from '../../../nodes/shared/transport/errors';
import { clearSharedRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { sanitizeBody } from '../../../nodes/shared/transport/redact';
import type { TokenSource } from '../../../nodes/shared/transport/types';
import { autoClock } from './support/clock';
import { crmFetch, toFailure } from './support/http';

const TOKEN_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~+/='.split(
	'',
);
const tokenArb = fc
	.array(fc.constantFrom(...TOKEN_CHARS), { minLength: 8, maxLength: 80 })
	.map((chars) => chars.join(''));
const textArb = fc.string({ maxLength: 40 });

/** Every string anywhere inside a value (keys included). */
function allStrings(value: unknown, out: string[] = []): string[] {
	if (typeof value === 'string') out.push(value);
	else if (Array.isArray(value)) value.forEach((entry) => allStrings(entry, out));
	else if (value && typeof value === 'object') {
		for (const [key, entry] of Object.entries(value)) {
			out.push(key);
			allStrings(entry, out);
		}
	}
	return out;
}

describe('redactSecrets', () => {
	it('removes known secrets, URL-encoded ones and credential-shaped fragments', () => {
		const text =
			'Authorization: Bearer abc.def.ghi; Basic dXNlcjpwYXNz; body access_token=tok123456&client_secret=s3cr3tvalue {"refresh_token": "rt-999999"} key=my%2Bkey%2F123';
		const result = redactSecrets(text, ['my+key/123']);
		for (const leaked of [
			'abc.def.ghi',
			'dXNlcjpwYXNz',
			'tok123456',
			's3cr3tvalue',
			'rt-999999',
			'my%2Bkey%2F123',
		])
			expect(result).not.toContain(leaked);
		expect(result).toBe(
			'Authorization: Bearer ***; Basic ***; body access_token=***&client_secret=*** {"refresh_token": "***"} key=***',
		);
	});

	it('leaves ordinary text and too-short "secrets" alone', () => {
		expect(redactSecrets('Contact not found', ['abc'])).toBe('Contact not found');
	});
});

describe('sanitizeBody', () => {
	it('blanks credential-named keys and scrubs nested strings, surviving cycles', () => {
		const body: Record<string, unknown> = {
			error: { message: 'bad token SECRET-VALUE-1', Authorization: 'Bearer x' },
			list: ['SECRET-VALUE-1'],
		};
		body.self = body;
		expect(sanitizeBody(body, ['SECRET-VALUE-1'])).toEqual({
			error: { message: 'bad token ***', Authorization: '***' },
			list: ['***'],
			self: '[omitted]',
		});
	});
});

describe('no token or configured secret ever reaches an error (property)', () => {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => {
		nock.cleanAll();
		clearSharedRateLimiters();
	});
	afterAll(() => nock.enableNetConnect());

	it('for random tokens embedded in bodies, client messages and codes', async () => {
		await fc.assert(
			fc.asyncProperty(
				tokenArb,
				tokenArb,
				textArb,
				textArb,
				fc.constantFrom(400, 401, 403, 404, 409, 422, 500),
				async (token, apiSecret, before, after, status) => {
					nock.cleanAll();
					clearSharedRateLimiters();
					const tokens: TokenSource = {
						getAccessToken: async () => token,
						refresh: async () => token,
					};
					nock('https://api.hubapi.com')
						.post('/crm/v3/objects/notes')
						.times(6)
						.reply(status, {
							message: `${before}${token}${after}`,
							nested: { detail: [`key ${apiSecret}`, { echo: encodeURIComponent(token) }] },
							[`field-${token}`]: apiSecret,
						});
					const transport = createTransport({
						crm: 'hubspot',
						limiterKey: 'prop',
						toFailure: (error) => {
							const failure = toFailure(error);
							// A client that puts the request's headers into its error message.
							return {
								...failure,
								message: `${failure.message} (sent Authorization: Bearer ${token}, apikey ${apiSecret})`,
								code: `E_${apiSecret}`,
							};
						},
						tokens,
						secrets: [apiSecret],
						...autoClock(),
					});
					let error: unknown;
					try {
						await transport.call(
							() =>
								crmFetch('https://api.hubapi.com/crm/v3/objects/notes', {
									method: 'POST',
									body: '{}',
								}),
							{
								label: `POST /crm/v3/objects/notes?hapikey=${apiSecret}`,
								idempotent: false,
							},
						);
					} catch (caught) {
						error = caught;
					}
					expect(error).toBeInstanceOf(CrmRequestError);
					const crmError = error as CrmRequestError;
					const visible = [
						crmError.label,
						crmError.message,
						crmError.crmMessage,
						crmError.code ?? '',
						crmError.stack ?? '',
						...allStrings(crmError.body),
					];
					for (const text of visible) {
						expect(text).not.toContain(token);
						expect(text).not.toContain(apiSecret);
					}
				},
			),
			{ numRuns: 60 },
		);
	});
});
