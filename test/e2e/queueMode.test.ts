/**
 * The pack in n8n's queue mode, as `npm run start:queue` runs it: Redis, PostgreSQL, the main
 * instance, a webhook processor and two workers (5 executions each), every n8n process with
 * the pack installed and coordinating through Redis. Driven over the webhook processor:
 * - 200 processed calls at concurrency 10, executions spread over both workers: every call
 *   written exactly once;
 * - 12 concurrent copies of one call, run by both workers at once while the CRM is slow to
 *   store the note: one note;
 * - 40 HubSpot calls at concurrency 10: both workers together stay inside HubSpot's
 *   100 requests / 10 s (the sandbox answers 0 429s);
 * - the CRM Sync Trigger polls once per interval (only the main instance polls) and hands a
 *   change to the workers once;
 * - one signed autoch.at delivery sent to the main instance and the webhook processor at the
 *   same time, and replayed later: the workflow runs once.
 */
import { randomUUID } from 'node:crypto';

import { dataTableRowsByName, PLATFORM_CONTACTS_TABLE } from '../../scripts/runtime/dataTables';
import { waitFor } from '../../scripts/runtime/waitFor';
import type { SandboxHandle } from '../sandbox/server';
import { signWebhookBody } from '../sandbox/server';
import { postJson, secretHeader, STACK_START_TIMEOUT_MS } from './harness';
import {
	executionWorkers,
	importVariant,
	startE2eQueueStack,
	type E2eQueueStack,
} from './queueHarness';

const LONG_TEST_MS = 10 * 60_000;

let stack: E2eQueueStack;
let sandbox: SandboxHandle;
let webhookBase: string;
let mainBase: string;

beforeAll(async () => {
	stack = await startE2eQueueStack({ workers: 2, workerConcurrency: 5 });
	sandbox = stack.sandbox!;
	webhookBase = stack.webhook.publicUrl.replace(/\/+$/, '');
	mainBase = stack.n8n.publicUrl.replace(/\/+$/, '');
	await importVariant(stack, 'call-processed-to-crm.json', {
		crm: 'salesforce',
		path: 'queue-call-sf',
		name: 'Call processed → Salesforce (queue)',
	});
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
}, 120_000);

afterEach(() => sandbox.admin.clearFaults());

const call = (id: string) => ({
	id,
	startedAt: '2026-11-20T14:00:00Z',
	endedAt: '2026-11-20T14:25:00Z',
	direction: 'outbound',
	participants: [
		{ name: 'Sam Seller', email: 'sam@ours.example', internal: true },
		{ name: 'Alice Nguyen', phone: '+1 415 555 0101', email: 'alice.nguyen@acme.example' },
	],
	summary: `Fleet expansion (${id}): scope agreed, pricing next.`,
	actionItems: [{ text: `Send proposal (${id})` }, { text: `Book demo (${id})` }],
});

/** Through the webhook processor, like every production delivery in queue mode. */
const post = (path: string, body: unknown) =>
	postJson(`${webhookBase}/webhook/${path}`, body, secretHeader(stack));

const salesforceWrites = (id: string) => ({
	notes: sandbox.store
		.list('salesforce', 'ContentNote')
		.filter((note) =>
			Buffer.from(String(note.fields.Content), 'base64').toString('utf8').includes(`(${id})`),
		).length,
	tasks: sandbox.store
		.list('salesforce', 'Task')
		.filter((task) => String(task.fields.Subject).includes(`(${id})`)).length,
});

const hubspotWrites = (id: string) => ({
	notes: sandbox.store
		.list('hubspot', 'notes')
		.filter((note) => String(note.fields.hs_note_body).includes(`(${id})`)).length,
	tasks: sandbox.store
		.list('hubspot', 'tasks')
		.filter((task) => String(task.fields.hs_task_subject).includes(`(${id})`)).length,
});

/** Runs `jobs` with at most `concurrency` in flight. */
async function pool<T>(jobs: Array<() => Promise<T>>, concurrency: number): Promise<T[]> {
	const results: T[] = new Array(jobs.length);
	let next = 0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (next < jobs.length) {
				const index = next++;
				results[index] = await jobs[index]();
			}
		}),
	);
	return results;
}

interface Execution {
	id: string;
	status: string;
	startedAt?: string;
}

const executionsOf = (workflowId: string) =>
	stack.api.list<Execution>(`/executions?workflowId=${workflowId}`);

const workflowId = (file: string): string => {
	const workflow = stack.workflows.find((imported) => imported.file === file);
	if (!workflow?.active) throw new Error(`${file} was not imported and activated`);
	return workflow.id;
};

test(
	'200 processed calls at concurrency 10 over the webhook processor, run by both workers: every call written exactly once',
	async () => {
		const ids = Array.from({ length: 200 }, (_, i) => `queue-bulk-${i}`);
		const answers = await pool(
			ids.map((id) => () => post('queue-call-sf', call(id))),
			10,
		);
		expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.json)).toEqual(
			[],
		);
		const counts = ids.map((id) => ({ id, ...salesforceWrites(id) }));
		expect(counts.filter((count) => count.notes !== 1 || count.tasks !== 2)).toEqual([]);
		const perWorker = [...executionWorkers(stack).values()].reduce<Record<string, number>>(
			(tally, worker) => ({ ...tally, [worker]: (tally[worker] ?? 0) + 1 }),
			{},
		);
		expect(Object.keys(perWorker).sort()).toEqual(['worker-1', 'worker-2']);
		process.stdout.write(
			`queue mode: 200 calls × concurrency 10 over 2 workers (executions ${JSON.stringify(perWorker)}): 200 notes, 400 tasks, 0 duplicates, 0 lost\n`,
		);
	},
	LONG_TEST_MS,
);

test(
	'12 concurrent copies of one call, run by both workers at once while HubSpot takes 2 s to store the note, 3 times over: one note and two tasks each',
	async () => {
		const flow = workflowId('call-processed-to-crm.json');
		for (let trial = 0; trial < 3; trial++) {
			const id = `queue-replay-${trial}`;
			const before = new Set((await executionsOf(flow)).map((execution) => execution.id));
			// While the first copy's note is on its way, a copy on the other worker finds nothing in
			// HubSpot: only a lock both workers share keeps it from writing a second note.
			sandbox.admin.addFault({
				vendor: 'hubspot',
				pathPattern: 'notes/batch/create',
				method: 'POST',
				kind: 'slow',
				delayMs: 2_000,
				count: 1,
			});
			const answers = await Promise.all(
				Array.from({ length: 12 }, () => post('call-processed', call(id))),
			);
			expect(answers.map((answer) => answer.status)).toEqual(Array(12).fill(200));
			expect(hubspotWrites(id)).toEqual({ notes: 1, tasks: 2 });
			// An answer can come a moment before its execution is saved as finished.
			const runs = await waitFor(
				async () => {
					const finished = (await executionsOf(flow)).filter(
						(execution) => !before.has(execution.id),
					);
					return finished.length >= 12 ? finished : undefined;
				},
				{ timeoutMs: 30_000, intervalMs: 250, what: '12 finished executions' },
			);
			expect(runs).toHaveLength(12);
			const owners = executionWorkers(stack);
			const workers = new Set(runs.map((execution) => owners.get(execution.id)));
			// The copies really ran in different processes (a worker runs at most 5 at once).
			expect([...workers].sort()).toEqual(['worker-1', 'worker-2']);
		}
	},
	LONG_TEST_MS,
);

test(
	"40 HubSpot calls at concurrency 10: both workers together stay inside HubSpot's 100 requests / 10 s (0 429s)",
	async () => {
		sandbox.admin.clearRequests();
		const started = Date.now();
		const ids = Array.from({ length: 40 }, (_, i) => `queue-rate-${i}`);
		const answers = await pool(
			ids.map((id) => () => post('call-processed', call(id))),
			10,
		);
		expect(answers.filter((answer) => answer.status !== 200).map((answer) => answer.json)).toEqual(
			[],
		);
		const requests = sandbox.admin.requests('hubspot');
		const limited = requests.filter((request) => request.status === 429);
		process.stdout.write(
			`queue mode, 2 workers, shared limit: ${requests.length} HubSpot requests in ${((Date.now() - started) / 1000).toFixed(1)} s, ${limited.length} answered 429\n`,
		);
		// More than one window's worth was sent, so the limit really was in play.
		expect(requests.length).toBeGreaterThan(100);
		expect(limited).toEqual([]);
		expect(ids.filter((id) => hubspotWrites(id).notes !== 1)).toEqual([]);
	},
	LONG_TEST_MS,
);

test(
	'the CRM Sync Trigger polls once per interval, on the main instance only, and a change reaches the workers once',
	async () => {
		// The shipped inbound template polls every 5 minutes; stop it so only the variant below polls.
		await stack.api.request(
			'POST',
			`/workflows/${workflowId('crm-contacts-inbound-sync.json')}/deactivate`,
		);
		// Past the trigger's settle delay, inside its first-poll window.
		const changedAt = new Date(Date.now() - 120_000).toISOString();
		sandbox.store.insert(
			'hubspot',
			'contacts',
			'9100001',
			{
				firstname: 'Queue',
				lastname: 'Poll',
				email: 'queue.poll@example.com',
				phone: '+1 415 600 9911',
				createdate: changedAt,
				lastmodifieddate: changedAt,
			},
			changedAt,
		);
		sandbox.admin.clearRequests();
		const started = Date.now();
		// n8n refuses poll times under a minute; four fixed seconds of every minute poll every 15 s.
		const flow = await importVariant(stack, 'crm-contacts-inbound-sync.json', {
			name: 'CRM contacts → platform contact store (queue, every 15 s)',
			change: (node) =>
				node.type === 'n8n-nodes-crm-sync.crmSyncTrigger'
					? {
							...node,
							parameters: {
								...node.parameters,
								pollTimes: {
									item: [0, 15, 30, 45].map((second) => ({
										mode: 'custom',
										cronExpression: `${second} * * * * *`,
									})),
								},
							},
						}
					: node,
		});
		const rows = () =>
			dataTableRowsByName<{ crmId: string }>(stack.api, PLATFORM_CONTACTS_TABLE.name, [
				{ columnName: 'crmId', condition: 'eq', value: '9100001' },
			]);
		await waitFor(async () => ((await rows()).length > 0 ? true : undefined), {
			timeoutMs: 60_000,
			intervalMs: 500,
			what: 'the polled contact in Platform contacts',
		});
		// Watch at least three more intervals.
		await new Promise((resolve) =>
			setTimeout(resolve, Math.max(0, 50_000 - (Date.now() - started))),
		);
		await stack.api.request('POST', `/workflows/${flow}/deactivate`);
		const elapsedS = (Date.now() - started) / 1000;

		const polls = sandbox.admin
			.requests('hubspot')
			.filter(
				(request) =>
					request.path.endsWith('/contacts/search') &&
					JSON.stringify(request.body).includes('lastmodifieddate'),
			)
			.map((request) => Date.parse(request.at));
		const gaps = polls.slice(1).map((at, i) => (at - polls[i]) / 1000);
		process.stdout.write(
			`queue mode: ${polls.length} polls in ${elapsedS.toFixed(0)} s (gaps ${gaps.map((gap) => gap.toFixed(1)).join(', ')} s)\n`,
		);
		// One poll on activation plus one per 15 s tick — never two for one tick (4 processes run the pack).
		expect(polls.length).toBeGreaterThanOrEqual(3);
		expect(polls.length).toBeLessThanOrEqual(Math.ceil(elapsedS / 15) + 1);
		// Ticks fall on whole quarter minutes and each poll reaches the sandbox within seconds of its
		// tick, so polls of one tick share a quarter-minute slot. The activation poll (the first) can
		// land in any slot, next to a tick's poll.
		const slots = new Map<number, number>();
		for (const at of polls.slice(1))
			slots.set(Math.floor(at / 15_000), (slots.get(Math.floor(at / 15_000)) ?? 0) + 1);
		expect([...slots.values()].filter((count) => count > 1)).toEqual([]);
		expect(await rows()).toHaveLength(1);
		const runs = await executionsOf(flow);
		expect(runs).toHaveLength(1);
		expect(executionWorkers(stack).get(runs[0].id)).toMatch(/^worker-/);
	},
	LONG_TEST_MS,
);

test(
	'one signed autoch.at delivery sent to the main instance and the webhook processor at once, then replayed: the workflow runs once',
	async () => {
		const flow = workflowId('autochat-crm-webhook-sync.json');
		const path = 'webhook/7d2c4b1e-9a3f-4e5d-8c6b-2f1a0e9d8c7b/autochat-crm';
		const id = randomUUID();
		const body = JSON.stringify({
			event: 'client.created',
			timestamp: new Date().toISOString(),
			data: { id, name: 'Queue Copy', email: 'queue.copy@example.com', phone: '+1 312 555 0177' },
		});
		const send = async (base: string) => {
			const response = await fetch(`${base}/${path}`, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'x-webhook-signature': signWebhookBody('sandbox-webhook-secret', body),
				},
				body,
				signal: AbortSignal.timeout(60_000),
			});
			return { status: response.status, text: await response.text() };
		};
		const before = (await executionsOf(flow)).length;
		const answers = await Promise.all(
			Array.from({ length: 10 }, (_, i) => send(i % 2 === 0 ? mainBase : webhookBase)),
		);
		expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
		expect(answers.filter((answer) => !answer.text.includes('duplicate'))).toHaveLength(1);
		await waitFor(async () => ((await executionsOf(flow)).length > before ? true : undefined), {
			timeoutMs: 30_000,
			intervalMs: 200,
			what: 'the delivery run',
		});
		// A replay a little later, to the process that did not run it first and to the other one.
		for (const base of [mainBase, webhookBase])
			expect((await send(base)).text).toContain('duplicate');
		await new Promise((resolve) => setTimeout(resolve, 2_000));
		expect((await executionsOf(flow)).length - before).toBe(1);
	},
	LONG_TEST_MS,
);
