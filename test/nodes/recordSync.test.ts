/**
 * CRM Record Sync through n8n's real engine against the sandbox: people, companies and deals
 * from HubSpot to Salesforce and back, the identity order (link → email over Lead and
 * Contact → domain → create), every sync rule, the type check of field pairs, echo
 * suppression over ten alternating polls with flat API calls, ten concurrent copies of one
 * record and a create whose answer is lost.
 */
import type { IDataObject } from 'n8n-workflow';

import { DYNAMICS_SEED_IDS } from '../sandbox/vendors/dynamics';
import { SALESFORCE_SEED_IDS } from '../sandbox/vendors/salesforce/seed';
import { SANDBOX_AUTH, jsonOf, sandboxHarness, singleNodeWorkflow } from './support/packHarness';
import { IsolatedRecordSync } from './support/recordSyncSetup';
import { sandboxPerTest } from './support/sandboxSuite';

const NODE = 'CRM Record Sync';

type Rule = 'twoWay' | 'preferTarget' | 'alwaysSource' | 'none';
const map = (sourceField: string, targetField: string, rule: Rule = 'twoWay') => ({
	sourceField,
	targetField,
	rule,
});

const PEOPLE_HS_TO_SF = [
	map('firstname', 'FirstName'),
	map('lastname', 'LastName'),
	map('email', 'Email'),
	map('company', 'Company'),
];
const PEOPLE_SF_TO_HS = [
	map('FirstName', 'firstname'),
	map('LastName', 'lastname'),
	map('Email', 'email'),
];

function params(direction: string, extra: IDataObject): IDataObject {
	return {
		direction,
		hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
		salesforceAuthentication: SANDBOX_AUTH.salesforce.salesforceAuthentication,
		objectKind: 'contact',
		...extra,
	};
}

/** A HubSpot deal as the Sync Trigger hands it on: won, closing in September. */
const hsDeal = (id: string, name: string) => ({
	crm: 'hubspot',
	objectType: 'deals',
	id,
	properties: { dealname: name, dealstage: 'closedwon', closedate: '2026-09-01T00:00:00.000Z' },
	updatedAt: '2026-06-01T10:00:00Z',
});

/** HubSpot → Salesforce deals: name, stage and close date. */
const DEAL_PARAMS = params('hubspotToSalesforce', {
	objectKind: 'deal',
	mappings: {
		mapping: [
			map('dealname', 'Name'),
			map('dealstage', 'StageName'),
			map('closedate', 'CloseDate'),
		],
	},
});

const syncOf = (json: IDataObject) => json.recordSync as IDataObject & { action: string };
const rowsOf = (json: IDataObject) => (json.link as { rows: IDataObject[] }).rows;

describe('CRM Record Sync', () => {
	const ref = sandboxPerTest();
	let node: IsolatedRecordSync;
	const setup = () => {
		node = new IsolatedRecordSync();
		return sandboxHarness({ crmRecordSync: node }, ref.sandbox.url);
	};
	const list = (vendor: 'salesforce' | 'hubspot', type: string) =>
		ref.sandbox.store.list(vendor, type);
	const list2 = (type: string) => ref.sandbox.store.list('dynamics', type);
	const byEmail = (vendor: 'salesforce' | 'hubspot', type: string, field: string, email: string) =>
		list(vendor, type).filter((r) => String(r.fields[field] ?? '').toLowerCase() === email);

	async function sync(
		h: ReturnType<typeof setup>,
		parameters: IDataObject,
		items: IDataObject[],
	): Promise<IDataObject[]> {
		const run = await h.harness.run(
			singleNodeWorkflow(NODE, 'crmRecordSync', parameters, items, h.credentials, {
				onError: 'continueRegularOutput',
			}),
		);
		return jsonOf(run, NODE, 0);
	}

	const hsPerson = (id: string, props: IDataObject, updatedAt = '2026-06-01T10:00:00.000Z') => ({
		crm: 'hubspot',
		objectType: 'contacts',
		id,
		properties: props,
		updatedAt,
	});

	it('HubSpot → Salesforce, new person: one Lead by default, and a second delivery writes nothing', async () => {
		const h = setup();
		const parameters = params('hubspotToSalesforce', { mappings: { mapping: PEOPLE_HS_TO_SF } });
		const person = hsPerson('9001', {
			firstname: 'Ada',
			lastname: 'Lovelace',
			email: 'Ada@Engines.example',
			company: 'Analytical Engines',
		});
		const [first] = await sync(h, parameters, [person]);
		expect(syncOf(first)).toMatchObject({
			action: 'created',
			target: { crm: 'salesforce', objectType: 'Lead' },
		});
		expect(byEmail('salesforce', 'Lead', 'Email', 'ada@engines.example')).toHaveLength(1);
		expect(byEmail('salesforce', 'Contact', 'Email', 'ada@engines.example')).toHaveLength(0);
		expect(rowsOf(first).map((r) => r.key)).toEqual([
			'hubspot:contacts:9001',
			`salesforce:Lead:${String(syncOf(first).target && (syncOf(first).target as IDataObject).id)}`,
		]);

		ref.sandbox.admin.clearRequests();
		const [again] = await sync(h, parameters, [person]);
		expect(syncOf(again).action).toBe('unchanged');
		expect(ref.sandbox.admin.requests('salesforce')).toHaveLength(0);
	});

	it('a daily API cap defers the writes that would pass it (nothing created, a clear log line) and the next run writes them', async () => {
		const h = setup();
		const parameters = params('hubspotToSalesforce', {
			mappings: { mapping: PEOPLE_HS_TO_SF },
			dailyApiCapPercent: 20,
		});
		const people = ['Grace', 'Alan', 'Edsger'].map((name, index) =>
			hsPerson(`95${index}`, {
				firstname: name,
				lastname: 'Capped',
				email: `${name.toLowerCase()}@capped.example`,
				company: 'Capped Inc',
			}),
		);
		const leads = () => list('salesforce', 'Lead').filter((r) => r.fields.LastName === 'Capped');
		// A dry run warms the describes and counts the lookups' requests (L).
		await sync(h, { ...parameters, dryRun: true }, people);
		ref.sandbox.admin.clearRequests();
		await sync(h, { ...parameters, dryRun: true }, people);
		const lookups = ref.sandbox.admin.requests('salesforce').length;
		expect(lookups).toBeGreaterThan(0);
		// 20 % of a 100-call org is 20 calls: the lookups bring the day to exactly 20, so the
		// write (one more call) would pass the cap.
		ref.sandbox.admin.configure('salesforce', { dailyApiLimit: 100, apiUsage: 20 - lookups });

		ref.sandbox.admin.clearRequests();
		const held = await sync(h, parameters, people);
		expect(ref.sandbox.admin.requests('salesforce')).toHaveLength(lookups);
		expect(held.map((json) => syncOf(json).action)).toEqual(['deferred', 'deferred', 'deferred']);
		expect(syncOf(held[0]).reason).toBe(
			'Salesforce daily API usage 20/100 (20.0 %) reached the cap of 20 % — 3 record(s) left for the next run',
		);
		expect((held[0].syncLog as IDataObject[]).at(-1)).toMatchObject({ status: 'skipped' });
		expect(rowsOf(held[0])).toEqual([]);
		expect(leads()).toHaveLength(0);

		// A new day (usage back to 0): the same records are written once each.
		ref.sandbox.admin.configure('salesforce', { apiUsage: 0 });
		const written = await sync(h, parameters, people);
		expect(written.map((json) => syncOf(json).action)).toEqual(['created', 'created', 'created']);
		expect(leads()).toHaveLength(3);
		ref.sandbox.admin.configure('salesforce', { dailyApiLimit: 15_000 });
	});

	it('a run that starts at its daily API cap makes no lookup at all: every record deferred', async () => {
		const h = setup();
		ref.sandbox.admin.configure('salesforce', { dailyApiLimit: 100, apiUsage: 20 });
		const out = await sync(
			h,
			params('hubspotToSalesforce', {
				mappings: { mapping: PEOPLE_HS_TO_SF },
				dailyApiCapPercent: 20,
			}),
			[hsPerson('9601', { firstname: 'Ida', lastname: 'Held', email: 'ida@held.example' })],
		);
		expect(syncOf(out[0])).toMatchObject({ action: 'deferred' });
		expect(String(syncOf(out[0]).reason)).toMatch(/reached the cap of 20 % — 1 record\(s\) left/);
		// Only the token, the org's limits and the field descriptions were read (they report the
		// usage); no search, no write.
		const paths = ref.sandbox.admin.requests('salesforce').map((r) => r.path);
		expect(paths.some((path) => path.endsWith('/describe'))).toBe(true);
		expect(paths.filter((path) => !/\/(describe|limits)$|\/oauth2\/token$/.test(path))).toEqual([]);
	});

	it('an existing Lead found by email is updated even when new people become Contacts: no Contact created', async () => {
		const h = setup();
		const contacts = list('salesforce', 'Contact').length;
		const [out] = await sync(
			h,
			params('hubspotToSalesforce', {
				newPersonKind: 'contact',
				mappings: { mapping: [map('email', 'Email'), map('jobtitle', 'Title', 'alwaysSource')] },
			}),
			[hsPerson('9002', { email: 'grace.kim@umbrella.example', jobtitle: 'CTO' })],
		);
		expect(syncOf(out)).toMatchObject({
			action: 'updated',
			matchedBy: 'email',
			target: { objectType: 'Lead', id: SALESFORCE_SEED_IDS.leads.grace },
		});
		expect(list('salesforce', 'Contact')).toHaveLength(contacts);
		expect(
			ref.sandbox.store.get('salesforce', 'Lead', SALESFORCE_SEED_IDS.leads.grace)?.fields.Title,
		).toBe('CTO');
	});

	it('Default Object for New People = Contact creates a Contact', async () => {
		const h = setup();
		const [out] = await sync(
			h,
			params('hubspotToSalesforce', {
				newPersonKind: 'contact',
				mappings: { mapping: [map('lastname', 'LastName'), map('email', 'Email')] },
			}),
			[hsPerson('9003', { lastname: 'Hopper', email: 'grace@navy.example' })],
		);
		expect(syncOf(out)).toMatchObject({ action: 'created', target: { objectType: 'Contact' } });
		expect(byEmail('salesforce', 'Contact', 'Email', 'grace@navy.example')).toHaveLength(1);
		expect(byEmail('salesforce', 'Lead', 'Email', 'grace@navy.example')).toHaveLength(0);
	});

	it('"If eligible": a person without an email is skipped, nothing created', async () => {
		const h = setup();
		const leads = list('salesforce', 'Lead').length;
		const [out] = await sync(
			h,
			params('hubspotToSalesforce', { mappings: { mapping: PEOPLE_HS_TO_SF } }),
			[hsPerson('9004', { lastname: 'Nobody', company: 'Nowhere', email: null })],
		);
		expect(syncOf(out)).toMatchObject({ action: 'skipped-ineligible' });
		expect(String(syncOf(out).reason)).toContain('needs an email');
		expect(list('salesforce', 'Lead')).toHaveLength(leads);
	});

	it('Salesforce → HubSpot: a Contact becomes one HubSpot contact', async () => {
		const h = setup();
		const contacts = list('hubspot', 'contacts').length;
		const [out] = await sync(
			h,
			params('salesforceToHubspot', { mappings: { mapping: PEOPLE_SF_TO_HS } }),
			[
				{
					crm: 'salesforce',
					objectType: 'Contact',
					id: '003000000000XYZ',
					properties: { FirstName: 'Alan', LastName: 'Turing', Email: 'alan@bletchley.example' },
					updatedAt: '2026-06-01T10:00:00.000Z',
				},
			],
		);
		expect(syncOf(out)).toMatchObject({
			action: 'created',
			target: { crm: 'hubspot', objectType: 'contacts' },
		});
		expect(list('hubspot', 'contacts')).toHaveLength(contacts + 1);
		expect(
			byEmail('hubspot', 'contacts', 'email', 'alan@bletchley.example')[0].fields,
		).toMatchObject({
			firstname: 'Alan',
			lastname: 'Turing',
		});
	});

	it('companies: a HubSpot company matches the Salesforce Account with its domain (no new Account)', async () => {
		const h = setup();
		const accounts = list('salesforce', 'Account').length;
		const [out] = await sync(
			h,
			params('hubspotToSalesforce', {
				objectKind: 'company',
				mappings: {
					mapping: [
						map('name', 'Name', 'preferTarget'),
						map('city', 'BillingCity', 'alwaysSource'),
					],
				},
			}),
			[
				{
					crm: 'hubspot',
					objectType: 'companies',
					id: '7001',
					properties: { name: 'ACME', domain: 'acme.example', city: 'Oakland' },
					updatedAt: '2026-06-01T10:00:00Z',
				},
			],
		);
		expect(syncOf(out)).toMatchObject({
			action: 'updated',
			matchedBy: 'domain',
			target: { id: SALESFORCE_SEED_IDS.accounts.acme },
		});
		expect(list('salesforce', 'Account')).toHaveLength(accounts);
		// Prefer target unless blank: the Account keeps its name; Always use source: the city is copied.
		expect(
			ref.sandbox.store.get('salesforce', 'Account', SALESFORCE_SEED_IDS.accounts.acme)?.fields,
		).toMatchObject({
			Name: 'Acme Corporation',
			BillingCity: 'Oakland',
		});
	});

	it("reads the CRM Sync Trigger's company items: chosen fields under CRM names win over the neutral standard values; a deleted item is skipped by default", async () => {
		const h = setup();
		const trigger = (extra: IDataObject) => ({
			crm: 'hubspot',
			objectType: 'companies',
			kind: 'company',
			id: '7002',
			event: 'updated',
			updatedAt: '2026-06-01T10:00:00Z',
			...extra,
		});
		const [updated, deleted] = await sync(
			h,
			params('hubspotToSalesforce', {
				objectKind: 'company',
				mappings: { mapping: [map('city', 'BillingCity', 'alwaysSource')] },
			}),
			[
				trigger({
					properties: { name: 'ACME', domain: 'acme.example', city: 'neutral value' },
					fields: { city: 'Sacramento' },
				}),
				trigger({ id: '7003', event: 'deleted', deletedAt: '2026-06-02T10:00:00Z' }),
			],
		);
		expect(syncOf(updated)).toMatchObject({ action: 'updated', matchedBy: 'domain' });
		expect(
			ref.sandbox.store.get('salesforce', 'Account', SALESFORCE_SEED_IDS.accounts.acme)?.fields
				.BillingCity,
		).toBe('Sacramento');
		// Deletions default to "Don't Sync Deletions": the deleted item passes as skipped.
		expect(deleted.error).toBeUndefined();
		expect(syncOf(deleted)).toMatchObject({
			action: 'skipped',
			source: { crm: 'hubspot', objectType: 'companies', id: '7003' },
		});
		expect(syncOf(deleted).reason).toMatch(/Don't Sync Deletions/);
	});

	it('deals: a HubSpot deal becomes an Opportunity, the stage travelling by its label', async () => {
		const h = setup();
		const [out] = await sync(
			h,
			params('hubspotToSalesforce', {
				objectKind: 'deal',
				mappings: {
					mapping: [
						map('dealname', 'Name'),
						map('dealstage', 'StageName'),
						map('closedate', 'CloseDate'),
						map('amount', 'Amount'),
					],
				},
			}),
			[
				{
					crm: 'hubspot',
					objectType: 'deals',
					id: '5001',
					properties: {
						dealname: 'Engines x 3',
						dealstage: 'closedwon',
						closedate: '2026-07-15T00:00:00.000Z',
						amount: '1200',
					},
					updatedAt: '2026-06-01T10:00:00Z',
				},
			],
		);
		expect(syncOf(out)).toMatchObject({ action: 'created', target: { objectType: 'Opportunity' } });
		const id = String((syncOf(out).target as IDataObject).id);
		expect(ref.sandbox.store.get('salesforce', 'Opportunity', id)?.fields).toMatchObject({
			Name: 'Engines x 3',
			StageName: 'Closed Won',
			CloseDate: '2026-07-15',
			Amount: 1200,
		});
	});

	it("associations: a contact's company becomes its AccountId, a deal's company and contacts its AccountId and contact roles", async () => {
		const h = setup();
		const acme = SALESFORCE_SEED_IDS.accounts.acme;
		// The company first: its link lets contacts and deals find their Account.
		const [company] = await sync(
			h,
			params('hubspotToSalesforce', {
				objectKind: 'company',
				mappings: { mapping: [map('name', 'Name', 'preferTarget')] },
			}),
			[
				{
					crm: 'hubspot',
					objectType: 'companies',
					id: '7010',
					properties: { name: 'Acme', domain: 'acme.example' },
				},
			],
		);
		expect(syncOf(company)).toMatchObject({ matchedBy: 'domain', target: { id: acme } });
		const people = params('hubspotToSalesforce', {
			newPersonKind: 'contact',
			mappings: { mapping: [map('lastname', 'LastName'), map('email', 'Email')] },
		});
		const contacts = await sync(h, people, [
			{
				...hsPerson('9400', { lastname: 'Ride', email: 'sally@acme.example' }),
				associations: { company: ['7010'] },
			},
			{
				...hsPerson('9401', { lastname: 'Jemison', email: 'mae@acme.example' }),
				associations: { company: ['7999'] },
			},
		]);
		expect(syncOf(contacts[0]).associations).toEqual([
			{ kind: 'company', sourceId: '7010', targetId: acme, status: 'linked' },
		]);
		expect(syncOf(contacts[1]).associations).toEqual([
			expect.objectContaining({ kind: 'company', sourceId: '7999', status: 'unresolved' }),
		]);
		const sally = byEmail('salesforce', 'Contact', 'Email', 'sally@acme.example')[0];
		const mae = byEmail('salesforce', 'Contact', 'Email', 'mae@acme.example')[0];
		expect(sally.fields.AccountId).toBe(acme);
		expect(mae.fields.AccountId ?? null).toBeNull();

		const deal = DEAL_PARAMS;
		const [opportunity] = await sync(h, deal, [
			{
				crm: 'hubspot',
				objectType: 'deals',
				id: '5010',
				properties: { dealname: 'Orbiter', dealstage: 'closedwon', closedate: '2026-09-01' },
				associations: { company: ['7010'], contact: ['9400', '9401'] },
			},
		]);
		expect(syncOf(opportunity).action).toBe('created');
		const opportunityId = String((syncOf(opportunity).target as IDataObject).id);
		expect(
			ref.sandbox.store.get('salesforce', 'Opportunity', opportunityId)?.fields.AccountId,
		).toBe(acme);
		const roles = list('salesforce', 'OpportunityContactRole').filter(
			(r) => r.fields.OpportunityId === opportunityId,
		);
		expect(roles.map((r) => r.fields.ContactId).sort()).toEqual([mae.id, sally.id].sort());
		expect(syncOf(opportunity).associations).toHaveLength(3);
	});

	it('associations to a Lead are reported as not written (a Lead has no account)', async () => {
		const h = setup();
		await sync(
			h,
			params('hubspotToSalesforce', {
				objectKind: 'company',
				mappings: { mapping: [map('name', 'Name', 'preferTarget')] },
			}),
			[
				{
					crm: 'hubspot',
					objectType: 'companies',
					id: '7011',
					properties: { name: 'Acme', domain: 'acme.example' },
				},
			],
		);
		const [lead] = await sync(
			h,
			params('hubspotToSalesforce', { mappings: { mapping: PEOPLE_HS_TO_SF } }),
			[
				{
					...hsPerson('9402', {
						lastname: 'Collins',
						email: 'eileen@acme.example',
						company: 'Acme',
					}),
					associations: { company: ['7011'] },
				},
			],
		);
		expect(syncOf(lead)).toMatchObject({ action: 'created', target: { objectType: 'Lead' } });
		expect(syncOf(lead).associations).toEqual([
			expect.objectContaining({ kind: 'company', status: 'unsupported' }),
		]);
	});

	it('HubSpot → Dynamics 365: an existing lead is found by email, a new person becomes a lead; dry run writes nothing', async () => {
		const h = setup();
		const parameters = {
			direction: 'hubspotToDynamics',
			hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
			dynamicsAuthentication: SANDBOX_AUTH.dynamics.dynamicsAuthentication,
			objectKind: 'contact',
			mappings: {
				mapping: [
					map('lastname', 'lastname'),
					map('email', 'emailaddress1'),
					map('jobtitle', 'subject', 'alwaysSource'),
					map('company', 'companyname'),
				],
			},
		};
		const leads = list2('lead').length;
		const contacts = list2('contact').length;
		const items = [
			hsPerson('9500', { lastname: 'Kim', email: 'grace.kim@umbrella.example', jobtitle: 'CEO' }),
			hsPerson('9501', {
				lastname: 'Franklin',
				email: 'rosalind@kings.example',
				company: "King's",
			}),
		];
		const dry = await sync(h, { ...parameters, dryRun: true }, items);
		expect(dry.map((o) => syncOf(o).action)).toEqual(['updated', 'created']);
		expect(dry.every((o) => syncOf(o).dryRun === true)).toBe(true);
		expect(list2('lead')).toHaveLength(leads);

		const [existing, created] = await sync(h, parameters, items);
		expect(syncOf(existing)).toMatchObject({
			action: 'updated',
			matchedBy: 'email',
			target: { objectType: 'lead', id: DYNAMICS_SEED_IDS.leads.grace },
		});
		expect(syncOf(created)).toMatchObject({ action: 'created', target: { objectType: 'lead' } });
		expect(list2('lead')).toHaveLength(leads + 1);
		expect(list2('contact')).toHaveLength(contacts);
		expect(
			ref.sandbox.store.get('dynamics', 'lead', DYNAMICS_SEED_IDS.leads.grace)?.fields.subject,
		).toBe('CEO');
	});

	it("rules: two-way keeps a newer target, always-source overwrites, prefer-target fills a blank, don't-sync never writes", async () => {
		const h = setup();
		const grace = SALESFORCE_SEED_IDS.leads.grace;
		const before = ref.sandbox.store.get('salesforce', 'Lead', grace)!.fields;
		const [out] = await sync(
			h,
			params('hubspotToSalesforce', {
				mappings: {
					mapping: [
						map('email', 'Email'),
						map('firstname', 'FirstName', 'twoWay'),
						map('lastname', 'LastName', 'alwaysSource'),
						map('jobtitle', 'Title', 'preferTarget'),
						map('company', 'Company', 'none'),
					],
				},
			}),
			// Older than the Lead's last change: two-way keeps the Lead's first name.
			[
				hsPerson(
					'9005',
					{
						email: 'grace.kim@umbrella.example',
						firstname: 'Gracie',
						lastname: 'Kim-Park',
						jobtitle: 'VP',
						company: 'Other Co',
					},
					'2025-01-01T00:00:00Z',
				),
			],
		);
		expect(syncOf(out).action).toBe('updated');
		const after = ref.sandbox.store.get('salesforce', 'Lead', grace)!.fields;
		expect(after).toMatchObject({
			FirstName: before.FirstName,
			LastName: 'Kim-Park',
			Title: 'VP',
			Company: before.Company,
		});
		const changes = syncOf(out).fieldChanges as IDataObject[];
		expect(changes.find((c) => c.field === 'FirstName')).toMatchObject({
			applied: false,
			reason: 'the target changed more recently',
		});
		expect(changes.find((c) => c.field === 'Company')).toBeUndefined();
	});

	it('a mapping whose types cannot convert fails naming the field pair, before any record is read', async () => {
		const h = setup();
		ref.sandbox.admin.clearRequests();
		const run = await h.harness.run(
			singleNodeWorkflow(
				NODE,
				'crmRecordSync',
				params('hubspotToSalesforce', {
					objectKind: 'deal',
					mappings: { mapping: [map('dealname', 'Amount')] },
				}),
				[{ crm: 'hubspot', objectType: 'deals', id: '5002', properties: { dealname: 'X' } }],
				h.credentials,
			),
		);
		expect(run.error(NODE)?.message).toMatch(
			/Field pair "Deal Name \(dealname\)" → "Amount": a text field cannot be written to a number field/,
		);
		const recordCalls = ref.sandbox.admin
			.requests()
			.filter((r) => /composite|\/query|search|\/objects\/deals/.test(r.path));
		expect(recordCalls).toHaveLength(0);
	});

	it('echo: one edit on each side, then 10 alternating polls each way ⇒ exactly one write each way, API calls flat', async () => {
		const h = setup();
		const toSf = params('hubspotToSalesforce', { mappings: { mapping: PEOPLE_HS_TO_SF } });
		const toHs = params('salesforceToHubspot', {
			mappings: {
				mapping: [
					map('FirstName', 'firstname'),
					map('LastName', 'lastname'),
					map('Email', 'email'),
					map('Company', 'company'),
				],
			},
		});
		// The link table a template keeps in a Data Table: rows by key, upserted from `link.rows`.
		const table = new Map<string, IDataObject>();
		const hsId = '9100';
		ref.sandbox.store.insert('hubspot', 'contacts', hsId, {
			firstname: 'Kat',
			lastname: 'Johnson',
			email: 'kat@nasa.example',
			company: 'NASA',
		});
		/** What a poll of one side returns for the record, with its stored link, through the node. */
		const poll = async (vendor: 'hubspot' | 'salesforce', objectType: string, id: string) => {
			const record = ref.sandbox.store.get(vendor, objectType, id)!;
			const item = {
				crm: vendor,
				objectType,
				id,
				properties: record.fields as IDataObject,
				updatedAt: record.updatedAt,
				link: table.get(`${vendor}:${objectType}:${id}`),
			};
			const [out] = await sync(h, vendor === 'hubspot' ? toSf : toHs, [item]);
			rowsOf(out).forEach((row) => table.set(String(row.key), row));
			return `${vendor === 'hubspot' ? 'hs' : 'sf'}:${syncOf(out).action}`;
		};
		const created = await poll('hubspot', 'contacts', hsId);
		expect(created).toBe('hs:created');
		const [leadId] = byEmail('salesforce', 'Lead', 'Email', 'kat@nasa.example').map((r) => r.id);

		const writes = (actions: string[]) =>
			actions.filter((a) => a.endsWith(':updated') || a.endsWith(':created'));
		const rounds = async (first: () => Promise<string>, second: () => Promise<string>) => {
			ref.sandbox.admin.clearRequests();
			const actions: string[] = [];
			const callsPerRound: number[] = [];
			for (let i = 0; i < 10; i++) {
				actions.push(await first(), await second());
				callsPerRound.push(ref.sandbox.admin.requests().length);
			}
			return { actions, callsPerRound };
		};
		const pollHs = () => poll('hubspot', 'contacts', hsId);
		const pollSf = () => poll('salesforce', 'Lead', leadId);

		// One edit in HubSpot: written to Salesforce once; the Lead's change comes back as an echo.
		ref.sandbox.store.update('hubspot', 'contacts', hsId, { lastname: 'Goble' });
		const one = await rounds(pollHs, pollSf);
		expect(writes(one.actions)).toEqual(['hs:updated']);
		expect(one.actions.slice(0, 2)).toEqual(['hs:updated', 'sf:echo-skipped']);
		expect(new Set(one.actions.slice(2))).toEqual(new Set(['hs:unchanged', 'sf:echo-skipped']));
		// API calls flat: after the first round trip, nine more rounds call neither CRM.
		expect(one.callsPerRound[0]).toBeGreaterThan(0);
		expect(new Set(one.callsPerRound)).toEqual(new Set([one.callsPerRound[0]]));
		expect(ref.sandbox.store.get('salesforce', 'Lead', leadId)?.fields.LastName).toBe('Goble');

		// One edit in Salesforce: written to HubSpot once; HubSpot's change comes back as an echo.
		ref.sandbox.store.update('salesforce', 'Lead', leadId, { FirstName: 'Katherine' });
		const two = await rounds(pollSf, pollHs);
		expect(writes(two.actions)).toEqual(['sf:updated']);
		expect(two.actions.slice(0, 2)).toEqual(['sf:updated', 'hs:echo-skipped']);
		expect(new Set(two.callsPerRound)).toEqual(new Set([two.callsPerRound[0]]));
		expect(ref.sandbox.store.get('hubspot', 'contacts', hsId)?.fields).toMatchObject({
			firstname: 'Katherine',
			lastname: 'Goble',
		});
		expect(byEmail('hubspot', 'contacts', 'email', 'kat@nasa.example')).toHaveLength(1);
		expect(byEmail('salesforce', 'Lead', 'Email', 'kat@nasa.example')).toHaveLength(1);
	});

	it('10 concurrent copies of one source record ⇒ one Lead', async () => {
		const h = setup();
		const parameters = params('hubspotToSalesforce', { mappings: { mapping: PEOPLE_HS_TO_SF } });
		const person = hsPerson('9200', {
			lastname: 'Noether',
			email: 'emmy@erlangen.example',
			company: 'Erlangen',
		});
		const outs = await Promise.all(
			Array.from({ length: 10 }, async () => await sync(h, parameters, [person])),
		);
		expect(byEmail('salesforce', 'Lead', 'Email', 'emmy@erlangen.example')).toHaveLength(1);
		expect(byEmail('salesforce', 'Contact', 'Email', 'emmy@erlangen.example')).toHaveLength(0);
		expect(outs.flat().filter((o) => syncOf(o).action === 'created')).toHaveLength(1);
	});

	it('10 concurrent copies of one deal ⇒ one Opportunity (a deal has no key but its link)', async () => {
		const h = setup();
		const parameters = DEAL_PARAMS;
		const deal = hsDeal('5950', 'Concurrent Deal');
		const outs = await Promise.all(
			Array.from({ length: 10 }, async () => await sync(h, parameters, [deal])),
		);
		expect(
			list('salesforce', 'Opportunity').filter((r) => r.fields.Name === 'Concurrent Deal'),
		).toHaveLength(1);
		expect(outs.flat().filter((o) => syncOf(o).action === 'created')).toHaveLength(1);
	});

	it('a deal or a company without a domain whose create answer is lost is found again on the retry: one record each, none lost', async () => {
		const h = setup();
		const deals = () =>
			list('salesforce', 'Opportunity').filter((r) => r.fields.Name === 'Lost Answer Deal');
		const accounts = () =>
			list('salesforce', 'Account').filter((r) => r.fields.Name === 'No Domain Ltd');
		const dealParams = DEAL_PARAMS;
		const deal = hsDeal('5901', 'Lost Answer Deal');
		const companyParams = params('hubspotToSalesforce', {
			objectKind: 'company',
			mappings: { mapping: [map('name', 'Name')] },
		});
		const company = {
			crm: 'hubspot',
			objectType: 'companies',
			id: '7901',
			properties: { name: 'No Domain Ltd' },
			updatedAt: '2026-06-01T10:00:00Z',
		};
		for (const [parameters, record, count] of [
			[dealParams, deal, deals],
			[companyParams, company, accounts],
		] as const) {
			ref.sandbox.admin.addFault({
				vendor: 'salesforce',
				method: 'POST',
				pathPattern: 'composite/sobjects',
				kind: 'dropAnswer',
				count: 1,
			});
			const [failed] = await sync(h, parameters, [record]);
			expect(failed.error).toBeDefined();
			expect(count()).toHaveLength(1);
			const [retried] = await sync(h, parameters, [record]);
			expect(syncOf(retried)).toMatchObject({ action: 'unchanged' });
			expect(count()).toHaveLength(1);
			// The link is kept now: a third delivery writes nothing either.
			const [third] = await sync(h, parameters, [record]);
			expect(syncOf(third).action).toBe('unchanged');
			expect(count()).toHaveLength(1);
		}
	});

	it('a create whose answer is lost fails as uncertain, and the retry finds the record: one Lead', async () => {
		const h = setup();
		const parameters = params('hubspotToSalesforce', { mappings: { mapping: PEOPLE_HS_TO_SF } });
		const person = hsPerson('9300', {
			lastname: 'Meitner',
			email: 'lise@berlin.example',
			company: 'KWI',
		});
		ref.sandbox.admin.addFault({
			vendor: 'salesforce',
			method: 'POST',
			pathPattern: 'composite/sobjects',
			kind: 'dropAnswer',
			count: 1,
		});
		const [failed] = await sync(h, parameters, [person]);
		expect(failed.error).toBeDefined();
		expect(byEmail('salesforce', 'Lead', 'Email', 'lise@berlin.example')).toHaveLength(1);
		const [retried] = await sync(h, parameters, [person]);
		expect(syncOf(retried)).toMatchObject({ action: 'unchanged', matchedBy: 'email' });
		expect(byEmail('salesforce', 'Lead', 'Email', 'lise@berlin.example')).toHaveLength(1);
	});
});
