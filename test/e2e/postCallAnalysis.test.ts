/**
 * post-call-analysis-to-crm.json in a real n8n with the sandbox (standard HubSpot properties
 * only): analysis fields go into the contact per their update modes and the call is logged
 * once, even when delivered twice; a CRM that fails the contact update or the call log and a
 * bad payload are answered clearly and leave a row in the CRM sync logs Data Table; its CRM
 * switched off in Settings (`sync_to_hubspot`) is answered "skipped" without a CRM request.
 */
import type { SandboxHandle } from '../sandbox/server';
import { HUBSPOT_SEED_IDS } from '../sandbox/vendors/hubspot/seed';
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

const analysed = {
	id: 'analysed-1',
	startedAt: '2026-11-20T09:00:00Z',
	endedAt: '2026-11-20T09:04:10Z',
	direction: 'inbound',
	participants: [{ name: 'Alice', phone: '(415) 555-0101' }],
	summary: 'Asked for the enterprise plan.',
	analysis: {
		summary: 'Wants the enterprise plan',
		leadStatus: 'IN_PROGRESS',
		jobTitle: 'Someone Else',
		budget: 25000,
		decisionMaker: true,
	},
};

test('updates only the mapped fields per their modes and logs the call once over two deliveries', async () => {
	const alice = HUBSPOT_SEED_IDS.contacts.alice;
	const jobBefore = sandbox.store.get('hubspot', 'contacts', alice)!.fields.jobtitle;
	const callsBefore = sandbox.store.list('hubspot', 'calls').length;

	const first = await postJson(`${base}/webhook/call-analysed`, analysed, secretHeader(stack));
	expect(first.status).toBe(200);
	const second = await postJson(`${base}/webhook/call-analysed`, analysed, secretHeader(stack));
	expect(second.status).toBe(200);

	const fields = sandbox.store.get('hubspot', 'contacts', alice)!.fields;
	expect(fields.hs_lead_status).toBe('IN_PROGRESS');
	expect(fields.jobtitle).toBe(jobBefore); // fill if empty: Alice already has a job title
	// merge: the decision-maker role is added to Alice's buying roles once, not once per delivery
	expect(
		String(fields.hs_buying_role)
			.split(';')
			.filter((role) => role === 'DECISION_MAKER'),
	).toHaveLength(1);
	expect(sandbox.store.list('hubspot', 'calls').length).toBe(callsBefore + 1);

	const changes = (second.json as { fieldChanges: Array<{ field: string; applied: boolean }> })
		.fieldChanges;
	expect(changes.filter((change) => change.applied)).toEqual([]);
	// Which fields changed and how, never the contact's values (unless "respond_with_record_details" is on).
	expect(changes.every((change) => !('before' in change) && !('after' in change))).toBe(true);
	expect(JSON.stringify(first.json)).not.toContain(String(jobBefore));
});

test('an unknown caller takes the no-match path', async () => {
	const { status, json } = await postJson(
		`${base}/webhook/call-analysed`,
		{ ...analysed, id: 'analysed-2', participants: [{ phone: '+1 202 555 0111' }] },
		secretHeader(stack),
	);
	expect(status).toBe(200);
	expect((json as { matched: boolean }).matched).toBe(false);
});

type Failure = {
	call: string | null;
	status: string;
	error: { kind: string; item: number; field: string | null; crm: string | null; reason: string };
};
const failedLogRow = (client: string) => waitForSyncLogRow(stack, client, 'failed');

test('HubSpot failing the contact update is answered 503 + Retry-After naming HubSpot, logged, and nothing written; the retry writes once', async () => {
	const alice = HUBSPOT_SEED_IDS.contacts.alice;
	const before = sandbox.store.get('hubspot', 'contacts', alice)!.fields.hs_lead_status;
	const callsBefore = sandbox.store.list('hubspot', 'calls').length;
	const call = {
		...analysed,
		id: 'analysed-down',
		analysis: { ...analysed.analysis, leadStatus: 'unqualified' },
	};
	sandbox.admin.addFault({
		vendor: 'hubspot',
		pathPattern: 'objects/contacts/batch/update',
		kind: 'status',
		status: 503,
		count: 50,
	});
	const down = await postJson(`${base}/webhook/call-analysed`, call, secretHeader(stack));
	sandbox.admin.clearFaults();
	expect(down.status).toBe(503);
	expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
	const body = down.json as Failure;
	expect(body).toMatchObject({
		call: 'analysed-down',
		status: 'failed',
		error: { kind: 'crm-unavailable', crm: 'hubspot', item: 0 },
	});
	expect(body.error.reason).toContain('HubSpot');
	expect(await failedLogRow('analysed-down')).toMatchObject({
		crm: 'hubspot',
		type: 'update-contact',
		record: alice,
		workflow: 'Post-call analysis → CRM fields and call log',
	});
	expect(sandbox.store.get('hubspot', 'contacts', alice)!.fields.hs_lead_status).toBe(before);
	expect(sandbox.store.list('hubspot', 'calls').length).toBe(callsBefore);

	// Once HubSpot is back the caller's retry updates the contact and logs the call, once.
	const again = await postJson(`${base}/webhook/call-analysed`, call, secretHeader(stack));
	expect(again.status).toBe(200);
	expect(sandbox.store.get('hubspot', 'contacts', alice)!.fields.hs_lead_status).not.toBe(before);
	expect(sandbox.store.list('hubspot', 'calls').length).toBe(callsBefore + 1);
});

test('HubSpot failing the call log with 500 is answered 502/503 naming HubSpot and logged, with no call written', async () => {
	const callsBefore = sandbox.store.list('hubspot', 'calls').length;
	sandbox.admin.addFault({
		vendor: 'hubspot',
		pathPattern: 'objects/calls/batch/create',
		kind: 'status',
		status: 500,
		count: 50,
	});
	const failed = await postJson(
		`${base}/webhook/call-analysed`,
		{ ...analysed, id: 'analysed-500' },
		secretHeader(stack),
	);
	sandbox.admin.clearFaults();
	expect([502, 503]).toContain(failed.status);
	const body = failed.json as Failure;
	expect(body).toMatchObject({
		call: 'analysed-500',
		status: 'failed',
		error: { crm: 'hubspot', item: 0 },
	});
	expect(body.error.kind).toEqual(
		failed.status === 503 ? 'crm-unavailable' : expect.stringMatching(/^(crm-rejected|uncertain)$/),
	);
	expect(await failedLogRow('analysed-500')).toMatchObject({ crm: 'hubspot', type: 'log-call' });
	expect(sandbox.store.list('hubspot', 'calls').length).toBe(callsBefore);
});

test('a bad payload is answered 400 naming the item and the field, and logged', async () => {
	const { startedAt: _startedAt, ...withoutStart } = { ...analysed, id: 'analysed-bad-1' };
	const missing = await postJson(
		`${base}/webhook/call-analysed`,
		withoutStart,
		secretHeader(stack),
	);
	expect(missing.status).toBe(400);
	expect(missing.json).toMatchObject({
		call: 'analysed-bad-1',
		status: 'failed',
		error: { kind: 'invalid-input', item: 0, field: 'startedAt' },
	});
	expect((missing.json as Failure).error.reason).toMatch(/^Item 0: field "startedAt" is invalid/);
	expect(await failedLogRow('analysed-bad-1')).toMatchObject({
		type: 'CRM Link',
		error: expect.stringContaining('startedAt'),
	});

	const notAList = await postJson(
		`${base}/webhook/call-analysed`,
		{ ...analysed, id: 'analysed-bad-2', participants: '+1 415 555 0101' },
		secretHeader(stack),
	);
	expect(notAList.status).toBe(400);
	expect(notAList.json).toMatchObject({
		status: 'failed',
		error: { kind: 'invalid-input', item: 0, field: 'participants' },
	});
	expect(await failedLogRow('analysed-bad-2')).toMatchObject({
		type: 'CRM Link',
		error: expect.stringContaining('participants'),
	});

	// Not one call: a JSON list instead of an object.
	const list = await postJson(`${base}/webhook/call-analysed`, [analysed], secretHeader(stack));
	expect(list.status).toBe(400);
	expect(list.json).toMatchObject({
		status: 'failed',
		error: { kind: 'invalid-input', reason: expect.stringContaining('not one analysed call') },
	});
});

test("sync_to_hubspot off in Settings: the call is answered 200 skipped, logged as skipped, and HubSpot gets no request; another CRM's switch does not stop HubSpot", async () => {
	const workflow = stack.workflows.find(
		(candidate) => candidate.file === 'post-call-analysis-to-crm.json',
	)!;
	const alice = HUBSPOT_SEED_IDS.contacts.alice;
	const call = {
		...analysed,
		id: 'analysed-off',
		analysis: { ...analysed.analysis, leadStatus: 'OPEN_DEAL' },
	};
	const before = sandbox.store.get('hubspot', 'contacts', alice)!.fields.hs_lead_status;
	const callsBefore = sandbox.store.list('hubspot', 'calls').length;
	await editWorkflow(stack, workflow.id, (saved) =>
		setAssignments(saved, 'Settings', { sync_to_hubspot: false }),
	);
	try {
		const hubspotRequests = sandbox.admin.requests('hubspot').length;
		const off = await postJson(`${base}/webhook/call-analysed`, call, secretHeader(stack));
		expect(off.status).toBe(200);
		expect(off.json).toMatchObject({
			call: 'analysed-off',
			status: 'skipped',
			reason: 'sync_to_hubspot is off in Settings: nothing was written',
		});
		const skipped = await waitForSyncLogRow(stack, 'analysed-off', 'skipped');
		expect(skipped).toMatchObject({
			crm: 'hubspot',
			type: 'update-contact',
			error: 'sync_to_hubspot is off in Settings: nothing was written',
		});
		expect(sandbox.admin.requests('hubspot').length).toBe(hubspotRequests);
		expect(sandbox.store.get('hubspot', 'contacts', alice)!.fields.hs_lead_status).toBe(before);
		expect(sandbox.store.list('hubspot', 'calls').length).toBe(callsBefore);

		// Only the switch of the CRM the nodes are set to counts.
		await editWorkflow(stack, workflow.id, (saved) =>
			setAssignments(saved, 'Settings', { sync_to_hubspot: true, sync_to_salesforce: false }),
		);
		const on = await postJson(`${base}/webhook/call-analysed`, call, secretHeader(stack));
		expect(on.status).toBe(200);
		expect(on.json).toMatchObject({ call: 'analysed-off', matched: true });
		expect(sandbox.store.get('hubspot', 'contacts', alice)!.fields.hs_lead_status).toBe(
			'OPEN_DEAL',
		);
		expect(sandbox.store.list('hubspot', 'calls').length).toBe(callsBefore + 1);
	} finally {
		await editWorkflow(stack, workflow.id, (saved) =>
			setAssignments(saved, 'Settings', { sync_to_hubspot: true, sync_to_salesforce: true }),
		);
	}
});
