/**
 * CRM Record Sync's Deletions through n8n's real engine against the sandbox: a deleted source
 * record deletes its linked counterpart (Salesforce, HubSpot, Dynamics 365; autoch.at cannot),
 * found through the stored link only; the other direction's report of that delete is an echo
 * answered without a call; "Don't Sync Deletions", no link and dry run touch nothing; faults:
 * ten concurrent copies, a lost answer, a record already gone, the daily API cap.
 */
import type { IDataObject } from 'n8n-workflow';

import { SALESFORCE_SEED_IDS } from '../sandbox/vendors/salesforce/seed';
import { SANDBOX_AUTH } from './support/packHarness';
import { mapping as map, recordSyncSuite, syncOf } from './support/recordSyncSetup';

const AUTH = {
	hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
	salesforceAuthentication: SANDBOX_AUTH.salesforce.salesforceAuthentication,
	dynamicsAuthentication: SANDBOX_AUTH.dynamics.dynamicsAuthentication,
	autochatAuthentication: SANDBOX_AUTH.autochat.autochatAuthentication,
};

const HS_TO_SF = {
	...AUTH,
	direction: 'hubspotToSalesforce',
	objectKind: 'contact',
	mappings: {
		mapping: [map('lastname', 'LastName'), map('email', 'Email'), map('company', 'Company')],
	},
	deletions: 'propagate',
};
const SF_TO_HS = {
	...AUTH,
	direction: 'salesforceToHubspot',
	objectKind: 'contact',
	mappings: { mapping: [map('LastName', 'lastname'), map('Email', 'email')] },
	deletions: 'propagate',
};

const rowsOf = (json: IDataObject) => (json.link as { rows: IDataObject[] }).rows;

/** A deleted record as the CRM Sync Trigger emits it with Include Deletions. */
const deletedItem = (crm: string, objectType: string, id: string, link?: IDataObject) => ({
	crm,
	objectType,
	kind: 'contact',
	id,
	crmId: id,
	event: 'deleted',
	deletedAt: '2026-06-02T10:00:00.000Z',
	...(link ? { link } : {}),
});

describe('CRM Record Sync: Deletions', () => {
	const { ref, setup, run: sync } = recordSyncSuite();
	type Harness = ReturnType<typeof setup>;

	const requests = (vendor: 'hubspot' | 'salesforce' | 'dynamics' | 'autochat') =>
		ref.sandbox.admin.requests(vendor);
	const salesforceDeletes = () =>
		requests('salesforce').filter(
			(r) => r.method === 'DELETE' && r.path.endsWith('/composite/sobjects'),
		);
	const leads = () => ref.sandbox.store.list('salesforce', 'Lead');

	/** A HubSpot contact synced into a new Salesforce Lead: the Lead's id and the link rows stored for both. */
	async function linkedLead(h: Harness, id: string, lastname: string) {
		const email = `${lastname.toLowerCase()}@deletions.example`;
		const company = 'Deletions Inc';
		ref.sandbox.store.insert('hubspot', 'contacts', id, { lastname, email, company });
		const [out] = await sync(h, HS_TO_SF, [
			{
				crm: 'hubspot',
				objectType: 'contacts',
				id,
				properties: { lastname, email, company },
				updatedAt: '2026-06-01T10:00:00.000Z',
			},
		]);
		expect(syncOf(out).action).toBe('created');
		const leadId = String((syncOf(out).target as IDataObject).id);
		const table = new Map(rowsOf(out).map((row) => [String(row.key), row]));
		return { leadId, table, sourceRow: table.get(`hubspot:contacts:${id}`)! };
	}

	it('HubSpot → Salesforce: a deleted contact deletes its linked Lead in one request; a repeat and both echoes of that delete make no call at all', async () => {
		const h = setup();
		const { leadId, table, sourceRow } = await linkedLead(h, '8101', 'Hopper');
		const others = leads().length - 1;

		ref.sandbox.admin.clearRequests();
		const [deleted] = await sync(h, HS_TO_SF, [
			deletedItem('hubspot', 'contacts', '8101', sourceRow),
		]);
		expect(syncOf(deleted)).toMatchObject({
			action: 'deleted',
			target: { crm: 'salesforce', objectType: 'Lead', id: leadId },
			dryRun: false,
		});
		expect(syncOf(deleted).reason).toMatch(/^deleted the Salesforce Lead .*Recycle Bin/);
		expect(salesforceDeletes()).toHaveLength(1);
		expect(ref.sandbox.store.get('salesforce', 'Lead', leadId)).toBeUndefined();
		expect(leads()).toHaveLength(others);
		// Salesforce's delete log (what the Sync Trigger's Include Deletions reads) has it.
		expect(ref.sandbox.store.deletions('salesforce', 'Lead').map((t) => t.id)).toEqual([leadId]);
		expect((deleted.syncLog as IDataObject[]).at(-1)).toMatchObject({
			status: 'success',
			apiCalls: 1,
		});
		const rows = rowsOf(deleted);
		expect(rows).toEqual([
			expect.objectContaining({
				key: 'hubspot:contacts:8101',
				counterpartId: leadId,
				deleted: 'source',
				deletedAt: '2026-06-02T10:00:00.000Z',
				fingerprint: '',
			}),
			expect.objectContaining({ key: `salesforce:Lead:${leadId}`, deleted: 'sync' }),
		]);
		rows.forEach((row) => table.set(String(row.key), row));

		// The same deletion delivered again (a re-poll): nothing sent.
		ref.sandbox.admin.clearRequests();
		const [again] = await sync(h, HS_TO_SF, [
			deletedItem('hubspot', 'contacts', '8101', table.get('hubspot:contacts:8101')),
		]);
		expect(syncOf(again).action).toBe('unchanged');
		expect(syncOf(again).reason).toMatch(/already propagated/);
		expect(ref.sandbox.admin.requests()).toEqual([]);

		// Salesforce's poll reports the Lead deleted: the sync's own delete — from memory, and from
		// the Data Table rows alone (a fresh process).
		ref.sandbox.admin.clearRequests();
		const echo = await sync(h, SF_TO_HS, [deletedItem('salesforce', 'Lead', leadId)]);
		const fresh = await sync(setup(), SF_TO_HS, [
			deletedItem('salesforce', 'Lead', leadId, table.get(`salesforce:Lead:${leadId}`)),
		]);
		for (const [out] of [echo, fresh]) {
			expect(syncOf(out)).toMatchObject({
				action: 'echo-skipped',
				target: { crm: 'hubspot', objectType: 'contacts', id: '8101' },
			});
			expect(syncOf(out).reason).toMatch(/the sync's own/);
		}
		// Not a single call to either CRM for the repeat and both echoes.
		expect(ref.sandbox.admin.requests()).toEqual([]);
		expect(ref.sandbox.store.get('hubspot', 'contacts', '8101')).toBeDefined();
	});

	it('"Don\'t Sync Deletions" keeps the counterpart; without a link nothing is deleted, not even a Lead with the same email; a dry run only says what it would delete', async () => {
		const h = setup();
		const { leadId, sourceRow } = await linkedLead(h, '8201', 'Lamarr');
		ref.sandbox.admin.clearRequests();

		const [ignored] = await sync(h, { ...HS_TO_SF, deletions: 'ignore' }, [
			deletedItem('hubspot', 'contacts', '8201', sourceRow),
		]);
		expect(syncOf(ignored)).toMatchObject({ action: 'skipped' });
		expect(syncOf(ignored).reason).toBe(
			'deleted in the source; Deletions is set to "Don\'t Sync Deletions", so the Salesforce record is kept',
		);
		expect(ignored.error).toBeUndefined();

		// A HubSpot contact with the Lead's email but never linked: its deletion touches nothing
		// (a deleted item has no values, and a delete never looks a record up by email).
		ref.sandbox.store.insert('hubspot', 'contacts', '8202', {
			lastname: 'Lamarr',
			email: 'lamarr@deletions.example',
		});
		const [unlinked] = await sync(setup(), HS_TO_SF, [deletedItem('hubspot', 'contacts', '8202')]);
		expect(syncOf(unlinked).action).toBe('skipped');
		expect(syncOf(unlinked).reason).toMatch(/^no stored link to a Salesforce record/);

		const [dry] = await sync(h, { ...HS_TO_SF, dryRun: true }, [
			deletedItem('hubspot', 'contacts', '8201', sourceRow),
		]);
		expect(syncOf(dry)).toMatchObject({ action: 'deleted', dryRun: true });
		expect(syncOf(dry).reason).toBe(`dry run: would delete the Salesforce Lead ${leadId}`);
		expect(rowsOf(dry)).toEqual([]);

		expect(salesforceDeletes()).toHaveLength(0);
		expect(ref.sandbox.store.get('salesforce', 'Lead', leadId)).toBeDefined();
	});

	it('Salesforce → HubSpot: a deleted Contact archives its HubSpot contact, which the archived listing then shows', async () => {
		const h = setup();
		const contactId = SALESFORCE_SEED_IDS.contacts.alice;
		const contact = ref.sandbox.store.get('salesforce', 'Contact', contactId)!;
		const [created] = await sync(h, SF_TO_HS, [
			{
				crm: 'salesforce',
				objectType: 'Contact',
				id: contactId,
				properties: { LastName: 'Archer', Email: 'archer@deletions.example' },
				updatedAt: contact.updatedAt,
			},
		]);
		expect(syncOf(created).action).toBe('created');
		const hsId = String((syncOf(created).target as IDataObject).id);
		ref.sandbox.admin.clearRequests();

		const [out] = await sync(h, SF_TO_HS, [deletedItem('salesforce', 'Contact', contactId)]);
		expect(syncOf(out)).toMatchObject({
			action: 'deleted',
			target: { objectType: 'contacts', id: hsId },
		});
		expect(syncOf(out).reason).toMatch(/archived/);
		expect(requests('hubspot').map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /hubspot/crm/v3/objects/contacts/batch/archive',
		]);
		expect(ref.sandbox.store.get('hubspot', 'contacts', hsId)).toBeUndefined();
		const archived = await fetch(
			`${ref.sandbox.url}/hubspot/crm/v3/objects/contacts?archived=true`,
			{ headers: { Authorization: 'Bearer pat-na1-sandbox' } },
		);
		const listed = (await archived.json()) as { results: Array<{ id: string }> };
		expect(listed.results.map((r) => r.id)).toContain(hsId);
	});

	it('HubSpot → Dynamics 365: the linked lead is deleted in one $batch and change tracking logs it; a lead already gone (404) counts as deleted', async () => {
		const h = setup();
		const toDynamics = {
			...AUTH,
			direction: 'hubspotToDynamics',
			objectKind: 'contact',
			mappings: { mapping: [map('lastname', 'lastname'), map('email', 'emailaddress1')] },
			deletions: 'propagate',
		};
		const people = [
			['8301', 'Curie'],
			['8302', 'Meitner'],
		] as const;
		const created = await sync(
			h,
			toDynamics,
			people.map(([id, lastname]) => ({
				crm: 'hubspot',
				objectType: 'contacts',
				id,
				properties: { lastname, email: `${lastname.toLowerCase()}@deletions.example` },
				updatedAt: '2026-06-01T10:00:00.000Z',
			})),
		);
		const leadIds = created.map((out) => String((syncOf(out).target as IDataObject).id));
		expect(created.map((out) => syncOf(out).target)).toEqual([
			expect.objectContaining({ objectType: 'lead' }),
			expect.objectContaining({ objectType: 'lead' }),
		]);
		// A user deletes the second lead in Dynamics first: its delete answers 404.
		ref.sandbox.admin.deleteRecords('dynamics', 'lead', [leadIds[1]]);
		ref.sandbox.admin.clearRequests();

		const outs = await sync(
			h,
			toDynamics,
			people.map(([id]) => deletedItem('hubspot', 'contacts', id)),
		);
		expect(outs.map((out) => syncOf(out).action)).toEqual(['deleted', 'deleted']);
		expect(requests('dynamics').map((r) => `${r.method} ${r.path}`)).toEqual([
			'POST /api/data/v9.2/$batch',
		]);
		for (const id of leadIds) expect(ref.sandbox.store.get('dynamics', 'lead', id)).toBeUndefined();
		expect(
			ref.sandbox.store
				.deletions('dynamics', 'lead')
				.map((t) => t.id)
				.sort(),
		).toEqual([...leadIds].sort());
	});

	it("HubSpot → autoch.at CRM: its API cannot delete a client, so the deletion is skipped with the profile's reason and the client kept", async () => {
		const h = setup();
		const toAutochat = {
			...AUTH,
			direction: 'hubspotToAutochat',
			objectKind: 'contact',
			mappings: { mapping: [map('lastname', 'name'), map('email', 'email')] },
			deletions: 'propagate',
		};
		const [created] = await sync(h, toAutochat, [
			{
				crm: 'hubspot',
				objectType: 'contacts',
				id: '8401',
				properties: { lastname: 'Franklin', email: 'franklin@deletions.example' },
				updatedAt: '2026-06-01T10:00:00.000Z',
			},
		]);
		expect(syncOf(created).action).toBe('created');
		const clientId = String((syncOf(created).target as IDataObject).id);
		ref.sandbox.admin.clearRequests();

		const [out] = await sync(h, toAutochat, [deletedItem('hubspot', 'contacts', '8401')]);
		expect(syncOf(out).action).toBe('skipped');
		expect(syncOf(out).reason).toMatch(/^autoch\.at CRM: its API has no way to delete a client/);
		expect(requests('autochat')).toHaveLength(0);
		expect(ref.sandbox.store.get('autochat', 'clients', clientId)).toBeDefined();
	});

	it('a linked Lead converted in Salesforce: the delete follows it to the Contact it became (one read), the converted Lead is left', async () => {
		const h = setup();
		const { leadId, sourceRow } = await linkedLead(h, '8451', 'Vaughan');
		const [contact] = ref.sandbox.admin.putRecords('salesforce', 'Contact', [
			{ LastName: 'Vaughan', Email: 'vaughan@deletions.example' },
		]);
		ref.sandbox.admin.putRecords('salesforce', 'Lead', [
			{ id: leadId, IsConverted: true, ConvertedContactId: contact.id },
		]);
		ref.sandbox.admin.clearRequests();
		const [out] = await sync(h, HS_TO_SF, [deletedItem('hubspot', 'contacts', '8451', sourceRow)]);
		expect(syncOf(out)).toMatchObject({
			action: 'deleted',
			target: { objectType: 'Contact', id: contact.id },
		});
		expect(syncOf(out).reason).toContain(`(the linked Lead ${leadId} was converted into it)`);
		expect(ref.sandbox.store.get('salesforce', 'Contact', contact.id)).toBeUndefined();
		expect(ref.sandbox.store.get('salesforce', 'Lead', leadId)).toBeDefined();
		expect(salesforceDeletes()).toHaveLength(1);
		expect(rowsOf(out).map((row) => [row.key, row.deleted])).toEqual([
			['hubspot:contacts:8451', 'source'],
			[`salesforce:Contact:${contact.id}`, 'sync'],
		]);
	});

	it('10 concurrent copies of one deletion ⇒ one delete request and one Lead gone', async () => {
		const h = setup();
		const { leadId, sourceRow } = await linkedLead(h, '8501', 'Noether');
		const others = leads().length - 1;
		ref.sandbox.admin.clearRequests();
		const outs = await Promise.all(
			Array.from(
				{ length: 10 },
				async () =>
					await sync(h, HS_TO_SF, [deletedItem('hubspot', 'contacts', '8501', sourceRow)]),
			),
		);
		const actions = outs.flat().map((out) => syncOf(out).action);
		expect(actions.filter((a) => a === 'deleted')).toHaveLength(1);
		expect(actions.filter((a) => a === 'unchanged')).toHaveLength(9);
		expect(salesforceDeletes()).toHaveLength(1);
		expect(ref.sandbox.store.get('salesforce', 'Lead', leadId)).toBeUndefined();
		expect(leads()).toHaveLength(others);
	});

	it('a lost answer to the delete is retried: the Lead is deleted once, nothing else touched, the item reports it deleted', async () => {
		const h = setup();
		const { leadId, sourceRow } = await linkedLead(h, '8601', 'Franklin');
		const others = leads()
			.map((lead) => lead.id)
			.filter((id) => id !== leadId);
		ref.sandbox.admin.clearRequests();
		ref.sandbox.admin.addFault({
			vendor: 'salesforce',
			method: 'DELETE',
			pathPattern: 'composite/sobjects',
			kind: 'dropAnswer',
			count: 1,
		});
		const [out] = await sync(h, HS_TO_SF, [deletedItem('hubspot', 'contacts', '8601', sourceRow)]);
		expect(syncOf(out)).toMatchObject({ action: 'deleted', target: { id: leadId } });
		expect(salesforceDeletes()).toHaveLength(2);
		expect(ref.sandbox.store.deletions('salesforce').map((t) => t.id)).toEqual([leadId]);
		expect(leads().map((lead) => lead.id)).toEqual(others);
	});

	it('every answer lost: the item fails as unavailable with nothing marked, and the next delivery reports the Lead deleted; one Lead gone', async () => {
		const h = setup();
		const { leadId, sourceRow } = await linkedLead(h, '8651', 'Johnson');
		const others = leads()
			.map((lead) => lead.id)
			.filter((id) => id !== leadId);
		// More lost answers than the transport's attempts (1 + 4 retries).
		ref.sandbox.admin.addFault({
			vendor: 'salesforce',
			method: 'DELETE',
			pathPattern: 'composite/sobjects',
			kind: 'dropAnswer',
			count: 5,
		});
		const item = deletedItem('hubspot', 'contacts', '8651', sourceRow);
		const [failed] = await sync(h, HS_TO_SF, [item]);
		expect(failed.recordSync).toBeUndefined();
		// A delete is safe to send again: the item is left for a later delivery, not called refused.
		expect(failed.details).toMatchObject({ kind: 'crm-unavailable', crm: 'salesforce' });
		expect(String(failed.error)).toMatch(
			/^Item 0: Salesforce could not delete the Lead .*failed after 5 attempts/,
		);
		ref.sandbox.admin.clearFaults();

		const [retried] = await sync(h, HS_TO_SF, [item]);
		expect(syncOf(retried)).toMatchObject({ action: 'deleted', target: { id: leadId } });
		expect(ref.sandbox.store.deletions('salesforce').map((t) => t.id)).toEqual([leadId]);
		expect(leads().map((lead) => lead.id)).toEqual(others);
	});

	it('a Lead a user deleted first (ENTITY_IS_DELETED) counts as deleted and the link rows are marked', async () => {
		const h = setup();
		const { leadId, sourceRow } = await linkedLead(h, '8701', 'Goodall');
		ref.sandbox.admin.deleteRecords('salesforce', 'Lead', [leadId]);
		const [out] = await sync(h, HS_TO_SF, [deletedItem('hubspot', 'contacts', '8701', sourceRow)]);
		expect(syncOf(out)).toMatchObject({ action: 'deleted', target: { id: leadId } });
		expect(rowsOf(out).map((row) => row.deleted)).toEqual(['source', 'sync']);
		expect(ref.sandbox.store.deletions('salesforce', 'Lead').map((t) => t.id)).toEqual([leadId]);
	});

	it('the daily API cap holds deletes back like writes: deferred, the Lead kept, deleted on a later run', async () => {
		const h = setup();
		const leadId = SALESFORCE_SEED_IDS.leads.grace;
		// The row a Data Table holds for a HubSpot contact linked to a seeded Lead.
		const sourceRow = {
			key: 'hubspot:contacts:8801',
			crm: 'hubspot',
			objectType: 'contacts',
			recordId: '8801',
			counterpartCrm: 'salesforce',
			counterpartObjectType: 'Lead',
			counterpartId: leadId,
			fingerprint: '',
			origin: 'read',
			syncedAt: '2026-06-01T10:00:00.000Z',
			deleted: '',
			deletedAt: '',
		};
		ref.sandbox.admin.configure('salesforce', { dailyApiLimit: 100, apiUsage: 20 });
		const parameters = { ...HS_TO_SF, dailyApiCapPercent: 20 };
		const [held] = await sync(h, parameters, [
			deletedItem('hubspot', 'contacts', '8801', sourceRow),
		]);
		expect(syncOf(held).action).toBe('deferred');
		expect(syncOf(held).reason).toMatch(/reached the cap of 20 %/);
		expect(salesforceDeletes()).toHaveLength(0);
		expect(ref.sandbox.store.get('salesforce', 'Lead', leadId)).toBeDefined();

		ref.sandbox.admin.configure('salesforce', { apiUsage: 0 });
		const [later] = await sync(h, parameters, [
			deletedItem('hubspot', 'contacts', '8801', sourceRow),
		]);
		expect(syncOf(later).action).toBe('deleted');
		expect(ref.sandbox.store.get('salesforce', 'Lead', leadId)).toBeUndefined();
		ref.sandbox.admin.configure('salesforce', { dailyApiLimit: 15_000 });
	});
});
