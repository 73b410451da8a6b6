/**
 * CRM Link → CRM Note Router on HubSpot through the real engine and the sandbox: the seed's
 * routing options, notes vs meetings (write modes), idempotent replays, API call counts.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { SANDBOX_AUTH, chainWorkflow, jsonOf, sandboxHarness } from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';

const call = (id: string) => ({
	id,
	startedAt: '2026-11-20T15:00:00Z',
	endedAt: '2026-11-20T15:30:00Z',
	direction: 'outbound',
	participants: [
		{ name: 'Rep', email: 'rep@ours.example', internal: true },
		{ name: 'Alice', phone: '+1 415 555 0101' },
		{ name: 'Bob', email: 'bob.ramirez@acme.example' },
	],
	summary: 'Agreed on fleet expansion scope.',
	actionItems: [{ text: 'Send proposal' }],
	dealInsights: [{ label: 'Budget', value: 'Approved' }],
});

const link = {
	name: 'CRM Link',
	packNode: 'crmLink',
	parameters: { ...SANDBOX_AUTH.hubspot, objectTypes: ['deal', 'contact', 'company'] },
};
const router = (parameters: IDataObject) => ({
	name: 'CRM Note Router',
	packNode: 'crmNoteRouter',
	parameters: { ...SANDBOX_AUTH.hubspot, ...parameters },
});

type Notes = Array<{ status: string; kind: string; targets: Array<{ type: string; id: string }> }>;

describe('CRM Note Router — HubSpot through the engine', () => {
	const suite = seededSandbox();
	const setup = () =>
		sandboxHarness(
			{ crmLink: new CrmLink(), crmNoteRouter: new CrmNoteRouter() },
			suite.sandbox.url,
		);

	it('one-type routing: the winning type (contacts) gets ONE note associated with both matches', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			chainWorkflow(
				[call('call-1')],
				[
					link,
					router({
						contentSource: 'summary',
						targetObjectTypes: ['contact', 'company'],
						routing: 'oneType',
						priority: { entries: [{ objectType: 'contact' }, { objectType: 'company' }] },
					}),
				],
				credentials,
			),
		);
		expect(run.error('CRM Note Router')).toBeUndefined();
		const [out] = jsonOf(run, 'CRM Note Router');
		const notes = (out.crm as IDataObject).notes as Notes;
		expect(notes).toHaveLength(1);
		expect(notes[0].status).toBe('success');
		expect(notes[0].targets.map((t) => t.type)).toEqual(['contact', 'contact']);
		const stored = suite.sandbox.store.list('hubspot', 'notes');
		expect(stored).toHaveLength(1);
		expect(String(stored[0].fields.hs_note_body)).toContain('Agreed on fleet expansion scope.');
		expect(String(stored[0].fields.hs_note_body)).toContain('Send proposal');
		expect(
			suite.sandbox.admin.requests().filter((r) => r.path.includes('/notes/batch/create')),
		).toHaveLength(1);
	});

	it('all-types routing sends to every matching type in one write; a replay writes nothing new', async () => {
		const { harness, credentials } = setup();
		const workflow = chainWorkflow(
			[call('call-2')],
			[
				link,
				router({
					contentSource: 'summaryAndDealInsights',
					targetObjectTypes: ['deal', 'contact', 'company'],
					routing: 'allTypes',
				}),
			],
			credentials,
		);
		const first = await harness.run(workflow);
		const notes = ((jsonOf(first, 'CRM Note Router')[0].crm as IDataObject).notes as Notes)[0];
		expect(new Set(notes.targets.map((t) => t.type))).toEqual(
			new Set(['deal', 'contact', 'company']),
		);
		expect(suite.sandbox.store.list('hubspot', 'notes')).toHaveLength(1);
		const body = String(suite.sandbox.store.list('hubspot', 'notes')[0].fields.hs_note_body);
		expect(body).toContain('Deal insights');

		const second = await harness.run(workflow);
		const again = jsonOf(second, 'CRM Note Router')[0];
		expect(((again.crm as IDataObject).notes as Notes)[0].status).toBe('skipped');
		expect(suite.sandbox.store.list('hubspot', 'notes')).toHaveLength(1);
	});

	it('meetings with "update if a matching meeting exists" update the meeting on a second, different run', async () => {
		const { harness, credentials } = setup();
		const params = {
			hubspotDestination: 'meeting',
			contentSource: 'summary',
			targetObjectTypes: ['contact'],
			meetingWriteMode: 'updateIfExists',
		};
		await harness.run(chainWorkflow([call('call-3')], [link, router(params)], credentials));
		expect(suite.sandbox.store.list('hubspot', 'meetings')).toHaveLength(1);
		// a new harness = a fresh processed-items store, as after n8n's data was pruned: the CRM lookup still prevents a duplicate
		const other = setup();
		const run = await other.harness.run(
			chainWorkflow([call('call-3')], [link, router(params)], other.credentials),
		);
		const notes = (jsonOf(run, 'CRM Note Router')[0].crm as IDataObject).notes as Array<{
			created: boolean;
		}>;
		expect(notes[0].created).toBe(false);
		expect(suite.sandbox.store.list('hubspot', 'meetings')).toHaveLength(1);
	});

	it('"update only" skips when no meeting exists', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			chainWorkflow(
				[call('call-4')],
				[
					link,
					router({
						hubspotDestination: 'meeting',
						targetObjectTypes: ['contact'],
						meetingWriteMode: 'updateOnly',
					}),
				],
				credentials,
			),
		);
		expect(run.error('CRM Note Router')?.message).toBeUndefined();
		const [out] = jsonOf(run, 'CRM Note Router');
		expect(((out.crm as IDataObject).notes as Notes)[0].status).toBe('skipped');
		expect(suite.sandbox.store.list('hubspot', 'meetings')).toHaveLength(0);
	});
	it('a subject-prefix expression that fails for one item fails that item only; the other note is written', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			chainWorkflow(
				[call('call-boundary-1'), { ...call('call-boundary-2'), failHere: true }],
				[
					link,
					{
						...router({
							contentSource: 'summary',
							targetObjectTypes: ['contact'],
							options: {
								subjectPrefix: "={{ $json.failHere ? $('No Such Node').item.json.x : 'Call' }}",
							},
						}),
						settings: { onError: 'continueErrorOutput' },
					},
				],
				credentials,
			),
		);
		expect(run.error('CRM Note Router')).toBeUndefined();
		const [written, errors] = run.output('CRM Note Router');
		expect(written.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
		expect(String(errors[0].json.error)).toMatch(/^Item 1: /);
		expect(suite.sandbox.store.list('hubspot', 'notes')).toHaveLength(1);
	});

	it('types CRM Link did not match are left out (the default selection works after a contacts-only link); none in common fails naming both', async () => {
		const { harness, credentials } = setup();
		const contactsOnly = { ...link, parameters: { ...link.parameters, objectTypes: ['contact'] } };
		const run = await harness.run(
			chainWorkflow(
				[call('call-5')],
				[
					contactsOnly,
					router({ targetObjectTypes: ['deal', 'contact', 'company'], routing: 'oneType' }),
				],
				credentials,
			),
		);
		expect(run.error('CRM Note Router')).toBeUndefined();
		const notes = (jsonOf(run, 'CRM Note Router')[0].crm as IDataObject).notes as Notes;
		expect(notes.map((note) => [note.status, note.targets.map((t) => t.type)])).toEqual([
			['success', ['contact', 'contact']],
		]);

		const dealsOnly = router({ targetObjectTypes: ['deal'], routing: 'oneType' });
		const notesBefore = suite.sandbox.store.list('hubspot', 'notes').length;
		const failed = await harness.run(
			chainWorkflow(
				[call('call-6')],
				[contactsOnly, { ...dealsOnly, settings: { onError: 'continueErrorOutput' } }],
				credentials,
			),
		);
		const [error] = failed.output('CRM Note Router')[1];
		expect(error.json.error).toBe(
			'Item 0: none of the target object types (deal) was matched by CRM Link, which matched contact',
		);
		expect(suite.sandbox.store.list('hubspot', 'notes')).toHaveLength(notesBefore);
	});
});
