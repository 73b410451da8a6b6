/**
 * "Written once, nothing lost" on autoch.at CRM through the real engine and the sandbox.
 * autoch.at has no client-chosen ids: a create whose answer is lost is checked through the
 * client's activity list (external_id), and one that timed out is never sent again while
 * autoch.at may still store it. It cannot update an activity either, so corrected content
 * is reported instead of being skipped. Every test asserts the sandbox's records: 0
 * duplicates, 0 lost.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { AUTOCHAT_SEED_IDS } from '../sandbox/vendors/autochat/seed';
import type { EngineHarness } from './harness/runWorkflow';
import {
	SANDBOX_AUTH,
	chainWorkflow,
	jsonOf,
	sandboxHarness,
	type ChainStep,
	type SandboxCredentials,
} from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';
import { pool } from '../support/pool';
import { sameWorkflow } from './support/writtenOnce';

const ALICE = AUTOCHAT_SEED_IDS.alice;

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
});

const link: ChainStep = {
	name: 'CRM Link',
	packNode: 'crmLink',
	parameters: { ...SANDBOX_AUTH.autochat, objectTypes: ['contact'] },
};
const noteRouter = (timeoutSeconds = 60): ChainStep => ({
	name: 'CRM Note Router',
	packNode: 'crmNoteRouter',
	parameters: {
		...SANDBOX_AUTH.autochat,
		contentSource: 'summary',
		targetObjectTypes: ['contact'],
		routing: 'oneType',
		priority: { entries: [{ objectType: 'contact' }] },
		options: { requestTimeoutSeconds: timeoutSeconds },
	},
	settings: { onError: 'continueErrorOutput' },
});

type Run = Awaited<ReturnType<EngineHarness['run']>>;
const noteOf = (run: Run) =>
	(
		(jsonOf(run, 'CRM Note Router')[0]?.crm as IDataObject | undefined)?.notes as
			IDataObject[] | undefined
	)?.[0];
const failuresOf = (run: Run) =>
	(run.output('CRM Note Router')[1] ?? []).map((item) => String(item.json.error));
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('written once, nothing lost — autoch.at CRM', () => {
	const suite = seededSandbox();
	const setup = () =>
		sandboxHarness(
			{ crmLink: new CrmLink(), crmNoteRouter: new CrmNoteRouter() },
			suite.sandbox.url,
		);
	const activities = () => suite.sandbox.store.list('autochat', 'activities');
	const creates = () =>
		suite.sandbox.admin
			.requests('autochat')
			.filter((request) => request.method === 'POST' && request.path.endsWith('/activities'));

	/**
	 * Calls as CRM Link hands them on (one lookup for all: autoch.at allows 100 requests a
	 * minute), so the workflow under test starts at the note writer.
	 */
	async function linked(
		harness: EngineHarness,
		credentials: SandboxCredentials,
		calls: Array<ReturnType<typeof call>>,
	): Promise<IDataObject[]> {
		const run = await harness.run(chainWorkflow([calls[0]], [link], credentials));
		const [item] = jsonOf(run, 'CRM Link');
		expect(
			((item.crm as IDataObject).matches as { contact: Array<{ id: string }> }).contact.map(
				(c) => c.id,
			),
		).toEqual([ALICE]);
		suite.sandbox.admin.clearRequests();
		return calls.map((c) => ({ ...item, ...c }));
	}

	it('10 concurrent deliveries of the same call: one note', async () => {
		const { harness, credentials } = setup();
		const workflow = chainWorkflow(
			await linked(harness, credentials, [call('conc-1')]),
			[noteRouter()],
			credentials,
		);
		const runs = await Promise.all(Array.from({ length: 10 }, () => harness.run(workflow)));
		for (const run of runs) expect(failuresOf(run)).toEqual([]);
		expect(activities()).toHaveLength(1);
		const statuses = runs.map((run) => noteOf(run)?.status);
		expect(statuses.filter((status) => status === 'success')).toHaveLength(1);
		expect(statuses.filter((status) => status === 'skipped')).toHaveLength(9);
	});

	it('40 distinct calls at concurrency 10, then all replayed at concurrency 10: 40 notes, no copies', async () => {
		const { harness, credentials } = setup();
		const items = await linked(
			harness,
			credentials,
			Array.from({ length: 40 }, (_, i) => call(`many-${i}`, `Summary of call many-${i}.`)),
		);
		const workflows = items.map((item) => chainWorkflow([item], [noteRouter()], credentials));
		for (const workflow of workflows) sameWorkflow(workflows[0], workflow);
		await pool(
			workflows.map((workflow) => () => harness.run(workflow)),
			10,
		);
		await pool(
			workflows.map((workflow) => () => harness.run(workflow)),
			10,
		);
		expect(activities()).toHaveLength(40);
		for (let i = 0; i < 40; i++)
			expect(
				activities().filter((a) => String(a.fields.body).includes(`Summary of call many-${i}.`)),
			).toHaveLength(1);
		expect(creates()).toHaveLength(40);
	});

	it('the answer is lost after autoch.at stored the note: found by external_id, not posted again', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.addFault({
			vendor: 'autochat',
			pathPattern: 'activities',
			method: 'POST',
			kind: 'dropAnswer',
			count: 1,
		});
		const workflow = chainWorkflow(
			await linked(harness, credentials, [call('lost-1')]),
			[noteRouter()],
			credentials,
		);
		const run = await harness.run(workflow);
		expect(noteOf(run)).toMatchObject({ status: 'success' });
		expect(noteOf(await harness.run(workflow))).toMatchObject({ status: 'skipped' });
		expect(activities()).toHaveLength(1);
		expect(creates()).toHaveLength(1);
	});

	it('the answer is lost and autoch.at cannot be checked right away: uncertain, not re-sent; the next delivery finds it — one note', async () => {
		const { harness, credentials } = setup();
		const workflow = chainWorkflow(
			await linked(harness, credentials, [call('lost-2')]),
			[noteRouter()],
			credentials,
		);
		suite.sandbox.admin.addFault({
			vendor: 'autochat',
			pathPattern: 'activities',
			method: 'POST',
			kind: 'dropAnswer',
			status: 500,
			count: 1,
		});
		suite.sandbox.admin.addFault({
			vendor: 'autochat',
			pathPattern: 'activities',
			method: 'GET',
			kind: 'status',
			status: 503,
			count: 5,
		});
		const run = await harness.run(workflow);
		expect(failuresOf(run)).toEqual([expect.stringMatching(/uncertain — not retried/i)]);
		const replay = await harness.run(workflow);
		expect(noteOf(replay)).toMatchObject({ status: 'success', created: false });
		expect(activities()).toHaveLength(1);
		expect(creates()).toHaveLength(1);
	});

	it('a 500 with nothing stored is checked and sent again in the same run: one note, item succeeds', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.addFault({
			vendor: 'autochat',
			pathPattern: 'activities',
			method: 'POST',
			kind: 'status',
			status: 500,
			count: 1,
		});
		const run = await harness.run(
			chainWorkflow(
				await linked(harness, credentials, [call('five-hundred')]),
				[noteRouter()],
				credentials,
			),
		);
		expect(noteOf(run)).toMatchObject({ status: 'success', created: true });
		expect(activities()).toHaveLength(1);
		expect(creates().map((request) => request.status)).toEqual([500, 201]);
	});

	it('autoch.at stores the note after the client gave up: never re-sent, the item fails as uncertain, the replay finds it — one note', async () => {
		const { harness, credentials } = setup();
		const workflow = chainWorkflow(
			await linked(harness, credentials, [call('late-1')]),
			[noteRouter(1)],
			credentials,
		);
		suite.sandbox.admin.addFault({
			vendor: 'autochat',
			pathPattern: 'activities',
			method: 'POST',
			kind: 'slow',
			delayMs: 2500,
			count: 1,
		});
		const run = await harness.run(workflow);
		expect(failuresOf(run)).toEqual([
			expect.stringMatching(
				/uncertain — not retried: the note may or may not be in autoch\.at CRM\. Check client /,
			),
		]);
		// autoch.at finishes the held request meanwhile.
		for (let waited = 0; creates().length < 1 && waited < 6000; waited += 100) await wait(100);
		expect(activities()).toHaveLength(1);
		const replay = await harness.run(workflow);
		expect(noteOf(replay)).toMatchObject({ status: 'success', created: false });
		expect(activities()).toHaveLength(1);
		expect(creates()).toHaveLength(1);
	});

	it('corrected content for a known call is reported as not written (autoch.at cannot update an activity), never skipped silently', async () => {
		const { harness, credentials } = setup();
		const [first, second] = await linked(harness, credentials, [
			call('fix-1', 'First draft of the summary.'),
			call('fix-1', 'Corrected summary after review.'),
		]);
		const original = chainWorkflow([first], [noteRouter()], credentials);
		await harness.run(original);
		const corrected = sameWorkflow(original, chainWorkflow([second], [noteRouter()], credentials));
		const run = await harness.run(corrected);
		const [failure] = failuresOf(run);
		expect(failure).toContain(
			'autoch.at CRM cannot update an activity, so the corrected content was not written',
		);
		expect(failure).toContain(`activity ${activities()[0].id} keeps the content written first`);
		expect(activities()).toHaveLength(1);
		expect(String(activities()[0].fields.body)).toContain('First draft of the summary.');
		// Delivered again, it is reported again — not marked as written.
		expect(failuresOf(await harness.run(corrected))).toHaveLength(1);
		expect(activities()).toHaveLength(1);
	});
});
