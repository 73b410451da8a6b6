/**
 * CRM Record Sync's associations into HubSpot and Dynamics 365 targets, through n8n's real
 * engine against the sandbox: Salesforce → HubSpot accounts, contacts and opportunities land
 * associated with one association call per object pair per batch; HubSpot → Dynamics 365
 * binds the lookups with the record writes; a re-run writes no association again; an
 * associated record without a counterpart yet is linked by a later delivery; faults (a lost
 * associate answer, a refused association, the daily API cap) and 10 concurrent copies leave
 * one association each.
 */
import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_AUTH, jsonOf, sandboxHarness, singleNodeWorkflow } from './support/packHarness';
import { IsolatedRecordSync } from './support/recordSyncSetup';
import { sandboxPerTest } from './support/sandboxSuite';

const NODE = 'CRM Record Sync';

const map = (sourceField: string, targetField: string, rule = 'twoWay') => ({
	sourceField,
	targetField,
	rule,
});

const syncOf = (json: IDataObject) => json.recordSync as IDataObject & { action: string };
const targetIdOf = (json: IDataObject) => String((syncOf(json).target as IDataObject).id);
const statusesOf = (json: IDataObject) =>
	(syncOf(json).associations as IDataObject[]).map((a) => `${String(a.kind)}:${String(a.status)}`);

const SF_TO_HS = {
	direction: 'salesforceToHubspot',
	hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
	salesforceAuthentication: SANDBOX_AUTH.salesforce.salesforceAuthentication,
};
const HS_TO_DYN = {
	direction: 'hubspotToDynamics',
	hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
	dynamicsAuthentication: SANDBOX_AUTH.dynamics.dynamicsAuthentication,
};

const sfRecord = (
	objectType: string,
	id: string,
	properties: IDataObject,
	associations?: IDataObject,
) => ({
	crm: 'salesforce',
	objectType,
	id,
	properties,
	updatedAt: '2026-06-01T10:00:00.000Z',
	...(associations ? { associations } : {}),
});

const hsRecord = (
	objectType: string,
	id: string,
	properties: IDataObject,
	associations?: IDataObject,
) => ({
	crm: 'hubspot',
	objectType,
	id,
	properties,
	updatedAt: '2026-06-01T10:00:00.000Z',
	...(associations ? { associations } : {}),
});

describe('CRM Record Sync: associations into HubSpot and Dynamics 365', () => {
	const ref = sandboxPerTest();
	const setup = () => sandboxHarness({ crmRecordSync: new IsolatedRecordSync() }, ref.sandbox.url);

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

	const associateCalls = () =>
		ref.sandbox.admin
			.requests('hubspot')
			.filter((r) => r.path.endsWith('/batch/associate/default'))
			.map((r) =>
				r.path.replace(/^.*\/associations\//, '').replace('/batch/associate/default', ''),
			);
	const hsLinks = (from: string, id: string, to: string) => [
		...new Set(ref.sandbox.store.linksFrom('hubspot', from, id, to).map((link) => link.toId)),
	];

	const ACCOUNT = '001000000000ORB';
	const CONTACTS = ['003000000000OR1', '003000000000OR2'];
	const DEALS = ['006000000000OR1', '006000000000OR2'];
	const companyParams = {
		...SF_TO_HS,
		objectKind: 'company',
		mappings: { mapping: [map('Name', 'name'), map('Website', 'domain')] },
	};
	const contactParams = {
		...SF_TO_HS,
		objectKind: 'contact',
		mappings: { mapping: [map('LastName', 'lastname'), map('Email', 'email')] },
	};
	const dealParams = {
		...SF_TO_HS,
		objectKind: 'deal',
		mappings: {
			mapping: [map('Name', 'dealname', 'alwaysSource'), map('StageName', 'dealstage')],
		},
	};
	const contactItems = () =>
		CONTACTS.map((id, i) =>
			sfRecord(
				'Contact',
				id,
				{ LastName: `Orbiter${i}`, Email: `crew${i}@orbit.example` },
				{ company: [ACCOUNT] },
			),
		);
	const dealItems = (name = 'Orbit deal') =>
		DEALS.map((id, i) =>
			sfRecord(
				'Opportunity',
				id,
				{ Name: `${name} ${i}`, StageName: 'Closed Won' },
				{ company: [ACCOUNT], contact: [CONTACTS[i]] },
			),
		);

	it('Salesforce → HubSpot: contact ↔ company, deal ↔ company and deal ↔ contact, one association call per object pair per batch; a re-run writes none again', async () => {
		const h = setup();
		const [company] = await sync(h, companyParams, [
			sfRecord('Account', ACCOUNT, { Name: 'Orbit Inc', Website: 'https://orbit.example' }),
		]);
		expect(syncOf(company).action).toBe('created');
		const companyId = targetIdOf(company);

		ref.sandbox.admin.clearRequests();
		const contacts = await sync(h, contactParams, contactItems());
		expect(contacts.map((c) => syncOf(c).action)).toEqual(['created', 'created']);
		expect(contacts.map(statusesOf)).toEqual([['company:linked'], ['company:linked']]);
		// Two contacts, one request for the pair.
		expect(associateCalls()).toEqual(['contacts/companies']);
		const contactIds = contacts.map(targetIdOf);
		for (const id of contactIds) expect(hsLinks('contacts', id, 'companies')).toEqual([companyId]);

		ref.sandbox.admin.clearRequests();
		const deals = await sync(h, dealParams, dealItems());
		expect(deals.map((d) => syncOf(d).action)).toEqual(['created', 'created']);
		expect(deals.map(statusesOf)).toEqual([
			['company:linked', 'contact:linked'],
			['company:linked', 'contact:linked'],
		]);
		expect(associateCalls().sort()).toEqual(['deals/companies', 'deals/contacts']);
		deals.forEach((deal, i) => {
			expect(hsLinks('deals', targetIdOf(deal), 'companies')).toEqual([companyId]);
			expect(hsLinks('deals', targetIdOf(deal), 'contacts')).toEqual([contactIds[i]]);
		});
		expect(hsLinks('companies', companyId, 'deals').sort()).toEqual(deals.map(targetIdOf).sort());

		// The same batch again: already synced, no call at all.
		ref.sandbox.admin.clearRequests();
		const again = await sync(h, dealParams, dealItems());
		expect(again.map((d) => syncOf(d).action)).toEqual(['unchanged', 'unchanged']);
		expect(ref.sandbox.admin.requests('hubspot')).toHaveLength(0);

		// A renamed deal is updated; its associations are read once per pair and not written again.
		ref.sandbox.admin.clearRequests();
		const renamed = await sync(h, dealParams, dealItems('Orbit renewal'));
		expect(renamed.map((d) => syncOf(d).action)).toEqual(['updated', 'updated']);
		expect(renamed.map(statusesOf)).toEqual([
			['company:unchanged', 'contact:unchanged'],
			['company:unchanged', 'contact:unchanged'],
		]);
		expect(associateCalls()).toEqual([]);
		const reads = ref.sandbox.admin
			.requests('hubspot')
			.filter((r) => r.path.endsWith('/batch/read') && r.path.includes('/associations/'));
		expect(reads).toHaveLength(2);
		expect(hsLinks('deals', targetIdOf(renamed[0]), 'companies')).toEqual([companyId]);
	});

	it('an associated record without a counterpart yet is reported unresolved, and linked by a later delivery once it has one', async () => {
		const h = setup();
		const [contact] = await sync(h, contactParams, [contactItems()[0]]);
		expect(syncOf(contact).action).toBe('created');
		expect(syncOf(contact).associations).toEqual([
			expect.objectContaining({ kind: 'company', sourceId: ACCOUNT, status: 'unresolved' }),
		]);
		expect(associateCalls()).toEqual([]);
		const contactId = targetIdOf(contact);
		expect(hsLinks('contacts', contactId, 'companies')).toEqual([]);

		const [company] = await sync(h, companyParams, [
			sfRecord('Account', ACCOUNT, { Name: 'Orbit Inc', Website: 'https://orbit.example' }),
		]);
		ref.sandbox.admin.clearRequests();
		const [later] = await sync(h, contactParams, [contactItems()[0]]);
		expect(syncOf(later).action).toBe('unchanged');
		expect(statusesOf(later)).toEqual(['company:linked']);
		expect(associateCalls()).toEqual(['contacts/companies']);
		expect(hsLinks('contacts', contactId, 'companies')).toEqual([targetIdOf(company)]);

		// Linked now: the next delivery is already synced.
		ref.sandbox.admin.clearRequests();
		const [third] = await sync(h, contactParams, [contactItems()[0]]);
		expect(syncOf(third).action).toBe('unchanged');
		expect(ref.sandbox.admin.requests('hubspot')).toHaveLength(0);
	});

	it('faults: a lost association answer is asked again (one association, no duplicate); a refused one (company deleted) is reported failed and written by the next delivery once it is back', async () => {
		const h = setup();
		const [company] = await sync(h, companyParams, [
			sfRecord('Account', ACCOUNT, { Name: 'Orbit Inc', Website: 'https://orbit.example' }),
		]);
		const companyId = targetIdOf(company);
		const [first, second] = contactItems();

		ref.sandbox.admin.addFault({
			vendor: 'hubspot',
			method: 'POST',
			pathPattern: 'batch/associate/default',
			kind: 'dropAnswer',
			count: 1,
		});
		ref.sandbox.admin.clearRequests();
		const [lost] = await sync(h, contactParams, [first]);
		expect(statusesOf(lost)).toEqual(['company:linked']);
		// Sent twice (the first answer lost), stored once.
		expect(associateCalls()).toEqual(['contacts/companies', 'contacts/companies']);
		const lostId = targetIdOf(lost);
		expect(ref.sandbox.store.linksFrom('hubspot', 'contacts', lostId, 'companies')).toHaveLength(1);
		expect(hsLinks('companies', companyId, 'contacts')).toEqual([lostId]);

		// The company is deleted in HubSpot (its link remains): the association is refused.
		const stored = ref.sandbox.store.get('hubspot', 'companies', companyId)!;
		ref.sandbox.store.remove('hubspot', 'companies', companyId);
		const [refused] = await sync(h, contactParams, [second]);
		expect(syncOf(refused).action).toBe('created');
		expect((syncOf(refused).associations as IDataObject[])[0]).toMatchObject({
			status: 'failed',
			reason: expect.stringContaining(companyId),
		});
		const refusedId = targetIdOf(refused);
		expect(hsLinks('contacts', refusedId, 'companies')).toEqual([]);

		// Restored (same id): the next delivery of the contact is not "already synced" and links it.
		ref.sandbox.store.insert('hubspot', 'companies', companyId, stored.fields);
		ref.sandbox.admin.clearRequests();
		const [retried] = await sync(h, contactParams, [second]);
		expect(syncOf(retried).action).toBe('unchanged');
		expect(statusesOf(retried)).toEqual(['company:linked']);
		expect(hsLinks('contacts', refusedId, 'companies')).toEqual([companyId]);
		const people = ref.sandbox.store
			.list('hubspot', 'contacts')
			.filter((r) => String(r.fields.email).endsWith('@orbit.example'));
		expect(people).toHaveLength(2);
	});

	it('10 concurrent copies of one associated deal ⇒ one HubSpot deal with one association per pair', async () => {
		const h = setup();
		await sync(h, companyParams, [
			sfRecord('Account', ACCOUNT, { Name: 'Orbit Inc', Website: 'https://orbit.example' }),
		]);
		await sync(h, contactParams, contactItems());
		const [deal] = dealItems();
		const outs = await Promise.all(
			Array.from({ length: 10 }, async () => await sync(h, dealParams, [deal])),
		);
		expect(outs.flat().filter((o) => syncOf(o).action === 'created')).toHaveLength(1);
		const deals = ref.sandbox.store
			.list('hubspot', 'deals')
			.filter((r) => r.fields.dealname === 'Orbit deal 0');
		expect(deals).toHaveLength(1);
		expect(ref.sandbox.store.linksFrom('hubspot', 'deals', deals[0].id, 'companies')).toHaveLength(
			1,
		);
		expect(ref.sandbox.store.linksFrom('hubspot', 'deals', deals[0].id, 'contacts')).toHaveLength(
			1,
		);
	});

	it('the same deal twice in one batch (HubSpot → Salesforce) ⇒ one Opportunity, one contact role per contact', async () => {
		const h = setup();
		const toSf = { ...SF_TO_HS, direction: 'hubspotToSalesforce' };
		await sync(
			h,
			{
				...toSf,
				objectKind: 'company',
				mappings: { mapping: [map('name', 'Name', 'preferTarget')] },
			},
			[hsRecord('companies', '7020', { name: 'Acme', domain: 'acme.example' })],
		);
		const people = await sync(
			h,
			{
				...toSf,
				objectKind: 'contact',
				newPersonKind: 'contact',
				mappings: { mapping: [map('lastname', 'LastName'), map('email', 'Email')] },
			},
			[hsRecord('contacts', '9420', { lastname: 'Twice', email: 'twice@acme.example' })],
		);
		const contactId = targetIdOf(people[0]);
		const deal = hsRecord(
			'deals',
			'5020',
			{ dealname: 'Twice deal', dealstage: 'closedwon', closedate: '2026-09-01' },
			{ company: ['7020'], contact: ['9420'] },
		);
		const outs = await sync(
			h,
			{
				...toSf,
				objectKind: 'deal',
				mappings: {
					mapping: [
						map('dealname', 'Name'),
						map('dealstage', 'StageName'),
						map('closedate', 'CloseDate'),
					],
				},
			},
			[deal, deal],
		);
		expect(outs.map((o) => syncOf(o).action)).toEqual(['created', 'updated']);
		const opportunities = ref.sandbox.store
			.list('salesforce', 'Opportunity')
			.filter((r) => r.fields.Name === 'Twice deal');
		expect(opportunities).toHaveLength(1);
		const roles = ref.sandbox.store
			.list('salesforce', 'OpportunityContactRole')
			.filter((r) => r.fields.OpportunityId === opportunities[0].id);
		expect(roles.map((r) => r.fields.ContactId)).toEqual([contactId]);
	});

	it('a daily API cap reached after the deal write leaves its contact role for the next delivery (no fingerprint), which writes it: one Opportunity, one role', async () => {
		const h = setup();
		const toSf = { ...SF_TO_HS, direction: 'hubspotToSalesforce' };
		await sync(
			h,
			{
				...toSf,
				objectKind: 'company',
				mappings: { mapping: [map('name', 'Name', 'preferTarget')] },
			},
			[hsRecord('companies', '7030', { name: 'Acme', domain: 'acme.example' })],
		);
		const people = await sync(
			h,
			{
				...toSf,
				objectKind: 'contact',
				newPersonKind: 'contact',
				mappings: { mapping: [map('lastname', 'LastName'), map('email', 'Email')] },
			},
			[hsRecord('contacts', '9430', { lastname: 'Capped', email: 'capped@acme.example' })],
		);
		const dealParamsSf = {
			...toSf,
			objectKind: 'deal',
			dailyApiCapPercent: 20,
			mappings: {
				mapping: [
					map('dealname', 'Name'),
					map('dealstage', 'StageName'),
					map('closedate', 'CloseDate'),
				],
			},
		};
		const deal = hsRecord(
			'deals',
			'5030',
			{ dealname: 'Capped deal', dealstage: 'closedwon', closedate: '2026-09-01' },
			{ company: ['7030'], contact: ['9430'] },
		);
		// A dry run reads the Opportunity's describe (kept for the process). A deal is found by its
		// link only (none yet), so the Opportunity write is then the run's first request and brings
		// the org's day to 20 of 100 — the cap — and the role write waits.
		await sync(h, { ...dealParamsSf, dryRun: true }, [deal]);
		ref.sandbox.admin.configure('salesforce', { dailyApiLimit: 100, apiUsage: 19 });
		ref.sandbox.admin.clearRequests();
		const [held] = await sync(h, dealParamsSf, [deal]);
		expect(ref.sandbox.admin.requests('salesforce').map((r) => r.path)).toEqual([
			'/services/data/v62.0/composite/sobjects',
		]);
		expect(syncOf(held).action).toBe('created');
		const opportunityId = targetIdOf(held);
		expect(
			(syncOf(held).associations as IDataObject[]).find((a) => a.kind === 'contact'),
		).toMatchObject({
			status: 'failed',
			reason: expect.stringContaining('daily API cap of 20 %'),
		});
		const roles = () =>
			ref.sandbox.store
				.list('salesforce', 'OpportunityContactRole')
				.filter((r) => r.fields.OpportunityId === opportunityId);
		expect(roles()).toHaveLength(0);

		// A new day: the next delivery is not "already synced"; it writes the role only.
		ref.sandbox.admin.configure('salesforce', { apiUsage: 0 });
		const [later] = await sync(h, dealParamsSf, [deal]);
		expect(targetIdOf(later)).toBe(opportunityId);
		expect(roles().map((r) => r.fields.ContactId)).toEqual([targetIdOf(people[0])]);
		expect(
			ref.sandbox.store
				.list('salesforce', 'Opportunity')
				.filter((r) => r.fields.Name === 'Capped deal'),
		).toHaveLength(1);
		ref.sandbox.admin.configure('salesforce', { dailyApiLimit: 15_000 });
	});

	it('HubSpot → Dynamics 365: contacts and opportunities bound to their account and contact in the record writes themselves; a re-run binds nothing again', async () => {
		const h = setup();
		const dynamics = (type: string, id: string) =>
			ref.sandbox.store.get('dynamics', type, id)?.fields;
		const [company] = await sync(
			h,
			{
				...HS_TO_DYN,
				objectKind: 'company',
				mappings: { mapping: [map('name', 'name'), map('domain', 'websiteurl')] },
			},
			[hsRecord('companies', '7700', { name: 'Lagrange Ltd', domain: 'lagrange.example' })],
		);
		expect(syncOf(company).action).toBe('created');
		const accountId = targetIdOf(company);

		const personParams = {
			...HS_TO_DYN,
			objectKind: 'contact',
			newPersonKind: 'contact',
			mappings: { mapping: [map('lastname', 'lastname'), map('email', 'emailaddress1')] },
		};
		const people = [0, 1].map((i) =>
			hsRecord(
				'contacts',
				`880${i}`,
				{ lastname: `Point${i}`, email: `l${i}@lagrange.example` },
				{ company: ['7700'] },
			),
		);
		const contacts = await sync(h, personParams, people);
		expect(contacts.map((c) => `${syncOf(c).action}:${targetIdOf(c) !== ''}`)).toEqual([
			'created:true',
			'created:true',
		]);
		expect(contacts.map(statusesOf)).toEqual([['company:linked'], ['company:linked']]);
		for (const c of contacts)
			expect(dynamics('contact', targetIdOf(c))?._parentcustomerid_value).toBe(accountId);

		const dealParamsDyn = {
			...HS_TO_DYN,
			objectKind: 'deal',
			mappings: { mapping: [map('dealname', 'name', 'alwaysSource')] },
		};
		const deal = (name: string) =>
			hsRecord('deals', '5700', { dealname: name }, { company: ['7700'], contact: ['8800'] });
		ref.sandbox.admin.clearRequests();
		const [opportunity] = await sync(h, dealParamsDyn, [deal('L1 station')]);
		expect(syncOf(opportunity).action).toBe('created');
		expect(statusesOf(opportunity)).toEqual(['company:linked', 'contact:linked']);
		expect(dynamics('opportunity', targetIdOf(opportunity))).toMatchObject({
			_parentaccountid_value: accountId,
			_customerid_value: accountId,
			_parentcontactid_value: targetIdOf(contacts[0]),
		});
		// The lookups rode on the create: one write request in all, no association call.
		const writes = ref.sandbox.admin
			.requests('dynamics')
			.filter((r) => r.path.endsWith('$batch') && /\n(POST|PATCH) /.test(String(r.body)));
		expect(writes).toHaveLength(1);
		expect(String(writes[0].body)).toContain('parentaccountid@odata.bind');

		// Renamed: the name is written, the lookups it already has are not.
		ref.sandbox.admin.clearRequests();
		const [renamed] = await sync(h, dealParamsDyn, [deal('L1 station II')]);
		expect(syncOf(renamed).action).toBe('updated');
		expect(statusesOf(renamed)).toEqual(['company:unchanged', 'contact:unchanged']);
		const patch = ref.sandbox.admin
			.requests('dynamics')
			.filter((r) => r.path.endsWith('$batch') && /\nPATCH /.test(String(r.body)));
		expect(patch).toHaveLength(1);
		expect(String(patch[0].body)).not.toContain('@odata.bind');
		expect(dynamics('opportunity', targetIdOf(opportunity))?.name).toBe('L1 station II');
	});
});
