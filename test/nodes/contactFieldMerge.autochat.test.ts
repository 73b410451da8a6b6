/**
 * CRM Contact Field Merge on autoch.at CRM (clients) through n8n's real engine against the
 * local sandbox: match by phone, merge the notes, fill if empty, create a missing client.
 */
import { AUTOCHAT_SEED_IDS } from '../sandbox/vendors/autochat/seed';
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

describe('CRM Contact Field Merge — autoch.at CRM through the engine', () => {
	const suite = mergeSuite();

	it('updates a client found by phone, and creates a missing client keyed by its phone', async () => {
		const alice = AUTOCHAT_SEED_IDS.alice;
		suite.sandbox.store.update('autochat', 'clients', alice, { notes: 'VIP customer' });
		const { harness, credentials } = suite.setup();
		const run = await harness.run(
			mergeWorkflow(
				mergeParams('autochat', {
					matchBy: 'phone',
					matchValue: '={{ $json.phone }}',
					createIfMissing: true,
					fields: mapper({
						notes: '={{ $json.note }}',
						company: 'Someone Else Inc',
						name: '={{ $json.name }}',
					}),
					defaultMode: 'fillIfEmpty',
					updateModes: { modes: [{ field: 'notes', mode: 'merge' }] },
				}),
				[
					{ phone: '+1 415-555-0101', note: 'Asked about renewal', name: 'Alice N.' },
					{ phone: '+1 202 555 0177', note: 'First contact', name: 'New Caller' },
				],
				credentials,
			),
		);
		expect(run.error(MERGE_NODE)).toBeUndefined();
		const [updated, created] = jsonOf(run, MERGE_NODE, 0);
		expect(String(change(updated, 'notes')!.after)).toMatch(
			/^VIP customer\n\d{4}-\d{2}-\d{2}: Asked about renewal$/,
		);
		expect(change(updated, 'company')).toMatchObject({
			applied: false,
			reason: expect.stringMatching(/already has a value/),
		});
		expect(lastLog(updated)).toMatchObject({
			operation: 'update-contact',
			status: 'success',
			target: { id: alice },
		});
		expect(suite.sandbox.store.get('autochat', 'clients', alice)!.fields).toMatchObject({
			notes: change(updated, 'notes')!.after,
			company: 'Acme Corporation',
		});

		expect(lastLog(created)).toMatchObject({ operation: 'create-contact', status: 'success' });
		const id = (created.crm as { record: { id: string } }).record.id;
		expect(suite.sandbox.store.get('autochat', 'clients', id)!.fields).toMatchObject({
			name: 'New Caller',
			phone: '+12025550177',
			notes: `${String(change(created, 'notes')!.after)}`,
		});
	});
});
