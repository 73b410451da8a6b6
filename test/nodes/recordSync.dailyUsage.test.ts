/**
 * CRM Record Sync's daily API usage rows, through n8n's engine against the sandbox: one row per
 * CRM that reports its daily usage (HubSpot private apps, Salesforce), on the first item of the
 * run only; none for Dynamics 365, whose answers carry no daily figure.
 */
import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_AUTH, jsonOf, sandboxHarness, singleNodeWorkflow } from './support/packHarness';
import { IsolatedRecordSync } from './support/recordSyncSetup';
import { sandboxPerTest } from './support/sandboxSuite';

const NODE = 'CRM Record Sync';

const person = (id: string, lastname: string, email: string) => ({
	crm: 'hubspot',
	objectType: 'contacts',
	id,
	properties: { lastname, email },
	updatedAt: '2026-06-01T10:00:00.000Z',
});

type Log = { crm: string; operation: string; status: string; reason?: string; apiCalls: number };
/** The item's usage rows (a failed item keeps its sync log in `details`). */
const usageRows = (json: IDataObject) =>
	((json.syncLog ?? (json.details as IDataObject | undefined)?.syncLog ?? []) as Log[]).filter(
		(log) => log.operation === 'daily-api-usage',
	);

describe('CRM Record Sync — daily API usage in the sync log', () => {
	const ref = sandboxPerTest();

	async function sync(parameters: IDataObject, items: IDataObject[]): Promise<IDataObject[]> {
		const { harness, credentials } = sandboxHarness(
			{ crmRecordSync: new IsolatedRecordSync() },
			ref.sandbox.url,
		);
		const run = await harness.run(
			singleNodeWorkflow(NODE, 'crmRecordSync', parameters, items, credentials, {
				onError: 'continueRegularOutput',
			}),
		);
		return jsonOf(run, NODE, 0);
	}

	it('HubSpot → Salesforce: one row for each CRM, on the first item only, with the figures the CRMs reported', async () => {
		ref.sandbox.admin.configure('hubspot', { dailyApiLimit: 250_000, apiUsage: 12_345 });
		ref.sandbox.admin.configure('salesforce', { dailyApiLimit: 15_000, apiUsage: 1_234 });
		const out = await sync(
			{
				direction: 'hubspotToSalesforce',
				hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
				salesforceAuthentication: SANDBOX_AUTH.salesforce.salesforceAuthentication,
				objectKind: 'contact',
				newPersonKind: 'contact',
				mappings: {
					mapping: [
						{ sourceField: 'lastname', targetField: 'LastName', rule: 'twoWay' },
						{ sourceField: 'email', targetField: 'Email', rule: 'twoWay' },
					],
				},
			},
			[
				person('9701', 'Usage', 'first.usage@daily.example'),
				person('9702', 'Usage', 'second.usage@daily.example'),
			],
		);
		expect(out.map((json) => (json.recordSync as IDataObject | undefined)?.action)).toEqual([
			'created',
			'created',
		]);
		const rows = usageRows(out[0]);
		expect(rows.map((row) => row.crm)).toEqual(['hubspot', 'salesforce']);
		// The item's own row stays last.
		expect((out[0].syncLog as Log[]).at(-1)).toMatchObject({ operation: 'created-contact' });
		const hubspotCalls = ref.sandbox.admin.requests('hubspot').length;
		expect(rows[0]).toMatchObject({ status: 'success', apiCalls: 0 });
		expect(rows[0].reason).toBe(
			`HubSpot daily API usage ${(12_345 + hubspotCalls).toLocaleString('en-US')}/250,000 (4.9 %)`,
		);
		// Salesforce counts every data call; the last answer the run saw reported them all.
		const salesforceCalls = ref.sandbox.admin
			.requests('salesforce')
			.filter((r) => !r.path.includes('/token')).length;
		const used = 1_234 + salesforceCalls;
		expect(rows[1].reason).toBe(
			`Salesforce daily API usage ${used.toLocaleString('en-US')}/15,000 (${((used / 15_000) * 100).toFixed(1)} %)`,
		);
		expect(usageRows(out[1])).toEqual([]);
	});

	it('a failed first item carries the rows in its details', async () => {
		const out = await sync(
			{
				direction: 'hubspotToSalesforce',
				hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
				salesforceAuthentication: SANDBOX_AUTH.salesforce.salesforceAuthentication,
				objectKind: 'contact',
				mappings: { mapping: [{ sourceField: 'email', targetField: 'Email', rule: 'twoWay' }] },
			},
			// The first item has no id: it fails before any lookup; the describes have reported usage.
			[{ ...person('9704', 'Usage', 'fourth.usage@daily.example'), id: '' }],
		);
		expect(out[0].error).toMatch(/field "id"/);
		expect(usageRows(out[0]).map((row) => row.crm)).toEqual(['hubspot', 'salesforce']);
	});

	it('HubSpot → Dynamics 365: only HubSpot reports a daily figure, so only its row is written', async () => {
		const out = await sync(
			{
				direction: 'hubspotToDynamics',
				hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
				dynamicsAuthentication: SANDBOX_AUTH.dynamics.dynamicsAuthentication,
				objectKind: 'contact',
				mappings: {
					mapping: [
						{ sourceField: 'lastname', targetField: 'lastname', rule: 'twoWay' },
						{ sourceField: 'email', targetField: 'emailaddress1', rule: 'twoWay' },
					],
				},
			},
			[person('9703', 'Usage', 'third.usage@daily.example')],
		);
		expect((out[0].recordSync as IDataObject).action).toBe('created');
		expect(usageRows(out[0]).map((row) => row.crm)).toEqual(['hubspot']);
		expect(ref.sandbox.admin.requests('dynamics').length).toBeGreaterThan(0);
	});
});
