/**
 * CRM Record Sync's run-wide choices given by expression, as the HubSpot ↔ Salesforce template
 * sets them from its Settings node: one value for every item is used, a value that differs
 * between items stops the run naming the setting, and a value the node cannot use is refused
 * naming it. Through n8n's real engine against the sandbox.
 */
import type { IDataObject } from 'n8n-workflow';

import { SANDBOX_AUTH, jsonOf, sandboxHarness, singleNodeWorkflow } from './support/packHarness';
import { sandboxPerTest } from './support/sandboxSuite';
import { CrmRecordSync } from '../../nodes/CrmRecordSync/CrmRecordSync.node';

const NODE = 'CRM Record Sync';

const person = (id: string, email: string, extra: IDataObject = {}) => ({
	crm: 'hubspot',
	objectType: 'contacts',
	id,
	properties: { firstname: 'Settings', lastname: `Person ${id}`, email },
	updatedAt: '2026-06-01T10:00:00.000Z',
	...extra,
});

const parameters = (extra: IDataObject): IDataObject => ({
	direction: 'hubspotToSalesforce',
	hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
	salesforceAuthentication: SANDBOX_AUTH.salesforce.salesforceAuthentication,
	objectKind: 'contact',
	mappings: {
		mapping: [
			{ sourceField: 'firstname', targetField: 'FirstName', rule: 'twoWay' },
			{ sourceField: 'lastname', targetField: 'LastName', rule: 'twoWay' },
			{ sourceField: 'email', targetField: 'Email', rule: 'twoWay' },
		],
	},
	...extra,
});

describe('CRM Record Sync settings by expression', () => {
	const ref = sandboxPerTest();
	const run = async (extra: IDataObject, items: IDataObject[]) => {
		const h = sandboxHarness({ crmRecordSync: new CrmRecordSync() }, ref.sandbox.url);
		return await h.harness.run(
			singleNodeWorkflow(NODE, 'crmRecordSync', parameters(extra), items, h.credentials, {
				onError: 'continueRegularOutput',
			}),
		);
	};
	const byEmail = (type: string, email: string) =>
		ref.sandbox.store.list('salesforce', type).filter((r) => r.fields.Email === email);

	it('one value for every item (Default Object, Create Records, Daily API Cap) is used for all of them', async () => {
		const result = await run(
			{
				newPersonKind: '={{ "con" + "tact" }}',
				createRecords: "={{ 'ifEligible' }}",
				dailyApiCapPercent: '={{ 50 }}',
			},
			[person('81001', 'one@settings.example'), person('81002', 'two@settings.example')],
		);
		expect(result.error(NODE)).toBeUndefined();
		const out = jsonOf(result, NODE, 0);
		expect(out.map((json) => (json.recordSync as IDataObject).action)).toEqual([
			'created',
			'created',
		]);
		expect(byEmail('Contact', 'one@settings.example')).toHaveLength(1);
		expect(byEmail('Contact', 'two@settings.example')).toHaveLength(1);
		expect(byEmail('Lead', 'one@settings.example')).toHaveLength(0);
	});

	it('Create Records given as "never" by expression creates nothing', async () => {
		const result = await run({ createRecords: "={{ 'never' }}" }, [
			person('81003', 'never@settings.example'),
		]);
		expect(result.error(NODE)).toBeUndefined();
		expect((jsonOf(result, NODE, 0)[0].recordSync as IDataObject).action).toBe(
			'skipped-ineligible',
		);
		expect(byEmail('Lead', 'never@settings.example')).toHaveLength(0);
	});

	it('an expression that gives items different values stops the run naming the setting and the item', async () => {
		const result = await run({ newPersonKind: '={{ $json.kind }}' }, [
			person('81004', 'a@settings.example', { kind: 'lead' }),
			person('81005', 'b@settings.example', { kind: 'contact' }),
		]);
		expect(result.error(NODE)?.message).toBe(
			'"Default Object for New People" is one setting for the whole run, but its expression gives item 1 a different value than item 0',
		);
		expect(byEmail('Lead', 'a@settings.example')).toHaveLength(0);
	});

	it('a value the node cannot use is refused naming the setting', async () => {
		const lead = await run({ newPersonKind: "={{ 'Lead' }}" }, [
			person('81006', 'c@settings.example'),
		]);
		expect(lead.error(NODE)?.message).toBe(
			'"Default Object for New People" must be lead or contact, got "Lead"',
		);
		const cap = await run({ dailyApiCapPercent: "={{ '20' }}" }, [
			person('81007', 'd@settings.example'),
		]);
		expect(cap.error(NODE)?.message).toBe(
			'Daily API Cap (%) must be a percentage above 0 and at most 100, got "20"',
		);
	});
});
