/**
 * CRM Contact Field Merge on Dynamics 365 (Dataverse Web API through n8n's authenticated
 * request helper) against the local sandbox: choices written as integers, a date-only
 * column, writes in one $batch, a rejected row mapped back to its item, and a Lead created
 * as the default object for a contact that does not exist.
 */
import { DYNAMICS_SEED_IDS } from '../sandbox/vendors/dynamics';
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

describe('CRM Contact Field Merge — Dynamics 365 through the engine', () => {
	const suite = mergeSuite();
	const { setup } = suite;

	const row = (entity: string, id: string) =>
		suite.sandbox.store.get('dynamics', entity, id)!.fields;
	/** Requests that change data: a PATCH/POST of a row, or a $batch carrying one (reads are batched too). */
	const writes = () =>
		suite.sandbox.admin
			.requests('dynamics')
			.filter((r) => r.method !== 'GET' && !r.path.includes('/oauth2/'))
			.filter((r) => !r.path.endsWith('$batch') || /^(PATCH|POST|DELETE) /m.test(String(r.body)));

	it('updates contacts found by email in one $batch: choice by label as an integer, date-only, merge; a rejected row fails alone', async () => {
		const alice = DYNAMICS_SEED_IDS.contacts.alice;
		const bob = DYNAMICS_SEED_IDS.contacts.bob;
		suite.sandbox.store.update('dynamics', 'contact', alice, { description: 'Key account' });
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				mergeParams('dynamics', {
					matchBy: 'email',
					matchValue: '={{ $json.email }}',
					fields: mapper({
						preferredcontactmethodcode: '={{ $json.method }}',
						birthdate: '={{ $json.birthday }}',
						description: '={{ $json.note }}',
						jobtitle: '={{ $json.title }}',
					}),
					updateModes: { modes: [{ field: 'description', mode: 'merge' }] },
				}),
				[
					{
						email: 'alice.nguyen@acme.example',
						method: 'phone',
						birthday: '1990-05-17T00:30:00+09:00',
						note: 'Call back after 3pm',
						title: 'COO',
					},
					{ email: 'bob.ramirez@acme.example', method: 'Email', title: 'x'.repeat(120) },
					{ email: 'carol.hughes@globex.example', method: 'Fax' },
				],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
		);
		const [ok, , errors] = run.output(MERGE_NODE);
		expect(ok.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 2 }]);
		const [updated, carol] = ok.map((i) => i.json);
		expect(change(updated, 'preferredcontactmethodcode')).toMatchObject({
			after: '3',
			applied: true,
		});
		expect(change(updated, 'birthdate')).toMatchObject({ after: '1990-05-17', applied: true });
		expect(String(change(updated, 'description')!.after)).toMatch(
			/^Key account\n\d{4}-\d{2}-\d{2}: Call back after 3pm$/,
		);
		expect(lastLog(updated)).toMatchObject({
			operation: 'update-contact',
			status: 'success',
			target: { id: alice },
		});
		expect(row('contact', alice)).toMatchObject({
			preferredcontactmethodcode: 3,
			birthdate: '1990-05-17',
			jobtitle: 'COO',
			description: change(updated, 'description')!.after,
		});

		expect(change(carol, 'preferredcontactmethodcode')!.reason).toMatch(
			/"Fax" is not in the picklist/,
		);
		expect(lastLog(carol)).toMatchObject({ status: 'skipped', reason: 'no field changed' });

		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		expect(String(errors[0].json.error)).toMatch(
			/^Item 1: Dynamics 365 rejected the contact update: .*jobtitle/,
		);
		expect(row('contact', bob)).toMatchObject({ jobtitle: 'Procurement Lead' });
		expect(row('contact', bob).preferredcontactmethodcode).not.toBe(2);
		expect(writes().map((r) => r.path)).toEqual([expect.stringMatching(/\$batch$/)]);
	});

	it('creates a Lead with a choice value when no contact matches', async () => {
		const { harness, credentials } = setup();
		const leadsBefore = suite.sandbox.store.list('dynamics', 'lead').length;
		const run = await harness.run(
			mergeWorkflow(
				mergeParams('dynamics', {
					matchBy: 'phone',
					matchValue: '={{ $json.phone }}',
					createIfMissing: true,
					createAs: 'lead',
					fields: mapper({ lastname: 'Ortiz', companyname: 'Ortiz Bikes', leadsourcecode: 'web' }),
				}),
				[{ phone: '+1 303 555 0188' }],
				credentials,
			),
		);
		expect(run.error(MERGE_NODE)).toBeUndefined();
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect(lastLog(out)).toMatchObject({ operation: 'create-lead', status: 'success' });
		const leads = suite.sandbox.store.list('dynamics', 'lead');
		expect(leads).toHaveLength(leadsBefore + 1);
		expect(leads.find((l) => l.fields.lastname === 'Ortiz')!.fields).toMatchObject({
			companyname: 'Ortiz Bikes',
			leadsourcecode: 8,
			telephone1: '+13035550188',
		});
	});
});
