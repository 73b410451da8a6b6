/**
 * scheduled-crm-updates.json in a real n8n with the sandbox, run through its "Sync now" webhook
 * (the same flow the Schedule Trigger starts): 250 changed platform contacts reach HubSpot,
 * Salesforce and Dynamics in at most 3 write calls per CRM, a second run merges the summary
 * but never overwrites a filled field (fill if empty), unqualified clients are skipped, new
 * conversations become one note each, and every run leaves sync-log rows — failed ones for a
 * contact the CRMs cannot take.
 */
import { randomUUID } from 'node:crypto';

import { dataTableRows, ensureDataTables, insertDataTableRows } from '../../scripts/runtime/dataTables';
import type { LoggedRequest, SandboxHandle, VendorName } from '../sandbox/server';
import { postJson, secretHeader, startE2eStack, STACK_START_TIMEOUT_MS, type E2eStack } from './harness';

const CRMS: VendorName[] = ['hubspot', 'salesforce', 'dynamics'];
const CLIENTS = 250;
const WITH_CONVERSATION = 5;

/** Contact/lead writes per CRM: HubSpot batch create/update, Salesforce Lead collections or saves, Dataverse $batch or row writes on contacts. */
const leadRecords = (body: unknown): boolean =>
	JSON.stringify((body as { records?: Array<{ attributes?: { type?: string } }> })?.records?.[0]?.attributes?.type) === '"Lead"';
const WRITE_CALLS: Record<string, (request: LoggedRequest) => boolean> = {
	hubspot: (r) => r.method === 'POST' && /\/crm\/v3\/objects\/contacts(\/batch\/(create|update|upsert))?$/.test(r.path),
	salesforce: (r) => r.method !== 'GET' && (/\/sobjects\/Lead(\/|$)/.test(r.path) || (/\/composite\/sobjects$/.test(r.path) && leadRecords(r.body))),
	dynamics: (r) => r.method !== 'GET' && (/\/contacts(\(|$)/.test(r.path) || (/\$batch$/.test(r.path) && /(POST|PATCH) \S*\/contacts(\(|\s)/.test(String(r.body)))),
};

const RECORD_TYPES: Record<string, string> = { hubspot: 'contacts', salesforce: 'Lead', dynamics: 'contact' };
const NOTE_TYPES: Record<string, string> = { hubspot: 'notes', salesforce: 'ContentNote', dynamics: 'annotation' };
const SUMMARY_FIELDS: Record<string, string> = { hubspot: 'last_call_summary', salesforce: 'Description', dynamics: 'description' };

let stack: E2eStack;
let sandbox: SandboxHandle;
let syncNowUrl: string;
let tables: Record<string, string>;
const run = randomUUID().slice(0, 6);
const emailOf = (i: number) => `client${i}-${run}@fleet.example`;

beforeAll(async () => {
	stack = await startE2eStack();
	sandbox = stack.sandbox as unknown as SandboxHandle;
	syncNowUrl = `${stack.n8n.publicUrl.replace(/\/+$/, '')}/webhook/crm-sync-now`;
	tables = Object.fromEntries((await ensureDataTables(stack.api)).map((table) => [table.name, table.id]));
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

function recordsOf(vendor: VendorName): Array<Record<string, unknown>> {
	return sandbox.store
		.list(vendor, RECORD_TYPES[vendor])
		.map((record) => record.fields)
		.filter((fields) => JSON.stringify(fields).includes(`-${run}@fleet.example`));
}

function writeCalls(requests: LoggedRequest[]): Record<string, number> {
	return Object.fromEntries(CRMS.map((crm) => [crm, requests.filter((r) => r.vendor === crm && WRITE_CALLS[crm](r)).length]));
}

async function syncNow(): Promise<{ writes: Record<string, number>; requests: LoggedRequest[] }> {
	sandbox.admin.clearRequests();
	const { status } = await postJson(syncNowUrl, {}, secretHeader(stack));
	expect(status).toBe(200);
	const requests = sandbox.admin.requests();
	return { writes: writeCalls(requests), requests };
}

interface LogRow {
	crm: string;
	type: string;
	client: string;
	status: string;
	error: string | null;
}

const logRows = (): Promise<LogRow[]> => dataTableRows<LogRow>(stack.api, tables['CRM sync logs'], [{ columnName: 'workflow', condition: 'eq', value: 'Scheduled CRM updates from platform contacts' }]);

test('250 changed clients reach every CRM in ≤ 3 write calls each; a second run merges without overwriting filled fields', async () => {
	const contacts = Array.from({ length: CLIENTS }, (_, i) => ({
		clientId: `sched-${run}-${i}`,
		name: `Client ${i} Fleet`,
		email: emailOf(i),
		phone: `+1 312 555 ${String(1000 + i).padStart(4, '0')}`,
		company: `Fleet ${i}`,
		jobTitle: 'Driver',
		status: 'qualified',
		summary: `First contact ${i}.`,
		...(i < WITH_CONVERSATION ? { conversationId: `sched-conv-${run}-${i}`, conversationAt: '2026-11-21T08:00:00Z' } : {}),
	}));
	const extra = [
		{ clientId: `sched-${run}-cold`, name: 'Cold Lead', email: `cold-${run}@fleet.example`, status: 'unqualified', jobTitle: 'Driver' },
		{ clientId: `sched-${run}-broken`, name: 'Broken Mail', email: 'broken mail', status: 'qualified', jobTitle: 'Driver' },
	];
	await insertDataTableRows(stack.api, tables['Platform contacts'], [...contacts, ...extra]);
	const notesBefore = Object.fromEntries(CRMS.map((crm) => [crm, sandbox.store.list(crm, NOTE_TYPES[crm]).length]));

	const first = await syncNow();
	for (const crm of CRMS) {
		expect({ crm, records: recordsOf(crm).length }).toEqual({ crm, records: CLIENTS });
		expect(first.writes[crm]).toBeGreaterThanOrEqual(1);
		expect(first.writes[crm]).toBeLessThanOrEqual(3);
		expect(sandbox.store.list(crm, NOTE_TYPES[crm]).length).toBe(notesBefore[crm] + WITH_CONVERSATION);
	}
	expect(JSON.stringify(sandbox.store.list('hubspot', 'contacts').map((r) => r.fields))).not.toContain(`cold-${run}`);

	const rows = await logRows();
	for (const crm of CRMS) {
		const mine = rows.filter((row) => row.crm === crm);
		expect(mine.filter((row) => row.status === 'success' && row.type.startsWith('create-'))).toHaveLength(CLIENTS);
		expect(mine.filter((row) => row.status === 'success' && row.type === 'add-note')).toHaveLength(WITH_CONVERSATION);
		const failed = mine.filter((row) => row.status === 'failed');
		expect(failed.map((row) => row.client)).toEqual([`sched-${run}-broken`]);
		expect(failed[0].error).toMatch(/email/i);
	}
	expect(rows.filter((row) => row.client === `sched-${run}-cold`)).toEqual([]);

	// The platform changes every client: new job title (the CRMs already have one) and a new summary line.
	await stack.api.request('PATCH', `/data-tables/${tables['Platform contacts']}/rows/update`, {
		filter: { type: 'and', filters: [{ columnName: 'status', condition: 'eq', value: 'qualified' }] },
		data: { jobTitle: 'Dispatcher', summary: 'Asked for a quote.' },
	});
	const second = await syncNow();
	for (const crm of CRMS) {
		expect(second.writes[crm]).toBeGreaterThanOrEqual(1);
		expect(second.writes[crm]).toBeLessThanOrEqual(3);
		const records = recordsOf(crm);
		expect(records).toHaveLength(CLIENTS);
		const title = crm === 'salesforce' ? 'Title' : 'jobtitle';
		const summary = SUMMARY_FIELDS[crm];
		expect(new Set(records.map((fields) => fields[title]))).toEqual(new Set(['Driver']));
		for (const fields of records) {
			expect(String(fields[summary])).toContain('First contact');
			expect(String(fields[summary])).toContain('Asked for a quote.');
		}
		expect(sandbox.store.list(crm, NOTE_TYPES[crm]).length).toBe(notesBefore[crm] + WITH_CONVERSATION);
	}
});

test('a run with nothing changed since the last one writes nothing', async () => {
	const { requests } = await syncNow();
	expect(Object.values(writeCalls(requests))).toEqual([0, 0, 0]);
});
