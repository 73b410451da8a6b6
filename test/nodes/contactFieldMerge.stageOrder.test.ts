/**
 * CRM Contact Field Merge's "Only Move Forward" mode on HubSpot's lifecycle stage, through
 * the real engine against the sandbox: the stage only advances in the portal's option order
 * (a won deal's contacts become customers; a customer is never set back to lead), and the
 * contacts that do not move cost no write.
 */
import { HUBSPOT_SEED_IDS } from '../sandbox/vendors/hubspot/seed';
import {
	MERGE_NODE,
	change,
	mapper,
	mergeParams,
	mergeSuite,
	mergeWorkflow,
} from './support/mergeSetup';
import { jsonOf } from './support/packHarness';

const ALICE = HUBSPOT_SEED_IDS.contacts.alice;
const BOB = HUBSPOT_SEED_IDS.contacts.bob;

describe('CRM Contact Field Merge — Only Move Forward on HubSpot lifecycle stage', () => {
	const suite = mergeSuite();
	const stageOf = (id: string) =>
		suite.sandbox.store.get('hubspot', 'contacts', id)!.fields.lifecyclestage;
	const writes = () =>
		suite.sandbox.admin
			.requests('hubspot')
			.filter((r) => r.method === 'POST' && /\/batch\/(update|create|upsert)$/.test(r.path));

	const run = async (stage: string) => {
		const { harness, credentials } = suite.setup();
		suite.sandbox.admin.clearRequests();
		const result = await harness.run(
			mergeWorkflow(
				mergeParams('hubspot', {
					matchBy: 'email',
					matchValue: '={{ $json.email }}',
					fields: mapper({ lifecyclestage: stage }),
					defaultMode: 'advanceOnly',
				}),
				[{ email: 'alice.nguyen@acme.example' }, { email: 'bob.ramirez@acme.example' }],
				credentials,
			),
		);
		expect(result.error(MERGE_NODE)).toBeUndefined();
		return jsonOf(result, MERGE_NODE, 0);
	};

	it('moves an opportunity to customer, keeps a customer a customer, in one write for the batch', async () => {
		suite.sandbox.store.update('hubspot', 'contacts', BOB, { lifecyclestage: 'opportunity' });
		expect(stageOf(ALICE)).toBe('customer');

		const [alice, bob] = await run('Customer');
		expect(change(alice, 'lifecyclestage')).toMatchObject({ applied: false, before: 'customer' });
		expect(change(bob, 'lifecyclestage')).toMatchObject({
			applied: true,
			before: 'opportunity',
			after: 'customer',
			mode: 'advanceOnly',
		});
		expect(stageOf(ALICE)).toBe('customer');
		expect(stageOf(BOB)).toBe('customer');
		expect(writes()).toHaveLength(1);
		expect(JSON.stringify(writes()[0].body)).not.toContain(ALICE);
	});

	it('never moves a stage backwards: customers stay customers when a form says "lead"', async () => {
		const outputs = await run('lead');
		for (const out of outputs)
			expect(change(out, 'lifecyclestage')).toMatchObject({
				applied: false,
				reason: expect.stringMatching(/already at this stage or a later one/),
			});
		expect(stageOf(ALICE)).toBe('customer');
		expect(stageOf(BOB)).toBe('customer');
		expect(writes()).toHaveLength(0);
	});
});
