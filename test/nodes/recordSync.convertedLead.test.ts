/**
 * CRM Record Sync and Salesforce lead conversion: a HubSpot contact synced as a Lead, the Lead
 * converted in Salesforce (it refuses updates from then on) — the next change follows the link
 * to the Contact it became, writes there, and the link rows point at the Contact.
 */
import { mapping, recordSyncParams, recordSyncSuite, syncOf } from './support/recordSyncSetup';

describe('CRM Record Sync — converted leads', () => {
	const { ref, setup, run } = recordSyncSuite();
	const params = recordSyncParams('hubspotToSalesforce', {
		mappings: {
			mapping: [
				mapping('firstname', 'FirstName'),
				mapping('lastname', 'LastName'),
				mapping('email', 'Email'),
				mapping('jobtitle', 'Title', 'alwaysSource'),
			],
		},
	});
	const person = (title: string, updatedAt: string) => ({
		crm: 'hubspot',
		objectType: 'contacts',
		id: '8101',
		properties: {
			firstname: 'Katherine',
			lastname: 'Johnson',
			email: 'kj@nasa.example',
			jobtitle: title,
		},
		updatedAt,
	});

	it('the next change goes to the contact the lead became; no new record, no failed update', async () => {
		const h = setup();
		const [created] = await run(h, params, [person('Mathematician', '2026-06-01T10:00:00.000Z')]);
		expect(syncOf(created)).toMatchObject({ action: 'created', target: { objectType: 'Lead' } });
		const leadId = String((syncOf(created).target as { id: string }).id);

		// A sales rep converts the lead: a Contact now carries the person, the Lead is frozen.
		const [contact] = ref.sandbox.admin.putRecords('salesforce', 'Contact', [
			{
				FirstName: 'Katherine',
				LastName: 'Johnson',
				Email: 'kj@nasa.example',
				Title: 'Mathematician',
			},
		]);
		ref.sandbox.admin.putRecords('salesforce', 'Lead', [
			{
				id: leadId,
				IsConverted: true,
				ConvertedContactId: contact.id,
				Status: 'Closed - Converted',
			},
		]);

		const [updated] = await run(h, params, [
			person('Research Mathematician', '2099-06-02T10:00:00.000Z'),
		]);
		expect(syncOf(updated)).toMatchObject({
			action: 'updated',
			target: { objectType: 'Contact', id: contact.id },
		});
		expect(ref.sandbox.store.get('salesforce', 'Contact', contact.id)?.fields.Title).toBe(
			'Research Mathematician',
		);
		expect(ref.sandbox.store.get('salesforce', 'Lead', leadId)?.fields.Title).toBe('Mathematician');
		const withEmail = (type: string) =>
			ref.sandbox.store
				.list('salesforce', type)
				.filter((r) => r.fields.Email === 'kj@nasa.example');
		expect(withEmail('Contact')).toHaveLength(1);
		expect(withEmail('Lead')).toHaveLength(1);
		const rows = (updated.link as { rows: Array<{ key: string; counterpartId: string }> }).rows;
		expect(rows[0]).toMatchObject({ key: 'hubspot:contacts:8101', counterpartId: contact.id });
		expect(rows[1].key).toBe(`salesforce:Contact:${contact.id}`);
	});

	it('10 concurrent copies of a change and a lost update answer: the contact updated, no record added, the lead untouched', async () => {
		const h = setup();
		const [created] = await run(h, params, [person('Mathematician', '2026-06-01T10:00:00.000Z')]);
		const leadId = String((syncOf(created).target as { id: string }).id);
		const [contact] = ref.sandbox.admin.putRecords('salesforce', 'Contact', [
			{
				FirstName: 'Katherine',
				LastName: 'Johnson',
				Email: 'kj@nasa.example',
				Title: 'Mathematician',
			},
		]);
		ref.sandbox.admin.putRecords('salesforce', 'Lead', [
			{
				id: leadId,
				IsConverted: true,
				ConvertedContactId: contact.id,
				Status: 'Closed - Converted',
			},
		]);
		// The first update is carried out but its answer is lost; the transport asks again.
		ref.sandbox.admin.addFault({
			vendor: 'salesforce',
			method: 'PATCH',
			pathPattern: 'composite/sobjects',
			kind: 'dropAnswer',
			count: 1,
		});
		const change = person('Research Mathematician', '2099-06-02T10:00:00.000Z');
		const outs = (
			await Promise.all(Array.from({ length: 10 }, () => run(h, params, [change])))
		).flat();
		expect(outs.filter((o) => o.error !== undefined)).toEqual([]);
		// The lost answer did happen.
		expect(ref.sandbox.admin.pendingFaults().filter((f) => f.remaining > 0)).toEqual([]);
		for (const out of outs)
			expect(syncOf(out).target).toMatchObject({ objectType: 'Contact', id: contact.id });
		const withEmail = (type: string) =>
			ref.sandbox.store
				.list('salesforce', type)
				.filter((r) => r.fields.Email === 'kj@nasa.example');
		expect(withEmail('Contact')).toHaveLength(1);
		expect(withEmail('Lead')).toHaveLength(1);
		expect(ref.sandbox.store.get('salesforce', 'Contact', contact.id)?.fields.Title).toBe(
			'Research Mathematician',
		);
		expect(ref.sandbox.store.get('salesforce', 'Lead', leadId)?.fields.Title).toBe('Mathematician');
	});
});
