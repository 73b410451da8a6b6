/**
 * qualified-lead-sync.json in a real n8n with the sandbox: a qualified conversation becomes one
 * lead/contact and one note in every connected CRM (HubSpot, Salesforce, Dynamics, autoch.at),
 * an unqualified one with sync_qualified_only on writes nothing, a record a CRM rejects is
 * logged as failed, and every run leaves its rows in the "CRM sync logs" Data Table. The AI
 * review after the 24 h Wait is not reached here (no real model): the run is checked to be
 * waiting on it; the review itself is covered by the gate's node tests with a stub model.
 */
import { randomUUID } from 'node:crypto';

import { dataTableRows, ensureDataTables } from '../../scripts/runtime/dataTables';
import { waitFor } from '../../scripts/runtime/waitFor';
import type { SandboxHandle, VendorName } from '../sandbox/server';
import { postJson, secretHeader, startE2eStack, STACK_START_TIMEOUT_MS, type E2eStack } from './harness';

const CRMS: VendorName[] = ['hubspot', 'salesforce', 'dynamics', 'autochat'];

interface LogRow {
	crm: string;
	type: string;
	client: string;
	status: string;
	error: string | null;
	record: string | null;
}

interface SyncResponse {
	synced: boolean;
	status: string;
	records?: Array<{ crm: string; id: string | null; created: boolean; error: string | null }>;
}

let stack: E2eStack;
let sandbox: SandboxHandle;
let url: string;
let logTable: string;

beforeAll(async () => {
	stack = await startE2eStack();
	sandbox = stack.sandbox as unknown as SandboxHandle;
	url = `${stack.n8n.publicUrl.replace(/\/+$/, '')}/webhook/qualified-lead`;
	const tables = await ensureDataTables(stack.api);
	logTable = tables.find((table) => table.name === 'CRM sync logs')!.id;
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

/** A unique client per test: its email and a token in the summary find what the run wrote. */
function conversation(kind: 'qualified' | 'unqualified', overrides: { email?: string; phone: string }) {
	const token = randomUUID().slice(0, 8);
	const clientId = `client-${token}`;
	const email = overrides.email ?? `lead-${token}@fleetco.example`;
	const messages =
		kind === 'qualified'
			? ['Hi, we run 40 vans.', 'What is your pricing for fleets?', 'Can we book a demo next week?', 'Sure, call me.']
			: ['hello', 'bye'];
	return {
		token,
		clientId,
		email,
		body: {
			id: `conv-${token}`,
			startedAt: '2026-11-21T09:00:00Z',
			endedAt: '2026-11-21T09:12:00Z',
			direction: 'inbound',
			participants: [{ name: 'Dana Fleet', phone: overrides.phone, email }],
			summary: `Fleet of 40 vans, wants pricing and a demo (${token}).`,
			messages: messages.map((text, i) => ({ role: i % 2 ? 'agent' : 'client', text })),
			ended: true,
			client: { id: clientId, name: 'Dana Fleet', phone: overrides.phone, email, company: 'FleetCo' },
		},
	};
}

/** Records of one vendor whose fields contain `needle` (any object type). */
function recordsWith(vendor: VendorName, needle: string): Array<{ type: string; fields: Record<string, unknown> }> {
	return sandbox.store
		.objectTypes(vendor)
		.flatMap((type) => sandbox.store.list(vendor, type).map((record) => ({ type, fields: record.fields })))
		.filter((record) => JSON.stringify(record.fields).includes(needle));
}

/** Where each CRM keeps a conversation note (HubSpot notes, Salesforce ContentNote, Dataverse annotation, autoch.at activities). */
const NOTE_TYPES: Record<VendorName, string> = { hubspot: 'notes', salesforce: 'ContentNote', dynamics: 'annotation', autochat: 'activities' };

const noteCounts = (): Record<string, number> => Object.fromEntries(CRMS.map((vendor) => [vendor, sandbox.store.list(vendor, NOTE_TYPES[vendor]).length]));

/** The client's sync-log rows once at least `atLeast` are there (or what is there after 30 s, for the assertion to show). */
async function logRows(clientId: string, atLeast: number): Promise<LogRow[]> {
	const read = () => dataTableRows<LogRow>(stack.api, logTable, [{ columnName: 'client', condition: 'eq', value: clientId }]);
	try {
		return await waitFor(async () => ((await read()).length >= atLeast ? await read() : undefined), {
			timeoutMs: 30_000,
			intervalMs: 250,
			what: `${atLeast} sync-log rows for ${clientId}`,
		});
	} catch {
		return await read();
	}
}

test('a qualified conversation creates exactly one lead/contact and one note per connected CRM, logged, then waits for the AI review', async () => {
	const lead = conversation('qualified', { phone: '+1 312 555 0142' });
	const workflow = stack.workflows.find((w) => w.file === 'qualified-lead-sync.json')!;

	const notesBefore = noteCounts();
	const { status, json } = await postJson(url, lead.body, secretHeader(stack));
	expect(status).toBe(200);
	const body = json as SyncResponse;
	expect(body).toMatchObject({ synced: true, status: 'qualified' });
	expect(body.records?.map((record) => record.crm).sort()).toEqual([...CRMS].sort());
	for (const record of body.records ?? []) expect(record).toMatchObject({ created: true, error: null, id: expect.any(String) });

	const oneMore = Object.fromEntries(CRMS.map((vendor) => [vendor, notesBefore[vendor] + 1]));
	expect(noteCounts()).toEqual(oneMore);
	for (const vendor of CRMS) expect({ vendor, records: recordsWith(vendor, lead.email).length }).toEqual({ vendor, records: 1 });
	expect(recordsWith('salesforce', lead.email)[0].type).toBe('Lead');

	// Rows: qualify (4 CRMs) + create + add-note per CRM, every one a success, the CRM id kept.
	const rows = await logRows(lead.clientId, 12);
	expect(rows).toHaveLength(12);
	expect(rows.filter((row) => row.status !== 'success')).toEqual([]);
	for (const crm of CRMS) {
		const kinds = rows.filter((row) => row.crm === crm).map((row) => row.type).sort();
		expect({ crm, kinds }).toEqual({ crm, kinds: ['add-note', crm === 'salesforce' ? 'create-lead' : 'create-contact', 'qualify'] });
		const created = rows.find((row) => row.crm === crm && row.type.startsWith('create-'))!;
		expect(created.record).toBe(body.records!.find((record) => record.crm === crm)!.id);
	}

	const waiting = await waitFor(
		async () => {
			const list = await stack.api.request<{ data: Array<{ id: string }> }>('GET', `/executions?workflowId=${workflow.id}&status=waiting`);
			return list.data.length > 0 ? list.data : undefined;
		},
		{ timeoutMs: 20_000, intervalMs: 250, what: 'the run to wait for the AI review' },
	);
	expect(waiting.length).toBeGreaterThan(0);

	// Delivered again: the same records are found by phone, the note is not repeated.
	expect((await postJson(url, lead.body, secretHeader(stack))).status).toBe(200);
	expect(noteCounts()).toEqual(oneMore);
	for (const vendor of CRMS) expect({ vendor, records: recordsWith(vendor, lead.email).length }).toEqual({ vendor, records: 1 });
});

test('an unqualified conversation with sync_qualified_only on writes nothing to any CRM and logs "skipped"', async () => {
	const cold = conversation('unqualified', { phone: '+1 312 555 0177' });
	const requestsBefore = sandbox.admin.requests().length;

	const { status, json } = await postJson(url, cold.body, secretHeader(stack));
	expect(status).toBe(200);
	expect(json).toMatchObject({ synced: false, status: 'unqualified' });

	for (const vendor of CRMS) expect({ vendor, found: recordsWith(vendor, cold.email).length }).toEqual({ vendor, found: 0 });
	expect(sandbox.admin.requests().slice(requestsBefore)).toEqual([]);
	const rows = await logRows(cold.clientId, 4);
	expect(rows.map((row) => `${row.crm}:${row.type}:${row.status}`).sort()).toEqual(CRMS.map((crm) => `${crm}:qualify:skipped`).sort());
	expect(rows.every((row) => (row.error ?? '').startsWith('unqualified'))).toBe(true);
});

test('a lead a CRM rejects is answered with its error and logged as failed, the other CRMs still get theirs', async () => {
	const broken = conversation('qualified', { phone: '+1 312 555 0188', email: 'dana at fleetco' });

	const { status, json } = await postJson(url, broken.body, secretHeader(stack));
	expect(status).toBe(200);
	const records = (json as SyncResponse).records ?? [];
	const failedCrms = records.filter((record) => record.error !== null).map((record) => record.crm);
	expect(failedCrms.length > 0 ? failedCrms : json).toContain('autochat'); // autoch.at refuses a malformed email (422)

	const rows = await logRows(broken.clientId, 4 + failedCrms.length);
	const failed = rows.filter((row) => row.status === 'failed');
	expect(failed.map((row) => row.crm).sort()).toEqual([...failedCrms].sort());
	for (const row of failed) expect(row.error).toMatch(/email/i);
	expect(recordsWith('autochat', 'dana at fleetco')).toEqual([]);
});
