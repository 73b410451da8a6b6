/**
 * HubSpot's daily API limit in the sandbox: private-app answers report the daily allocation,
 * OAuth answers do not, past the limit every request gets HubSpot's 429 DAILY body — and the
 * pack's HubSpot provider reads the report into `usage().daily` and stops at the limit
 * without retrying.
 */
import { createHubSpotProvider } from '../../nodes/shared/providers/hubspot';
import { call, localNetworkOnly } from './helpers';
import { HUBSPOT_SEED_IDS, startSandbox, type SandboxHandle } from './server';

describe('HubSpot daily API limit (sandbox)', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	const token = 'pat-na1-daily-tests';
	const contact = () =>
		`${sandbox.url}/hubspot/crm/v3/objects/contacts/${HUBSPOT_SEED_IDS.contacts.alice}`;

	beforeAll(async () => {
		sandbox = await startSandbox({ rateLimits: { hubspot: false } });
	});
	afterAll(() => sandbox.close());
	afterEach(() => sandbox.admin.configure('hubspot', { dailyApiLimit: 500_000, apiUsage: 0 }));

	it('counts private-app requests, reports them in the daily headers and answers 429 DAILY past the limit', async () => {
		sandbox.admin.configure('hubspot', { dailyApiLimit: 10, apiUsage: 8 });
		const ninth = await call(contact(), { token });
		expect(ninth.status).toBe(200);
		expect(ninth.headers.get('x-hubspot-ratelimit-daily')).toBe('10');
		expect(ninth.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('1');
		// A failed request counts too.
		const missing = await call(`${sandbox.url}/hubspot/crm/v3/objects/contacts/1`, { token });
		expect(missing.status).toBe(404);
		expect(missing.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
		const refused = await call(contact(), { token });
		expect(refused.status).toBe(429);
		expect(refused.body).toMatchObject({
			status: 'error',
			message: 'You have reached your daily limit.',
			errorType: 'RATE_LIMIT',
			policyName: 'DAILY',
		});
		expect(refused.headers.get('x-hubspot-ratelimit-daily-remaining')).toBe('0');
	});

	it('gives OAuth requests no daily headers and never refuses them for the daily limit', async () => {
		sandbox.admin.configure('hubspot', { dailyApiLimit: 1, apiUsage: 1 });
		const oauth = sandbox.admin.issueToken('hubspot');
		const answer = await call(contact(), { token: oauth });
		expect(answer.status).toBe(200);
		expect(answer.headers.get('x-hubspot-ratelimit-daily')).toBeNull();
		expect((await call(contact(), { token })).status).toBe(429);
	});

	it('refuses settings that are not whole numbers ≥ 0, and unknown ones', () => {
		expect(() => sandbox.admin.configure('hubspot', { dailyApiLimit: -1 })).toThrow(
			/dailyApiLimit must be a whole number/,
		);
		expect(() => sandbox.admin.configure('hubspot', { apiUsage: 1.5 })).toThrow(
			/apiUsage must be a whole number/,
		);
		expect(() => sandbox.admin.configure('hubspot', { dailyLimit: 5 })).toThrow(
			/unknown HubSpot sandbox settings: dailyLimit/,
		);
	});

	it("the pack's HubSpot provider reads the daily usage, and fails once at the limit instead of retrying", async () => {
		sandbox.admin.configure('hubspot', { dailyApiLimit: 1_000, apiUsage: 700 });
		const provider = createHubSpotProvider({
			tokens: { getAccessToken: async () => token, refresh: async () => token },
			apiBaseUrl: `${sandbox.url}/hubspot`,
			limiterKey: 'daily-limit-provider',
			transport: { sleep: async () => undefined },
		});
		const [alice] = await provider.getRecords('contacts', [HUBSPOT_SEED_IDS.contacts.alice], []);
		expect(alice?.id).toBe(HUBSPOT_SEED_IDS.contacts.alice);
		expect(provider.usage().daily).toEqual({ used: 701, limit: 1_000 });
		// Searches count too, and the usage stays the latest report.
		await provider.findMatches([{ phones: [], emails: ['nobody@nowhere.example'], domains: [] }], {
			kinds: ['contact'],
			openDealsOnly: false,
		});
		const used = provider.usage().daily?.used ?? 0;
		expect(used).toBeGreaterThan(701);

		sandbox.admin.configure('hubspot', { apiUsage: 1_000 });
		sandbox.admin.clearRequests();
		await expect(
			provider.getRecords('contacts', [HUBSPOT_SEED_IDS.contacts.alice], []),
		).rejects.toThrow(/daily API limit of this HubSpot account is used up/);
		expect(sandbox.admin.requests('hubspot')).toHaveLength(1);
	});
});
