/**
 * qualified-lead-sync.json as a user imports it — a fresh n8n with only credentials, no
 * hand-made table or property — against a CRM sandbox with only the vendors' standard fields
 * and a customised Salesforce Lead Status picklist:
 * - a qualified conversation becomes one lead/contact (with the org's own Lead Status) and one
 *   note per CRM, the client's row in "Platform contacts", a queued review and sync-log rows;
 * - an unqualified one with sync_qualified_only on writes nothing to any CRM;
 * - the AI review runs from the review queue: skipped (status kept, logged) with the shipped
 *   disabled model, and with a chat model connected (a scripted test model in real n8n) it
 *   upgrades a lead the rules missed, which is then created in every CRM;
 * - sync_qualified_only off syncs pending and unqualified clients too;
 * - a CRM switched off in Settings gets nothing; a CRM that rejects the lead is logged as failed.
 */
import { randomUUID } from 'node:crypto';

import {
	dataTableColumns,
	dataTableRows,
	PLATFORM_CONTACTS_TABLE,
	REVIEW_QUEUE_TABLE,
	SYNC_LOGS_TABLE,
	waitForDataTable,
} from '../../scripts/runtime/dataTables';
import { waitFor } from '../../scripts/runtime/waitFor';
import type { SandboxHandle, VendorName } from '../sandbox/server';
import {
	editWorkflow,
	postJson,
	secretHeader,
	setAssignments,
	settleExecutions,
	startE2eStack,
	STACK_START_TIMEOUT_MS,
	TEST_MODEL_TYPE,
	type E2eStack,
	NOTE_RECORD_TYPES,
	PERSON_RECORD_TYPES,
	type SyncLogRow,
} from './harness';

const CRMS: VendorName[] = ['hubspot', 'salesforce', 'dynamics', 'autochat'];

interface QueueRow {
	id: number;
	conversationId: string;
	state: string;
	result: string | null;
	conversation: string | null;
	reviewAt: string;
}
interface SyncResponse {
	synced: boolean;
	status: string;
	records?: Array<{ crm: string; id: string | null; created: boolean; error: string | null }>;
}

let stack: E2eStack;
let sandbox: SandboxHandle;
let url: string;
let reviewNowUrl: string;
let workflowId: string;
let tables: Record<string, string>;

beforeAll(async () => {
	stack = await startE2eStack({ testModel: true });
	sandbox = stack.sandbox!;
	const base = stack.n8n.publicUrl.replace(/\/+$/, '');
	url = `${base}/webhook/qualified-lead`;
	reviewNowUrl = `${base}/webhook/qualified-lead-review-now`;
	workflowId = stack.workflows.find((w) => w.file === 'qualified-lead-sync.json')!.id;
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

afterEach(() => sandbox.admin.clearFaults());

function conversation(
	kind: 'qualified' | 'unqualified' | 'pending',
	phone: string,
	email?: string,
) {
	const token = randomUUID().slice(0, 8);
	const clientId = `client-${token}`;
	const mail = email ?? `lead-${token}@fleetco.example`;
	const messages =
		kind === 'qualified'
			? [
					'Hi, we run 40 vans.',
					'What is your pricing for fleets?',
					'Can we book a demo next week?',
					'Sure, call me.',
				]
			: kind === 'unqualified'
				? ['hello', 'bye']
				: ['hello'];
	return {
		token,
		clientId,
		email: mail,
		body: {
			id: `conv-${token}`,
			startedAt: '2026-11-21T09:00:00Z',
			endedAt: '2026-11-21T09:12:00Z',
			direction: 'inbound',
			participants: [{ name: 'Dana Fleet', phone, email: mail }],
			summary: `Fleet of 40 vans (${token}).`,
			messages: messages.map((text, i) => ({ role: i % 2 ? 'agent' : 'client', text })),
			ended: kind !== 'pending',
			client: { id: clientId, name: 'Dana Fleet', phone, email: mail, company: 'FleetCo' },
		},
	};
}

const post = async (body: unknown) => {
	const answer = await postJson(url, body, secretHeader(stack));
	// Platform contact, review queue and sync-log rows are written after the answer.
	await settleExecutions(stack, workflowId);
	return answer;
};

/** The lead records of one vendor holding `needle`. */
function leadsWith(vendor: VendorName, needle: string): Array<Record<string, unknown>> {
	return sandbox.store
		.list(vendor, PERSON_RECORD_TYPES[vendor])
		.map((record) => record.fields)
		.filter((fields) => JSON.stringify(fields).includes(needle));
}
const noteCounts = () =>
	Object.fromEntries(
		CRMS.map((vendor) => [vendor, sandbox.store.list(vendor, NOTE_RECORD_TYPES[vendor]).length]),
	);

async function table(name: string): Promise<string> {
	tables ??= {};
	tables[name] ??= await waitForDataTable(stack.api, name);
	return tables[name];
}
const logRows = async (clientId: string) =>
	dataTableRows<SyncLogRow>(stack.api, await table(SYNC_LOGS_TABLE.name), [
		{ columnName: 'client', condition: 'eq', value: clientId },
	]);
const queueRow = async (conversationId: string) =>
	(
		await dataTableRows<QueueRow>(stack.api, await table(REVIEW_QUEUE_TABLE.name), [
			{ columnName: 'conversationId', condition: 'eq', value: conversationId },
		])
	)[0];
const platformRow = async (clientId: string) =>
	(
		await dataTableRows<Record<string, unknown>>(
			stack.api,
			await table(PLATFORM_CONTACTS_TABLE.name),
			[{ columnName: 'clientId', condition: 'eq', value: clientId }],
		)
	)[0];

/** Time passes: the conversation's review is due now. Then "Review now" runs the drain, as the schedule would. */
async function reviewNow(conversationId: string): Promise<void> {
	const queue = await table(REVIEW_QUEUE_TABLE.name);
	await stack.api.request('PATCH', `/data-tables/${queue}/rows/update`, {
		filter: {
			type: 'and',
			filters: [{ columnName: 'conversationId', condition: 'eq', value: conversationId }],
		},
		data: { reviewAt: '2020-01-01T00:00:00.000Z' },
	});
	const { status } = await postJson(reviewNowUrl, {}, secretHeader(stack));
	expect(status).toBe(202);
	await waitFor(
		async () => ((await queueRow(conversationId))?.state !== 'waiting' ? true : undefined),
		{ timeoutMs: 30_000, intervalMs: 250, what: `the review of ${conversationId}` },
	);
	await settleExecutions(stack, workflowId);
}

test('imported into an empty n8n: its first run creates its Data Tables with the shared schema', async () => {
	const before = (await stack.api.list<{ name: string }>('/data-tables')).map((t) => t.name);
	expect(before).toEqual([]);
	const lead = conversation('qualified', '+1 312 555 0101');
	expect((await post(lead.body)).status).toBe(200);
	for (const spec of [SYNC_LOGS_TABLE, PLATFORM_CONTACTS_TABLE, REVIEW_QUEUE_TABLE]) {
		expect({
			table: spec.name,
			columns: await dataTableColumns(stack.api, await table(spec.name)),
		}).toEqual({
			table: spec.name,
			columns: spec.columns.map(({ name, type }) => ({ name, type })),
		});
	}
});

test("a qualified conversation: one lead/contact with the org's own Lead Status and one note per CRM, the client's row, a queued review, logged", async () => {
	const lead = conversation('qualified', '+1 312 555 0142');
	const notesBefore = noteCounts();
	const { status, json } = await post(lead.body);
	expect(status).toBe(200);
	const body = json as SyncResponse;
	expect(body).toMatchObject({ synced: true, status: 'qualified' });
	expect(body.records?.map((record) => [record.crm, record.created, record.error])).toEqual(
		CRMS.map((crm) => [crm, true, null]),
	);

	for (const vendor of CRMS)
		expect({ vendor, records: leadsWith(vendor, lead.email).length }).toEqual({
			vendor,
			records: 1,
		});
	expect(noteCounts()).toEqual(
		Object.fromEntries(CRMS.map((vendor) => [vendor, notesBefore[vendor] + 1])),
	);
	// The customised, restricted Salesforce picklist has no "Working - Contacted": the meaning "qualified" found its value.
	expect(leadsWith('salesforce', lead.email)[0].Status).toBe('Qualified');
	expect(leadsWith('hubspot', lead.email)[0].hs_lead_status).toBe('IN_PROGRESS');
	expect(leadsWith('autochat', lead.email)[0].status).toBe('qualified');

	expect(await platformRow(lead.clientId)).toMatchObject({
		status: 'qualified',
		conversationId: `conv-${lead.token}`,
		email: lead.email,
		source: 'conversation',
	});
	const queued = await queueRow(`conv-${lead.token}`);
	expect(queued).toMatchObject({ state: 'waiting' });
	const dueIn = Date.parse(queued.reviewAt) - Date.now();
	expect(dueIn).toBeGreaterThan(23 * 3600_000);
	expect(dueIn).toBeLessThan(25 * 3600_000);

	const rows = await logRows(lead.clientId);
	expect(rows.filter((row) => row.status !== 'success')).toEqual([]);
	for (const crm of CRMS) {
		const kinds = rows
			.filter((row) => row.crm === crm)
			.map((row) => row.type)
			.sort();
		expect({ crm, kinds }).toEqual({
			crm,
			kinds: ['add-note', crm === 'salesforce' ? 'create-lead' : 'create-contact', 'qualify'],
		});
		expect(rows.find((row) => row.crm === crm && row.type.startsWith('create-'))!.record).toBe(
			body.records!.find((record) => record.crm === crm)!.id,
		);
	}

	// Delivered again: the same records are found by phone, nothing is written twice.
	expect((await post(lead.body)).status).toBe(200);
	for (const vendor of CRMS)
		expect({ vendor, records: leadsWith(vendor, lead.email).length }).toEqual({
			vendor,
			records: 1,
		});
	expect(noteCounts()).toEqual(
		Object.fromEntries(CRMS.map((vendor) => [vendor, notesBefore[vendor] + 1])),
	);
});

test('an unqualified conversation with sync_qualified_only on writes nothing to any CRM, is logged "skipped" and queued for review', async () => {
	const cold = conversation('unqualified', '+1 312 555 0177');
	sandbox.admin.clearRequests();
	const { status, json } = await post(cold.body);
	expect(status).toBe(200);
	expect(json).toMatchObject({ synced: false, status: 'unqualified' });
	expect(sandbox.admin.requests()).toEqual([]);
	for (const vendor of CRMS) expect(leadsWith(vendor, cold.email)).toEqual([]);
	expect(
		(await logRows(cold.clientId)).map((row) => `${row.crm}:${row.type}:${row.status}`).sort(),
	).toEqual(CRMS.map((crm) => `${crm}:qualify:skipped`).sort());
	expect(await platformRow(cold.clientId)).toMatchObject({ status: 'unqualified' });
	expect(await queueRow(`conv-${cold.token}`)).toMatchObject({ state: 'waiting' });
});

test('the AI review as shipped (chat model disabled): skipped with the reason, the status stays provisional, nothing changes in the CRMs', async () => {
	const lead = conversation('qualified', '+1 312 555 0199');
	await post(lead.body);
	sandbox.admin.clearRequests();
	await reviewNow(`conv-${lead.token}`);

	expect(await queueRow(`conv-${lead.token}`)).toMatchObject({
		state: 'skipped',
		conversation: '',
	});
	const reviews = (await logRows(lead.clientId)).filter((row) => row.type === 'ai-review');
	expect(reviews.map((row) => `${row.crm}:${row.status}`).sort()).toEqual(
		CRMS.map((crm) => `${crm}:skipped`).sort(),
	);
	for (const row of reviews) expect(row.error).toContain('no chat model is connected');
	expect(await platformRow(lead.clientId)).toMatchObject({ status: 'qualified' });
	expect(sandbox.admin.requests()).toEqual([]);
});

test('with a chat model connected, the review upgrades an unqualified lead the rules missed: it is created in every CRM', async () => {
	const missed = conversation('unqualified', '+1 312 555 0163');
	await post(missed.body);
	for (const vendor of CRMS) expect(leadsWith(vendor, missed.email)).toEqual([]);

	// As a user does: the Chat model node is replaced by a connected, enabled model.
	await editWorkflow(stack, workflowId, (workflow) => {
		const model = workflow.nodes.find((node) => node.name === 'Chat model')!;
		Object.assign(model, { type: TEST_MODEL_TYPE, typeVersion: 1, disabled: false });
		model.parameters = {
			rules: JSON.stringify([
				{
					contains: missed.email,
					answer: {
						verdict: 'upgraded',
						status: 'qualified',
						reason: 'Asked for a fleet quote after all.',
					},
				},
			]),
		};
	});
	await reviewNow(`conv-${missed.token}`);

	expect(await queueRow(`conv-${missed.token}`)).toMatchObject({
		state: 'reviewed',
		result: 'qualified: Asked for a fleet quote after all.',
	});
	for (const vendor of CRMS)
		expect({ vendor, records: leadsWith(vendor, missed.email).length }).toEqual({
			vendor,
			records: 1,
		});
	expect(leadsWith('salesforce', missed.email)[0].Status).toBe('Qualified');
	expect(await platformRow(missed.clientId)).toMatchObject({ status: 'qualified' });
	const rows = await logRows(missed.clientId);
	expect(
		rows
			.filter((row) => row.type === 'ai-review')
			.map((row) => `${row.crm}:${row.status}`)
			.sort(),
	).toEqual(CRMS.map((crm) => `${crm}:success`).sort());
	expect(
		rows.filter((row) => row.type.startsWith('create-') && row.status === 'success'),
	).toHaveLength(CRMS.length);
});

test('sync_qualified_only off: pending and unqualified clients sync too, with the org values for their status', async () => {
	await editWorkflow(stack, workflowId, (workflow) =>
		setAssignments(workflow, 'Settings', { sync_qualified_only: false }),
	);
	try {
		const cold = conversation('unqualified', '+1 312 555 0131');
		const pending = conversation('pending', '+1 312 555 0132');
		expect((await post(cold.body)).json).toMatchObject({ synced: true, status: 'unqualified' });
		expect((await post(pending.body)).json).toMatchObject({ synced: true, status: 'pending' });
		for (const vendor of CRMS) {
			expect({
				vendor,
				cold: leadsWith(vendor, cold.email).length,
				pending: leadsWith(vendor, pending.email).length,
			}).toEqual({ vendor, cold: 1, pending: 1 });
		}
		expect(leadsWith('salesforce', cold.email)[0].Status).toBe('Unqualified');
		expect(leadsWith('salesforce', pending.email)[0].Status).toBe('New');
		expect(leadsWith('hubspot', cold.email)[0].hs_lead_status).toBe('UNQUALIFIED');
	} finally {
		await editWorkflow(stack, workflowId, (workflow) =>
			setAssignments(workflow, 'Settings', { sync_qualified_only: true }),
		);
	}
});

test('a CRM switched off in Settings gets nothing and logs nothing; the others still get the lead', async () => {
	await editWorkflow(stack, workflowId, (workflow) =>
		setAssignments(workflow, 'Settings', { sync_to_dynamics: false }),
	);
	try {
		const lead = conversation('qualified', '+1 312 555 0155');
		const { json } = await post(lead.body);
		expect((json as SyncResponse).records?.map((record) => record.crm)).toEqual([
			'hubspot',
			'salesforce',
			'autochat',
		]);
		expect(leadsWith('dynamics', lead.email)).toEqual([]);
		for (const vendor of ['hubspot', 'salesforce', 'autochat'] as VendorName[])
			expect(leadsWith(vendor, lead.email)).toHaveLength(1);
		const rows = await logRows(lead.clientId);
		expect(rows.filter((row) => row.crm === 'dynamics')).toEqual([]);
		expect(rows.filter((row) => row.crm === 'hubspot').length).toBeGreaterThan(0);
	} finally {
		await editWorkflow(stack, workflowId, (workflow) =>
			setAssignments(workflow, 'Settings', { sync_to_dynamics: true }),
		);
	}
});

test('a lead a CRM rejects is answered with its error and logged as failed; the other CRMs still get theirs', async () => {
	const broken = conversation('qualified', '+1 312 555 0188', 'dana at fleetco');
	const { status, json } = await post(broken.body);
	expect(status).toBe(200);
	const records = (json as SyncResponse).records ?? [];
	const failedCrms = records.filter((record) => record.error !== null).map((record) => record.crm);
	expect(failedCrms.length > 0 ? failedCrms : json).toContain('autochat'); // autoch.at refuses a malformed email (422)
	const failed = (await logRows(broken.clientId)).filter((row) => row.status === 'failed');
	expect(failed.map((row) => row.crm).sort()).toEqual([...failedCrms].sort());
	for (const row of failed) expect(row.error).toMatch(/email/i);
	expect(leadsWith('autochat', 'dana at fleetco')).toEqual([]);
});

test('notifications: none while notify_to is empty; a skipped row while the shipped e-mail node is disabled; once enabled, one e-mail when a client first qualifies and one when the AI review changes a status, each with the reason; a failed send is logged', async () => {
	const outbox = sandbox.mail!;
	outbox.clear();
	const silent = conversation('qualified', '+1 312 555 0121');
	await post(silent.body);
	expect(outbox.messages()).toEqual([]);

	// As shipped, the e-mail node is disabled: a notification is a skipped row saying why.
	await editWorkflow(stack, workflowId, (workflow) =>
		setAssignments(workflow, 'Settings', { notify_to: 'sales-team@fleetco.example' }),
	);
	const unsent = conversation('qualified', '+1 312 555 0125');
	await post(unsent.body);
	expect(outbox.messages()).toEqual([]);
	const skipped = (await logRows(unsent.clientId)).filter((row) => row.type === 'notify');
	expect(skipped.map((row) => row.status)).toEqual(['skipped']);
	expect(skipped[0].error).toContain('node is disabled');

	const upgraded = conversation('unqualified', '+1 312 555 0122');
	await editWorkflow(stack, workflowId, (workflow) => {
		// As a user does: enable the e-mail node (its SMTP credential is the sandbox outbox).
		workflow.nodes.find((node) => node.name === 'Notify the team (e-mail)')!.disabled = false;
		const model = workflow.nodes.find((node) => node.name === 'Chat model')!;
		Object.assign(model, { type: TEST_MODEL_TYPE, typeVersion: 1, disabled: false });
		model.parameters = {
			rules: JSON.stringify([
				{
					contains: upgraded.email,
					answer: { verdict: 'upgraded', status: 'qualified', reason: 'Wants a fleet quote.' },
				},
			]),
		};
	});
	try {
		const lead = conversation('qualified', '+1 312 555 0123');
		await post(lead.body);
		// The same conversation again, and the unqualified one: no news for the team.
		await post(lead.body);
		await post(upgraded.body);
		const first = outbox.messages();
		expect(first.map((mail) => [mail.from, mail.to, mail.subject])).toEqual([
			['crm-sync@example.com', ['sales-team@fleetco.example'], 'Lead qualified: Dana Fleet'],
		]);
		expect(first[0].text).toContain('Dana Fleet is qualified (rules).');
		expect(first[0].text).toMatch(/Reason: .*message/i);
		expect(first[0].text).toContain(`E-mail: ${lead.email}`);
		expect(first[0].text).toContain(`Conversation: conv-${lead.token}`);

		await reviewNow(`conv-${upgraded.token}`);
		const changed = outbox.messages().slice(1);
		expect(changed.map((mail) => mail.subject)).toEqual([
			'Lead status changed by the AI review: Dana Fleet (unqualified -> qualified)',
		]);
		expect(changed[0].text).toContain('Reason: Wants a fleet quote.');
		expect(changed[0].text).toContain(`E-mail: ${upgraded.email}`);

		const notified = (await logRows(upgraded.clientId)).filter((row) => row.type === 'notify');
		expect(notified.map((row) => row.status)).toEqual(['success']);
		expect((await logRows(lead.clientId)).filter((row) => row.type === 'notify')).toHaveLength(1);

		// An address the mail server cannot use: the send fails, the lead still syncs, the failure is logged.
		await editWorkflow(stack, workflowId, (workflow) =>
			setAssignments(workflow, 'Settings', { notify_to: 'nobody at all' }),
		);
		const unlucky = conversation('qualified', '+1 312 555 0124');
		const { json } = await post(unlucky.body);
		expect(json).toMatchObject({ synced: true, status: 'qualified' });
		const failed = (await logRows(unlucky.clientId)).filter((row) => row.type === 'notify');
		expect(failed.map((row) => row.status)).toEqual(['failed']);
		expect(failed[0].error).toContain('nobody at all');
		expect(outbox.messages()).toHaveLength(2);
	} finally {
		await editWorkflow(stack, workflowId, (workflow) =>
			setAssignments(workflow, 'Settings', { notify_to: '' }),
		);
	}
});
