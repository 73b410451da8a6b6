/**
 * CRM Contact Field Merge's Known Record ID through n8n's real engine against the sandbox:
 * a stored id is used without any phone/email search (counted by the sandbox), a stale one
 * (record deleted) falls back to the phone/email match and says so, and no run adds a second
 * record. Ten concurrent executions for one new client plus a replay leave one record per CRM.
 */
import type { IDataObject } from 'n8n-workflow';

import { MERGE_NODE, mapper, mergeParams, mergeSuite, mergeWorkflow } from './support/mergeSetup';
import { jsonOf } from './support/packHarness';
import { isPersonSearch, type SearchedCrm } from './support/searchRequests';

interface KnownCase {
	name: string;
	crm: SearchedCrm;
	/** Where the record lands (sandbox object type). */
	type: string;
	params: IDataObject;
	/** The person's fields, first write. */
	first: IDataObject;
	/** A changed field for the second write, and where the CRM holds it. */
	second: { field: string; value: string };
}

const PHONE = '(202) 555-0188';
const EMAIL = 'mara.lind@lind.example';

const CASES: KnownCase[] = [
	{
		name: 'HubSpot contact',
		crm: 'hubspot',
		type: 'contacts',
		params: { objectKind: 'contact' },
		first: { firstname: 'Mara', lastname: 'Lind', city: 'Austin' },
		second: { field: 'city', value: 'Denver' },
	},
	{
		name: 'Salesforce Lead',
		crm: 'salesforce',
		type: 'Lead',
		params: { objectKind: 'lead', createAs: 'lead' },
		first: { LastName: 'Lind', Company: 'Lind AB', City: 'Austin' },
		second: { field: 'City', value: 'Denver' },
	},
	{
		name: 'Dynamics 365 contact',
		crm: 'dynamics',
		type: 'contact',
		params: { objectKind: 'contact', createAs: 'contact' },
		first: { lastname: 'Lind', address1_city: 'Austin' },
		second: { field: 'address1_city', value: 'Denver' },
	},
];

const recordOf = (json: IDataObject) =>
	(json.crm as { record: { id: string; objectType: string; created?: boolean } }).record;
const knownOf = (json: IDataObject) =>
	(json.crm as { knownRecord?: { status: string; id: string; reason?: string } }).knownRecord;

describe('CRM Contact Field Merge — Known Record ID (stored id first, then phone/email)', () => {
	const suite = mergeSuite();

	const params = (c: KnownCase, values: IDataObject) =>
		mergeParams(c.crm, {
			...c.params,
			matchBy: 'phone',
			matchValue: '={{ $json.phone }}',
			fallBackToOtherKey: true,
			fallbackValue: '={{ $json.email }}',
			defaultCountry: 'US',
			createIfMissing: true,
			knownRecordId: '={{ $json.knownId }}',
			knownRecordObject: '={{ $json.knownObject }}',
			fields: mapper(values),
		});

	it.each(CASES)(
		'$name: the stored id is used with 0 searches; a deleted one falls back to the phone match; never a duplicate',
		async (c) => {
			const { harness, credentials } = suite.setup();
			const { sandbox } = suite;
			const before = sandbox.store.list(c.crm, c.type).length;

			// First delivery: no stored id yet → matched by phone (searched), created.
			sandbox.admin.clearRequests();
			const created = await harness.run(
				mergeWorkflow(
					params(c, c.first),
					[{ phone: PHONE, email: EMAIL, knownId: '' }],
					credentials,
				),
			);
			expect(created.error(MERGE_NODE)).toBeUndefined();
			const first = jsonOf(created, MERGE_NODE, 0)[0];
			const { id, objectType } = recordOf(first);
			expect(recordOf(first).created).toBe(true);
			expect(knownOf(first)).toBeUndefined();
			expect(sandbox.store.list(c.crm, c.type)).toHaveLength(before + 1);
			expect(
				sandbox.admin.requests(c.crm).filter((request) => isPersonSearch(c.crm, request)).length,
			).toBeGreaterThan(0);

			// Second delivery: the stored id → read by id, updated, no phone/email search at all.
			sandbox.admin.clearRequests();
			const updated = await harness.run(
				mergeWorkflow(
					params(c, { ...c.first, [c.second.field]: c.second.value }),
					[{ phone: PHONE, email: EMAIL, knownId: id, knownObject: objectType }],
					credentials,
				),
			);
			expect(updated.error(MERGE_NODE)).toBeUndefined();
			const second = jsonOf(updated, MERGE_NODE, 0)[0];
			expect(recordOf(second)).toMatchObject({ id, created: false });
			expect(knownOf(second)).toMatchObject({ status: 'used', id });
			const requests = sandbox.admin.requests(c.crm);
			expect(requests.filter((request) => isPersonSearch(c.crm, request))).toEqual([]);
			// One read by id, one write.
			expect(requests).toHaveLength(2);
			expect(sandbox.store.get(c.crm, c.type, id)?.fields[c.second.field]).toBe(c.second.value);
			expect(sandbox.store.list(c.crm, c.type)).toHaveLength(before + 1);

			// The record is deleted in the CRM; the person is re-created by a later write → stale
			// stored id: matched by phone (the new record), reported, no third record.
			expect(sandbox.store.remove(c.crm, c.type, id)).toBe(true);
			const recreated = await harness.run(
				mergeWorkflow(
					params(c, c.first),
					[{ phone: PHONE, email: EMAIL, knownId: '' }],
					credentials,
				),
			);
			const replacement = recordOf(jsonOf(recreated, MERGE_NODE, 0)[0]).id;
			expect(replacement).not.toBe(id);
			sandbox.admin.clearRequests();
			const stale = await harness.run(
				mergeWorkflow(
					params(c, { ...c.first, [c.second.field]: 'Boston' }),
					[{ phone: PHONE, email: EMAIL, knownId: id, knownObject: objectType }],
					credentials,
				),
			);
			expect(stale.error(MERGE_NODE)).toBeUndefined();
			expect(
				sandbox.admin.requests(c.crm).filter((request) => isPersonSearch(c.crm, request)).length,
			).toBeGreaterThan(0);
			const fallback = jsonOf(stale, MERGE_NODE, 0)[0];
			expect(knownOf(fallback)).toMatchObject({ status: 'stale', id });
			expect(knownOf(fallback)?.reason).toContain('no longer exists');
			expect(recordOf(fallback)).toMatchObject({ id: replacement, created: false });
			expect(sandbox.store.list(c.crm, c.type)).toHaveLength(before + 1);
			expect(sandbox.store.get(c.crm, c.type, replacement)?.fields[c.second.field]).toBe('Boston');
		},
	);

	it("a stored id of the wrong shape (another CRM's id) is not sent to the CRM: the item falls back to its phone and says why", async () => {
		const { harness, credentials } = suite.setup();
		const { sandbox } = suite;
		const lead = CASES[1];
		const created = await harness.run(
			mergeWorkflow(
				params(lead, lead.first),
				[{ phone: PHONE, email: EMAIL, knownId: '' }],
				credentials,
			),
		);
		const { id } = recordOf(jsonOf(created, MERGE_NODE, 0)[0]);
		sandbox.admin.clearRequests();
		const run = await harness.run(
			mergeWorkflow(
				params(lead, lead.first),
				[{ phone: PHONE, email: EMAIL, knownId: '90001', knownObject: 'Lead' }],
				credentials,
			),
		);
		expect(run.error(MERGE_NODE)).toBeUndefined();
		const json = jsonOf(run, MERGE_NODE, 0)[0];
		expect(knownOf(json)).toEqual({
			status: 'stale',
			id: '90001',
			reason:
				'the known record id 90001 is not a Salesforce record id (15 or 18 characters): matched by phone/email instead',
		});
		expect(recordOf(json)).toMatchObject({ id, matched: true });
		expect(
			sandbox.admin
				.requests('salesforce')
				.some((r) =>
					`${r.path} ${JSON.stringify(r.query)} ${JSON.stringify(r.body)}`.includes('90001'),
				),
		).toBe(false);
	});

	describe('with the search index lagging (nothing new is searchable)', () => {
		const lagging = mergeSuite({
			hubspotSearch: { searchIndexDelayMs: 10 * 60_000 },
			salesforceSearch: { searchIndexDelayMs: 10 * 60_000 },
		});

		it('10 concurrent client-created writes + a replay, in every CRM at once: exactly one record per CRM', async () => {
			const { harness, credentials } = lagging.setup();
			const { sandbox } = lagging;
			const before = new Map(CASES.map((c) => [c.crm, sandbox.store.list(c.crm, c.type).length]));
			const client = { phone: PHONE, email: EMAIL, knownId: '' };
			const deliveries = CASES.flatMap((c) =>
				Array.from({ length: 10 }, () =>
					harness.run(mergeWorkflow(params(c, c.first), [client], credentials)),
				),
			);
			const runs = await Promise.all(deliveries);
			expect(runs.map((run) => run.error(MERGE_NODE)).filter(Boolean)).toEqual([]);
			// The replay arrives later with the same content and no stored id yet.
			const replays = await Promise.all(
				CASES.map((c) => harness.run(mergeWorkflow(params(c, c.first), [client], credentials))),
			);
			for (const [index, c] of CASES.entries()) {
				const records = sandbox.store.list(c.crm, c.type);
				expect({ crm: c.crm, records: records.length }).toEqual({
					crm: c.crm,
					records: (before.get(c.crm) ?? 0) + 1,
				});
				const ids = new Set(
					[...runs.slice(index * 10, index * 10 + 10), replays[index]].map(
						(run) => recordOf(jsonOf(run, MERGE_NODE, 0)[0]).id,
					),
				);
				expect(ids.size).toBe(1);
				const created = runs
					.slice(index * 10, index * 10 + 10)
					.filter((run) => recordOf(jsonOf(run, MERGE_NODE, 0)[0]).created === true);
				expect(created).toHaveLength(1);
			}
		});
	});
});
