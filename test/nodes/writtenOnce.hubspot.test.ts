/**
 * "Written once, nothing lost" on HubSpot through the real engine and the sandbox:
 * concurrent deliveries of one call, many calls replayed concurrently, answers lost after
 * HubSpot stored the note (with its few-seconds search-index lag on), a 500 with nothing
 * stored, and a HubSpot that stores after the client gave up. Every test asserts the
 * sandbox's records: 0 duplicates, 0 lost.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmActionItemsToTasks } from '../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { SANDBOX_AUTH, chainWorkflow, jsonOf, sandboxHarness } from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';
import { pool } from '../support/pool';
import { sameWorkflow, writerChain, writtenOnceCall } from './support/writtenOnce';

const call = writtenOnceCall;
const steps = (timeoutSeconds = 60) => writerChain(SANDBOX_AUTH.hubspot, timeoutSeconds);

describe('written once, nothing lost — HubSpot', () => {
	const suite = seededSandbox();
	const setup = () =>
		sandboxHarness(
			{
				crmLink: new CrmLink(),
				crmNoteRouter: new CrmNoteRouter(),
				crmActionItemsToTasks: new CrmActionItemsToTasks(),
			},
			suite.sandbox.url,
		);
	const notes = () => suite.sandbox.store.list('hubspot', 'notes');
	const tasks = () => suite.sandbox.store.list('hubspot', 'tasks');
	/** Notes per conversation, found by the summary text that names it. */
	const notesMentioning = (text: string) =>
		notes().filter((note) => String(note.fields.hs_note_body).includes(text));

	it('10 concurrent deliveries of the same call: one note, one task per action item', async () => {
		const { harness, credentials } = setup();
		const workflow = chainWorkflow([call('conc-1')], steps(), credentials);
		const runs = await Promise.all(Array.from({ length: 10 }, () => harness.run(workflow)));
		for (const run of runs) expect(run.error('CRM Note Router')).toBeUndefined();
		expect(notes()).toHaveLength(1);
		expect(tasks()).toHaveLength(2);
		const statuses = runs.map(
			(run) =>
				((jsonOf(run, 'CRM Note Router')[0].crm as IDataObject).notes as IDataObject[])[0].status,
		);
		expect(statuses.filter((status) => status === 'success')).toHaveLength(1);
		expect(statuses.filter((status) => status === 'skipped')).toHaveLength(9);
	});

	it('40 distinct calls at concurrency 10, then all replayed at concurrency 10: 40 notes, 80 tasks, no copies', async () => {
		const { harness, credentials } = setup();
		const workflows = Array.from({ length: 40 }, (_, i) =>
			chainWorkflow([call(`many-${i}`, `Summary of call many-${i}.`)], steps(), credentials),
		);
		for (const workflow of workflows) sameWorkflow(workflows[0], workflow);
		await pool(
			workflows.map((workflow) => () => harness.run(workflow)),
			10,
		);
		await pool(
			workflows.map((workflow) => () => harness.run(workflow)),
			10,
		);
		expect(notes()).toHaveLength(40);
		expect(tasks()).toHaveLength(80);
		for (let i = 0; i < 40; i++)
			expect(notesMentioning(`Summary of call many-${i}.`)).toHaveLength(1);
	});

	it('the answer is lost after HubSpot stored the note (search index lagging 10 s): found through the contact, not written again', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.configure('hubspot', { searchIndexDelayMs: 10_000 });
		try {
			suite.sandbox.admin.addFault({
				vendor: 'hubspot',
				pathPattern: 'notes/batch/create',
				method: 'POST',
				kind: 'dropAnswer',
				count: 1,
			});
			const workflow = chainWorkflow([call('lost-1')], steps(), credentials);
			const run = await harness.run(workflow);
			const [out] = jsonOf(run, 'CRM Note Router');
			expect(((out.crm as IDataObject).notes as IDataObject[])[0]).toMatchObject({
				status: 'success',
			});
			const replay = await harness.run(workflow);
			expect(
				((jsonOf(replay, 'CRM Note Router')[0].crm as IDataObject).notes as IDataObject[])[0],
			).toMatchObject({ status: 'skipped' });
			expect(notes()).toHaveLength(1);
			expect(tasks()).toHaveLength(2);
		} finally {
			suite.sandbox.admin.configure('hubspot', { searchIndexDelayMs: 0 });
		}
	});

	it('every answer of the note create is lost (5 times, lagging index): still one note', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.configure('hubspot', { searchIndexDelayMs: 10_000 });
		try {
			suite.sandbox.admin.addFault({
				vendor: 'hubspot',
				pathPattern: 'notes/batch/create',
				method: 'POST',
				kind: 'dropAnswer',
				status: 500,
				count: 5,
			});
			const workflow = chainWorkflow([call('lost-5')], steps(), credentials);
			for (let attempt = 0; attempt < 3; attempt++) await harness.run(workflow);
			expect(notes()).toHaveLength(1);
		} finally {
			suite.sandbox.admin.configure('hubspot', { searchIndexDelayMs: 0 });
		}
	});

	it('a 500 with nothing stored is checked and sent again in the same run: one note, item succeeds', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.addFault({
			vendor: 'hubspot',
			pathPattern: 'notes/batch/create',
			method: 'POST',
			kind: 'status',
			status: 500,
			count: 1,
		});
		const run = await harness.run(chainWorkflow([call('five-hundred')], steps(), credentials));
		expect(
			((jsonOf(run, 'CRM Note Router')[0].crm as IDataObject).notes as IDataObject[])[0],
		).toMatchObject({ status: 'success' });
		expect(notes()).toHaveLength(1);
		const creates = suite.sandbox.admin
			.requests('hubspot')
			.filter((request) => request.path.endsWith('/notes/batch/create'));
		expect(creates.map((request) => request.status)).toEqual([500, 201]);
	});

	it('HubSpot stores the note after the client gave up: the item fails as uncertain, the replay finds it — one note', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.addFault({
			vendor: 'hubspot',
			pathPattern: 'notes/batch/create',
			method: 'POST',
			kind: 'slow',
			delayMs: 2500,
			count: 1,
		});
		const workflow = chainWorkflow([call('late-1')], steps(1), credentials);
		const run = await harness.run(workflow);
		const failed = run.output('CRM Note Router')[1] ?? [];
		expect(failed).toHaveLength(1);
		expect(String(failed[0].json.error)).toMatch(
			/uncertain — not retried: the note may or may not be in HubSpot\. Check contacts \d+/,
		);
		// HubSpot finishes the held request meanwhile.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect(notes()).toHaveLength(1);
		const replay = await harness.run(workflow);
		const [out] = jsonOf(replay, 'CRM Note Router');
		expect(((out.crm as IDataObject).notes as IDataObject[])[0]).toMatchObject({
			status: 'success',
			created: false,
		});
		expect(notes()).toHaveLength(1);
	});

	it('corrected content for a known call updates the note instead of being skipped', async () => {
		const { harness, credentials } = setup();
		const first = chainWorkflow(
			[call('fix-1', 'First draft of the summary.')],
			steps(),
			credentials,
		);
		await harness.run(first);
		const corrected = sameWorkflow(
			first,
			chainWorkflow([call('fix-1', 'Corrected summary after review.')], steps(), credentials),
		);
		const run = await harness.run(corrected);
		const note = ((jsonOf(run, 'CRM Note Router')[0].crm as IDataObject).notes as IDataObject[])[0];
		expect(note).toMatchObject({ status: 'success', created: false });
		expect(notes()).toHaveLength(1);
		expect(String(notes()[0].fields.hs_note_body)).toContain('Corrected summary after review.');
		expect(tasks()).toHaveLength(2);
	});
});
