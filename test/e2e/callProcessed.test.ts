/**
 * The call-processed templates in a real n8n with the built pack and the CRM sandbox:
 * webhook → CRM Link → CRM Note Router / Meeting Writer → Action Items → Tasks → response;
 * the meetings variant's error paths: a CRM that fails the meeting write and a bad payload
 * are answered clearly and leave a row in the CRM sync logs Data Table; its CRM switched off
 * in Settings is answered "skipped" without a CRM request; the call-processed template
 * switched to the Note Router's "Create Action Item Tasks" as its README describes.
 */
import type { SandboxHandle } from '../sandbox/server';
import {
	editWorkflow,
	postJson,
	secretHeader,
	setAssignments,
	startE2eStack,
	STACK_START_TIMEOUT_MS,
	type E2eStack,
	waitForSyncLogRow,
} from './harness';

let stack: E2eStack;
let sandbox: SandboxHandle;
let base: string;

beforeAll(async () => {
	stack = await startE2eStack();
	sandbox = stack.sandbox!;
	base = stack.n8n.publicUrl.replace(/\/+$/, '');
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

afterEach(() => sandbox.admin.clearFaults());

const call = (id: string, participants?: object[]) => ({
	id,
	startedAt: '2026-11-20T14:00:00Z',
	endedAt: '2026-11-20T14:25:00Z',
	direction: 'outbound',
	participants: participants ?? [
		{ name: 'Sam Seller', email: 'sam@ours.example', internal: true },
		{ name: 'Alice Nguyen', phone: '+1 415 555 0101' },
		{ name: 'Bob Ramirez', email: 'bob.ramirez@acme.example' },
	],
	summary: 'Fleet expansion: scope agreed, pricing next.',
	actionItems: [{ text: `Send proposal (${id})` }, { text: `Book demo (${id})` }],
	dealInsights: [{ label: 'Budget', value: 'approved' }],
});

const tasksFor = (id: string) =>
	sandbox.store
		.list('hubspot', 'tasks')
		.filter((t) => String(t.fields.hs_task_subject).includes(`(${id})`));

type SyncResponse = { matched: boolean; syncLog: Array<{ operation: string; status: string }> };

test('a processed call becomes one note on the winning deal(s) and one task per action item', async () => {
	const before = sandbox.store.list('hubspot', 'notes').length;
	const { status, json } = await postJson(
		`${base}/webhook/call-processed`,
		call('e2e-1'),
		secretHeader(stack),
	);
	expect(status).toBe(200);
	const body = json as SyncResponse;
	expect(body.matched).toBe(true);
	expect(body.syncLog.map((l) => `${l.operation}:${l.status}`)).toEqual(
		expect.arrayContaining(['link:success', 'add-note:success', 'create-task:success']),
	);
	expect(sandbox.store.list('hubspot', 'notes').length).toBe(before + 1);
	expect(tasksFor('e2e-1')).toHaveLength(2);
});

test('the same webhook delivered three times leaves one note per target and one task per action item', async () => {
	const notesBefore = sandbox.store.list('hubspot', 'notes').length;
	for (let i = 0; i < 3; i++)
		expect(
			(await postJson(`${base}/webhook/call-processed`, call('e2e-2'), secretHeader(stack))).status,
		).toBe(200);
	expect(sandbox.store.list('hubspot', 'notes').length).toBe(notesBefore + 1);
	expect(tasksFor('e2e-2')).toHaveLength(2);
});

test('a call with no match takes the no-match path and writes nothing', async () => {
	const notesBefore = sandbox.store.list('hubspot', 'notes').length;
	const { status, json } = await postJson(
		`${base}/webhook/call-processed`,
		call('e2e-3', [{ name: 'Stranger', phone: '+1 202 555 0143', email: 'someone@gmail.com' }]),
		secretHeader(stack),
	);
	expect(status).toBe(200);
	expect((json as SyncResponse).matched).toBe(false);
	expect(sandbox.store.list('hubspot', 'notes').length).toBe(notesBefore);
	expect(tasksFor('e2e-3')).toHaveLength(0);
});

test('a 429 burst and one 500 during the run still end with every item written once', async () => {
	sandbox.admin.addFault({
		vendor: 'hubspot',
		pathPattern: '/search',
		kind: 'status',
		status: 429,
		retryAfterSeconds: 1,
		count: 2,
	});
	sandbox.admin.addFault({
		vendor: 'hubspot',
		pathPattern: 'objects/notes/batch/create',
		kind: 'status',
		status: 500,
		count: 1,
	});
	const notesBefore = sandbox.store.list('hubspot', 'notes').length;
	const { status, json } = await postJson(
		`${base}/webhook/call-processed`,
		call('e2e-4'),
		secretHeader(stack),
	);
	expect(status).toBe(200);
	expect((json as SyncResponse).syncLog.filter((l) => l.status === 'failed')).toEqual([]);
	expect(sandbox.store.list('hubspot', 'notes').length).toBe(notesBefore + 1);
	expect(tasksFor('e2e-4')).toHaveLength(2);
	expect(sandbox.admin.pendingFaults()).toEqual([]);
});

test('the meetings template writes one meeting per call; a replay writes no second meeting', async () => {
	const meetingsBefore = sandbox.store.list('hubspot', 'meetings').length;
	expect(
		(await postJson(`${base}/webhook/call-processed-meeting`, call('e2e-5'), secretHeader(stack)))
			.status,
	).toBe(200);
	expect(
		(await postJson(`${base}/webhook/call-processed-meeting`, call('e2e-5'), secretHeader(stack)))
			.status,
	).toBe(200);
	expect(sandbox.store.list('hubspot', 'meetings').length).toBe(meetingsBefore + 1);
	expect(tasksFor('e2e-5')).toHaveLength(2);
});

type Failure = {
	conversation: string | null;
	status: string;
	error: { kind: string; item: number; field: string | null; crm: string | null; reason: string };
};
/** A call at its own time: the meetings template updates a meeting of the same contact within ±15 min instead of creating one. */
const laterCall = (id: string, day: number) => ({
	...call(id),
	startedAt: `2026-12-${String(day).padStart(2, '0')}T10:00:00Z`,
	endedAt: `2026-12-${String(day).padStart(2, '0')}T10:20:00Z`,
});

const failedLogRow = (client: string) => waitForSyncLogRow(stack, client, 'failed');

test('meetings: HubSpot failing every meeting create is answered 503 + Retry-After (or 502) naming HubSpot, logged, no meeting and no task written', async () => {
	const meetingsBefore = sandbox.store.list('hubspot', 'meetings').length;
	sandbox.admin.addFault({
		vendor: 'hubspot',
		pathPattern: 'objects/meetings/batch/create',
		kind: 'status',
		status: 503,
		count: 50,
	});
	const down = await postJson(
		`${base}/webhook/call-processed-meeting`,
		laterCall('e2e-meet-down', 1),
		secretHeader(stack),
	);
	sandbox.admin.clearFaults();
	expect(down.status).toBe(503);
	expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
	const body = down.json as Failure;
	expect(body).toMatchObject({
		conversation: 'e2e-meet-down',
		status: 'failed',
		error: { kind: 'crm-unavailable', crm: 'hubspot', item: 0 },
	});
	expect(body.error.reason).toContain('HubSpot');
	expect(await failedLogRow('e2e-meet-down')).toMatchObject({
		crm: 'hubspot',
		type: 'add-meeting',
		workflow: 'Call processed → CRM meeting and tasks',
	});
	expect(sandbox.store.list('hubspot', 'meetings').length).toBe(meetingsBefore);
	expect(tasksFor('e2e-meet-down')).toHaveLength(0);

	// The caller retries once HubSpot is back: one meeting and the tasks, written once.
	expect(
		(
			await postJson(
				`${base}/webhook/call-processed-meeting`,
				laterCall('e2e-meet-down', 1),
				secretHeader(stack),
			)
		).status,
	).toBe(200);
	expect(sandbox.store.list('hubspot', 'meetings').length).toBe(meetingsBefore + 1);
	expect(tasksFor('e2e-meet-down')).toHaveLength(2);
});

test('meetings: a meeting create that keeps failing with 500 is answered 502/503 naming HubSpot and logged', async () => {
	const meetingsBefore = sandbox.store.list('hubspot', 'meetings').length;
	sandbox.admin.addFault({
		vendor: 'hubspot',
		pathPattern: 'objects/meetings/batch/create',
		kind: 'status',
		status: 500,
		count: 50,
	});
	const failed = await postJson(
		`${base}/webhook/call-processed-meeting`,
		laterCall('e2e-meet-500', 2),
		secretHeader(stack),
	);
	sandbox.admin.clearFaults();
	expect([502, 503]).toContain(failed.status);
	const body = failed.json as Failure;
	expect(body).toMatchObject({ status: 'failed', error: { crm: 'hubspot', item: 0 } });
	expect(body.error.kind).toEqual(
		failed.status === 503 ? 'crm-unavailable' : expect.stringMatching(/^(crm-rejected|uncertain)$/),
	);
	expect(await failedLogRow('e2e-meet-500')).toMatchObject({ crm: 'hubspot', type: 'add-meeting' });
	expect(sandbox.store.list('hubspot', 'meetings').length).toBe(meetingsBefore);
});

test('meetings: a bad payload is answered 400 naming the item and the field, logged, and nothing is written', async () => {
	const meetingsBefore = sandbox.store.list('hubspot', 'meetings').length;
	const withoutStart: Record<string, unknown> = call('e2e-meet-bad-1');
	delete withoutStart.startedAt;
	const missing = await postJson(
		`${base}/webhook/call-processed-meeting`,
		withoutStart,
		secretHeader(stack),
	);
	expect(missing.status).toBe(400);
	expect(missing.json).toMatchObject({
		conversation: 'e2e-meet-bad-1',
		status: 'failed',
		error: { kind: 'invalid-input', item: 0, field: 'startedAt' },
	});
	expect((missing.json as Failure).error.reason).toMatch(/^Item 0: field "startedAt" is invalid/);
	expect(await failedLogRow('e2e-meet-bad-1')).toMatchObject({
		type: 'CRM Link',
		error: expect.stringContaining('startedAt'),
	});

	const notAList = await postJson(
		`${base}/webhook/call-processed-meeting`,
		{ ...call('e2e-meet-bad-2'), participants: 'Alice' },
		secretHeader(stack),
	);
	expect(notAList.status).toBe(400);
	expect(notAList.json).toMatchObject({
		status: 'failed',
		error: { kind: 'invalid-input', item: 0, field: 'participants' },
	});
	expect(await failedLogRow('e2e-meet-bad-2')).toMatchObject({
		type: 'CRM Link',
		error: expect.stringContaining('participants'),
	});
	expect(sandbox.store.list('hubspot', 'meetings').length).toBe(meetingsBefore);
});

test('meetings: sync_to_hubspot off in Settings answers 200 skipped and logs it, with no HubSpot request; switched on again, the call is written', async () => {
	const workflow = stack.workflows.find(
		(candidate) => candidate.file === 'call-processed-to-crm-meetings.json',
	)!;
	const meetingsBefore = sandbox.store.list('hubspot', 'meetings').length;
	await editWorkflow(stack, workflow.id, (saved) =>
		setAssignments(saved, 'Settings', { sync_to_hubspot: false }),
	);
	try {
		const requestsBefore = sandbox.admin.requests('hubspot').length;
		const off = await postJson(
			`${base}/webhook/call-processed-meeting`,
			laterCall('e2e-meet-off', 3),
			secretHeader(stack),
		);
		expect(off.status).toBe(200);
		expect(off.json).toMatchObject({
			conversation: 'e2e-meet-off',
			status: 'skipped',
			reason: 'sync_to_hubspot is off in Settings: nothing was written',
		});
		const skipped = await waitForSyncLogRow(stack, 'e2e-meet-off', 'skipped');
		expect(skipped).toMatchObject({
			crm: 'hubspot',
			type: 'add-meeting',
			workflow: 'Call processed → CRM meeting and tasks',
		});
		expect(sandbox.admin.requests('hubspot').length).toBe(requestsBefore);
		expect(tasksFor('e2e-meet-off')).toHaveLength(0);
	} finally {
		await editWorkflow(stack, workflow.id, (saved) =>
			setAssignments(saved, 'Settings', { sync_to_hubspot: true }),
		);
	}
	const on = await postJson(
		`${base}/webhook/call-processed-meeting`,
		laterCall('e2e-meet-off', 3),
		secretHeader(stack),
	);
	expect(on.status).toBe(200);
	expect(sandbox.store.list('hubspot', 'meetings').length).toBe(meetingsBefore + 1);
	expect(tasksFor('e2e-meet-off')).toHaveLength(2);
});

type EditedWorkflow = Parameters<Parameters<typeof editWorkflow>[2]>[0];

/** The templates README's switch: tasks from the Note Router, the Tasks node removed and its outputs rewired. */
function noteRouterWritesTasks(saved: EditedWorkflow): void {
	const tasks = saved.nodes.find((node) => node.name === 'CRM Action Items → Tasks')!;
	const router = saved.nodes.find((node) => node.name === 'CRM Note Router')!;
	const { targetObjectTypes, routing, priority, ownerSource, dueBusinessDays, timezone } =
		tasks.parameters;
	router.parameters = {
		...router.parameters,
		createActionItemTasks: true,
		taskTargetObjectTypes: targetObjectTypes,
		taskRouting: routing,
		taskTargetPriority: priority,
		ownerSource,
		dueBusinessDays,
		timezone,
		taskPriority: tasks.parameters.taskPriority,
	};
	saved.nodes = saved.nodes.filter((node) => node !== tasks);
	const connections = saved.connections;
	connections['CRM Note Router'] = connections['CRM Action Items → Tasks'];
	delete connections['CRM Action Items → Tasks'];
}

test("switched to the Note Router's Create Action Item Tasks as the templates README says: the same answer, one note, one task per action item; a replay writes nothing", async () => {
	const workflow = stack.workflows.find(
		(candidate) => candidate.file === 'call-processed-to-crm.json',
	)!;
	let original: Pick<EditedWorkflow, 'nodes' | 'connections'> | undefined;
	await editWorkflow(stack, workflow.id, (saved) => {
		original = structuredClone({ nodes: saved.nodes, connections: saved.connections });
		noteRouterWritesTasks(saved);
	});
	try {
		const notesBefore = sandbox.store.list('hubspot', 'notes').length;
		const requestsBefore = sandbox.admin.requests('hubspot').length;
		const { status, json } = await postJson(
			`${base}/webhook/call-processed`,
			call('e2e-combined'),
			secretHeader(stack),
		);
		expect(status).toBe(200);
		const body = json as SyncResponse & { tasks: Array<{ status: string }> };
		expect(body.syncLog.map((l) => `${l.operation}:${l.status}`)).toEqual(
			expect.arrayContaining(['link:success', 'add-note:success', 'create-task:success']),
		);
		expect(body.tasks.map((task) => task.status)).toEqual(['success', 'success']);
		expect(sandbox.store.list('hubspot', 'notes').length).toBe(notesBefore + 1);
		expect(tasksFor('e2e-combined')).toHaveLength(2);
		const creates = sandbox.admin
			.requests('hubspot')
			.slice(requestsBefore)
			.filter((request) => request.path.endsWith('/batch/create'));
		expect(creates).toHaveLength(2);

		const replayFrom = sandbox.admin.requests('hubspot').length;
		const replay = await postJson(
			`${base}/webhook/call-processed`,
			call('e2e-combined'),
			secretHeader(stack),
		);
		expect(replay.status).toBe(200);
		expect(
			sandbox.admin
				.requests('hubspot')
				.slice(replayFrom)
				.filter((request) => request.path.endsWith('/batch/create')),
		).toEqual([]);
		expect(sandbox.store.list('hubspot', 'notes').length).toBe(notesBefore + 1);
		expect(tasksFor('e2e-combined')).toHaveLength(2);
	} finally {
		await editWorkflow(stack, workflow.id, (saved) => {
			saved.nodes = original!.nodes;
			saved.connections = original!.connections;
		});
	}
});
