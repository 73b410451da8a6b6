/**
 * Hostile callers and clear answers, in a real n8n with the built pack and the CRM sandbox:
 * every template webhook refuses calls without its secret (and runs nothing), a call is
 * answered with ids and statuses instead of CRM record contents, an oversized call is
 * refused before any CRM call, a bad payload is answered 400 with the item and field, a CRM
 * that keeps failing is answered 502/503 naming the CRM — and each failure leaves a row in
 * the CRM sync logs Data Table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { waitFor } from '../../scripts/runtime/waitFor';
import type { SandboxHandle } from '../sandbox/server';
import {
	postJson,
	REPO_ROOT,
	secretHeader,
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

const sample = JSON.parse(
	readFileSync(join(REPO_ROOT, 'scripts', 'demo', 'sample-call.json'), 'utf8'),
) as Record<string, unknown> & { participants: object[] };
const call = (id: string, extra: Record<string, unknown> = {}) => ({ ...sample, id, ...extra });

type Failure = {
	status: string;
	error: { kind: string; item: number; field: string | null; crm: string | null; reason: string };
};
const logRowOf = (client: string) => waitForSyncLogRow(stack, client, 'failed');

async function executionCount(workflowName: string): Promise<number> {
	const workflow = stack.workflows.find((candidate) => candidate.name === workflowName)!;
	const page = await stack.api.request<{ data: unknown[] }>(
		'GET',
		`/executions?workflowId=${workflow.id}&limit=250`,
	);
	return page.data.length;
}

test('every template webhook refuses a call without its secret, or with a wrong one, and starts nothing', async () => {
	const webhooks = stack.workflows.flatMap((workflow) =>
		workflow.webhooks.map((webhook) => ({ workflow, webhook })),
	);
	expect(webhooks.map(({ webhook }) => webhook.path).sort()).toEqual(
		[
			'webhook/call-analysed',
			'webhook/call-connected',
			'webhook/call-processed',
			'webhook/call-processed-meeting',
			'webhook/crm-sync-now',
			'webhook/qualified-lead',
			'webhook/qualified-lead-review-now',
		].sort(),
	);
	const before = await Promise.all(webhooks.map(({ workflow }) => executionCount(workflow.name)));
	for (const { webhook } of webhooks) {
		const anonymous = await postJson(`${base}/${webhook.path}`, call('anon-1'));
		const wrong = await postJson(`${base}/${webhook.path}`, call('anon-2'), {
			[stack.webhookAuth.header]: `${stack.webhookAuth.value}x`,
		});
		expect({ path: webhook.path, anonymous: anonymous.status, wrong: wrong.status }).toEqual({
			path: webhook.path,
			anonymous: 403,
			wrong: 403,
		});
	}
	// Give a started execution time to be saved before counting.
	await new Promise((resolve) => setTimeout(resolve, 1000));
	expect(await Promise.all(webhooks.map(({ workflow }) => executionCount(workflow.name)))).toEqual(
		before,
	);
	expect(
		sandbox.store
			.list('hubspot', 'notes')
			.some((note) => String(note.fields.hs_note_body).includes('anon-')),
	).toBe(false);
});

test('the sample call is answered with ids and statuses — no name, email, phone, owner, amount or stage of a CRM record', async () => {
	const { status, json } = await postJson(
		`${base}/webhook/call-processed`,
		call('safe-1'),
		secretHeader(stack),
	);
	expect(status).toBe(200);
	const body = json as {
		matched: boolean;
		records: Array<{ type: string; id: string }>;
		notes: Array<{ id: string; status: string }>;
		tasks: Array<{ status: string }>;
		syncLog: Array<{ status: string }>;
	};
	expect(body.matched).toBe(true);
	expect(body.records.length).toBeGreaterThan(0);
	expect(body.notes.map((note) => note.status)).toEqual(['success']);
	expect(body.tasks.map((task) => task.status)).toEqual(['success']);

	const text = JSON.stringify(body);
	const stores: Record<string, string> = {
		contact: 'contacts',
		company: 'companies',
		deal: 'deals',
	};
	const sensitive = [
		'email',
		'phone',
		'mobilephone',
		'firstname',
		'lastname',
		'jobtitle',
		'name',
		'domain',
		'dealname',
		'amount',
		'dealstage',
	];
	let checked = 0;
	for (const record of body.records) {
		const fields = sandbox.store.get('hubspot', stores[record.type], record.id)!.fields;
		for (const key of sensitive) {
			const value = fields[key];
			if (value === undefined || value === null || String(value).length < 4) continue;
			expect({ record: record.id, key, leaked: text.includes(String(value)) }).toEqual({
				record: record.id,
				key,
				leaked: false,
			});
			checked++;
		}
	}
	expect(checked).toBeGreaterThanOrEqual(5);
	for (const key of ['properties', 'ownerId', 'hubspot_owner_id', 'matchedBy'])
		expect(text).not.toContain(`"${key}"`);
});

test('10,000 participants are answered 413 naming the field and the limit, with no CRM call, and logged', async () => {
	const before = sandbox.admin.requests('hubspot').length;
	const participants = Array.from({ length: 10_000 }, (_, i) => ({
		name: `P${i}`,
		phone: `+1 415 555 ${String(i).padStart(4, '0')}`,
	}));
	const { status, json } = await postJson(
		`${base}/webhook/call-processed`,
		call('huge-1', { participants }),
		secretHeader(stack),
	);
	expect(status).toBe(413);
	const body = json as Failure;
	expect(body).toMatchObject({
		status: 'failed',
		error: { kind: 'invalid-input', item: 0, field: 'participants', crm: null },
	});
	expect(body.error.reason).toBe(
		'Item 0: field "participants" has 10000 entries; the limit is 50 (option "Max Participants")',
	);
	expect(sandbox.admin.requests('hubspot').length - before).toBeLessThanOrEqual(1);
	expect(await logRowOf('huge-1')).toMatchObject({
		status: 'failed',
		type: 'CRM Link',
		workflow: 'Call processed → CRM notes and tasks',
	});
});

test('invalid payloads are answered 400 with the item, the field and the reason, and logged', async () => {
	const withoutStart: Record<string, unknown> = call('bad-1');
	delete withoutStart.startedAt;
	const missing = await postJson(
		`${base}/webhook/call-processed`,
		withoutStart,
		secretHeader(stack),
	);
	expect(missing.status).toBe(400);
	expect(missing.json).toMatchObject({
		status: 'failed',
		error: { kind: 'invalid-input', item: 0, field: 'startedAt' },
	});
	expect((missing.json as Failure).error.reason).toMatch(
		/^Item 0: field "startedAt" is invalid: Required/,
	);

	// A list where the call needs one: the field is named.
	const badParticipants = await postJson(
		`${base}/webhook/call-processed`,
		call('bad-2', { participants: 'Alice, Bob' }),
		secretHeader(stack),
	);
	expect(badParticipants.status).toBe(400);
	expect(badParticipants.json).toMatchObject({
		status: 'failed',
		error: { kind: 'invalid-input', item: 0, field: 'participants' },
	});
	expect(await logRowOf('bad-2')).toMatchObject({
		status: 'failed',
		type: 'CRM Link',
		error: expect.stringContaining('participants'),
	});

	// One participant's malformed email is reported for that participant; the call still syncs by the phone.
	const badEmail = await postJson(
		`${base}/webhook/call-processed`,
		call('bad-email', {
			participants: [
				sample.participants[0],
				{ name: 'Alice', email: 42, phone: '+1 415 555 0101' },
			],
		}),
		secretHeader(stack),
	);
	expect(badEmail.status).toBe(200);
	expect(badEmail.json).toMatchObject({ matched: true });

	// Not one call at all: a JSON list instead of an object.
	const list = await postJson(
		`${base}/webhook/call-processed`,
		[call('bad-3')],
		secretHeader(stack),
	);
	expect(list.status).toBe(400);
	expect(list.json).toMatchObject({
		status: 'failed',
		error: { kind: 'invalid-input', reason: expect.stringContaining('not one processed call') },
	});
});

test('a CRM that stays unavailable on the note create is answered 503 with Retry-After naming HubSpot, logged, and a later retry writes one note', async () => {
	const notesBefore = sandbox.store.list('hubspot', 'notes').length;
	sandbox.admin.addFault({
		vendor: 'hubspot',
		pathPattern: 'objects/notes/batch/create',
		kind: 'status',
		status: 503,
		count: 50,
	});
	const down = await postJson(
		`${base}/webhook/call-processed`,
		call('down-1'),
		secretHeader(stack),
	);
	sandbox.admin.clearFaults();
	expect(down.status).toBe(503);
	expect(Number(down.headers.get('retry-after'))).toBeGreaterThan(0);
	const body = down.json as Failure;
	expect(body).toMatchObject({
		status: 'failed',
		error: { kind: 'crm-unavailable', crm: 'hubspot', item: 0 },
	});
	expect(body.error.reason).toContain('HubSpot');
	expect(await logRowOf('down-1')).toMatchObject({
		status: 'failed',
		crm: 'hubspot',
		type: 'add-note',
	});
	expect(sandbox.store.list('hubspot', 'notes').length).toBe(notesBefore);

	// The caller retries once HubSpot is back: one note, not two.
	const again = await postJson(
		`${base}/webhook/call-processed`,
		call('down-1'),
		secretHeader(stack),
	);
	expect(again.status).toBe(200);
	expect(sandbox.store.list('hubspot', 'notes').length).toBe(notesBefore + 1);
});

test('a note create that keeps failing with 500 is answered 502/503 naming HubSpot and logged, with nothing written twice', async () => {
	const notesBefore = sandbox.store.list('hubspot', 'notes').length;
	sandbox.admin.addFault({
		vendor: 'hubspot',
		pathPattern: 'objects/notes/batch/create',
		kind: 'status',
		status: 500,
		count: 50,
	});
	const failed = await postJson(
		`${base}/webhook/call-processed`,
		call('err-1'),
		secretHeader(stack),
	);
	sandbox.admin.clearFaults();
	expect([502, 503]).toContain(failed.status);
	const body = failed.json as Failure;
	expect(body.error.crm).toBe('hubspot');
	expect(body.error.kind).toEqual(
		failed.status === 503 ? 'crm-unavailable' : expect.stringMatching(/^(crm-rejected|uncertain)$/),
	);
	expect(await logRowOf('err-1')).toMatchObject({
		status: 'failed',
		crm: 'hubspot',
		type: 'add-note',
	});
	expect(sandbox.store.list('hubspot', 'notes').length).toBe(notesBefore);
});

test('"respond_with_record_details" switched on returns the matched records as before', async () => {
	const workflow = stack.workflows.find(
		(candidate) => candidate.file === 'call-processed-to-crm.json',
	)!;
	type Saved = {
		name: string;
		nodes: Array<{
			name: string;
			parameters: { assignments?: { assignments: Array<{ name: string; value: unknown }> } };
		}>;
		connections: unknown;
		settings: unknown;
	};
	const saved = await stack.api.request<Saved>('GET', `/workflows/${workflow.id}`);
	const settings = saved.nodes.find((node) => node.name === 'Settings')!;
	settings.parameters.assignments!.assignments.find(
		(entry) => entry.name === 'respond_with_record_details',
	)!.value = true;
	await stack.api.request('PUT', `/workflows/${workflow.id}`, {
		name: saved.name,
		nodes: saved.nodes,
		connections: saved.connections,
		settings: saved.settings,
	});
	await stack.api.request('POST', `/workflows/${workflow.id}/activate`);
	try {
		const { status, json } = await waitFor(
			async () => {
				const answer = await postJson(
					`${base}/webhook/call-processed`,
					call('details-1'),
					secretHeader(stack),
				);
				return answer.status === 200 && (answer.json as { crm?: unknown }).crm !== undefined
					? answer
					: undefined;
			},
			{ timeoutMs: 30_000, intervalMs: 500, what: 'the detailed answer' },
		);
		expect(status).toBe(200);
		const contacts = (
			json as { crm: { matches: { contact: Array<{ properties: Record<string, string> }> } } }
		).crm.matches.contact;
		expect(contacts.map((contact) => contact.properties.email)).toContain(
			'alice.nguyen@acme.example',
		);
	} finally {
		settings.parameters.assignments!.assignments.find(
			(entry) => entry.name === 'respond_with_record_details',
		)!.value = false;
		await stack.api.request('PUT', `/workflows/${workflow.id}`, {
			name: saved.name,
			nodes: saved.nodes,
			connections: saved.connections,
			settings: saved.settings,
		});
		await stack.api.request('POST', `/workflows/${workflow.id}/activate`);
	}
});
