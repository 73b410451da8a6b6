/**
 * The providers' `listDeleted` against the sandbox: HubSpot pages the archived listing,
 * Dynamics 365 starts change tracking and reads deletions from the delta link once, and
 * refuses a cursor that points outside its org.
 */
import type { CrmProvider } from '../../nodes/shared/providers/CrmProvider';
import { createDynamicsProvider } from '../../nodes/shared/providers/dynamics/DynamicsProvider';
import { createHubSpotProvider } from '../../nodes/shared/providers/hubspot';
import { clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';

describe('listDeleted against the sandbox', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let clock = Date.parse('2026-11-21T08:00:00Z');
	let limiter = 0;

	beforeAll(async () => {
		sandbox = await startSandbox({
			now: () => clock,
			rateLimits: { hubspot: false, dynamics: false },
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		clock = Date.parse('2026-11-21T08:00:00Z');
		sandbox.admin.reset();
		sandbox.admin.clearRequests();
	});

	const hubspot = (): CrmProvider =>
		createHubSpotProvider({
			tokens: {
				getAccessToken: async () => 'pat-na1-deletions',
				refresh: async () => 'pat-na1-deletions',
			},
			apiBaseUrl: `${sandbox.url}/hubspot`,
			limiterKey: `deletions-hubspot-${++limiter}`,
			transport: { sleep: async () => undefined, now: () => clock },
		});

	async function dynamics(): Promise<CrmProvider> {
		const token = await clientCredentialsToken(sandbox.url, 'dynamics');
		return createDynamicsProvider({
			tokens: { getAccessToken: async () => token, refresh: async () => token },
			orgUrl: `${sandbox.url}/dynamics`,
			limiterKey: `deletions-dynamics-${++limiter}`,
			transport: { sleep: async () => undefined, now: () => clock },
		});
	}

	it('HubSpot: archived deals page by page with archivedAt, one call per page', async () => {
		const deals = sandbox.admin.putRecords(
			'hubspot',
			'deals',
			Array.from({ length: 3 }, (_, i) => ({ dealname: `D${i}` })),
		);
		clock += 1_000;
		sandbox.admin.deleteRecords(
			'hubspot',
			'deals',
			deals.map((deal) => deal.id),
		);
		const provider = hubspot();
		const first = await provider.listDeleted!({
			objectType: 'deals',
			since: '2026-11-21T07:00:00Z',
			pageSize: 2,
		});
		expect(first.records).toEqual(
			deals.slice(0, 2).map((deal) => ({
				id: deal.id,
				objectType: 'deals',
				deletedAt: '2026-11-21T08:00:01.000Z',
			})),
		);
		const second = await provider.listDeleted!({
			objectType: 'deals',
			since: '2026-11-21T07:00:00Z',
			cursor: first.nextCursor,
			pageSize: 2,
		});
		expect(second.records.map((record) => record.id)).toEqual([deals[2].id]);
		expect(second.nextCursor).toBeUndefined();
		expect(second.resumeCursor).toBeUndefined();
		expect(
			sandbox.admin
				.requests('hubspot')
				.filter((request) => request.path === '/hubspot/crm/v3/objects/deals'),
		).toHaveLength(2);
	});

	it('Dynamics 365: the first listing starts tracking (no deletions), the delta link then gives each deletion once', async () => {
		const accounts = sandbox.admin.putRecords('dynamics', 'account', [
			{ name: 'A' },
			{ name: 'B' },
			{ name: 'C' },
		]);
		const provider = await dynamics();
		const start = await provider.listDeleted!({
			objectType: 'account',
			since: '2026-11-21T07:00:00Z',
			pageSize: 2,
		});
		expect(start.records).toEqual([]);
		expect(start.nextCursor).toBeDefined();
		const end = await provider.listDeleted!({
			objectType: 'account',
			since: '2026-11-21T07:00:00Z',
			cursor: start.nextCursor,
			pageSize: 2,
		});
		expect(end.records).toEqual([]);
		expect(end.resumeCursor).toBeDefined();

		clock += 1_000;
		sandbox.admin.deleteRecords('dynamics', 'account', [accounts[1].id]);
		sandbox.admin.putRecords('dynamics', 'account', [{ id: accounts[0].id, name: 'A2' }]);
		const delta = await provider.listDeleted!({
			objectType: 'account',
			since: '2026-11-21T07:00:00Z',
			cursor: end.resumeCursor,
		});
		// The changed row is listChanged's business: only the deletion comes out.
		expect(delta.records).toEqual([{ id: accounts[1].id, objectType: 'account' }]);
		const again = await provider.listDeleted!({
			objectType: 'account',
			since: '2026-11-21T07:00:00Z',
			cursor: delta.resumeCursor,
		});
		expect(again.records).toEqual([]);
	});

	it('Dynamics 365: a cursor outside the org is refused before any request', async () => {
		const provider = await dynamics();
		sandbox.admin.clearRequests();
		await expect(
			provider.listDeleted!({
				objectType: 'account',
				since: '2026-11-21T07:00:00Z',
				cursor: 'https://elsewhere.example/api/data/v9.2/accounts?$deltatoken=1',
			}),
		).rejects.toThrow(/does not belong to this Dynamics 365 org/);
		expect(
			sandbox.admin.requests('dynamics').filter((request) => request.path.includes('/api/data/')),
		).toEqual([]);
	});
});
