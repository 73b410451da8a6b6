/**
 * CRM Contact Field Merge keeps one record per person in the CRMs with leads (Salesforce,
 * Dynamics 365), through n8n's real engine against the sandbox: the person is looked up as
 * contact and lead before a create, an existing lead is updated instead of a new record,
 * a missing phone falls back to the email, replays and duplicate items in one batch create
 * one record, and a Salesforce phone search that lags behind new records does not matter.
 */
import type { IDataObject } from 'n8n-workflow';

import { DYNAMICS_SEED_IDS } from '../sandbox/vendors/dynamics';
import { SALESFORCE_SEED_IDS } from '../sandbox/vendors/salesforce';
import {
	MERGE_NODE,
	change,
	lastLog,
	mapper,
	mergeParams,
	mergeSuite,
	mergeWorkflow,
} from './support/mergeSetup';
import { jsonOf } from './support/packHarness';

interface CrmCase {
	crm: 'salesforce' | 'dynamics';
	lead: string;
	contact: string;
	email: string;
	phone: string;
	/** Text field on both contact and lead. */
	notes: string;
	/** Mapped values that make a valid new lead. */
	newLead: IDataObject;
	grace: string;
	carol: string;
}

const CASES: CrmCase[] = [
	{
		crm: 'salesforce',
		lead: 'Lead',
		contact: 'Contact',
		email: 'Email',
		phone: 'Phone',
		notes: 'Description',
		newLead: { LastName: 'Walker', Company: 'Walker & Co' },
		grace: SALESFORCE_SEED_IDS.leads.grace,
		carol: SALESFORCE_SEED_IDS.contacts.carol,
	},
	{
		crm: 'dynamics',
		lead: 'lead',
		contact: 'contact',
		email: 'emailaddress1',
		phone: 'telephone1',
		notes: 'description',
		newLead: { lastname: 'Walker', companyname: 'Walker & Co' },
		grace: DYNAMICS_SEED_IDS.leads.grace,
		carol: DYNAMICS_SEED_IDS.contacts.carol,
	},
];

const recordOf = (json: IDataObject) => (json.crm as { record: IDataObject }).record;

describe.each(CASES)('CRM Contact Field Merge identity — $crm', (c) => {
	const suite = mergeSuite();
	const count = (type: string) => suite.sandbox.store.list(c.crm, type).length;
	const fields = (type: string, id: string) => suite.sandbox.store.get(c.crm, type, id)!.fields;

	/** Object = Contact, Create If Missing as a Lead, the notes merged. */
	const createAsLead = (extra: IDataObject) =>
		mergeParams(c.crm, {
			createIfMissing: true,
			createAs: 'lead',
			defaultMode: 'fillIfEmpty',
			updateModes: { modes: [{ field: c.notes, mode: 'merge' }] },
			...extra,
		});

	it('Object = Contact, Create As = Lead, run twice: exactly one Lead, updated by the second run', async () => {
		const { harness, credentials } = setup();
		const leads = count(c.lead);
		const contacts = count(c.contact);
		const run = (note: string) =>
			harness.run(
				mergeWorkflow(
					createAsLead({
						matchBy: 'email',
						matchValue: '={{ $json.email }}',
						fields: mapper({ ...c.newLead, [c.notes]: note }),
					}),
					[{ email: 'Sam.Walker@walker.example' }],
					credentials,
				),
			);

		const [first] = jsonOf(await run('First call'), MERGE_NODE, 0);
		expect(lastLog(first)).toMatchObject({ operation: 'create-lead', status: 'success' });
		const id = String(recordOf(first).id);
		const [second] = jsonOf(await run('Second call'), MERGE_NODE, 0);

		expect(count(c.lead)).toBe(leads + 1);
		expect(count(c.contact)).toBe(contacts);
		expect(second.crm).toMatchObject({
			matchedAs: 'lead',
			record: { id, kind: 'lead', matched: true, created: false },
			matchKey: { by: 'email', value: 'sam.walker@walker.example', fallback: false },
		});
		expect(lastLog(second)).toMatchObject({
			operation: 'update-lead',
			status: 'success',
			target: { type: 'lead', id },
		});
		expect(
			String(fields(c.lead, id)[c.notes])
				.split('\n')
				.map((line) => line.slice(12)),
		).toEqual(['First call', 'Second call']);
	});

	it('a person who exists as a Lead is updated when the Object is Contact: no new record of either kind', async () => {
		const { harness, credentials } = setup();
		const leads = count(c.lead);
		const contacts = count(c.contact);
		const run = await harness.run(
			mergeWorkflow(
				// Even when new records would be contacts, the existing lead is the person.
				createAsLead({
					createAs: 'contact',
					matchBy: 'phone',
					matchValue: '={{ $json.phone }}',
					defaultCountry: 'US',
					fields: mapper({ [c.notes]: 'Called back about pricing' }),
				}),
				[{ phone: '(646) 555-0142' }],
				credentials,
			),
		);
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect(out.crm).toMatchObject({
			matchedAs: 'lead',
			record: { id: c.grace, kind: 'lead', matched: true, created: false },
		});
		expect(lastLog(out)).toMatchObject({
			operation: 'update-lead',
			status: 'success',
			target: { type: 'lead', id: c.grace },
		});
		expect(String(fields(c.lead, c.grace)[c.notes])).toMatch(
			/\d{4}-\d{2}-\d{2}: Called back about pricing$/,
		);
		expect(count(c.lead)).toBe(leads);
		expect(count(c.contact)).toBe(contacts);
	});

	it('Match By phone with the phone missing falls back to the email, and says so; without the fall-back the item fails naming the field', async () => {
		const { harness, credentials } = setup();
		const params = (extra: IDataObject) =>
			mergeParams(c.crm, {
				matchBy: 'phone',
				matchValue: '={{ $json.phone }}',
				fields: mapper({ [c.notes]: 'Prefers email' }),
				...extra,
			});
		const items = [{ phone: '', email: 'carol.hughes@globex.example' }];

		const run = await harness.run(mergeWorkflow(params({}), items, credentials));
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect(out.crm).toMatchObject({
			matchedAs: 'contact',
			record: { id: c.carol, matched: true },
			matchKey: {
				by: 'email',
				value: 'carol.hughes@globex.example',
				fallback: true,
				reason: expect.stringMatching(/^field "matchValue" \(phone\) is empty/),
			},
		});
		expect(change(out, c.notes)).toMatchObject({ after: 'Prefers email', applied: true });
		expect(fields(c.contact, c.carol)[c.notes]).toBe('Prefers email');

		const strict = await harness.run(
			mergeWorkflow(params({ fallBackToOtherKey: false }), items, credentials, {
				onError: 'continueErrorOutput',
			}),
		);
		expect(strict.output(MERGE_NODE)[2].map((item) => String(item.json.error))).toEqual([
			expect.stringMatching(/^Item 0: field "matchValue" \(phone\) is empty/),
		]);
	});

	it('a batch with the same new person twice creates one Lead; the second item joins it', async () => {
		const { harness, credentials } = setup();
		const leads = count(c.lead);
		const run = await harness.run(
			mergeWorkflow(
				createAsLead({
					matchBy: 'phone',
					matchValue: '={{ $json.phone }}',
					defaultCountry: 'US',
					fields: mapper({ ...c.newLead, [c.notes]: '={{ $json.note }}' }),
				}),
				[
					{ phone: '+1 303 555 0188', note: 'Inbound call' },
					{ phone: '(303) 555-0188', note: 'Left a voicemail' },
				],
				credentials,
			),
		);
		const [first, second] = jsonOf(run, MERGE_NODE, 0);
		expect(count(c.lead)).toBe(leads + 1);
		const id = String(recordOf(first).id);
		expect(lastLog(first)).toMatchObject({
			operation: 'create-lead',
			status: 'success',
			target: { id },
		});
		expect(lastLog(second)).toMatchObject({
			operation: 'update-lead',
			status: 'success',
			target: { id },
			reason: expect.stringMatching(/into the lead created for item 0$/),
		});
		expect(fields(c.lead, id)).toMatchObject({ [c.phone]: '+13035550188' });
		expect(
			String(fields(c.lead, id)[c.notes])
				.split('\n')
				.map((line) => line.slice(12)),
		).toEqual(['Inbound call', 'Left a voicemail']);
	});

	function setup() {
		return suite.setup();
	}
});

describe('CRM Contact Field Merge identity — Salesforce phone search lagging behind new records', () => {
	// SOSL sees a new record only after this delay; SOQL at once, as in a real org.
	const suite = mergeSuite({ salesforceSearch: { searchIndexDelayMs: 10 * 60_000 } });

	it('two quick runs for the same new phone make one Lead: the lookup does not depend on the search index', async () => {
		const { harness, credentials } = suite.setup();
		const leads = suite.sandbox.store.list('salesforce', 'Lead').length;
		const run = () =>
			harness.run(
				mergeWorkflow(
					mergeParams('salesforce', {
						matchBy: 'phone',
						matchValue: '={{ $json.phone }}',
						defaultCountry: 'US',
						createIfMissing: true,
						createAs: 'lead',
						fields: mapper({ LastName: 'Ortiz', Company: 'Ortiz Bikes' }),
					}),
					[{ phone: '303-555-0177' }],
					credentials,
				),
			);
		const [first] = jsonOf(await run(), MERGE_NODE, 0);
		const [second] = jsonOf(await run(), MERGE_NODE, 0);
		expect(suite.sandbox.store.list('salesforce', 'Lead')).toHaveLength(leads + 1);
		expect(recordOf(second)).toMatchObject({ id: recordOf(first).id, matched: true });
		expect(second.crm).toMatchObject({ matchedAs: 'lead' });
		expect(lastLog(second)).toMatchObject({ status: 'skipped', reason: 'no field changed' });
	});

	it('a Lead created moments ago elsewhere (another worker, a web form) is found by its phone and updated, not duplicated', async () => {
		const [planted] = suite.sandbox.admin.putRecords('salesforce', 'Lead', [
			{ LastName: 'Ortiz', Company: 'Ortiz Bikes', Phone: '+13035550177', IsConverted: false },
		]);
		const { harness, credentials } = suite.setup();
		const leads = suite.sandbox.store.list('salesforce', 'Lead').length;
		const run = await harness.run(
			mergeWorkflow(
				mergeParams('salesforce', {
					matchBy: 'phone',
					matchValue: '={{ $json.phone }}',
					defaultCountry: 'US',
					createIfMissing: true,
					createAs: 'lead',
					fields: mapper({ LastName: 'Ortiz', Company: 'Ortiz Bikes', Title: 'Owner' }),
				}),
				[{ phone: '303-555-0177' }],
				credentials,
			),
		);
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect(out.crm).toMatchObject({
			matchedAs: 'lead',
			record: { id: planted.id, matched: true, created: false },
		});
		expect(suite.sandbox.store.list('salesforce', 'Lead')).toHaveLength(leads);
		expect(suite.sandbox.store.get('salesforce', 'Lead', planted.id)!.fields.Title).toBe('Owner');
	});
});
