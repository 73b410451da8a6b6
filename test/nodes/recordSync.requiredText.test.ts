/**
 * CRM Record Sync, required text fields on create: a HubSpot contact without a company or
 * last name still becomes a Salesforce Lead (Company and LastName "[not provided]", as HubSpot's
 * own integration does), an update never writes the placeholder, and the placeholder read
 * back from Salesforce counts as blank — it never reaches HubSpot.
 */
import { mapping, recordSyncParams, recordSyncSuite, syncOf } from './support/recordSyncSetup';

describe('CRM Record Sync — required text fields', () => {
	const { ref, setup, run } = recordSyncSuite();
	const leads = (email: string) =>
		ref.sandbox.store
			.list('salesforce', 'Lead')
			.filter((r) => String(r.fields.Email ?? '').toLowerCase() === email);
	const toSalesforce = recordSyncParams('hubspotToSalesforce', {
		mappings: {
			mapping: [
				mapping('firstname', 'FirstName'),
				mapping('lastname', 'LastName'),
				mapping('email', 'Email'),
				mapping('company', 'Company'),
			],
		},
	});

	it('a contact without company or last name becomes one Lead with the placeholder, shown as changes', async () => {
		const h = setup();
		const [out] = await run(h, toSalesforce, [
			{
				crm: 'hubspot',
				objectType: 'contacts',
				id: '7001',
				properties: {
					firstname: 'Grace',
					email: 'grace@navy.example',
					company: '',
					lastname: null,
				},
				updatedAt: '2026-06-01T10:00:00.000Z',
			},
		]);
		expect(syncOf(out)).toMatchObject({ action: 'created', target: { objectType: 'Lead' } });
		const [lead] = leads('grace@navy.example');
		expect(lead.fields).toMatchObject({
			FirstName: 'Grace',
			LastName: '[not provided]',
			Company: '[not provided]',
		});
		const changes = syncOf(out).fieldChanges as Array<{ field: string; rule: string }>;
		expect(
			changes
				.filter((c) => c.rule === 'required')
				.map((c) => c.field)
				.sort(),
		).toEqual(['Company', 'LastName']);
	});

	it('the placeholder read back from Salesforce is blank: HubSpot keeps its empty company', async () => {
		const h = setup();
		const [lead] = ref.sandbox.admin.putRecords('salesforce', 'Lead', [
			{
				FirstName: 'Alan',
				LastName: 'Turing',
				Company: '[not provided]',
				Email: 'alan@bletchley.example',
			},
		]);
		const [out] = await run(
			h,
			recordSyncParams('salesforceToHubspot', {
				mappings: {
					mapping: [
						mapping('LastName', 'lastname'),
						mapping('Email', 'email'),
						mapping('Company', 'company', 'alwaysSource'),
					],
				},
			}),
			[
				{
					crm: 'salesforce',
					objectType: 'Lead',
					id: lead.id,
					properties: {
						LastName: 'Turing',
						Email: 'alan@bletchley.example',
						Company: '[not provided]',
					},
					updatedAt: '2026-06-01T10:00:00.000Z',
				},
			],
		);
		expect(syncOf(out).action).toBe('created');
		const [contact] = ref.sandbox.store
			.list('hubspot', 'contacts')
			.filter((r) => r.fields.email === 'alan@bletchley.example');
		expect(contact.fields.lastname).toBe('Turing');
		expect(contact.fields.company ?? '').toBe('');
	});

	it('an update never writes the placeholder over a blank source value', async () => {
		const h = setup();
		const [lead] = ref.sandbox.admin.putRecords('salesforce', 'Lead', [
			{ LastName: 'Hopper', Company: 'Navy', Email: 'hopper@navy.example' },
		]);
		const [out] = await run(h, toSalesforce, [
			{
				crm: 'hubspot',
				objectType: 'contacts',
				id: '7002',
				properties: { firstname: 'Grace', lastname: 'Hopper', email: 'hopper@navy.example' },
				updatedAt: '2099-06-01T10:00:00.000Z',
			},
		]);
		expect(syncOf(out)).toMatchObject({ action: 'updated', target: { id: lead.id } });
		expect(ref.sandbox.store.get('salesforce', 'Lead', lead.id)?.fields.Company).toBe('Navy');
		const changes = syncOf(out).fieldChanges as Array<{ rule: string }>;
		expect(changes.some((c) => c.rule === 'required')).toBe(false);
	});
});
