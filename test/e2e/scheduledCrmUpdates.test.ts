/**
 * scheduled-crm-updates.json as a user imports it — a fresh n8n with only credentials, no
 * hand-made table — against a CRM sandbox with only the vendors' standard fields, run through
 * its "Sync now" webhook (the same flow the Schedule Trigger starts):
 * - its first run creates its Data Tables; then 150 changed platform contacts reach HubSpot,
 *   Salesforce and Dynamics (batched: at most 3 write calls per CRM), a phone-only client is
 *   matched and created by phone, unqualified clients are skipped, new conversations become
 *   one note each and every run leaves sync-log rows (autoch.at is switched off in Settings
 *   for this volume: it has no batch endpoints and allows 100 calls a minute, so 150 clients
 *   take minutes; it is covered by the retry test's clients);
 * - a second run merges the summary but never overwrites a filled field (fill if empty);
 * - a CRM that is down during a run keeps the cursor before its clients: the next run writes
 *   them, and nothing is written twice in any of the four CRMs.
 */
import { randomUUID } from 'node:crypto';

import {
	dataTableRows,
	insertDataTableRows,
	PLATFORM_CONTACTS_TABLE,
	SYNC_LOGS_TABLE,
	waitForDataTable,
} from '../../scripts/runtime/dataTables';
import type { LoggedRequest, SandboxHandle, VendorName } from '../sandbox/server';
import {
	editWorkflow,
	postJson,
	secretHeader,
	setAssignments,
	startE2eStack,
	STACK_START_TIMEOUT_MS,
	type E2eStack,
	NOTE_RECORD_TYPES,
	PERSON_RECORD_TYPES,
	type SyncLogRow,
} from './harness';

const CRMS: VendorName[] = ['hubspot', 'salesforce', 'dynamics', 'autochat'];
/** The CRMs with batch writes, whose write calls per run are bounded. */
const BATCHING: VendorName[] = ['hubspot', 'salesforce', 'dynamics'];
/** More than one batch of 100. */
const CLIENTS = 150;
const RUN_TIMEOUT_MS = 240_000;
const WITH_CONVERSATION = 5;

/** Contact/lead writes per CRM: HubSpot batch create/update, Salesforce Lead collections or saves, Dataverse $batch or row writes on contacts. */
const leadRecords = (body: unknown): boolean =>
	JSON.stringify(
		(body as { records?: Array<{ attributes?: { type?: string } }> })?.records?.[0]?.attributes
			?.type,
	) === '"Lead"';
const WRITE_CALLS: Record<string, (request: LoggedRequest) => boolean> = {
	hubspot: (r) =>
		r.method === 'POST' &&
		/\/crm\/v3\/objects\/contacts(\/batch\/(create|update|upsert))?$/.test(r.path),
	salesforce: (r) =>
		r.method !== 'GET' &&
		(/\/sobjects\/Lead(\/|$)/.test(r.path) ||
			(/\/composite\/sobjects$/.test(r.path) && leadRecords(r.body))),
	dynamics: (r) =>
		r.method !== 'GET' &&
		(/\/contacts(\(|$)/.test(r.path) ||
			(/\$batch$/.test(r.path) && /(POST|PATCH) \S*\/contacts(\(|\s)/.test(String(r.body)))),
};

/** Where the summary is merged (HubSpot has no standard field for it: its notes carry it). */
const SUMMARY_FIELDS: Partial<Record<VendorName, string>> = {
	salesforce: 'Description',
	dynamics: 'description',
	autochat: 'notes',
};
const TITLE_FIELDS: Partial<Record<VendorName, string>> = {
	hubspot: 'jobtitle',
	salesforce: 'Title',
	dynamics: 'jobtitle',
};

let stack: E2eStack;
let sandbox: SandboxHandle;
let syncNowUrl: string;
let contactsTable: string;
let logTable: string;
const run = randomUUID().slice(0, 6);
const emailOf = (i: number) => `client${i}-${run}@fleet.example`;

beforeAll(async () => {
	stack = await startE2eStack();
	sandbox = stack.sandbox!;
	syncNowUrl = `${stack.n8n.publicUrl.replace(/\/+$/, '')}/webhook/crm-sync-now`;
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

afterEach(() => sandbox.admin.clearFaults());

/** Records of one vendor holding `needle` (default: any client of this run, by its email). */
function recordsOf(
	vendor: VendorName,
	needle = `-${run}@fleet.example`,
): Array<Record<string, unknown>> {
	return sandbox.store
		.list(vendor, PERSON_RECORD_TYPES[vendor])
		.map((record) => record.fields)
		.filter((fields) => JSON.stringify(fields).includes(needle));
}

function writeCalls(requests: LoggedRequest[]): Record<string, number> {
	return Object.fromEntries(
		BATCHING.map((crm) => [
			crm,
			requests.filter((r) => r.vendor === crm && WRITE_CALLS[crm](r)).length,
		]),
	);
}

async function syncNow(): Promise<{ writes: Record<string, number>; requests: LoggedRequest[] }> {
	sandbox.admin.clearRequests();
	const { status } = await postJson(syncNowUrl, {}, secretHeader(stack), RUN_TIMEOUT_MS);
	expect(status).toBe(200);
	const requests = sandbox.admin.requests();
	return { writes: writeCalls(requests), requests };
}

const logRows = (): Promise<SyncLogRow[]> =>
	dataTableRows<SyncLogRow>(stack.api, logTable, [
		{
			columnName: 'workflow',
			condition: 'eq',
			value: 'Scheduled CRM updates from platform contacts',
		},
	]);
const noteCounts = (): Record<string, number> =>
	Object.fromEntries(
		CRMS.map((crm) => [crm, sandbox.store.list(crm, NOTE_RECORD_TYPES[crm]).length]),
	);

test('imported into an empty n8n: the first run creates its Data Tables and, with no client yet, writes nothing', async () => {
	expect(await stack.api.list<{ name: string }>('/data-tables')).toEqual([]);
	const { writes } = await syncNow();
	expect(writes).toEqual({ hubspot: 0, salesforce: 0, dynamics: 0 });
	contactsTable = await waitForDataTable(stack.api, PLATFORM_CONTACTS_TABLE.name);
	logTable = await waitForDataTable(stack.api, SYNC_LOGS_TABLE.name);
});

test(
	'150 changed clients reach every batching CRM in ≤ 3 write calls each, a phone-only client too; a second run merges without overwriting filled fields',
	async () => {
		const workflowId = stack.workflows.find((w) => w.file === 'scheduled-crm-updates.json')!.id;
		await editWorkflow(stack, workflowId, (workflow) =>
			setAssignments(workflow, 'Settings', { sync_to_autochat: false }),
		);
		try {
			await bulkRuns();
		} finally {
			await editWorkflow(stack, workflowId, (workflow) =>
				setAssignments(workflow, 'Settings', { sync_to_autochat: true }),
			);
		}
	},
	3 * RUN_TIMEOUT_MS,
);

async function bulkRuns(): Promise<void> {
	const contacts = Array.from({ length: CLIENTS }, (_, i) => ({
		clientId: `sched-${run}-${i}`,
		name: `Client ${i} Fleet`,
		email: emailOf(i),
		phone: `+1 312 555 ${String(1000 + i).padStart(4, '0')}`,
		company: `Fleet ${i}`,
		jobTitle: 'Driver',
		status: 'qualified',
		summary: `First contact ${i}.`,
		...(i < WITH_CONVERSATION
			? { conversationId: `sched-conv-${run}-${i}`, conversationAt: '2026-11-21T08:00:00Z' }
			: {}),
	}));
	const extra = [
		{
			clientId: `sched-${run}-cold`,
			name: 'Cold Lead',
			email: `cold-${run}@fleet.example`,
			status: 'unqualified',
			jobTitle: 'Driver',
		},
		{
			clientId: `sched-${run}-broken`,
			name: 'Broken Mail',
			email: 'broken mail',
			status: 'qualified',
			jobTitle: 'Driver',
		},
		{
			clientId: `sched-${run}-phone`,
			name: `Phone Only ${run}`,
			phone: '+1 312 555 9876',
			status: 'qualified',
		},
	];
	await insertDataTableRows(stack.api, contactsTable, [...contacts, ...extra]);
	const notesBefore = noteCounts();

	const first = await syncNow();
	for (const crm of BATCHING) {
		expect({
			crm,
			records: recordsOf(crm).length,
			phoneOnly: recordsOf(crm, '555 9876').length + recordsOf(crm, '5559876').length > 0,
		}).toEqual({ crm, records: CLIENTS, phoneOnly: true });
		expect(noteCounts()[crm]).toBe(notesBefore[crm] + WITH_CONVERSATION);
		expect(
			JSON.stringify(sandbox.store.list(crm, PERSON_RECORD_TYPES[crm]).map((r) => r.fields)),
		).not.toContain(`cold-${run}`);
	}
	for (const crm of BATCHING) {
		expect(first.writes[crm]).toBeGreaterThanOrEqual(1);
		expect(first.writes[crm]).toBeLessThanOrEqual(3);
	}
	// "qualified" is written as the org's own Lead Status value (the sandbox's customised picklist).
	expect(new Set(recordsOf('salesforce').map((fields) => fields.Status))).toEqual(
		new Set(['Qualified']),
	);

	const rows = await logRows();
	for (const crm of BATCHING) {
		const mine = rows.filter((row) => row.crm === crm);
		expect(
			mine.filter((row) => row.status === 'success' && row.type.startsWith('create-')),
		).toHaveLength(CLIENTS + 1);
		expect(mine.filter((row) => row.status === 'success' && row.type === 'add-note')).toHaveLength(
			WITH_CONVERSATION,
		);
		const failed = mine.filter((row) => row.status === 'failed');
		expect(failed.map((row) => row.client)).toEqual([`sched-${run}-broken`]);
		expect(failed[0].error).toMatch(/email/i);
	}
	expect(rows.filter((row) => row.client === `sched-${run}-cold`)).toEqual([]);

	// The platform changes every client: new job title (the CRMs already have one) and a new summary line.
	await stack.api.request('PATCH', `/data-tables/${contactsTable}/rows/update`, {
		filter: {
			type: 'and',
			filters: [{ columnName: 'status', condition: 'eq', value: 'qualified' }],
		},
		data: { jobTitle: 'Dispatcher', summary: 'Asked for a quote.' },
	});
	const second = await syncNow();
	for (const crm of BATCHING) {
		expect(second.writes[crm]).toBeGreaterThanOrEqual(1);
		expect(second.writes[crm]).toBeLessThanOrEqual(3);
	}
	for (const crm of BATCHING) {
		const records = recordsOf(crm);
		expect(records).toHaveLength(CLIENTS);
		const title = TITLE_FIELDS[crm];
		if (title)
			expect({ crm, titles: new Set(records.map((fields) => fields[title])) }).toEqual({
				crm,
				titles: new Set(['Driver']),
			});
		const summary = SUMMARY_FIELDS[crm];
		if (summary) {
			for (const fields of records) {
				expect(String(fields[summary])).toContain('First contact');
				expect(String(fields[summary])).toContain('Asked for a quote.');
			}
		}
		expect(noteCounts()[crm]).toBe(notesBefore[crm] + WITH_CONVERSATION);
	}
}

test('a run with nothing changed since the last one writes nothing', async () => {
	const { requests } = await syncNow();
	expect(writeCalls(requests)).toEqual({ hubspot: 0, salesforce: 0, dynamics: 0 });
	expect(requests.filter((r) => r.vendor === 'autochat' && r.method !== 'GET')).toEqual([]);
});

test(
	'a CRM that is down during a run keeps the cursor before its clients: the next run writes them, nothing twice',
	async () => {
		const late = Array.from({ length: 3 }, (_, i) => ({
			clientId: `sched-${run}-late-${i}`,
			name: `Late ${i} Fleet`,
			email: `late${i}-${run}@fleet.example`,
			phone: `+1 312 555 ${String(8100 + i)}`,
			status: 'qualified',
			summary: `Late client ${i}.`,
			conversationId: `sched-late-conv-${run}-${i}`,
			conversationAt: '2026-11-22T08:00:00Z',
		}));
		await insertDataTableRows(stack.api, contactsTable, late);
		const notesBefore = noteCounts();
		// HubSpot answers every write 503 (after the pack's own retries too).
		sandbox.admin.addFault({
			vendor: 'hubspot',
			pathPattern: '/\\/crm\\/v3\\/objects\\/contacts(\\/batch\\/(create|update|upsert))?$/',
			method: 'POST',
			kind: 'status',
			status: 503,
			count: 1000,
		});
		await syncNow();
		sandbox.admin.clearFaults();
		const lateRecords = (crm: VendorName) => late.flatMap((client) => recordsOf(crm, client.email));
		expect(lateRecords('hubspot')).toEqual([]);
		for (const crm of CRMS.filter((c) => c !== 'hubspot'))
			expect({ crm, records: lateRecords(crm).length }).toEqual({ crm, records: late.length });
		const failed = (await logRows()).filter(
			(row) => row.crm === 'hubspot' && row.status === 'failed' && row.client.includes('-late-'),
		);
		expect(failed.length).toBeGreaterThanOrEqual(late.length);

		await syncNow();
		for (const crm of CRMS) {
			expect({ crm, records: lateRecords(crm).length }).toEqual({ crm, records: late.length });
			expect({ crm, notes: noteCounts()[crm] }).toEqual({
				crm,
				notes: notesBefore[crm] + late.length,
			});
		}
		const hubspotWritten = (await logRows()).filter(
			(row) =>
				row.crm === 'hubspot' &&
				row.status === 'success' &&
				row.client.includes('-late-') &&
				row.type.startsWith('create-'),
		);
		expect(hubspotWritten).toHaveLength(late.length);

		// Written: the cursor has moved past them, the next run writes nothing.
		const { requests } = await syncNow();
		expect(writeCalls(requests)).toEqual({ hubspot: 0, salesforce: 0, dynamics: 0 });
	},
	3 * RUN_TIMEOUT_MS,
);
