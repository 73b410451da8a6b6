/**
 * Association writes against the sandbox: HubSpot's `writeAssociations` (one v4 batch
 * associate call per object pair, an existing association kept, a missing record failing
 * only its link) and Dynamics 365 lookups bound with the record's own write.
 */
import type { CrmProvider } from '../../nodes/shared/providers/CrmProvider';
import { createDynamicsProvider } from '../../nodes/shared/providers/dynamics/DynamicsProvider';
import { createHubSpotProvider } from '../../nodes/shared/providers/hubspot';
import { clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';
import { DYNAMICS_SEED_IDS } from './vendors/dynamics';
import { HUBSPOT_SEED_IDS } from './vendors/hubspot/seed';

describe('association writes against the sandbox', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let limiter = 0;

	beforeAll(async () => {
		sandbox = await startSandbox({ rateLimits: { hubspot: false, dynamics: false } });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		sandbox.admin.seed('hubspot');
		sandbox.admin.seed('dynamics');
		sandbox.admin.clearRequests();
	});

	const hubspot = (): CrmProvider =>
		createHubSpotProvider({
			tokens: {
				getAccessToken: async () => 'pat-na1-associations',
				refresh: async () => 'pat-na1-associations',
			},
			apiBaseUrl: `${sandbox.url}/hubspot`,
			limiterKey: `associations-hubspot-${++limiter}`,
			transport: { sleep: async () => undefined },
		});

	async function dynamics(): Promise<CrmProvider> {
		const token = await clientCredentialsToken(sandbox.url, 'dynamics');
		return createDynamicsProvider({
			tokens: { getAccessToken: async () => token, refresh: async () => token },
			orgUrl: `${sandbox.url}/dynamics`,
			limiterKey: `associations-dynamics-${++limiter}`,
			transport: { sleep: async () => undefined },
		});
	}

	const linkedIds = (from: string, id: string, to: string) =>
		sandbox.store.linksFrom('hubspot', from, id, to).map((link) => link.toId);

	it('HubSpot: one batch associate call per object pair; both directions stored; a repeat adds nothing', async () => {
		const [c1, c2] = sandbox.admin.putRecords('hubspot', 'contacts', [
			{ email: 'a1@assoc.example' },
			{ email: 'a2@assoc.example' },
		]);
		const [deal] = sandbox.admin.putRecords('hubspot', 'deals', [{ dealname: 'Assoc Deal' }]);
		const company = HUBSPOT_SEED_IDS.companies.globex;
		const links = [
			{ fromObjectType: 'contacts', fromId: c1.id, toObjectType: 'companies', toId: company },
			{ fromObjectType: 'deals', fromId: deal.id, toObjectType: 'companies', toId: company },
			{ fromObjectType: 'contacts', fromId: c2.id, toObjectType: 'companies', toId: company },
			{ fromObjectType: 'deals', fromId: deal.id, toObjectType: 'contacts', toId: c1.id },
		];
		const provider = hubspot();
		expect(await provider.writeAssociations!(links)).toEqual(links.map(() => ({ ok: true })));
		const calls = sandbox.admin
			.requests('hubspot')
			.filter((r) => r.path.includes('/associate/default'))
			.map((r) => r.path.replace(/^.*associations\//, ''));
		expect(calls.sort()).toEqual([
			'contacts/companies/batch/associate/default',
			'deals/companies/batch/associate/default',
			'deals/contacts/batch/associate/default',
		]);
		expect(linkedIds('contacts', c1.id, 'companies')).toEqual([company]);
		expect(linkedIds('companies', company, 'contacts')).toEqual(
			expect.arrayContaining([c1.id, c2.id]),
		);
		expect(linkedIds('deals', deal.id, 'contacts')).toEqual([c1.id]);

		await provider.writeAssociations!(links);
		expect(linkedIds('contacts', c1.id, 'companies')).toEqual([company]);
		expect(linkedIds('deals', deal.id, 'companies')).toEqual([company]);
		// What the sync reads back before writing again.
		const [read] = await provider.readAssociations!('deals', [
			{ id: deal.id, objectType: 'deals', properties: {} },
		]);
		expect(read.associations).toEqual({ company: [company], contact: [c1.id] });
	});

	it('HubSpot: a link to a record that does not exist fails alone, naming it', async () => {
		const [contact] = sandbox.admin.putRecords('hubspot', 'contacts', [
			{ email: 'b1@assoc.example' },
		]);
		const results = await hubspot().writeAssociations!([
			{ fromObjectType: 'contacts', fromId: contact.id, toObjectType: 'companies', toId: '999999' },
			{
				fromObjectType: 'contacts',
				fromId: contact.id,
				toObjectType: 'companies',
				toId: HUBSPOT_SEED_IDS.companies.acme,
			},
		]);
		expect(results[0]).toEqual({
			ok: false,
			error: expect.objectContaining({ message: expect.stringContaining('999999') }),
		});
		expect(results[1]).toEqual({ ok: true });
		expect(linkedIds('contacts', contact.id, 'companies')).toEqual([
			HUBSPOT_SEED_IDS.companies.acme,
		]);
	});

	it('Dynamics 365: lookups ride on the record write as @odata.bind and read back as _x_value', async () => {
		const provider = await dynamics();
		const account = DYNAMICS_SEED_IDS.accounts.globex;
		const contact = DYNAMICS_SEED_IDS.contacts.alice;
		const [created] = await provider.upsertRecords('opportunity', [
			{
				properties: { name: 'Bound Opportunity' },
				lookups: [
					{ field: 'parentaccountid', objectType: 'account', id: account },
					{ field: 'customerid_account', objectType: 'account', id: account },
					{ field: 'parentcontactid', objectType: 'contact', id: contact },
				],
			},
		]);
		expect(created).toMatchObject({ ok: true, created: true });
		const id = created.ok ? created.id : '';
		const [updated] = await provider.upsertRecords('contact', [
			{
				id: DYNAMICS_SEED_IDS.contacts.bob,
				properties: {},
				lookups: [{ field: 'parentcustomerid_account', objectType: 'account', id: account }],
			},
		]);
		expect(updated).toMatchObject({ ok: true });
		const [opportunity] = await provider.getRecords(
			'opportunity',
			[id],
			['_parentaccountid_value', '_parentcontactid_value', '_customerid_value'],
		);
		expect(opportunity?.properties).toMatchObject({
			_parentaccountid_value: account,
			_parentcontactid_value: contact,
			_customerid_value: account,
		});
		const [bob] = await provider.getRecords(
			'contact',
			[DYNAMICS_SEED_IDS.contacts.bob],
			['_parentcustomerid_value'],
		);
		expect(bob?.properties._parentcustomerid_value).toBe(account);
		// One $batch per write, none for the lookups themselves.
		const batches = sandbox.admin.requests('dynamics').filter((r) => r.path.endsWith('$batch'));
		expect(batches).toHaveLength(4);
	});

	it('Dynamics 365: a lookup id that is not a GUID fails only its record, before any request', async () => {
		const provider = await dynamics();
		sandbox.admin.clearRequests();
		const [result] = await provider.upsertRecords('contact', [
			{
				id: DYNAMICS_SEED_IDS.contacts.bob,
				properties: {},
				lookups: [{ field: 'parentcustomerid_account', objectType: 'account', id: 'not-a-guid' }],
			},
		]);
		expect(result).toMatchObject({ ok: false });
		expect(JSON.stringify(result)).toContain('parentcustomerid_account');
		expect(sandbox.admin.requests('dynamics').filter((r) => r.path.endsWith('$batch'))).toEqual([]);
	});
});
