/**
 * CRM Contact Field Merge writing lead fields to a person who turns out to be a contact
 * (Salesforce): the lead's address fields land on the contact's mailing address, a field with
 * no counterpart (Company) is reported and left alone, and the item succeeds.
 */
import { SALESFORCE_SEED_IDS } from '../sandbox/vendors/salesforce';
import { MERGE_NODE, mapper, mergeParams, mergeSuite, mergeWorkflow } from './support/mergeSetup';
import { jsonOf } from './support/packHarness';

interface Change {
	field: string;
	applied: boolean;
	reason?: string;
}

describe('CRM Contact Field Merge — lead fields on a matched contact (Salesforce)', () => {
	const suite = mergeSuite();

	it("writes the lead's Street/City/PostalCode to the contact's Mailing address; Company is reported", async () => {
		const { harness, credentials } = suite.setup();
		const carolId = SALESFORCE_SEED_IDS.contacts.carol;
		const carol = suite.sandbox.store.get('salesforce', 'Contact', carolId)!;
		const run = await harness.run(
			mergeWorkflow(
				mergeParams('salesforce', {
					objectKind: 'lead',
					createIfMissing: true,
					createAs: 'lead',
					matchBy: 'email',
					matchValue: '={{ $json.email }}',
					fields: mapper({
						Company: 'Acme',
						Street: '1 Main St',
						City: 'Springfield',
						PostalCode: '62701',
					}),
				}),
				[{ email: String(carol.fields.Email) }],
				credentials,
			),
		);
		const [out] = jsonOf(run, MERGE_NODE, 0);
		const crm = out.crm as { record: { id: string; kind: string }; fieldChanges: Change[] };
		expect(crm.record).toMatchObject({ id: carolId, kind: 'contact' });
		const changes = Object.fromEntries(crm.fieldChanges.map((c) => [c.field, c]));
		expect(changes.MailingStreet).toMatchObject({ applied: true });
		expect(changes.MailingCity).toMatchObject({ applied: true });
		expect(changes.MailingPostalCode).toMatchObject({ applied: true });
		expect(changes.Company).toMatchObject({ applied: false });
		expect(changes.Company.reason).toMatch(/unknown field "Company" on Contact/);
		expect(suite.sandbox.store.get('salesforce', 'Contact', carolId)?.fields).toMatchObject({
			MailingStreet: '1 Main St',
			MailingCity: 'Springfield',
			MailingPostalCode: '62701',
		});
	});
});
