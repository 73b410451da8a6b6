/**
 * CRM Contact Field Merge's state and country mapping through n8n's real engine against the
 * local sandbox: free text written as the code picklists of a Salesforce org with State and
 * Country/Territory Picklists, codes written as names in HubSpot, an unknown place failing
 * only its item (error output, the rest of the batch written in one call), and a dry run
 * showing the converted values.
 */
import type { IDataObject } from 'n8n-workflow';

import { HUBSPOT_SEED_IDS } from '../sandbox/vendors/hubspot/seed';
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

const ADDRESS_ITEMS = [
	{ email: 'alice.nguyen@acme.example', country: 'USA', state: 'California' },
	{ email: 'bob.ramirez@acme.example', country: 'Atlantis', state: 'Texas' },
	{ email: 'carol.hughes@globex.example', country: 'Great Britain', state: '' },
];

describe('CRM Contact Field Merge — Map State & Country to Codes on Salesforce', () => {
	const suite = mergeSuite();
	const { setup } = suite;
	const { alice, bob, carol } = SALESFORCE_SEED_IDS.contacts;
	const record = (type: string, id: string) =>
		suite.sandbox.store.get('salesforce', type, id)!.fields;
	const collectionWrites = () =>
		suite.sandbox.admin
			.requests()
			.filter((r) => r.path.includes('/composite/sobjects') && r.method !== 'GET');

	const params = (extra: IDataObject): IDataObject =>
		mergeParams('salesforce', {
			matchBy: 'email',
			matchValue: '={{ $json.email }}',
			mapStateAndCountry: true,
			fields: mapper({
				MailingCountry: '={{ $json.country }}',
				MailingState: '={{ $json.state }}',
			}),
			...extra,
		});

	it('writes "USA"/"California" as US/CA to the code fields; "Atlantis" fails only its item, naming the field and the value', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(params({}), ADDRESS_ITEMS, credentials, { onError: 'continueErrorOutput' }),
		);
		const [ok, noMatch, errors] = run.output(MERGE_NODE);
		expect(ok.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(noMatch).toHaveLength(0);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
		expect(String(errors[0].json.error)).toBe(
			'Item 1: field "MailingCountry": "Atlantis" is not a known country',
		);
		expect(lastLog(errors[0].json.details as IDataObject)).toMatchObject({
			status: 'failed',
			operation: 'update-contact',
		});

		expect(record('Contact', alice)).toMatchObject({
			MailingCountryCode: 'US',
			MailingStateCode: 'CA',
		});
		// The text fields are not sent: Salesforce fills them from the codes.
		expect(record('Contact', alice).MailingCountry).toBeUndefined();
		expect(record('Contact', carol).MailingCountryCode).toBe('GB');
		expect(record('Contact', bob).MailingCountryCode).toBeUndefined();
		expect(record('Contact', bob).MailingStateCode).toBeUndefined();
		const [aliceOut] = ok.map((i) => i.json);
		expect(change(aliceOut, 'MailingCountryCode')).toMatchObject({
			before: null,
			after: 'US',
			applied: true,
		});
		expect(change(aliceOut, 'MailingCountry')).toBeUndefined();
		// Alice and Carol: one sObject Collections update.
		expect(collectionWrites()).toHaveLength(1);
	});

	it('dry run shows the converted values in the diff and writes nothing', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(params({ dryRun: true }), [ADDRESS_ITEMS[0]], credentials),
		);
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect(change(out, 'MailingCountryCode')).toMatchObject({ before: null, after: 'US' });
		expect(change(out, 'MailingStateCode')).toMatchObject({ before: null, after: 'CA' });
		expect(lastLog(out)).toMatchObject({
			status: 'skipped',
			reason: 'dry run: 2 field(s) would change',
		});
		expect(collectionWrites()).toHaveLength(0);
		expect(record('Contact', alice).MailingCountryCode).toBeUndefined();
	});

	it('reads a mapped state within the country the lead already has (Lead: State → StateCode)', async () => {
		const grace = SALESFORCE_SEED_IDS.leads.grace;
		suite.sandbox.store.update('salesforce', 'Lead', grace, { CountryCode: 'CA' });
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				params({
					objectKind: 'lead',
					matchBy: 'id',
					matchValue: grace,
					fields: mapper({ State: 'Québec' }),
				}),
				[{}],
				credentials,
			),
		);
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect(change(out, 'StateCode')).toMatchObject({ before: null, after: 'QC', applied: true });
		expect(record('Lead', grace)).toMatchObject({ CountryCode: 'CA', StateCode: 'QC' });
	});

	it('without the option, free text in a code field is refused by the picklist check', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				params({ mapStateAndCountry: false, fields: mapper({ MailingCountryCode: 'USA' }) }),
				[ADDRESS_ITEMS[0]],
				credentials,
			),
		);
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect(change(out, 'MailingCountryCode')).toMatchObject({ applied: false });
		expect(change(out, 'MailingCountryCode')!.reason).toMatch(/not in the picklist/);
		expect(record('Contact', alice).MailingCountryCode).toBeUndefined();
	});
});

describe('CRM Contact Field Merge — Map State & Country to Names on HubSpot', () => {
	const suite = mergeSuite();
	const { setup } = suite;
	const contact = (id: string) => suite.sandbox.store.get('hubspot', 'contacts', id)!.fields;
	const writes = () =>
		suite.sandbox.admin
			.requests()
			.filter((r) => r.method === 'POST' && /\/batch\/(update|create|upsert)$/.test(r.path));

	const params = (extra: IDataObject): IDataObject =>
		mergeParams('hubspot', {
			matchBy: 'email',
			matchValue: '={{ $json.email }}',
			mapStateAndCountry: true,
			fields: mapper({ country: '={{ $json.country }}', state: '={{ $json.state }}' }),
			...extra,
		});

	it('stores "USA"/"California" and "US"/"US-NY" as names; "Atlantis" fails only its item', async () => {
		const { harness, credentials } = setup();
		const items = [
			ADDRESS_ITEMS[0],
			ADDRESS_ITEMS[1],
			{ email: 'carol.hughes@globex.example', country: 'US', state: 'US-NY' },
		];
		const run = await harness.run(
			mergeWorkflow(params({}), items, credentials, { onError: 'continueErrorOutput' }),
		);
		const [ok, , errors] = run.output(MERGE_NODE);
		expect(ok.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
		expect(String(errors[0].json.error)).toBe(
			'Item 1: field "country": "Atlantis" is not a known country',
		);
		const { alice, bob, carol } = HUBSPOT_SEED_IDS.contacts;
		expect(contact(alice)).toMatchObject({ country: 'United States', state: 'California' });
		expect(contact(carol)).toMatchObject({ country: 'United States', state: 'New York' });
		expect(contact(bob).country).not.toBe('Atlantis');
		expect(writes()).toHaveLength(1);
	});

	it('dry run shows the names it would write', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				params({ dryRun: true }),
				[{ email: 'alice.nguyen@acme.example', country: 'u.s.', state: 'ca' }],
				credentials,
			),
		);
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect(change(out, 'country')).toMatchObject({ after: 'United States' });
		expect(change(out, 'state')).toMatchObject({ after: 'California' });
		expect(writes()).toHaveLength(0);
	});
});

describe('CRM Contact Field Merge — Map State & Country to Codes on an org without the picklists', () => {
	const suite = mergeSuite({ schema: 'standard' });

	it('fails the item with what to do instead of sending a field the org does not have', async () => {
		const { harness, credentials } = suite.setup();
		const run = await harness.run(
			mergeWorkflow(
				mergeParams('salesforce', {
					matchBy: 'email',
					matchValue: '={{ $json.email }}',
					mapStateAndCountry: true,
					fields: mapper({ MailingCountry: '={{ $json.country }}' }),
				}),
				[ADDRESS_ITEMS[0]],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
		);
		const [ok, , errors] = run.output(MERGE_NODE);
		expect(ok).toHaveLength(0);
		expect(String(errors[0].json.error)).toMatch(
			/^Item 0: field "MailingCountry": the object has no "MailingCountryCode" field: .*switch off Map State & Country to Codes/,
		);
		expect(
			suite.sandbox.admin
				.requests()
				.filter((r) => r.path.includes('/composite/sobjects') && r.method !== 'GET'),
		).toHaveLength(0);
	});
});
