/**
 * "Written once, nothing lost" in a real n8n with the built pack, the call-processed template
 * and the CRM sandbox: concurrent deliveries, hundreds of calls replayed concurrently, answers
 * lost after the CRM stored the note (HubSpot's search index lagging), a CRM that stores after
 * the client gave up, and n8n killed with SIGKILL in the middle of a write, then restarted.
 * Every test counts the sandbox's records: 0 duplicates, 0 lost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort } from '../../scripts/runtime/ports';
import { startN8n, type N8nHandle } from '../../scripts/runtime/startN8n';
import { waitForWebhook } from '../../scripts/runtime/n8nApi';
import { withCredentials, type WorkflowTemplate } from '../../scripts/runtime/workflows';
import type { SandboxHandle } from '../sandbox/server';
import {
	postJson,
	REPO_ROOT,
	secretHeader,
	startE2eStack,
	STACK_START_TIMEOUT_MS,
	type E2eStack,
	CRM_AUTH,
	type WriterCrm,
} from './harness';
import { pool } from '../support/pool';

const LONG_TEST_MS = 15 * 60_000;

let stack: E2eStack;
let sandbox: SandboxHandle;
let n8n: N8nHandle;
let base: string;

/**
 * The shipped call-processed template switched to another CRM (as a user does in the editor)
 * and, optionally, a short request timeout in its writers; imported and activated under its own path.
 */
async function importVariant(
	crm: WriterCrm,
	path: string,
	requestTimeoutSeconds?: number,
): Promise<string> {
	const template = JSON.parse(
		readFileSync(join(REPO_ROOT, 'workflows-templates', 'call-processed-to-crm.json'), 'utf8'),
	) as WorkflowTemplate;
	const auth = CRM_AUTH[crm];
	const nodes = template.nodes.map((node) => {
		if (node.type === 'n8n-nodes-base.webhook')
			return { ...node, webhookId: undefined, parameters: { ...node.parameters, path } };
		if (!node.type.startsWith('n8n-nodes-crm-sync.')) return node;
		const parameters: Record<string, unknown> = {
			...node.parameters,
			crm,
			[auth.parameter]: auth.mode,
		};
		if (requestTimeoutSeconds !== undefined && node.type !== 'n8n-nodes-crm-sync.crmLink') {
			parameters.options = {
				...((node.parameters?.options as Record<string, unknown> | undefined) ?? {}),
				requestTimeoutSeconds,
			};
		}
		return { ...node, parameters, credentials: { [auth.credential]: { name: auth.credential } } };
	});
	const { template: filled, missing } = withCredentials(
		{ ...template, name: `${template.name} (${path})`, nodes },
		stack.credentials,
	);
	expect(missing).toEqual([]);
	const saved = await stack.api.request<{ id: string }>('POST', '/workflows', {
		name: filled.name,
		nodes: filled.nodes,
		connections: filled.connections,
		settings: filled.settings ?? { executionOrder: 'v1' },
	});
	await stack.api.request('POST', `/workflows/${saved.id}/activate`);
	await waitForWebhook(`${base}/webhook/${path}`, 'POST');
	return saved.id;
}

beforeAll(async () => {
	stack = await startE2eStack();
	sandbox = stack.sandbox!;
	n8n = stack.n8n;
	base = n8n.publicUrl.replace(/\/+$/, '');
	await importVariant('salesforce', 'call-processed-sf');
	await importVariant('dynamics', 'call-processed-dyn');
	await importVariant('hubspot', 'call-processed-short-timeout', 2);
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	// A restarted n8n is not the stack's own process: stop it too.
	if (n8n !== stack?.n8n) await n8n.stop();
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

const post = (path: string, body: unknown) =>
	postJson(`${base}/webhook/${path}`, body, secretHeader(stack));

/** Notes and tasks per CRM that belong to one conversation (its id is in the text we write). */
const written: Record<WriterCrm, (id: string) => { notes: number; tasks: number }> = {
	hubspot: (id) => ({
		notes: sandbox.store
			.list('hubspot', 'notes')
			.filter((note) => String(note.fields.hs_note_body).includes(`(${id})`)).length,
		tasks: sandbox.store
			.list('hubspot', 'tasks')
			.filter((task) => String(task.fields.hs_task_subject).includes(`(${id})`)).length,
	}),
	salesforce: (id) => ({
		notes: sandbox.store
			.list('salesforce', 'ContentNote')
			.filter((note) =>
				Buffer.from(String(note.fields.Content), 'base64').toString('utf8').includes(`(${id})`),
			).length,
		tasks: sandbox.store
			.list('salesforce', 'Task')
			.filter((task) => String(task.fields.Subject).includes(`(${id})`)).length,
	}),
	dynamics: (id) => ({
		notes: sandbox.store
			.list('dynamics', 'annotation')
			.filter((note) => String(note.fields.notetext).includes(`(${id})`)).length,
		tasks: sandbox.store
			.list('dynamics', 'task')
			.filter((task) => String(task.fields.subject).includes(`(${id})`)).length,
	}),
};

test.each([
	['hubspot', 'call-processed'],
	['salesforce', 'call-processed-sf'],
	['dynamics', 'call-processed-dyn'],
] as const)(
	'%s: 10 concurrent deliveries of one call, 5 times over: what one delivery writes, never more',
	async (crm, path) => {
		// One delivery alone sets the expectation (Dynamics writes one note per routed record).
		expect((await post(path, call(`conc-${crm}-alone`))).status).toBe(200);
		const once = written[crm](`conc-${crm}-alone`);
		expect(once.notes).toBeGreaterThanOrEqual(1);
		expect(once.tasks).toBe(2);
		for (let trial = 0; trial < 5; trial++) {
			const id = `conc-${crm}-${trial}`;
			const answers = await Promise.all(Array.from({ length: 10 }, () => post(path, call(id))));
			expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));
			expect(written[crm](id)).toEqual(once);
		}
	},
	LONG_TEST_MS,
);

test(
	'200 distinct calls at concurrency 10, then all 200 replayed at concurrency 10: 200 notes and 400 tasks, no copies (Salesforce)',
	async () => {
		const ids = Array.from({ length: 200 }, (_, i) => `bulk-${i}`);
		const first = await pool(
			ids.map((id) => () => post('call-processed-sf', call(id))),
			10,
		);
		const afterFirst = ids.map((id) => written.salesforce(id));
		const replay = await pool(
			ids.map((id) => () => post('call-processed-sf', call(id))),
			10,
		);
		expect(
			[...first, ...replay].filter((answer) => answer.status !== 200).map((answer) => answer.json),
		).toEqual([]);
		const counts = ids.map((id) => written.salesforce(id));
		expect(afterFirst.filter((count) => count.notes !== 1 || count.tasks !== 2)).toEqual([]);
		expect(counts).toEqual(afterFirst);
		process.stdout.write(
			`200 calls × concurrency 10 + replay: ${counts.length} calls, 0 duplicates, 0 lost\n`,
		);
	},
	LONG_TEST_MS,
);

test(
	'HubSpot stored the note but every answer is lost, with its search index 10 s behind: the call is answered 200 and holds one note',
	async () => {
		sandbox.admin.configure('hubspot', { searchIndexDelayMs: 10_000 });
		try {
			for (let i = 0; i < 5; i++) {
				const id = `lost-${i}`;
				sandbox.admin.addFault({
					vendor: 'hubspot',
					pathPattern: 'notes/batch/create',
					method: 'POST',
					kind: 'dropAnswer',
					count: 1,
				});
				sandbox.admin.addFault({
					vendor: 'hubspot',
					pathPattern: 'tasks/batch/create',
					method: 'POST',
					kind: 'dropAnswer',
					status: 500,
					count: 1,
				});
				const answer = await post('call-processed', call(id));
				expect(answer.status).toBe(200);
				expect((await post('call-processed', call(id))).status).toBe(200);
				expect(written.hubspot(id)).toEqual({ notes: 1, tasks: 2 });
			}
		} finally {
			sandbox.admin.configure('hubspot', { searchIndexDelayMs: 0 });
		}
	},
	LONG_TEST_MS,
);

test(
	'HubSpot stores the note after the client gave up: 502 "uncertain", nothing re-sent; the caller\'s retry gets 200 and one note',
	async () => {
		const id = 'late-1';
		sandbox.admin.addFault({
			vendor: 'hubspot',
			pathPattern: 'notes/batch/create',
			method: 'POST',
			kind: 'slow',
			delayMs: 5_000,
			count: 1,
		});
		const answer = await post('call-processed-short-timeout', call(id));
		expect(answer.status).toBe(502);
		expect(JSON.stringify(answer.json)).toMatch(/uncertain/i);
		// The held request lands meanwhile.
		await new Promise((resolve) => setTimeout(resolve, 5_000));
		expect(written.hubspot(id).notes).toBe(1);
		const retry = await post('call-processed-short-timeout', call(id));
		expect(retry.status).toBe(200);
		expect(written.hubspot(id)).toEqual({ notes: 1, tasks: 2 });
	},
	LONG_TEST_MS,
);

/** Resolves once the sandbox has taken the armed fault, i.e. the request arrived and is being held. */
async function heldBySandbox(pathPattern: string): Promise<void> {
	const deadline = Date.now() + 60_000;
	while (sandbox.admin.pendingFaults().some((fault) => fault.pathPattern === pathPattern)) {
		if (Date.now() > deadline) throw new Error(`no request to ${pathPattern} reached the sandbox`);
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
}

/** SIGKILL to n8n and its task runner, then a fresh n8n on the same folder, port and database. */
async function crashAndRestart(): Promise<void> {
	process.kill(-n8n.pid, 'SIGKILL');
	await n8n.exited;
	n8n = await startN8n({
		runtime: stack.runtime,
		userFolder: stack.userFolder,
		port: n8n.port,
		brokerPort: await freePort(),
		packDir: REPO_ROOT,
	});
	await waitForWebhook(`${base}/webhook/call-processed`, 'POST');
}

test(
	'n8n is killed while HubSpot is storing the note, then restarted: the redelivered call leaves one note and one task each',
	async () => {
		const id = 'crash-during-write';
		sandbox.admin.addFault({
			vendor: 'hubspot',
			pathPattern: 'notes/batch/create',
			method: 'POST',
			kind: 'slow',
			delayMs: 4_000,
			count: 1,
		});
		const inFlight = post('call-processed', call(id)).catch((error: unknown) => error);
		// The note create reached HubSpot and is being stored: kill n8n mid-write.
		await heldBySandbox('notes/batch/create');
		await crashAndRestart();
		await inFlight;
		await new Promise((resolve) => setTimeout(resolve, 4_500));
		const redelivered = await post('call-processed', call(id));
		expect(redelivered.status).toBe(200);
		expect(written.hubspot(id)).toEqual({ notes: 1, tasks: 2 });
	},
	LONG_TEST_MS,
);

test(
	'n8n is killed before the write reached the CRM, then restarted: the redelivered call writes everything, once',
	async () => {
		const id = 'crash-before-write';
		sandbox.admin.addFault({
			vendor: 'hubspot',
			pathPattern: 'contacts/search',
			method: 'POST',
			kind: 'slow',
			delayMs: 10_000,
			count: 1,
		});
		const inFlight = post('call-processed', call(id)).catch((error: unknown) => error);
		await heldBySandbox('contacts/search');
		await crashAndRestart();
		await inFlight;
		expect(written.hubspot(id)).toEqual({ notes: 0, tasks: 0 });
		const redelivered = await post('call-processed', call(id));
		expect(redelivered.status).toBe(200);
		expect(written.hubspot(id)).toEqual({ notes: 1, tasks: 2 });
		expect((await post('call-processed', call(id))).status).toBe(200);
		expect(written.hubspot(id)).toEqual({ notes: 1, tasks: 2 });
	},
	LONG_TEST_MS,
);
