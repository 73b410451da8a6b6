/**
 * The providers' `deleteRecords` against the sandbox: one request per batch (HubSpot batch
 * archive, Salesforce sObject Collections delete, one Dataverse `$batch`), a record already
 * gone counts as deleted, a lost answer is retried and still removes each record once and
 * nothing else, and the deletions show in each CRM's deletion listing.
 */
import type { CrmProvider } from '../../nodes/shared/providers/CrmProvider';
import { createAutochatProvider } from '../../nodes/shared/providers/autochat/AutochatProvider';
import { createDynamicsProvider } from '../../nodes/shared/providers/dynamics/DynamicsProvider';
import { createHubSpotProvider } from '../../nodes/shared/providers/hubspot';
import { createSalesforceProvider } from '../../nodes/shared/providers/salesforce/SalesforceProvider';
import { clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';

type Vendor = 'hubspot' | 'salesforce' | 'dynamics';

describe('deleteRecords against the sandbox', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let clock = Date.parse('2026-11-21T08:00:00Z');
	let limiter = 0;

	beforeAll(async () => {
		sandbox = await startSandbox({
			now: () => clock,
			rateLimits: { hubspot: false, salesforce: false, dynamics: false },
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		clock = Date.parse('2026-11-21T08:00:00Z');
		sandbox.admin.reset();
		sandbox.admin.clearRequests();
		sandbox.admin.clearFaults();
	});

	const transport = () => ({ sleep: async () => undefined, now: () => clock });

	async function providerFor(vendor: Vendor): Promise<CrmProvider> {
		if (vendor === 'hubspot')
			return createHubSpotProvider({
				tokens: {
					getAccessToken: async () => 'pat-na1-deletes',
					refresh: async () => 'pat-na1-deletes',
				},
				apiBaseUrl: `${sandbox.url}/hubspot`,
				limiterKey: `deletes-hubspot-${++limiter}`,
				transport: transport(),
			});
		const token = await clientCredentialsToken(sandbox.url, vendor);
		const tokens = { getAccessToken: async () => token, refresh: async () => token };
		if (vendor === 'salesforce')
			return createSalesforceProvider({
				tokens,
				instanceUrl: `${sandbox.url}/salesforce`,
				apiVersion: '62.0',
				limiterKey: `deletes-salesforce-${++limiter}`,
				transport: transport(),
			});
		return createDynamicsProvider({
			tokens,
			orgUrl: `${sandbox.url}/dynamics`,
			limiterKey: `deletes-dynamics-${++limiter}`,
			transport: transport(),
		});
	}

	const CONTACT: Record<
		Vendor,
		{ objectType: string; fields: (i: number) => Record<string, unknown> }
	> = {
		hubspot: { objectType: 'contacts', fields: (i) => ({ lastname: `Gone${i}` }) },
		salesforce: { objectType: 'Contact', fields: (i) => ({ LastName: `Gone${i}` }) },
		dynamics: { objectType: 'contact', fields: (i) => ({ lastname: `Gone${i}` }) },
	};
	/** Each vendor's delete request: method and the end of its path. */
	const DELETE_REQUEST: Record<Vendor, { method: string; path: string }> = {
		hubspot: { method: 'POST', path: '/batch/archive' },
		salesforce: { method: 'DELETE', path: '/composite/sobjects' },
		dynamics: { method: 'POST', path: '/$batch' },
	};

	const plant = (vendor: Vendor, count: number) =>
		sandbox.admin
			.putRecords(
				vendor,
				CONTACT[vendor].objectType,
				Array.from({ length: count }, (_, i) => CONTACT[vendor].fields(i)),
			)
			.map((record) => record.id);
	const deleteRequests = (vendor: Vendor) =>
		sandbox.admin
			.requests(vendor)
			.filter(
				(request) =>
					request.method === DELETE_REQUEST[vendor].method &&
					request.path.endsWith(DELETE_REQUEST[vendor].path),
			).length;
	const stored = (vendor: Vendor) =>
		new Set(sandbox.store.list(vendor, CONTACT[vendor].objectType).map((record) => record.id));

	it.each<Vendor>(['hubspot', 'salesforce', 'dynamics'])(
		'%s: three records and one already gone ⇒ one request, all four deleted, nothing else touched, listed as deleted',
		async (vendor) => {
			const provider = await providerFor(vendor);
			const [gone, ...ids] = plant(vendor, 4);
			const others = plant(vendor, 2);
			sandbox.admin.deleteRecords(vendor, CONTACT[vendor].objectType, [gone]);
			sandbox.admin.clearRequests();
			const results = await provider.deleteRecords!(CONTACT[vendor].objectType, [...ids, gone]);
			expect(results).toEqual([...ids, gone].map((id) => ({ ok: true, id, created: false })));
			expect(deleteRequests(vendor)).toBe(1);
			const left = stored(vendor);
			for (const id of [...ids, gone]) expect(left.has(id)).toBe(false);
			for (const id of others) expect(left.has(id)).toBe(true);
			const logged = sandbox.store
				.deletions(vendor, CONTACT[vendor].objectType)
				.map((entry) => entry.id);
			expect(new Set(logged)).toEqual(new Set([gone, ...ids]));
		},
	);

	it.each<Vendor>(['hubspot', 'salesforce', 'dynamics'])(
		'%s: the answer of the delete is lost ⇒ the retry finds them gone and reports them deleted; each deleted once, the others kept',
		async (vendor) => {
			const provider = await providerFor(vendor);
			const ids = plant(vendor, 3);
			const others = plant(vendor, 2);
			sandbox.admin.addFault({
				vendor,
				method: DELETE_REQUEST[vendor].method,
				pathPattern: DELETE_REQUEST[vendor].path.slice(1),
				kind: 'dropAnswer',
				count: 1,
			});
			const results = await provider.deleteRecords!(CONTACT[vendor].objectType, ids);
			expect(results.every((result) => result.ok)).toBe(true);
			expect(deleteRequests(vendor)).toBe(2);
			const left = stored(vendor);
			for (const id of ids) expect(left.has(id)).toBe(false);
			for (const id of others) expect(left.has(id)).toBe(true);
			const logged = sandbox.store
				.deletions(vendor, CONTACT[vendor].objectType)
				.map((entry) => entry.id);
			expect(logged.sort()).toEqual([...ids].sort());
		},
	);

	it('Salesforce: more than 200 ids take one call per 200; a malformed id is refused without a call', async () => {
		const provider = await providerFor('salesforce');
		const ids = plant('salesforce', 201);
		const results = await provider.deleteRecords!('Contact', [...ids, 'not-an-id']);
		expect(results.slice(0, 201).every((result) => result.ok)).toBe(true);
		expect(results[201]).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
		expect(deleteRequests('salesforce')).toBe(2);
		expect(stored('salesforce').size).toBe(0);
	});

	it('HubSpot: 150 ids take two batch archives (100 each at most)', async () => {
		const provider = await providerFor('hubspot');
		const before = stored('hubspot').size;
		const ids = plant('hubspot', 150);
		const results = await provider.deleteRecords!('contacts', ids);
		expect(results.filter((result) => result.ok)).toHaveLength(150);
		expect(deleteRequests('hubspot')).toBe(2);
		expect(stored('hubspot').size).toBe(before);
	});
	it('a provider offers deleteRecords exactly where its profile says the CRM can delete (autoch.at cannot)', async () => {
		const autochat = createAutochatProvider({
			apiKey: 'ak_deletes',
			baseUrl: `${sandbox.url}/autochat/v1`,
			limiterKey: `deletes-autochat-${++limiter}`,
			transport: transport(),
		});
		const providers = [
			autochat,
			...(await Promise.all((['hubspot', 'salesforce', 'dynamics'] as const).map(providerFor))),
		];
		for (const provider of providers)
			expect([provider.profile.crm, typeof provider.deleteRecords]).toEqual([
				provider.profile.crm,
				provider.profile.recordDeletion.supported ? 'function' : 'undefined',
			]);
		expect(autochat.profile.recordDeletion.supported).toBe(false);
	});
	it("what deleteRecords deletes is what listDeleted (the CRM Sync Trigger's Include Deletions) lists next", async () => {
		for (const vendor of ['hubspot', 'salesforce', 'dynamics'] as const) {
			const provider = await providerFor(vendor);
			const objectType = CONTACT[vendor].objectType;
			const [kept, gone] = plant(vendor, 2);
			const since = new Date(clock - 60_000).toISOString();
			// Dataverse lists deletions by change token: the first listing starts tracking.
			let cursor: string | undefined;
			if (vendor === 'dynamics') {
				for (let page = 0; page < 20; page++) {
					const start = await provider.listDeleted!({ objectType, since, cursor });
					cursor = start.nextCursor ?? start.resumeCursor;
					if (!start.nextCursor) break;
				}
			}
			clock += 1_000;
			await provider.deleteRecords!(objectType, [gone]);
			clock += 120_000;
			const listed = await provider.listDeleted!({ objectType, since, cursor });
			const ids = listed.records.map((record) => record.id.toLowerCase());
			expect([vendor, ids.includes(gone.toLowerCase())]).toEqual([vendor, true]);
			expect([vendor, ids.includes(kept.toLowerCase())]).toEqual([vendor, false]);
		}
	});
	it.each<Vendor>(['hubspot', 'salesforce', 'dynamics'])(
		'%s: a delete the transport gives up on fails its records as gave-up (safe to send again), the records kept',
		async (vendor) => {
			const provider = await providerFor(vendor);
			const ids = plant(vendor, 2);
			sandbox.admin.addFault({
				vendor,
				method: DELETE_REQUEST[vendor].method,
				pathPattern: DELETE_REQUEST[vendor].path.slice(1),
				kind: 'status',
				status: 503,
				count: 10,
			});
			const results = await provider.deleteRecords!(CONTACT[vendor].objectType, ids);
			expect(results).toEqual(
				ids.map(() => ({
					ok: false,
					error: expect.objectContaining({ transportKind: 'gave-up' }),
				})),
			);
			const left = stored(vendor);
			for (const id of ids) expect(left.has(id)).toBe(true);
		},
	);
});
