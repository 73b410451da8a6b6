/**
 * CRM Contact Field Merge on HubSpot, executed by n8n's real engine against the local CRM
 * sandbox; AI merge with a real LangChain chat model (FakeListChatModel) as the sub-node.
 */
import type { IDataObject } from 'n8n-workflow';

import { HUBSPOT_SEED_IDS } from '../sandbox/vendors/hubspot/seed';
import { RecordingChatModel, withLanguageModel } from './harness/chatModelNode';
import {
	MERGE_NODE,
	change,
	changesOf,
	logsOf,
	mapper,
	mergeParams,
	mergeSuite,
	mergeWorkflow,
} from './support/mergeSetup';
import { jsonOf } from './support/packHarness';

const ALICE = HUBSPOT_SEED_IDS.contacts.alice;

const params = (extra: IDataObject): IDataObject =>
	mergeParams('hubspot', { matchBy: 'email', matchValue: '={{ $json.email }}', ...extra });

describe('CRM Contact Field Merge — HubSpot through the engine', () => {
	const suite = mergeSuite();
	const { setup } = suite;

	const writes = () =>
		suite.sandbox.admin
			.requests()
			.filter((r) => r.method === 'POST' && /\/batch\/(update|create|upsert)$/.test(r.path));
	const contact = (id: string) => suite.sandbox.store.get('hubspot', 'contacts', id)!.fields;

	it('applies every mode to every type, rejects an off-picklist enum, and writes only changed fields in one call', async () => {
		suite.sandbox.store.update('hubspot', 'contacts', ALICE, {
			last_call_summary: 'Met at the trade fair',
			annual_budget: '1000',
			decision_maker: 'false',
			notes_last_contacted: '2026-01-05T10:00:00.000Z',
		});
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				params({
					fields: mapper({
						last_call_summary: '={{ $json.summary }}',
						annual_budget: '={{ $json.budget }}',
						decision_maker: 'yes',
						preferred_contact_date: '2026-03-01T23:30:00-05:00',
						notes_last_contacted: '2026-01-05T11:00:00+01:00',
						lifecyclestage: 'Sales Qualified Lead',
						hs_lead_status: 'VIP',
						jobtitle: 'Chief Everything',
						city: '',
					}),
					defaultMode: 'overwrite',
					updateModes: {
						modes: [
							{ field: 'last_call_summary', mode: 'merge' },
							{ field: 'jobtitle', mode: 'fillIfEmpty' },
							{ field: 'preferred_contact_date', mode: 'fillIfEmpty' },
							{ field: 'annual_budget', mode: 'merge' },
						],
					},
				}),
				[{ email: 'Alice.Nguyen@acme.example', summary: 'Wants a pilot in Q3', budget: '25000.5' }],
				credentials,
			),
		);
		expect(run.error(MERGE_NODE)).toBeUndefined();
		const [out] = jsonOf(run, MERGE_NODE, 0);

		expect(change(out, 'last_call_summary')).toMatchObject({
			mode: 'merge',
			applied: true,
			before: 'Met at the trade fair',
		});
		expect(String(change(out, 'last_call_summary')!.after)).toMatch(
			/^Met at the trade fair\n\d{4}-\d{2}-\d{2}: Wants a pilot in Q3$/,
		);
		expect(change(out, 'annual_budget')).toMatchObject({
			before: 1000,
			after: 25000.5,
			applied: true,
		});
		expect(change(out, 'decision_maker')).toMatchObject({
			before: false,
			after: true,
			applied: true,
		});
		// Date-only: the day as written, not the UTC day (March 2nd).
		expect(change(out, 'preferred_contact_date')).toMatchObject({
			before: null,
			after: '2026-03-01',
			applied: true,
			mode: 'fillIfEmpty',
		});
		// Same instant written with another offset: unchanged, not written.
		expect(change(out, 'notes_last_contacted')).toMatchObject({
			applied: false,
			reason: 'unchanged',
		});
		expect(change(out, 'lifecyclestage')).toMatchObject({
			before: 'customer',
			after: 'salesqualifiedlead',
			applied: true,
		});
		expect(change(out, 'hs_lead_status')).toMatchObject({
			before: 'OPEN',
			after: 'OPEN',
			applied: false,
		});
		expect(change(out, 'hs_lead_status')!.reason).toMatch(
			/"VIP" is not in the picklist of "hs_lead_status"/,
		);
		expect(change(out, 'jobtitle')).toMatchObject({
			before: 'VP Operations',
			applied: false,
			reason: expect.stringMatching(/already has a value/),
		});
		expect(change(out, 'city')).toMatchObject({
			applied: false,
			reason: expect.stringMatching(/empty input never clears/),
		});

		expect(writes()).toHaveLength(1);
		const body = writes()[0].body as {
			inputs: Array<{ id: string; properties: Record<string, string> }>;
		};
		expect(body.inputs).toHaveLength(1);
		expect(Object.keys(body.inputs[0].properties).sort()).toEqual(
			[
				'annual_budget',
				'decision_maker',
				'last_call_summary',
				'lifecyclestage',
				'preferred_contact_date',
			].sort(),
		);
		const stored = contact(ALICE);
		expect(stored.last_call_summary).toBe(change(out, 'last_call_summary')!.after);
		expect(stored.annual_budget).toBe('25000.5');
		expect(stored.decision_maker).toBe('true');
		expect(stored.preferred_contact_date).toBe('2026-03-01');
		expect(stored.lifecyclestage).toBe('salesqualifiedlead');
		expect(stored.hs_lead_status).toBe('OPEN');
		expect(stored.jobtitle).toBe('VP Operations');
		expect(logsOf(out).at(-1)).toMatchObject({
			operation: 'update-contact',
			status: 'success',
			target: { type: 'contact', id: ALICE },
		});
		expect((out.crm as IDataObject).record).toMatchObject({
			id: ALICE,
			matched: true,
			created: false,
		});

		// Merge is idempotent through the CRM too: the same run again writes nothing.
		suite.sandbox.admin.clearRequests();
		const again = await harness.run(
			mergeWorkflow(
				params({
					fields: mapper({
						last_call_summary: 'Wants a pilot in Q3',
						lifecyclestage: 'salesqualifiedlead',
					}),
					defaultMode: 'merge',
				}),
				[{ email: 'alice.nguyen@acme.example' }],
				credentials,
			),
		);
		const [second] = jsonOf(again, MERGE_NODE, 0);
		expect(changesOf(second).every((c) => !c.applied)).toBe(true);
		expect(writes()).toHaveLength(0);
		expect(logsOf(second).at(-1)).toMatchObject({ status: 'skipped', reason: 'no field changed' });
	});

	it('dry run returns the diff and writes nothing', async () => {
		const { harness, credentials } = setup();
		const before = { ...contact(ALICE) };
		const run = await harness.run(
			mergeWorkflow(
				params({
					fields: mapper({ jobtitle: 'COO', annual_budget: 5 }),
					dryRun: true,
					createIfMissing: true,
				}),
				[{ email: 'alice.nguyen@acme.example' }, { email: 'nobody@nowhere.example' }],
				credentials,
			),
		);
		const [updated] = jsonOf(run, MERGE_NODE, 0);
		const [missing] = jsonOf(run, MERGE_NODE, 1);
		expect(change(updated, 'jobtitle')).toMatchObject({
			before: 'VP Operations',
			after: 'COO',
			applied: true,
		});
		expect((updated.crm as IDataObject).dryRun).toBe(true);
		expect(logsOf(updated).at(-1)).toMatchObject({
			status: 'skipped',
			reason: 'dry run: 2 field(s) would change',
		});
		expect(change(missing, 'email')).toMatchObject({
			before: null,
			after: 'nobody@nowhere.example',
			applied: true,
		});
		expect(logsOf(missing).at(-1)!.reason).toMatch(/would create a contact/);
		expect(writes()).toHaveLength(0);
		expect(contact(ALICE)).toEqual(before);
	});

	it('creates a missing contact with its key and mapped fields, or sends it to No Match with the diff', async () => {
		const { harness, credentials } = setup();
		const countBefore = suite.sandbox.store.list('hubspot', 'contacts').length;
		const noCreate = await harness.run(
			mergeWorkflow(
				params({
					matchBy: 'phone',
					matchValue: '={{ $json.phone }}',
					fields: mapper({ firstname: 'Zoe', lastname: 'Quinn' }),
				}),
				[{ phone: '+1 202 555 0143' }],
				credentials,
			),
		);
		const [noMatch] = jsonOf(noCreate, MERGE_NODE, 1);
		expect(change(noMatch, 'firstname')).toMatchObject({
			before: null,
			after: 'Zoe',
			applied: true,
		});
		expect(logsOf(noMatch).at(-1)).toMatchObject({
			status: 'skipped',
			reason: 'no matching contact',
		});
		expect(suite.sandbox.store.list('hubspot', 'contacts')).toHaveLength(countBefore);

		const created = await harness.run(
			mergeWorkflow(
				params({
					matchBy: 'phone',
					matchValue: '={{ $json.phone }}',
					createIfMissing: true,
					fields: mapper({ firstname: 'Zoe', lastname: 'Quinn' }),
				}),
				[{ phone: '(202) 555-0143' }, { phone: '+1 202-555-0143' }],
				credentials,
			),
		);
		const out = jsonOf(created, MERGE_NODE, 0);
		expect(out).toHaveLength(2);
		const all = suite.sandbox.store.list('hubspot', 'contacts');
		// Two items with the same new key make one record, not two.
		expect(all).toHaveLength(countBefore + 1);
		const zoe = all.find((c) => c.fields.firstname === 'Zoe')!;
		expect(zoe.fields).toMatchObject({ lastname: 'Quinn', phone: '+12025550143' });
		// The first item creates the contact; the second joins that create and reports an update of it.
		expect(logsOf(out[0]).at(-1)).toMatchObject({
			operation: 'create-contact',
			status: 'success',
			target: { type: 'contact', id: zoe.id },
		});
		expect((out[0].crm as IDataObject).record).toMatchObject({
			id: zoe.id,
			created: true,
			matched: false,
		});
		expect(logsOf(out[1]).at(-1)).toMatchObject({
			operation: 'update-contact',
			status: 'success',
			target: { type: 'contact', id: zoe.id },
			reason: expect.stringMatching(/into the contact created for item 0$/),
		});
		expect((out[1].crm as IDataObject).record).toMatchObject({
			id: zoe.id,
			created: false,
			matched: false,
		});
		expect(writes().filter((r) => r.path.endsWith('/batch/create'))).toHaveLength(1);
	});

	it('reads and writes N items in one batch call each; items without changes are not written', async () => {
		const { harness, credentials } = setup();
		const emails = [
			'alice.nguyen@acme.example',
			'bob.ramirez@acme.example',
			'carol.hughes@globex.example',
			'dan.obrien@initech.example',
			'erin.schulz@globex.example',
		];
		const run = await harness.run(
			mergeWorkflow(
				params({ fields: mapper({ jobtitle: '={{ $json.title }}' }) }),
				emails.map((email, i) => ({ email, title: i === 1 ? 'Procurement Lead' : `Title ${i}` })),
				credentials,
			),
		);
		const out = jsonOf(run, MERGE_NODE, 0);
		expect(out).toHaveLength(5);
		expect(
			suite.sandbox.admin.requests().filter((r) => r.path.endsWith('/contacts/search')),
		).toHaveLength(1);
		expect(
			suite.sandbox.admin.requests().filter((r) => r.path.endsWith('/contacts/batch/read')),
		).toHaveLength(1);
		expect(writes()).toHaveLength(1);
		const inputs = (writes()[0].body as { inputs: Array<{ properties: Record<string, string> }> })
			.inputs;
		expect(inputs).toHaveLength(4);
		expect(out.map((json) => logsOf(json).at(-1)!.status)).toEqual([
			'success',
			'skipped',
			'success',
			'success',
			'success',
		]);
		expect(contact(HUBSPOT_SEED_IDS.contacts.erin).jobtitle).toBe('Title 4');
		expect(out.map((json) => (json.crm as { record: { id: string } }).record.id)).toEqual(
			['alice', 'bob', 'carol', 'dan', 'erin'].map((key) => HUBSPOT_SEED_IDS.contacts[key]),
		);
		// Paired items point back at the inputs.
		expect(run.output(MERGE_NODE)[0].map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 3, 4].map((item) => ({ item })),
		);
	});

	it('items that target the same record are planned in order and written once together', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				params({
					fields: mapper({
						last_call_summary: '={{ $json.note }}',
						jobtitle: '={{ $json.title }}',
					}),
					defaultMode: 'merge',
					updateModes: { modes: [{ field: 'jobtitle', mode: 'overwrite' }] },
				}),
				[
					{ email: 'alice.nguyen@acme.example', note: 'Call one', title: 'COO' },
					{ email: 'alice.nguyen@acme.example', note: 'Call two' },
					{ email: 'alice.nguyen@acme.example', note: 'Call one' },
				],
				credentials,
			),
		);
		const out = jsonOf(run, MERGE_NODE, 0);
		expect(change(out[1], 'last_call_summary')!.before).toMatch(/: Call one$/);
		expect(change(out[2], 'last_call_summary')).toMatchObject({
			applied: false,
			reason: 'already contains this value',
		});
		expect(writes()).toHaveLength(1);
		const inputs = (writes()[0].body as { inputs: Array<{ id: string }> }).inputs;
		expect(inputs.map((input) => input.id)).toEqual([ALICE]);
		expect(
			String(contact(ALICE).last_call_summary)
				.split('\n')
				.map((line) => line.slice(12)),
		).toEqual(['Call one', 'Call two']);
		expect(contact(ALICE).jobtitle).toBe('COO');
	});

	it('maps a partial batch failure back: the rejected item goes to the error output with the CRM reason, the rest succeed', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				params({
					matchBy: 'id',
					matchValue: '={{ $json.id }}',
					fields: mapper({ email: '={{ $json.newEmail }}', jobtitle: 'Updated' }),
				}),
				[
					{ id: HUBSPOT_SEED_IDS.contacts.alice, newEmail: 'alice@new.example' },
					{ id: HUBSPOT_SEED_IDS.contacts.bob, newEmail: 'not-an-email' },
					{ id: '99999999', newEmail: 'ghost@new.example' },
				],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
		);
		const [ok, noMatch, errors] = run.output(MERGE_NODE);
		expect(ok.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(noMatch.map((i) => i.pairedItem)).toEqual([{ item: 2 }]);
		expect(errors).toHaveLength(1);
		expect(errors[0].pairedItem).toEqual({ item: 1 });
		expect(String(errors[0].json.error)).toMatch(
			/^Item 1: HubSpot rejected the contact update: .*not-an-email.*invalid/i,
		);
		// The error output carries the input item, the message (with the CRM's reason) and the failure details.
		expect(errors[0].json).toEqual({
			id: HUBSPOT_SEED_IDS.contacts.bob,
			newEmail: 'not-an-email',
			error: expect.stringContaining('INVALID_EMAIL'),
			details: expect.objectContaining({
				item: 1,
				syncLog: [expect.objectContaining({ operation: 'update-contact', status: 'failed' })],
			}),
		});
		expect(writes()).toHaveLength(1);
		expect(contact(HUBSPOT_SEED_IDS.contacts.alice)).toMatchObject({
			email: 'alice@new.example',
			jobtitle: 'Updated',
		});
		expect(contact(HUBSPOT_SEED_IDS.contacts.bob).jobtitle).toBe('Procurement Lead');
	});

	it('classifies a write the CRM could not take: rejected (400) vs unavailable (503 after retries), so callers retry the right ones', async () => {
		const { harness, credentials } = setup();
		const rejected = await harness.run(
			mergeWorkflow(
				params({
					matchBy: 'id',
					matchValue: '={{ $json.id }}',
					fields: mapper({ email: 'not-an-email' }),
				}),
				[{ id: ALICE }],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
		);
		expect(rejected.output(MERGE_NODE)[2][0].json.details).toMatchObject({
			kind: 'crm-rejected',
			httpStatus: 502,
			crm: 'hubspot',
		});

		suite.sandbox.admin.addFault({
			vendor: 'hubspot',
			pathPattern: 'contacts/batch/update',
			kind: 'status',
			status: 503,
			count: 20,
		});
		const unavailable = await harness.run(
			mergeWorkflow(
				params({
					matchBy: 'id',
					matchValue: '={{ $json.id }}',
					fields: mapper({ jobtitle: 'Outage test' }),
				}),
				[{ id: ALICE }],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
		);
		suite.sandbox.admin.clearFaults();
		expect(unavailable.output(MERGE_NODE)[2][0].json.details).toMatchObject({
			kind: 'crm-unavailable',
			httpStatus: 503,
			crm: 'hubspot',
		});
		expect(contact(ALICE).jobtitle).not.toBe('Outage test');
	});

	it('names the item and field for a bad match key', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				params({
					matchBy: 'phone',
					matchValue: '={{ $json.phone }}',
					fields: mapper({ jobtitle: 'X' }),
				}),
				[{ phone: 'call me maybe' }, { phone: '' }],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
		);
		const errors = run.output(MERGE_NODE)[2];
		expect(errors.map((e) => String(e.json.error))).toEqual([
			expect.stringMatching(
				/^Item 0: field "matchValue" \(phone\) "call me maybe" is not a usable phone number/,
			),
			expect.stringMatching(/^Item 1: field "matchValue" \(phone\) is empty/),
		]);
		expect(writes()).toHaveLength(0);
	});

	it('AI merge asks the connected chat model with the old and new text and writes its answer', async () => {
		suite.sandbox.store.update('hubspot', 'contacts', ALICE, {
			last_call_summary: 'Budget pending approval',
		});
		const model = new RecordingChatModel({
			responses: ['Budget approved for Q3; pilot starts in July'],
		});
		const { harness, credentials } = setup(model);
		const workflow = withLanguageModel(
			mergeWorkflow(
				params({
					fields: mapper({ last_call_summary: '={{ $json.summary }}', jobtitle: 'VP Ops' }),
					updateModes: { modes: [{ field: 'last_call_summary', mode: 'aiMerge' }] },
				}),
				[{ email: 'alice.nguyen@acme.example', summary: 'Budget approved, pilot in July' }],
				credentials,
			),
			MERGE_NODE,
		);
		const run = await harness.run(workflow);
		expect(run.error(MERGE_NODE)).toBeUndefined();
		const [out] = jsonOf(run, MERGE_NODE, 0);
		expect(change(out, 'last_call_summary')).toMatchObject({
			mode: 'aiMerge',
			before: 'Budget pending approval',
			after: 'Budget approved for Q3; pilot starts in July',
			applied: true,
		});
		expect(model.prompts).toHaveLength(1);
		expect(model.prompts[0].join('\n')).toContain('Budget pending approval');
		expect(model.prompts[0].join('\n')).toContain('Budget approved, pilot in July');
		expect(model.prompts[0].join('\n')).toContain('Last Call Summary');
		expect(contact(ALICE)).toMatchObject({
			last_call_summary: 'Budget approved for Q3; pilot starts in July',
			jobtitle: 'VP Ops',
		});
		expect(writes()).toHaveLength(1);
	});

	it('AI merge without a connected model fails those items clearly and writes nothing for them', async () => {
		suite.sandbox.store.update('hubspot', 'contacts', ALICE, {
			last_call_summary: 'Budget pending approval',
		});
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				params({
					fields: mapper({ last_call_summary: '={{ $json.summary }}' }),
					defaultMode: 'aiMerge',
				}),
				[
					{ email: 'alice.nguyen@acme.example', summary: 'Budget approved' },
					// An empty CRM field needs no model: the new text is written as is.
					{ email: 'bob.ramirez@acme.example', summary: 'First call went well' },
				],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
		);
		const [ok, , errors] = run.output(MERGE_NODE);
		expect(errors).toHaveLength(1);
		expect(String(errors[0].json.error)).toBe(
			`Item 0: field "last_call_summary": AI merge needs a chat model connected to the "Chat Model" input`,
		);
		expect(ok.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
		expect(contact(ALICE).last_call_summary).toBe('Budget pending approval');
		expect(contact(HUBSPOT_SEED_IDS.contacts.bob).last_call_summary).toBe('First call went well');
	});
	it('AI merge with something that is not a chat model on the Chat Model input fails those items with the same error as the Gate', async () => {
		suite.sandbox.store.update('hubspot', 'contacts', ALICE, {
			last_call_summary: 'Budget pending approval',
		});
		const { harness, credentials } = setup({ notAModel: true });
		const workflow = withLanguageModel(
			mergeWorkflow(
				params({
					fields: mapper({ last_call_summary: '={{ $json.summary }}', jobtitle: 'VP Ops' }),
					defaultMode: 'aiMerge',
				}),
				[{ email: 'alice.nguyen@acme.example', summary: 'Budget approved' }],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
			MERGE_NODE,
		);
		const run = await harness.run(workflow);
		const [ok, , errors] = run.output(MERGE_NODE);
		expect(ok).toEqual([]);
		expect(String(errors[0].json.error)).toBe(
			'Item 0: field "last_call_summary": The node connected to "Chat Model" is not a chat model',
		);
		expect(contact(ALICE)).toMatchObject({ last_call_summary: 'Budget pending approval' });
		expect(writes()).toHaveLength(0);
	});

	it('an expression that fails for one item fails that item only: the other is written, the batch goes on', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			mergeWorkflow(
				params({
					matchValue: "={{ $json.failHere ? $('No Such Node').item.json.x : $json.email }}",
					fields: mapper({ jobtitle: 'Boundary Test' }),
				}),
				[
					{ email: 'alice.nguyen@acme.example' },
					{ email: 'bob.ramirez@acme.example', failHere: true },
				],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
		);
		expect(run.error(MERGE_NODE)).toBeUndefined();
		const [updated, noMatch, errors] = run.output(MERGE_NODE);
		expect(updated.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(noMatch).toEqual([]);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
		expect(String(errors[0].json.error)).toMatch(/^Item 1: /);
		expect(errors[0].json.details).toMatchObject({ kind: 'invalid-input', item: 1 });
		expect(contact(ALICE).jobtitle).toBe('Boundary Test');
		expect(contact(HUBSPOT_SEED_IDS.contacts.bob).jobtitle).toBe('Procurement Lead');
	});
});
