/**
 * The sandbox's `standard` org: only the vendors' standard fields (no demo custom
 * properties) and a customised, restricted Salesforce Lead Status picklist — next to a demo
 * sandbox in the same process, each keeping its own schema.
 */
import { localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';
import { STANDARD_LEAD_STATUSES } from './vendors/salesforce/schema';

describe('sandbox standard schema', () => {
	localNetworkOnly();
	let standard: SandboxHandle;
	let demo: SandboxHandle;

	beforeAll(async () => {
		[standard, demo] = await Promise.all([startSandbox({ schema: 'standard' }), startSandbox()]);
	});
	afterAll(async () => {
		await Promise.all([standard.close(), demo.close()]);
	});

	const call = async (
		sandbox: SandboxHandle,
		method: string,
		path: string,
		body?: unknown,
		token = 'pat-na1-standard',
	) => {
		const response = await fetch(`${sandbox.url}${path}`, {
			method,
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return {
			status: response.status,
			body: (await response.json()) as Record<string, unknown> & Array<Record<string, unknown>>,
		};
	};

	const salesforceToken = async (sandbox: SandboxHandle): Promise<string> => {
		const body = new URLSearchParams({
			grant_type: 'client_credentials',
			client_id: 'standard-app',
			client_secret: 'standard-secret',
		});
		const answer = (await (
			await fetch(`${sandbox.url}/salesforce/services/oauth2/token`, { method: 'POST', body })
		).json()) as { access_token: string };
		return answer.access_token;
	};

	it('HubSpot: contacts have the standard properties (Buying Role included) and none of the demo custom ones; writing one is refused', async () => {
		const names = async (sandbox: SandboxHandle) =>
			(
				(await call(sandbox, 'GET', '/hubspot/crm/v3/properties/contacts')).body.results as Array<{
					name: string;
					hubspotDefined: boolean;
				}>
			).map((p) => p.name);
		const standardNames = await names(standard);
		expect(standardNames).toEqual(
			expect.arrayContaining([
				'firstname',
				'email',
				'hs_lead_status',
				'lifecyclestage',
				'hs_buying_role',
			]),
		);
		for (const custom of [
			'annual_budget',
			'decision_maker',
			'preferred_contact_date',
			'last_call_summary',
		]) {
			expect(standardNames).not.toContain(custom);
			expect(await names(demo)).toContain(custom);
		}
		const refused = await call(standard, 'POST', '/hubspot/crm/v3/objects/contacts', {
			properties: { lastname: 'Std', last_call_summary: 'x' },
		});
		expect(refused.status).toBe(400);
		expect(JSON.stringify(refused.body)).toContain('PROPERTY_DOESNT_EXIST');
		const buyingRole = await call(standard, 'POST', '/hubspot/crm/v3/objects/contacts', {
			properties: { lastname: 'Std', hs_buying_role: 'DECISION_MAKER;CHAMPION' },
		});
		expect(buyingRole.status).toBe(201);
	});

	it('Salesforce: no External_Id__c, a customised restricted Lead Status (the classic values are refused); the demo org is unchanged', async () => {
		const [token, demoToken] = await Promise.all([
			salesforceToken(standard),
			salesforceToken(demo),
		]);
		const describe = async (sandbox: SandboxHandle, bearer: string) =>
			(
				await call(
					sandbox,
					'GET',
					'/salesforce/services/data/v62.0/sobjects/Lead/describe',
					undefined,
					bearer,
				)
			).body.fields as Array<{
				name: string;
				restrictedPicklist: boolean;
				picklistValues: Array<{ value: string }>;
			}>;
		const [standardLead, demoLead] = await Promise.all([
			describe(standard, token),
			describe(demo, demoToken),
		]);
		expect(standardLead.map((field) => field.name)).not.toContain('External_Id__c');
		expect(demoLead.map((field) => field.name)).toContain('External_Id__c');
		const status = standardLead.find((field) => field.name === 'Status')!;
		expect(status.picklistValues.map((option) => option.value)).toEqual(STANDARD_LEAD_STATUSES);
		expect(status.restrictedPicklist).toBe(true);
		expect(
			demoLead
				.find((field) => field.name === 'Status')!
				.picklistValues.map((option) => option.value),
		).toContain('Working - Contacted');

		const classic = await call(
			standard,
			'POST',
			'/salesforce/services/data/v62.0/sobjects/Lead',
			{ LastName: 'Std', Company: 'Std Co', Status: 'Working - Contacted' },
			token,
		);
		expect(classic.status).toBe(400);
		expect(JSON.stringify(classic.body)).toContain('INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST');
		const customised = await call(
			standard,
			'POST',
			'/salesforce/services/data/v62.0/sobjects/Lead',
			{ LastName: 'Std', Company: 'Std Co', Status: 'Qualified' },
			token,
		);
		expect(customised.status).toBe(201);
	});
});
