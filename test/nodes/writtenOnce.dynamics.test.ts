/**
 * "Written once, nothing lost" on Dynamics 365 through the real engine and the sandbox:
 * concurrent deliveries of one call, many calls replayed concurrently, answers lost after
 * Dataverse stored the batch, a 500 with nothing stored, a Dataverse that stores after the
 * client gave up, and an instance whose processed-items store lost its entries. Every
 * activity carries a deterministic id, so Dataverse itself refuses a second copy. Every test
 * asserts the sandbox's records: 0 duplicates, 0 lost.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmActionItemsToTasks } from '../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { DYNAMICS_SEED_IDS } from '../sandbox/vendors/dynamics/seed';
import {
	SANDBOX_AUTH,
	chainWorkflow,
	jsonOf,
	sandboxHarness,
	type ChainStep,
	type SandboxCredentials,
} from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';
import type { EngineHarness } from './harness/runWorkflow';
import { pool } from '../support/pool';
import { sameWorkflow } from './support/writtenOnce';

const ALICE = DYNAMICS_SEED_IDS.contacts.alice;

const call = (id: string, summary = 'Agreed on fleet expansion scope.') => ({
	id,
	startedAt: '2026-11-20T15:00:00Z',
	endedAt: '2026-11-20T15:30:00Z',
	direction: 'outbound',
	participants: [
		{ name: 'Rep', email: 'rep@ours.example', internal: true },
		{ name: 'Alice', phone: '+1 415 555 0101' },
	],
	summary,
	actionItems: [{ text: 'Send proposal' }, { text: 'Book follow-up demo' }],
});

const routing = {
	targetObjectTypes: ['contact'],
	routing: 'oneType',
	priority: { entries: [{ objectType: 'contact' }] },
};
const link: ChainStep = {
	name: 'CRM Link',
	packNode: 'crmLink',
	parameters: { ...SANDBOX_AUTH.dynamics, objectTypes: ['contact'] },
};
const noteRouter = (timeoutSeconds = 60): ChainStep => ({
	name: 'CRM Note Router',
	packNode: 'crmNoteRouter',
	parameters: {
		...SANDBOX_AUTH.dynamics,
		contentSource: 'summary',
		...routing,
		options: { requestTimeoutSeconds: timeoutSeconds },
	},
	settings: { onError: 'continueErrorOutput' },
});
const tasks = (timeoutSeconds = 60): ChainStep => ({
	name: 'Tasks',
	packNode: 'crmActionItemsToTasks',
	parameters: {
		...SANDBOX_AUTH.dynamics,
		...routing,
		ownerSource: 'none',
		dueBusinessDays: 2,
		timezone: 'UTC',
		taskPriority: 'normal',
		options: { requestTimeoutSeconds: timeoutSeconds },
	},
	settings: { onError: 'continueErrorOutput' },
});

const noteOf = (run: Awaited<ReturnType<EngineHarness['run']>>) =>
	(
		(jsonOf(run, 'CRM Note Router')[0]?.crm as IDataObject | undefined)?.notes as
			IDataObject[] | undefined
	)?.[0];
const tasksOf = (run: Awaited<ReturnType<EngineHarness['run']>>) =>
	((jsonOf(run, 'Tasks')[0]?.crm as IDataObject | undefined)?.tasks as IDataObject[] | undefined) ??
	[];

describe('written once, nothing lost — Dynamics 365', () => {
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
	const notes = () => suite.sandbox.store.list('dynamics', 'annotation');
	const taskRows = () => suite.sandbox.store.list('dynamics', 'task');
	const notesMentioning = (text: string) =>
		notes().filter((note) => String(note.fields.notetext).includes(text));
	const batches = () =>
		suite.sandbox.admin.requests('dynamics').filter((request) => request.path.endsWith('/$batch'));

	/**
	 * The call as CRM Link hands it on, so the workflow under test starts at the writers and its
	 * first $batch is the create a fault is aimed at.
	 */
	async function linked(
		harness: EngineHarness,
		credentials: SandboxCredentials,
		id: string,
		summary?: string,
	): Promise<IDataObject> {
		const run = await harness.run(chainWorkflow([call(id, summary)], [link], credentials));
		const [item] = jsonOf(run, 'CRM Link');
		expect(
			((item.crm as IDataObject).matches as { contact: Array<{ id: string }> }).contact.map(
				(c) => c.id,
			),
		).toEqual([ALICE]);
		suite.sandbox.admin.clearRequests();
		return item;
	}

	it('10 concurrent deliveries of the same call: one note, one task per action item', async () => {
		const { harness, credentials } = setup();
		const workflow = chainWorkflow([call('conc-1')], [link, noteRouter(), tasks()], credentials);
		const runs = await Promise.all(Array.from({ length: 10 }, () => harness.run(workflow)));
		for (const run of runs) expect(run.output('CRM Note Router')[1] ?? []).toEqual([]);
		expect(notes()).toHaveLength(1);
		expect(taskRows()).toHaveLength(2);
		const statuses = runs.map((run) => noteOf(run)?.status);
		expect(statuses.filter((status) => status === 'success')).toHaveLength(1);
		expect(statuses.filter((status) => status === 'skipped')).toHaveLength(9);
	});

	it('40 distinct calls at concurrency 10, then all replayed at concurrency 10: 40 notes, 80 tasks, no copies', async () => {
		const { harness, credentials } = setup();
		const workflows = Array.from({ length: 40 }, (_, i) =>
			chainWorkflow(
				[call(`many-${i}`, `Summary of call many-${i}.`)],
				[link, noteRouter(), tasks()],
				credentials,
			),
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
		expect(taskRows()).toHaveLength(80);
		for (let i = 0; i < 40; i++)
			expect(notesMentioning(`Summary of call many-${i}.`)).toHaveLength(1);
	});

	it('the answer is lost after Dataverse stored the note: sent again at once, Dataverse answers "exists" — one note, the item succeeds', async () => {
		const { harness, credentials } = setup();
		const item = await linked(harness, credentials, 'lost-1');
		suite.sandbox.admin.addFault({
			vendor: 'dynamics',
			pathPattern: '$batch',
			method: 'POST',
			kind: 'dropAnswer',
			count: 1,
		});
		const workflow = chainWorkflow([item], [noteRouter(), tasks()], credentials);
		const run = await harness.run(workflow);
		expect(noteOf(run)).toMatchObject({ status: 'success', created: false });
		expect(batches().map((request) => request.status)).toEqual([0, 200, 200]);
		const replay = await harness.run(workflow);
		expect(noteOf(replay)).toMatchObject({ status: 'skipped' });
		expect(notes()).toHaveLength(1);
		expect(taskRows()).toHaveLength(2);
	});

	it('every answer of the note create is lost (5 × 500 after storing): the item fails, the next delivery confirms it — still one note', async () => {
		const { harness, credentials } = setup();
		const item = await linked(harness, credentials, 'lost-5');
		suite.sandbox.admin.addFault({
			vendor: 'dynamics',
			pathPattern: '$batch',
			method: 'POST',
			kind: 'dropAnswer',
			status: 500,
			count: 5,
		});
		const workflow = chainWorkflow([item], [noteRouter(), tasks()], credentials);
		const run = await harness.run(workflow);
		expect(run.output('CRM Note Router')[1] ?? []).toHaveLength(1);
		expect(notes()).toHaveLength(1);
		const replay = await harness.run(workflow);
		expect(noteOf(replay)).toMatchObject({ status: 'success', created: false });
		expect(notes()).toHaveLength(1);
		expect(taskRows()).toHaveLength(2);
	});

	it('a 500 with nothing stored is sent again in the same run: one note, item succeeds', async () => {
		const { harness, credentials } = setup();
		const item = await linked(harness, credentials, 'five-hundred');
		suite.sandbox.admin.addFault({
			vendor: 'dynamics',
			pathPattern: '$batch',
			method: 'POST',
			kind: 'status',
			status: 500,
			count: 1,
		});
		const run = await harness.run(chainWorkflow([item], [noteRouter(), tasks()], credentials));
		expect(noteOf(run)).toMatchObject({ status: 'success', created: true });
		expect(notes()).toHaveLength(1);
		expect(batches().map((request) => request.status)).toEqual([500, 200, 200]);
	});

	it('Dataverse stores the tasks after the client gave up: the retry writes them, the held batch lands as "exists" — 2 tasks, not 4', async () => {
		const { harness, credentials } = setup();
		const item = await linked(harness, credentials, 'late-1');
		suite.sandbox.admin.addFault({
			vendor: 'dynamics',
			pathPattern: '$batch',
			method: 'POST',
			kind: 'slow',
			delayMs: 2500,
			count: 1,
		});
		const workflow = chainWorkflow([item], [tasks(1)], credentials);
		const run = await harness.run(workflow);
		expect(run.output('Tasks')[1] ?? []).toEqual([]);
		expect(tasksOf(run).map((task) => task.status)).toEqual(['success', 'success']);
		// Dataverse finishes the held request meanwhile.
		for (let waited = 0; batches().length < 2 && waited < 6000; waited += 100)
			await new Promise((resolve) => setTimeout(resolve, 100));
		expect(batches()).toHaveLength(2);
		expect(taskRows()).toHaveLength(2);
		const replay = await harness.run(workflow);
		expect(tasksOf(replay).map((task) => task.status)).toEqual(['skipped', 'skipped']);
		expect(taskRows()).toHaveLength(2);
	});

	it('an instance whose processed-items store lost its entries delivers the call again: Dataverse refuses the copies', async () => {
		const { harness, credentials } = setup();
		const workflow = chainWorkflow([call('amnesia-1')], [link, noteRouter(), tasks()], credentials);
		await harness.run(workflow);
		harness.processedItems.reset();
		const run = await harness.run(workflow);
		expect(noteOf(run)).toMatchObject({ status: 'success', created: false });
		expect(tasksOf(run).map((task) => task.created)).toEqual([false, false]);
		expect(notes()).toHaveLength(1);
		expect(taskRows()).toHaveLength(2);
	});

	it('corrected content for a known call updates the note instead of being skipped', async () => {
		const { harness, credentials } = setup();
		const first = chainWorkflow(
			[call('fix-1', 'First draft of the summary.')],
			[link, noteRouter(), tasks()],
			credentials,
		);
		await harness.run(first);
		const corrected = sameWorkflow(
			first,
			chainWorkflow(
				[call('fix-1', 'Corrected summary after review.')],
				[link, noteRouter(), tasks()],
				credentials,
			),
		);
		const run = await harness.run(corrected);
		expect(noteOf(run)).toMatchObject({ status: 'success', created: false });
		expect(notes()).toHaveLength(1);
		expect(String(notes()[0].fields.notetext)).toContain('Corrected summary after review.');
		expect(String(notes()[0].fields.notetext)).not.toContain('First draft');
		expect(taskRows()).toHaveLength(2);
	});
});
