/**
 * CRM Note Router with "Create Action Item Tasks" through the real engine and the sandbox:
 * the note and the action items' tasks of a processed call go out in ONE write call
 * (Dynamics one $batch, Salesforce one Composite Graph), and are written once under lost
 * answers, concurrent deliveries and replays. A CRM Action Items → Tasks node after it finds
 * the tasks by their keys instead of creating them again. Every test asserts the CRM's records.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmActionItemsToTasks } from '../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import type { SandboxHandle } from '../sandbox/server';
import type { LoggedRequest } from '../sandbox/core/requestLog';
import { callProcessedFlow, combinedCallFlow, processedCall } from './support/callProcessedFlow';
import {
	chainWorkflow,
	jsonOf,
	sandboxHarness,
	type ChainStep,
	type SandboxCredentials,
} from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';
import type { EngineHarness, HarnessRun } from './harness/runWorkflow';

type WritingCrm = 'dynamics' | 'salesforce' | 'hubspot';

interface CrmCase {
	crm: WritingCrm;
	/** Note records one processed call leaves (Dynamics: one per target). */
	notesPerCall: number;
	notes: (sandbox: SandboxHandle) => number;
	tasks: (sandbox: SandboxHandle) => number;
	/** Whether a recorded request writes activities. */
	writes: (request: LoggedRequest) => boolean;
	/** The request path a fault on the one write call aims at (regex text, see faults.ts). */
	writePath: string;
}

const DYNAMICS: CrmCase = {
	crm: 'dynamics',
	notesPerCall: 5,
	notes: (sandbox) => sandbox.store.list('dynamics', 'annotation').length,
	tasks: (sandbox) => sandbox.store.list('dynamics', 'task').length,
	writes: (request) =>
		request.path.endsWith('/$batch') &&
		/(PATCH|POST) \S+\/(annotations|tasks)/.test(String(request.body)),
	writePath: '$batch',
};
const SALESFORCE: CrmCase = {
	crm: 'salesforce',
	notesPerCall: 1,
	notes: (sandbox) => sandbox.store.list('salesforce', 'ContentNote').length,
	tasks: (sandbox) => sandbox.store.list('salesforce', 'Task').length,
	writes: (request) => /\/composite\/(graph|sobjects)$/.test(request.path),
	writePath: 'composite/graph',
};
const HUBSPOT: CrmCase = {
	crm: 'hubspot',
	notesPerCall: 1,
	notes: (sandbox) => sandbox.store.list('hubspot', 'notes').length,
	tasks: (sandbox) => sandbox.store.list('hubspot', 'tasks').length,
	writes: (request) => request.path.endsWith('/batch/create'),
	writePath: 'notes/batch/create',
};

const recordsOf = (run: HarnessRun, field: 'notes' | 'tasks', node = 'Notes') =>
	((jsonOf(run, node)[0]?.crm as IDataObject | undefined)?.[field] as IDataObject[] | undefined) ??
	[];

describe.each([DYNAMICS, SALESFORCE, HUBSPOT])(
	'Note Router with Create Action Item Tasks — $crm',
	(crmCase) => {
		const suite = seededSandbox();
		const [link, notesStep] = combinedCallFlow(crmCase.crm);
		const tasksStep = callProcessedFlow(crmCase.crm)[2];
		const withErrorOutput = (step: ChainStep): ChainStep => ({
			...step,
			settings: { onError: 'continueErrorOutput' },
		});
		const notesNode = withErrorOutput(notesStep);
		const setup = () =>
			sandboxHarness(
				{
					crmLink: new CrmLink(),
					crmNoteRouter: new CrmNoteRouter(),
					crmActionItemsToTasks: new CrmActionItemsToTasks(),
				},
				suite.sandbox.url,
			);
		const notes = () => crmCase.notes(suite.sandbox);
		const tasks = () => crmCase.tasks(suite.sandbox);
		const writeRequests = () => suite.sandbox.admin.requests(crmCase.crm).filter(crmCase.writes);

		/** The call as CRM Link hands it on, so the workflow under test starts at the Note Router. */
		async function linked(
			harness: EngineHarness,
			credentials: SandboxCredentials,
			id: string,
		): Promise<IDataObject> {
			const run = await harness.run(chainWorkflow([processedCall(id)], [link], credentials));
			const [item] = jsonOf(run, 'Link');
			expect(item.crm).toBeDefined();
			suite.sandbox.admin.clearRequests();
			return item;
		}

		it('writes the note and the 3 tasks, reporting both on the item; a replay writes nothing', async () => {
			const { harness, credentials } = setup();
			const item = await linked(harness, credentials, 'both-1');
			const workflow = chainWorkflow([item], [notesNode], credentials);
			const run = await harness.run(workflow);
			expect(run.output('Notes')[1] ?? []).toEqual([]);
			expect(recordsOf(run, 'notes').every((note) => note.status === 'success')).toBe(true);
			expect(recordsOf(run, 'tasks').map((task) => [task.kind, task.status])).toEqual([
				['task', 'success'],
				['task', 'success'],
				['task', 'success'],
			]);
			const [out] = jsonOf(run, 'Notes');
			const operations = (out.syncLog as Array<{ operation: string }>).map((log) => log.operation);
			expect(operations).toContain('add-note');
			expect(operations.filter((operation) => operation === 'create-task')).toHaveLength(3);
			expect(notes()).toBe(crmCase.notesPerCall);
			expect(tasks()).toBe(3);

			suite.sandbox.admin.clearRequests();
			const replay = await harness.run(workflow);
			expect(recordsOf(replay, 'tasks').map((task) => task.status)).toEqual([
				'skipped',
				'skipped',
				'skipped',
			]);
			expect(writeRequests()).toEqual([]);
			expect(notes()).toBe(crmCase.notesPerCall);
			expect(tasks()).toBe(3);
		});

		it('10 concurrent copies of the call: one note, 3 tasks', async () => {
			const { harness, credentials } = setup();
			const workflow = chainWorkflow([processedCall('conc-1')], [link, notesNode], credentials);
			const runs = await Promise.all(Array.from({ length: 10 }, () => harness.run(workflow)));
			for (const run of runs) expect(run.output('Notes')[1] ?? []).toEqual([]);
			expect(notes()).toBe(crmCase.notesPerCall);
			expect(tasks()).toBe(3);
			const created = runs.flatMap((run) =>
				recordsOf(run, 'tasks').filter((task) => task.status === 'success'),
			);
			expect(created).toHaveLength(3);
		});

		it('the answer of the write call is lost after the CRM stored it: the retry settles it — one note, 3 tasks; a replay writes nothing', async () => {
			const { harness, credentials } = setup();
			const item = await linked(harness, credentials, 'lost-1');
			suite.sandbox.admin.addFault({
				vendor: crmCase.crm,
				pathPattern: crmCase.writePath,
				method: 'POST',
				kind: 'dropAnswer',
				count: 1,
			});
			const workflow = chainWorkflow([item], [notesNode], credentials);
			const run = await harness.run(workflow);
			// The fault hit the write call: its answer was dropped after the CRM stored it.
			expect(
				suite.sandbox.admin.requests(crmCase.crm).filter((request) => request.fault),
			).toHaveLength(1);
			expect(run.output('Notes')[1] ?? []).toEqual([]);
			expect(recordsOf(run, 'tasks').map((task) => task.status)).toEqual([
				'success',
				'success',
				'success',
			]);
			expect(notes()).toBe(crmCase.notesPerCall);
			expect(tasks()).toBe(3);

			suite.sandbox.admin.clearRequests();
			await harness.run(workflow);
			expect(writeRequests()).toEqual([]);
			expect(notes()).toBe(crmCase.notesPerCall);
			expect(tasks()).toBe(3);
		});

		it('a CRM Action Items → Tasks node after it finds the tasks and creates none', async () => {
			const { harness, credentials } = setup();
			const item = await linked(harness, credentials, 'after-1');
			const workflow = chainWorkflow([item], [notesNode, withErrorOutput(tasksStep)], credentials);
			const run = await harness.run(workflow);
			expect(run.output('Tasks')[1] ?? []).toEqual([]);
			expect(tasks()).toBe(3);
			const later = recordsOf(run, 'tasks', 'Tasks');
			expect(later.map((task) => [task.status, task.created])).toEqual([
				['success', false],
				['success', false],
				['success', false],
			]);
			// The same records the Note Router reported.
			expect(later.map((task) => task.id)).toEqual(recordsOf(run, 'tasks').map((task) => task.id));

			const replay = await harness.run(workflow);
			expect(replay.output('Tasks')[1] ?? []).toEqual([]);
			expect(recordsOf(replay, 'tasks', 'Tasks').map((task) => task.status)).toEqual([
				'skipped',
				'skipped',
				'skipped',
			]);
			expect(tasks()).toBe(3);
			expect(notes()).toBe(crmCase.notesPerCall);
		});

		it('a CRM Action Items → Tasks node before it: the Note Router finds its tasks and writes only the note', async () => {
			const { harness, credentials } = setup();
			const item = await linked(harness, credentials, 'before-1');
			const run = await harness.run(
				chainWorkflow([item], [withErrorOutput(tasksStep), notesNode], credentials),
			);
			expect(run.output('Notes')[1] ?? []).toEqual([]);
			expect(recordsOf(run, 'tasks').map((task) => [task.status, task.created])).toEqual([
				['success', false],
				['success', false],
				['success', false],
			]);
			expect(tasks()).toBe(3);
			expect(notes()).toBe(crmCase.notesPerCall);
		});
	},
);

describe('Note Router with Create Action Item Tasks — what each item carries (HubSpot)', () => {
	const suite = seededSandbox();
	const [link, notesStep] = combinedCallFlow('hubspot');
	const notesNode: ChainStep = { ...notesStep, settings: { onError: 'continueErrorOutput' } };
	const setup = () =>
		sandboxHarness(
			{ crmLink: new CrmLink(), crmNoteRouter: new CrmNoteRouter() },
			suite.sandbox.url,
		);
	const logOf = (json: IDataObject) =>
		(json.syncLog as Array<{ operation: string; status: string; reason?: string }>)
			.filter((log) => log.operation !== 'link')
			.map((log) => `${log.operation}:${log.status}${log.reason ? ` (${log.reason})` : ''}`);

	it('writes the tasks of a call whose note is skipped, and the note of a call without action items', async () => {
		const { harness, credentials } = setup();
		// Deal insights as the content: the first call has none, so its note is skipped.
		const insightsNode: ChainStep = {
			...notesNode,
			parameters: { ...notesNode.parameters, contentSource: 'dealInsights' },
		};
		const noInsights = processedCall('no-insights');
		const noActionItems = {
			...processedCall('no-items'),
			actionItems: [],
			dealInsights: [{ label: 'Budget', value: 'approved' }],
		};
		const run = await harness.run(
			chainWorkflow([noInsights, noActionItems], [link, insightsNode], credentials),
		);
		expect(run.output('Notes')[1] ?? []).toEqual([]);
		const [first, second] = jsonOf(run, 'Notes');
		expect(logOf(first)).toEqual([
			'add-note:skipped (the dealInsights content is empty)',
			'create-task:success',
			'create-task:success',
			'create-task:success',
		]);
		expect((first.crm as IDataObject).notes).toBeUndefined();
		expect(logOf(second)).toEqual([
			'add-note:success',
			'create-task:skipped (the conversation has no action items)',
		]);
		expect(suite.sandbox.store.list('hubspot', 'notes')).toHaveLength(1);
		expect(suite.sandbox.store.list('hubspot', 'tasks')).toHaveLength(3);
	});

	it('a due date it cannot read fails that item naming the field, writing neither its note nor its tasks; the other item is written', async () => {
		const { harness, credentials } = setup();
		const badDue = processedCall('bad-due');
		(badDue.actionItems as IDataObject[])[2] = { text: 'Share pricing', due: 'soonish' };
		const run = await harness.run(
			chainWorkflow([badDue, processedCall('good')], [link, notesNode], credentials),
		);
		const failed = jsonOf(run, 'Notes', 1);
		expect(failed).toHaveLength(1);
		expect(String(failed[0].error)).toContain('Item 0: field "actionItems.2.due"');
		const [written] = jsonOf(run, 'Notes');
		expect(logOf(written).filter((log) => log.endsWith(':success'))).toHaveLength(4);
		expect(suite.sandbox.store.list('hubspot', 'notes')).toHaveLength(1);
		expect(suite.sandbox.store.list('hubspot', 'tasks')).toHaveLength(3);
	});
});
