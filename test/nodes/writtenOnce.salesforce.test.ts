/**
 * "Written once, nothing lost" on Salesforce through the real engine and the sandbox:
 * concurrent deliveries of one call, many calls replayed concurrently, answers of the note
 * create (one Composite Graph call) lost after Salesforce stored the note, a 500 with nothing
 * stored, a Salesforce that stores after the client gave up, and corrected content. Every test
 * asserts the sandbox's records: one ContentNote per call linked to its contact, one Task per
 * action item — 0 duplicates, 0 lost.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmActionItemsToTasks } from '../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { SALESFORCE_SEED_IDS } from '../sandbox/vendors/salesforce';
import { SANDBOX_AUTH, chainWorkflow, jsonOf, sandboxHarness } from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';
import { pool } from '../support/pool';
import { sameWorkflow, writerChain, writtenOnceCall } from './support/writtenOnce';

const ALICE = SALESFORCE_SEED_IDS.contacts.alice;

const call = writtenOnceCall;
const steps = (timeoutSeconds = 60) => writerChain(SANDBOX_AUTH.salesforce, timeoutSeconds);

const noteResult = (run: Parameters<typeof jsonOf>[0]) =>
	((jsonOf(run, 'CRM Note Router')[0].crm as IDataObject).notes as IDataObject[])[0];

describe('written once, nothing lost — Salesforce', () => {
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
	const records = (type: string) => suite.sandbox.store.list('salesforce', type);
	const notes = () => records('ContentNote');
	const tasks = () => records('Task');
	const noteText = (fields: Record<string, unknown>) =>
		Buffer.from(String(fields.Content), 'base64').toString('utf8');
	/** Notes of one conversation, found by the summary text that names it. */
	const notesMentioning = (text: string) =>
		notes().filter((note) => noteText(note.fields).includes(text));
	const linksOf = (noteId: string) =>
		records('ContentDocumentLink')
			.filter((link) => link.fields.ContentDocumentId === noteId)
			.map((link) => link.fields.LinkedEntityId);
	/** Every note linked to Alice exactly once, every link pointing to a stored note. */
	const expectNotesWhole = () => {
		for (const note of notes()) expect(linksOf(note.id)).toEqual([ALICE]);
		expect(records('ContentDocumentLink')).toHaveLength(notes().length);
	};

	it('10 concurrent deliveries of the same call: one note with its link, one task per action item', async () => {
		const { harness, credentials } = setup();
		const workflow = chainWorkflow([call('conc-1')], steps(), credentials);
		const runs = await Promise.all(Array.from({ length: 10 }, () => harness.run(workflow)));
		for (const run of runs) expect(run.error('CRM Note Router')).toBeUndefined();
		expect(notes()).toHaveLength(1);
		expectNotesWhole();
		expect(tasks()).toHaveLength(2);
		const statuses = runs.map((run) => noteResult(run).status);
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
		expectNotesWhole();
		expect(tasks()).toHaveLength(80);
		for (let i = 0; i < 40; i++)
			expect(notesMentioning(`Summary of call many-${i}.`)).toHaveLength(1);
		expect(new Set(tasks().map((task) => task.fields.CallObject)).size).toBe(80);
	});

	it('the answer is lost after Salesforce stored the note: found through its link, not written again', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: 'composite/graph',
			method: 'POST',
			kind: 'dropAnswer',
			count: 1,
		});
		const workflow = chainWorkflow([call('lost-1')], steps(), credentials);
		const run = await harness.run(workflow);
		expect(noteResult(run)).toMatchObject({ status: 'success' });
		const replay = await harness.run(workflow);
		expect(noteResult(replay)).toMatchObject({ status: 'skipped' });
		expect(notes()).toHaveLength(1);
		expectNotesWhole();
		expect(tasks()).toHaveLength(2);
	});

	it('every answer of the note create is lost (5 times): still one note', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: 'composite/graph',
			method: 'POST',
			kind: 'dropAnswer',
			status: 500,
			count: 5,
		});
		const workflow = chainWorkflow([call('lost-5')], steps(), credentials);
		for (let attempt = 0; attempt < 3; attempt++) await harness.run(workflow);
		expect(notes()).toHaveLength(1);
		expectNotesWhole();
		expect(tasks()).toHaveLength(2);
	});

	it('a 500 with nothing stored is checked and sent again in the same run: one note, item succeeds', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: 'composite/graph',
			method: 'POST',
			kind: 'status',
			status: 500,
			count: 1,
		});
		const run = await harness.run(chainWorkflow([call('five-hundred')], steps(), credentials));
		expect(noteResult(run)).toMatchObject({ status: 'success' });
		expect(notes()).toHaveLength(1);
		expectNotesWhole();
		const creates = suite.sandbox.admin
			.requests('salesforce')
			.filter((request) => request.path.endsWith('/composite/graph'));
		expect(creates.map((request) => request.status)).toEqual([500, 200]);
	});

	it('Salesforce stores the note after the client gave up: the item fails as uncertain, the replay finds it — one note', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: 'composite/graph',
			method: 'POST',
			kind: 'slow',
			delayMs: 2500,
			count: 1,
		});
		const workflow = chainWorkflow([call('late-1')], steps(1), credentials);
		const run = await harness.run(workflow);
		const failed = run.output('CRM Note Router')[1] ?? [];
		expect(failed).toHaveLength(1);
		expect(String(failed[0].json.error)).toMatch(/uncertain — not retried/i);
		// Salesforce finishes the held request meanwhile.
		await new Promise((resolve) => setTimeout(resolve, 3000));
		expect(notes()).toHaveLength(1);
		const replay = await harness.run(workflow);
		expect(noteResult(replay)).toMatchObject({ status: 'success', created: false });
		expect(notes()).toHaveLength(1);
		expectNotesWhole();
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
		expect(noteResult(run)).toMatchObject({ status: 'success', created: false });
		expect(notes()).toHaveLength(1);
		expect(noteText(notes()[0].fields)).toContain('Corrected summary after review.');
		expect(noteText(notes()[0].fields)).not.toContain('First draft');
		expectNotesWhole();
		expect(tasks()).toHaveLength(2);
	});
});
