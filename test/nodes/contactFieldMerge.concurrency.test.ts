/**
 * CRM Contact Field Merge under concurrent executions and replays, through n8n's real engine
 * against the sandbox with the search-index lag of the real CRMs switched on (HubSpot search,
 * Salesforce SOSL): ten executions for the same new person at once leave one record in every
 * CRM, quick replays update it, and a HubSpot contact created moments ago elsewhere is found
 * by its email although the search cannot see it yet.
 */
import type { IDataObject } from 'n8n-workflow';

import type { SyncLog } from '../../nodes/shared/model';
import {
	MERGE_NODE,
	lastLog,
	mapper,
	mergeParams,
	mergeSuite,
	mergeWorkflow,
} from './support/mergeSetup';
import { jsonOf, type SandboxCrm } from './support/packHarness';

/** Long enough that nothing created during a test becomes searchable. */
const INDEX_DELAY_MS = 10 * 60_000;

interface ConcurrencyCase {
	name: string;
	crm: SandboxCrm;
	/** Where the new record lands (sandbox object type). */
	type: string;
	params: IDataObject;
	item: IDataObject;
}

const CASES: ConcurrencyCase[] = [
	{
		name: 'HubSpot by email',
		crm: 'hubspot',
		type: 'contacts',
		params: {
			matchBy: 'email',
			matchValue: '={{ $json.email }}',
			fields: mapper({ firstname: 'Zoe', lastname: 'Quinn' }),
		},
		item: { email: 'zoe.quinn@quinn.example' },
	},
	{
		name: 'HubSpot by phone',
		crm: 'hubspot',
		type: 'contacts',
		params: {
			matchBy: 'phone',
			matchValue: '={{ $json.phone }}',
			defaultCountry: 'US',
			fields: mapper({ firstname: 'Zoe', lastname: 'Quinn' }),
		},
		item: { phone: '(202) 555-0143' },
	},
	{
		name: 'Salesforce by phone, Contact created as Lead',
		crm: 'salesforce',
		type: 'Lead',
		params: {
			matchBy: 'phone',
			matchValue: '={{ $json.phone }}',
			defaultCountry: 'US',
			createAs: 'lead',
			fields: mapper({ LastName: 'Quinn', Company: 'Quinn Ltd' }),
		},
		item: { phone: '(202) 555-0143' },
	},
	{
		name: 'Dynamics 365 by email, contact created as lead',
		crm: 'dynamics',
		type: 'lead',
		params: {
			matchBy: 'email',
			matchValue: '={{ $json.email }}',
			createAs: 'lead',
			fields: mapper({ lastname: 'Quinn', companyname: 'Quinn Ltd' }),
		},
		item: { email: 'zoe.quinn@quinn.example' },
	},
	{
		name: 'autoch.at CRM by phone',
		crm: 'autochat',
		type: 'clients',
		params: {
			matchBy: 'phone',
			matchValue: '={{ $json.phone }}',
			defaultCountry: 'US',
			fields: mapper({ name: 'Zoe Quinn' }),
		},
		item: { phone: '(202) 555-0143' },
	},
];

const RUNS = 10;

describe('CRM Contact Field Merge — concurrent executions for one new person', () => {
	const suite = mergeSuite({
		hubspotSearch: { searchIndexDelayMs: INDEX_DELAY_MS },
		salesforceSearch: { searchIndexDelayMs: INDEX_DELAY_MS },
	});

	it.each(CASES)('$name: 10 executions at once leave exactly one record', async (c) => {
		const { harness, credentials } = suite.setup();
		const before = suite.sandbox.store.list(c.crm, c.type).length;
		const workflow = mergeWorkflow(
			mergeParams(c.crm, { createIfMissing: true, ...c.params }),
			[c.item],
			credentials,
		);

		const runs = await Promise.all(Array.from({ length: RUNS }, () => harness.run(workflow)));

		expect(runs.map((run) => run.error(MERGE_NODE))).toEqual(
			Array.from({ length: RUNS }, () => undefined),
		);
		const outputs = runs.map((run) => jsonOf(run, MERGE_NODE, 0)[0]);
		expect(suite.sandbox.store.list(c.crm, c.type)).toHaveLength(before + 1);
		const ids = new Set(outputs.map((json) => (json.crm as { record: { id: string } }).record.id));
		expect(ids.size).toBe(1);
		// One execution created it; the nine others waited, then found it.
		const logs = outputs.map((json) => lastLog(json) as SyncLog);
		expect(logs.filter((log) => log.operation.startsWith('create-'))).toHaveLength(1);
		expect(
			outputs.filter((json) => (json.crm as { record: { matched: boolean } }).record.matched),
		).toHaveLength(RUNS - 1);
	});
});

describe('CRM Contact Field Merge — HubSpot while its search index lags', () => {
	const suite = mergeSuite({ hubspotSearch: { searchIndexDelayMs: INDEX_DELAY_MS } });
	const contacts = () => suite.sandbox.store.list('hubspot', 'contacts');
	const params = (extra: IDataObject) =>
		mergeParams('hubspot', { createIfMissing: true, defaultMode: 'overwrite', ...extra });

	it('two quick runs for the same new email make one contact, the second updating it', async () => {
		const { harness, credentials } = suite.setup();
		const before = contacts().length;
		const run = (title: string) =>
			harness.run(
				mergeWorkflow(
					params({
						matchBy: 'email',
						matchValue: '={{ $json.email }}',
						fields: mapper({ firstname: 'Zoe', jobtitle: title }),
					}),
					[{ email: 'Zoe@Quinn.example' }],
					credentials,
				),
			);
		const [first] = jsonOf(await run('Founder'), MERGE_NODE, 0);
		const [second] = jsonOf(await run('CEO'), MERGE_NODE, 0);

		expect(contacts()).toHaveLength(before + 1);
		const id = (first.crm as { record: { id: string } }).record.id;
		expect(lastLog(first)).toMatchObject({ operation: 'create-contact', status: 'success' });
		expect(lastLog(second)).toMatchObject({
			operation: 'update-contact',
			status: 'success',
			target: { id },
		});
		expect(suite.sandbox.store.get('hubspot', 'contacts', id)!.fields).toMatchObject({
			email: 'zoe@quinn.example',
			jobtitle: 'CEO',
		});
	});

	it('a contact created moments ago elsewhere is found by its email and updated with the field modes, not duplicated', async () => {
		// Another worker or a form created it a moment ago: the search index has not caught up.
		const [planted] = suite.sandbox.admin.putRecords('hubspot', 'contacts', [
			{ properties: { email: 'new.lead@quinn.example', jobtitle: 'Buyer' } },
		]);
		const { harness, credentials } = suite.setup();
		const before = contacts().length;
		const run = await harness.run(
			mergeWorkflow(
				params({
					matchBy: 'email',
					matchValue: '={{ $json.email }}',
					fields: mapper({ firstname: 'Nia', jobtitle: 'CTO' }),
					updateModes: { modes: [{ field: 'jobtitle', mode: 'fillIfEmpty' }] },
				}),
				[{ email: 'New.Lead@quinn.example' }],
				credentials,
			),
		);
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect(contacts()).toHaveLength(before);
		expect(out.crm).toMatchObject({
			matchedAs: 'contact',
			record: { id: planted.id, matched: true, created: false },
		});
		// Planned against the current values: Fill if Empty keeps the existing title.
		expect(suite.sandbox.store.get('hubspot', 'contacts', planted.id)!.fields).toMatchObject({
			firstname: 'Nia',
			jobtitle: 'Buyer',
		});
	});

	it('creates keyed by email upsert by email, so the create itself cannot add a second contact with that email', async () => {
		const { harness, credentials } = suite.setup();
		await harness.run(
			mergeWorkflow(
				params({
					matchBy: 'email',
					matchValue: '={{ $json.email }}',
					fields: mapper({ firstname: 'Ola' }),
				}),
				[{ email: 'ola@quinn.example' }],
				credentials,
			),
		);
		const writes = suite.sandbox.admin
			.requests('hubspot')
			.filter((r) => r.path.includes('/batch/') && !r.path.endsWith('/batch/read'));
		expect(writes.map((r) => r.path)).toEqual([
			expect.stringMatching(/\/contacts\/batch\/upsert$/),
		]);
		expect(
			(writes[0].body as { inputs: Array<{ idProperty: string; id: string }> }).inputs,
		).toEqual([expect.objectContaining({ idProperty: 'email', id: 'ola@quinn.example' })]);
	});

	it('two quick runs for the same new phone make one contact: the created id is remembered while search cannot find it', async () => {
		const { harness, credentials } = suite.setup();
		const before = contacts().length;
		const run = (title: string) =>
			harness.run(
				mergeWorkflow(
					params({
						matchBy: 'phone',
						matchValue: '={{ $json.phone }}',
						defaultCountry: 'US',
						fields: mapper({ jobtitle: title }),
					}),
					[{ phone: '+1 202 555 0190' }],
					credentials,
				),
			);
		const [first] = jsonOf(await run('Founder'), MERGE_NODE, 0);
		const [second] = jsonOf(await run('CEO'), MERGE_NODE, 0);
		expect(contacts()).toHaveLength(before + 1);
		const id = (first.crm as { record: { id: string } }).record.id;
		expect(second.crm).toMatchObject({ record: { id, matched: true, remembered: true } });
		expect(suite.sandbox.store.get('hubspot', 'contacts', id)!.fields).toMatchObject({
			phone: '+12025550190',
			jobtitle: 'CEO',
		});
	});

	it('a remembered id whose record no longer holds the phone is not used: a new contact is created', async () => {
		const { harness, credentials } = suite.setup();
		const run = () =>
			harness.run(
				mergeWorkflow(
					params({
						matchBy: 'phone',
						matchValue: '={{ $json.phone }}',
						defaultCountry: 'US',
						fields: mapper({ firstname: 'Ida' }),
					}),
					[{ phone: '+1 202 555 0191' }],
					credentials,
				),
			);
		const [first] = jsonOf(await run(), MERGE_NODE, 0);
		const id = (first.crm as { record: { id: string } }).record.id;
		// Someone corrected the number in HubSpot: that contact is not this person any more.
		suite.sandbox.store.update('hubspot', 'contacts', id, { phone: '+12025550199' });
		const [second] = jsonOf(await run(), MERGE_NODE, 0);
		expect(lastLog(second)).toMatchObject({ operation: 'create-contact', status: 'success' });
		expect((second.crm as { record: { id: string } }).record.id).not.toBe(id);
	});
});
