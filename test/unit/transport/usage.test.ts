import fc from 'fast-check';
import nock from 'nock';
import { createTransport } from '../../../nodes/shared/transport/createTransport';
import { parseUsageHeaders } from '../../../nodes/shared/transport/usage';
import { autoClock } from './support/clock';
import { toFailure } from './support/http';

describe('parseUsageHeaders', () => {
	it('HubSpot: the 10-second window when no daily headers are sent (OAuth apps)', () => {
		expect(
			parseUsageHeaders('hubspot', {
				'X-HubSpot-RateLimit-Max': '100',
				'X-HubSpot-RateLimit-Remaining': '97',
				'X-HubSpot-RateLimit-Interval-Milliseconds': '10000',
			}),
		).toEqual({ limit: 100, remaining: 97, used: 3, window: '10s' });
	});

	it('HubSpot: the daily window when present, as it bounds a whole run', () => {
		expect(
			parseUsageHeaders('hubspot', {
				'x-hubspot-ratelimit-max': '190',
				'x-hubspot-ratelimit-remaining': '189',
				'x-hubspot-ratelimit-interval-milliseconds': '10000',
				'x-hubspot-ratelimit-daily': '500000',
				'x-hubspot-ratelimit-daily-remaining': '499000',
			}),
		).toEqual({ limit: 500_000, remaining: 499_000, used: 1000, window: 'daily' });
	});

	it('Salesforce: Sforce-Limit-Info api-usage=used/limit', () => {
		expect(parseUsageHeaders('salesforce', { 'Sforce-Limit-Info': 'api-usage=18/15000' })).toEqual({
			used: 18,
			limit: 15_000,
			remaining: 14_982,
			window: 'daily',
		});
		expect(
			parseUsageHeaders('salesforce', { 'sforce-limit-info': 'per-app-api-usage=1/2' }),
		).toBeUndefined();
		expect(
			parseUsageHeaders('salesforce', {
				'sforce-limit-info': 'api-usage=25/5000; per-app-api-usage=17/250(appName=sync)',
			}),
		).toEqual({
			used: 25,
			limit: 5000,
			remaining: 4975,
			window: 'daily',
		});
	});

	it('autoch.at: X-RateLimit-Limit / -Remaining per minute', () => {
		expect(
			parseUsageHeaders('autochat', {
				'X-RateLimit-Limit': '100',
				'X-RateLimit-Remaining': '42',
				'X-RateLimit-Reset': '1763719260',
			}),
		).toEqual({
			limit: 100,
			remaining: 42,
			used: 58,
			window: 'minute',
		});
	});

	it('Dynamics: what is left of the 5-minute window, requests first, else execution time', () => {
		expect(
			parseUsageHeaders('dynamics', {
				'x-ms-ratelimit-burst-remaining-xrm-requests': '5998',
				'x-ms-ratelimit-time-remaining-xrm-requests': '1,199,990.00',
			}),
		).toEqual({ remaining: 5998, window: '5min' });
		expect(
			parseUsageHeaders('dynamics', {
				'x-ms-ratelimit-time-remaining-xrm-requests': '1,199,990.50',
			}),
		).toEqual({
			remaining: 1_199_990.5,
			window: '5min execution time',
		});
	});

	it('returns undefined when the CRM sent no usage headers, and takes the first of repeated headers', () => {
		expect(parseUsageHeaders('hubspot', { 'content-type': 'application/json' })).toBeUndefined();
		expect(parseUsageHeaders('dynamics', {})).toBeUndefined();
		expect(parseUsageHeaders('autochat', { 'x-ratelimit-remaining': ['7', '9'] })).toEqual({
			remaining: 7,
			window: 'minute',
		});
	});
});

describe('parseUsageHeaders with hostile or missing headers', () => {
	it('HubSpot: daily headers that are not whole numbers ≥ 0 are no report (the 10-second window is used if sent)', () => {
		for (const [daily, remaining] of [
			['-5', '-3'],
			['abc', 'def'],
			['1e400', '1e400'],
			['', ''],
			['12.5', '2.5'],
			['99999999999999999999', '-1'],
		]) {
			expect(
				parseUsageHeaders('hubspot', {
					'x-hubspot-ratelimit-daily': daily,
					'x-hubspot-ratelimit-daily-remaining': remaining,
				}),
			).toBeUndefined();
		}
		expect(
			parseUsageHeaders('hubspot', {
				'x-hubspot-ratelimit-daily': 'NaN',
				'x-hubspot-ratelimit-max': '100',
				'x-hubspot-ratelimit-remaining': '40',
			}),
		).toEqual({ limit: 100, remaining: 40, used: 60, window: 'interval' });
	});

	it('HubSpot: only one of the daily pair gives a report without a used count; more remaining than the limit counts as 0 used', () => {
		expect(parseUsageHeaders('hubspot', { 'x-hubspot-ratelimit-daily': '250000' })).toEqual({
			limit: 250_000,
			window: 'daily',
		});
		expect(
			parseUsageHeaders('hubspot', {
				'x-hubspot-ratelimit-daily': '100',
				'x-hubspot-ratelimit-daily-remaining': '500',
			}),
		).toEqual({ limit: 100, remaining: 500, used: 0, window: 'daily' });
	});

	it('Salesforce: an api-usage that is not two whole numbers is no report', () => {
		for (const info of [
			'api-usage=abc/15000',
			'api-usage=-1/15000',
			'api-usage=/',
			'api-usage=1.5/2',
			'api-usage=99999999999999999999/15000',
			'xapi-usage=1/2',
		])
			expect(parseUsageHeaders('salesforce', { 'sforce-limit-info': info })).toBeUndefined();
	});

	it('never throws on any header bag, and a daily report holds whole numbers ≥ 0', () => {
		const value = fc.oneof(
			fc.string(),
			fc.constantFrom('-1', '1e309', '0x10', ' 7 ', '1,000', 'api-usage=1/0', 'Infinity'),
			fc.array(fc.string(), { maxLength: 3 }),
			fc.constant(undefined),
		);
		const name = fc.constantFrom(
			'x-hubspot-ratelimit-daily',
			'X-HubSpot-RateLimit-Daily-Remaining',
			'x-hubspot-ratelimit-max',
			'sforce-limit-info',
			'x-ratelimit-limit',
			'x-ms-ratelimit-burst-remaining-xrm-requests',
			'content-type',
		);
		fc.assert(
			fc.property(
				fc.dictionary(name, value),
				fc.constantFrom('hubspot', 'salesforce', 'autochat', 'dynamics' as const),
				(headers, crm) => {
					const reported = parseUsageHeaders(crm, headers);
					for (const n of [reported?.used, reported?.limit, reported?.remaining])
						if (n !== undefined) expect(Number.isFinite(n) && n >= 0).toBe(true);
					if (reported?.window === 'daily')
						for (const n of [reported.used, reported.limit, reported.remaining])
							if (n !== undefined) expect(Number.isSafeInteger(n)).toBe(true);
				},
			),
		);
	});

	it('the transport keeps no daily usage from hostile headers or a limit of 0, and does not throw', () => {
		const transport = createTransport({
			crm: 'salesforce',
			limiterKey: 'usage:hostile',
			toFailure,
			...autoClock(),
		});
		transport.recordHeaders({ 'sforce-limit-info': 'api-usage=../..' });
		transport.recordHeaders({ 'sforce-limit-info': ['api-usage=5/0'] });
		transport.recordHeaders({ 'sforce-limit-info': undefined });
		expect(transport.usage().daily).toBeUndefined();
	});
});

describe('Transport.recordHeaders keeps the latest reported usage', () => {
	beforeAll(() => nock.disableNetConnect());
	afterEach(() => nock.cleanAll());
	afterAll(() => nock.enableNetConnect());

	it('captures the headers of real responses next to our own call count', async () => {
		const clock = autoClock();
		const transport = createTransport({
			crm: 'salesforce',
			limiterKey: 'usage:sf',
			toFailure,
			...clock,
		});
		nock('https://acme.my.salesforce.com')
			.get('/services/data/v62.0/limits')
			.reply(200, {}, { 'Sforce-Limit-Info': 'api-usage=10/1000' })
			.get('/services/data/v62.0/limits')
			.reply(200, {}, { 'Sforce-Limit-Info': 'api-usage=11/1000' });
		for (let i = 0; i < 2; i++) {
			await transport.call(
				async () => {
					const response = await fetch('https://acme.my.salesforce.com/services/data/v62.0/limits');
					transport.recordHeaders(Object.fromEntries(response.headers.entries()));
					return response.json();
				},
				{ label: 'GET /limits', idempotent: true },
			);
		}
		expect(transport.usage()).toEqual({
			calls: 2,
			retries: 0,
			waitedMs: 0,
			reported: { used: 11, limit: 1000, remaining: 989, window: 'daily' },
			daily: { used: 11, limit: 1000 },
			recentDaily: { usage: { used: 11, limit: 1000 }, ageMs: expect.any(Number) },
		});
	});

	it("shows the credential's recent daily report to a later transport, for 15 minutes, but never as its own", () => {
		let now = Date.UTC(2026, 11, 7, 12);
		const make = () =>
			createTransport({
				crm: 'salesforce',
				limiterKey: 'usage:recent',
				toFailure,
				...autoClock(),
				now: () => now,
			});
		make().recordHeaders({ 'sforce-limit-info': 'api-usage=120/15000' });
		now += 5 * 60_000;
		const later = make();
		expect(later.usage().daily).toBeUndefined();
		expect(later.usage().recentDaily).toEqual({
			usage: { used: 120, limit: 15_000 },
			ageMs: 5 * 60_000,
		});
		now += 11 * 60_000;
		expect(later.usage().recentDaily).toBeUndefined();
	});

	it('keeps the daily report while shorter windows are reported in between (HubSpot search answers)', () => {
		const transport = createTransport({
			crm: 'hubspot',
			limiterKey: 'usage:hs-daily',
			toFailure,
			...autoClock(),
		});
		transport.recordHeaders({
			'x-hubspot-ratelimit-daily': '250000',
			'x-hubspot-ratelimit-daily-remaining': '249000',
		});
		transport.recordHeaders({
			'x-hubspot-ratelimit-max': '100',
			'x-hubspot-ratelimit-remaining': '97',
			'x-hubspot-ratelimit-interval-milliseconds': '10000',
		});
		expect(transport.usage().reported).toMatchObject({ window: '10s', remaining: 97 });
		expect(transport.usage().daily).toEqual({ used: 1000, limit: 250000 });
	});
});
