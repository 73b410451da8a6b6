/**
 * CRM Record Sync's "State and Country Picklists" through n8n's real engine against the
 * sandbox (whose Salesforce org has State and Country/Territory Picklists on and checks the
 * codes itself): free text → ISO codes on a Salesforce Lead, codes → names into HubSpot, and
 * a value that does not resolve reported on the item with the rest of the record written.
 */
import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_AUTH, jsonOf, sandboxHarness, singleNodeWorkflow } from './support/packHarness';
import { IsolatedRecordSync } from './support/recordSyncSetup';
import { seededSandbox } from './support/sandboxSuite';

const NODE = 'CRM Record Sync';

const map = (sourceField: string, targetField: string) => ({
	sourceField,
	targetField,
	rule: 'twoWay',
});
const syncOf = (json: IDataObject) => json.recordSync as IDataObject & { action: string };

const AUTH = {
	hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
	salesforceAuthentication: SANDBOX_AUTH.salesforce.salesforceAuthentication,
};
const TO_LEADS = {
	...AUTH,
	direction: 'hubspotToSalesforce',
	objectKind: 'contact',
	stateCountryCodes: true,
	mappings: {
		mapping: [
			map('lastname', 'LastName'),
			map('email', 'Email'),
			map('company', 'Company'),
			map('country', 'CountryCode'),
			map('state', 'StateCode'),
		],
	},
};

const hsPerson = (id: string, props: IDataObject) => ({
	crm: 'hubspot',
	objectType: 'contacts',
	id,
	properties: props,
	updatedAt: '2026-06-01T10:00:00.000Z',
});

describe('CRM Record Sync: State and Country Picklists', () => {
	const ref = seededSandbox();

	async function sync(parameters: IDataObject, items: IDataObject[]): Promise<IDataObject[]> {
		const h = sandboxHarness({ crmRecordSync: new IsolatedRecordSync() }, ref.sandbox.url);
		const run = await h.harness.run(
			singleNodeWorkflow(NODE, 'crmRecordSync', parameters, items, h.credentials, {
				onError: 'continueRegularOutput',
			}),
		);
		return jsonOf(run, NODE, 0);
	}
	const lead = (email: string) =>
		ref.sandbox.store.list('salesforce', 'Lead').find((r) => r.fields.Email === email)?.fields;

	it('"United States", "USA", "U.S." → US and "California" → CA on new Salesforce Leads', async () => {
		const people = ['United States', 'USA', 'U.S.'].map((country, i) =>
			hsPerson(`96${i}`, {
				lastname: `Place${i}`,
				email: `place${i}@codes.example`,
				company: 'Codes Inc',
				country,
				state: 'California',
			}),
		);
		const out = await sync(TO_LEADS, people);
		expect(out.map((json) => syncOf(json).action)).toEqual(['created', 'created', 'created']);
		for (let i = 0; i < 3; i++)
			expect(lead(`place${i}@codes.example`)).toMatchObject({ CountryCode: 'US', StateCode: 'CA' });
		expect(out.every((json) => syncOf(json).warnings === undefined)).toBe(true);
	});

	it('"Atlantis" is reported on the item with a sync-log row and not written; the rest of the record is', async () => {
		const [out] = await sync(TO_LEADS, [
			hsPerson('9700', {
				lastname: 'Nowhere',
				email: 'atlantis@codes.example',
				company: 'Lost City',
				country: 'Atlantis',
			}),
		]);
		expect(syncOf(out).action).toBe('created');
		expect(syncOf(out).warnings).toEqual([
			'HubSpot contacts 9700: field "country" → "CountryCode": "Atlantis" is not a known country — "CountryCode" was not written',
		]);
		const logs = out.syncLog as IDataObject[];
		// The outcome stays the last row; the unwritten value has a row of its own before it.
		expect(logs.at(-1)).toMatchObject({ operation: 'created-contact', status: 'success' });
		expect(logs.filter((row) => row.operation === 'unresolved-contact-field')).toEqual([
			expect.objectContaining({
				status: 'skipped',
				reason: expect.stringContaining('"Atlantis" is not a known country'),
			}),
		]);
		const written = lead('atlantis@codes.example');
		expect(written).toMatchObject({ LastName: 'Nowhere', Company: 'Lost City' });
		expect(written?.CountryCode ?? null).toBeNull();
	});

	it('Salesforce → HubSpot: codes become names ("US" → "United States", "CA" → "California")', async () => {
		const [out] = await sync(
			{
				...AUTH,
				direction: 'salesforceToHubspot',
				objectKind: 'contact',
				stateCountryCodes: true,
				mappings: {
					mapping: [
						map('LastName', 'lastname'),
						map('Email', 'email'),
						map('MailingCountryCode', 'country'),
						map('MailingStateCode', 'state'),
					],
				},
			},
			[
				{
					crm: 'salesforce',
					objectType: 'Contact',
					id: '003000000000PL1',
					properties: {
						LastName: 'Coder',
						Email: 'coder@names.example',
						MailingCountryCode: 'US',
						MailingStateCode: 'CA',
					},
					updatedAt: '2026-06-01T10:00:00.000Z',
				},
			],
		);
		expect(syncOf(out).action).toBe('created');
		const contact = ref.sandbox.store
			.list('hubspot', 'contacts')
			.find((r) => r.fields.email === 'coder@names.example');
		expect(contact?.fields).toMatchObject({ country: 'United States', state: 'California' });
	});

	it('without the option, free text cannot be mapped to a code picklist: the run fails naming the pair', async () => {
		const h = sandboxHarness({ crmRecordSync: new IsolatedRecordSync() }, ref.sandbox.url);
		const run = await h.harness.run(
			singleNodeWorkflow(
				NODE,
				'crmRecordSync',
				{ ...TO_LEADS, stateCountryCodes: false },
				[hsPerson('9800', { lastname: 'Off', email: 'off@codes.example', country: 'USA' })],
				h.credentials,
			),
		);
		expect(run.error(NODE)?.message).toMatch(
			/"Country Code \(CountryCode\)": a text field cannot be written to a picklist field/,
		);
		expect(lead('off@codes.example')).toBeUndefined();
	});
});
