/**
 * The Salesforce sandbox's State and Country/Territory Picklists over HTTP: valid codes are
 * stored (case-insensitively, upper case), an unknown country, a state outside its country
 * and a state without a country fail only their record with FIELD_INTEGRITY_EXCEPTION, and
 * the describe lists the code picklists.
 */
import { call, clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';
import { SALESFORCE_SEED_IDS } from './vendors/salesforce';

type SaveAnswer = Array<{
	id?: string;
	success: boolean;
	errors: Array<{ statusCode: string; message: string; fields: string[] }>;
}>;

describe('Salesforce sandbox: state and country code picklists', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let token: string;
	const data = (path: string) => `${sandbox.url}/services/data/v62.0${path}`;

	beforeAll(async () => {
		sandbox = await startSandbox();
		token = await clientCredentialsToken(sandbox.url, 'salesforce');
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.admin.seed('salesforce'));

	it('stores valid codes and refuses an unknown country, a state of another country and a state without a country, record by record', async () => {
		const { alice, bob } = SALESFORCE_SEED_IDS.contacts;
		const answer = await call<SaveAnswer>(data('/composite/sobjects'), {
			token,
			method: 'PATCH',
			body: {
				allOrNone: false,
				records: [
					{
						attributes: { type: 'Contact' },
						id: alice,
						MailingCountryCode: 'us',
						MailingStateCode: 'ca',
					},
					{ attributes: { type: 'Contact' }, id: bob, MailingCountryCode: 'XX' },
					{
						attributes: { type: 'Contact' },
						id: SALESFORCE_SEED_IDS.contacts.carol,
						MailingCountryCode: 'DE',
						MailingStateCode: 'CA',
					},
				],
			},
		});
		expect(answer.status).toBe(200);
		expect(answer.body.map((r) => r.success)).toEqual([true, false, false]);
		expect(answer.body[1].errors).toEqual([
			{
				statusCode: 'FIELD_INTEGRITY_EXCEPTION',
				message:
					"The MailingCountryCode field contains XX, which isn't an available country/territory.",
				fields: ['MailingCountryCode'],
			},
		]);
		expect(answer.body[2].errors).toEqual([
			{
				statusCode: 'FIELD_INTEGRITY_EXCEPTION',
				message: "The MailingStateCode field contains CA, which isn't an available state.",
				fields: ['MailingStateCode'],
			},
		]);
		expect(sandbox.store.get('salesforce', 'Contact', alice)!.fields).toMatchObject({
			MailingCountryCode: 'US',
			MailingStateCode: 'CA',
		});
		expect(
			sandbox.store.get('salesforce', 'Contact', bob)!.fields.MailingCountryCode,
		).toBeUndefined();

		const lead = await call<{ id: string }>(data('/sobjects/Lead'), {
			token,
			body: { LastName: 'Nowhere', Company: 'Acme', StateCode: 'NSW' },
		});
		expect(lead.status).toBe(400);
		expect(lead.body).toEqual([
			expect.objectContaining({ errorCode: 'FIELD_INTEGRITY_EXCEPTION', fields: ['StateCode'] }),
		]);
		const account = await call<{ id: string }>(data('/sobjects/Account'), {
			token,
			body: { Name: 'Sydney Pty', BillingCountryCode: 'AU', BillingStateCode: 'NSW' },
		});
		expect(account.status).toBe(201);
		expect(sandbox.store.get('salesforce', 'Account', account.body.id)!.fields).toMatchObject({
			BillingCountryCode: 'AU',
			BillingStateCode: 'NSW',
		});
	});

	it('moving a record to another country keeps its state only when the state is in that country', async () => {
		const { alice } = SALESFORCE_SEED_IDS.contacts;
		const first = await call(data(`/sobjects/Contact/${alice}`), {
			token,
			method: 'PATCH',
			body: { MailingCountryCode: 'AU', MailingStateCode: 'WA' },
		});
		expect(first.status).toBe(204);
		const toUs = await call(data(`/sobjects/Contact/${alice}`), {
			token,
			method: 'PATCH',
			body: { MailingCountryCode: 'US' },
		});
		// WA is Western Australia and Washington: valid in both.
		expect(toUs.status).toBe(204);
		const toBrazil = await call<Array<{ errorCode: string }>>(data(`/sobjects/Contact/${alice}`), {
			token,
			method: 'PATCH',
			body: { MailingCountryCode: 'BR' },
		});
		expect(toBrazil.status).toBe(400);
		expect(toBrazil.body[0].errorCode).toBe('FIELD_INTEGRITY_EXCEPTION');
		expect(sandbox.store.get('salesforce', 'Contact', alice)!.fields.MailingCountryCode).toBe('US');
	});

	it('describes the code fields as picklists', async () => {
		const describe = await call<{
			fields: Array<{ name: string; type: string; picklistValues: Array<{ value: string }> }>;
		}>(data('/sobjects/Contact/describe'), { token });
		const country = describe.body.fields.find((field) => field.name === 'MailingCountryCode');
		expect(country?.type).toBe('picklist');
		expect(country?.picklistValues.map((value) => value.value)).toEqual(
			expect.arrayContaining(['US', 'DE', 'GB', 'AU']),
		);
		expect(describe.body.fields.map((field) => field.name)).toEqual(
			expect.arrayContaining(['MailingState', 'MailingCountry', 'MailingStateCode']),
		);
	});
});
