/**
 * The n8n Data Tables the templates read and write: ONE schema shared by every template. Each
 * template creates the tables it uses on its first run (a Data Table "create, reuse if it
 * exists" step with exactly these columns), so whichever template runs first, the table has
 * every column the others need. Nothing is created by hand, by tools or by tests.
 */
import type { N8nApi } from './n8nApi';

export type DataTableColumnType = 'string' | 'number' | 'boolean' | 'date';

export interface DataTableColumn {
	name: string;
	type: DataTableColumnType;
	/** What the column holds (sticky notes and README list it). */
	about: string;
}

export interface DataTableSpec {
	name: string;
	/** One line on what a row is. */
	about: string;
	columns: DataTableColumn[];
}

const column = (
	name: string,
	about: string,
	type: DataTableColumnType = 'string',
): DataTableColumn => ({ name, type, about });

export const SYNC_LOGS_TABLE: DataTableSpec = {
	name: 'CRM sync logs',
	about: "one row per sync operation (the seed's sync logs)",
	columns: [
		column('time', 'when it happened', 'date'),
		column('crm', 'hubspot, salesforce, dynamics or autochat'),
		column(
			'type',
			'what was done: create-lead, update-contact, add-note, create-task, qualify, ai-review, …',
		),
		column('client', 'the platform client (or conversation) it was for'),
		column('status', 'success, failed, pending or skipped'),
		column('error', 'why it failed or was skipped (empty on success)'),
		column('record', 'the CRM record id, when there is one'),
		column('workflow', 'the workflow that wrote the row'),
	],
};

export const PLATFORM_CONTACTS_TABLE: DataTableSpec = {
	name: 'Platform contacts',
	about:
		"the platform's clients: filled by the conversation and CRM templates, read by the scheduled updates",
	columns: [
		column('clientId', "the platform's client id (autoch.at: the client id)"),
		column('name', 'full name'),
		column('firstName', 'first name'),
		column('lastName', 'last name'),
		column('email', 'email address'),
		column('phone', 'phone number, E.164 when known'),
		column('company', 'company name'),
		column('jobTitle', 'job title'),
		column(
			'status',
			'qualification: qualified, unqualified or pending (qualified stays qualified)',
		),
		column('conversationId', 'the latest conversation'),
		column('conversationAt', 'when it started', 'date'),
		column('summary', 'its summary'),
		column('source', 'who wrote the row: conversation, crm or autochat'),
		column('crm', 'the CRM a row from a CRM came from'),
		column('crmId', 'its record id there'),
		column(
			'doNotCall',
			'true / false; empty = unknown (never treat unknown as callable)',
			'boolean',
		),
		column('crmUpdatedAt', 'when the CRM record last changed', 'date'),
		column('hubspot_id', "the client's HubSpot contact id, once written there"),
		column('salesforce_id', "the client's Salesforce record id, once written there"),
		column('salesforce_object', 'which Salesforce object that is: Lead or Contact'),
		column('dynamics_id', "the client's Dynamics 365 contact id, once written there"),
		column('leadSource', "the CRM's lead source value; empty = unknown"),
		column('leadSourceLabel', 'its label in the CRM'),
		column('lifecycleStage', "the CRM's lifecycle stage (or lead status) value; empty = unknown"),
		column('lifecycleStageLabel', 'its label in the CRM'),
	],
};

export const SYNC_STATE_TABLE: DataTableSpec = {
	name: 'CRM sync state',
	about: 'cursors of scheduled runs',
	columns: [
		column('key', 'which cursor (one per workflow)'),
		column('cursor', 'rows changed at or after it are read next run', 'date'),
	],
};

export const REVIEW_QUEUE_TABLE: DataTableSpec = {
	name: 'CRM review queue',
	about:
		'conversations waiting for their AI review (one row per conversation; nothing waits in memory)',
	columns: [
		column('conversationId', 'the conversation'),
		column('clientId', 'its client'),
		column('reviewAt', 'due time (24–48 h after the conversation)', 'date'),
		column('state', 'waiting, reviewing, reviewed, skipped or failed'),
		column('conversation', 'the conversation as JSON (cleared once reviewed)'),
		column('result', "the review's status and reason"),
		column('reviewedAt', 'when it was reviewed', 'date'),
	],
};

export const RECORD_LINKS_TABLE: DataTableSpec = {
	name: 'CRM record links',
	about:
		"CRM ↔ CRM record sync: one row per synced record, naming its counterpart in the other CRM (CRM Record Sync's link rows)",
	columns: [
		column('key', '<crm>:<objectType>:<id> of the record the row describes'),
		column('crm', 'its CRM'),
		column('objectType', 'its object (contacts, Lead, Account, …)'),
		column('recordId', 'its id'),
		column('counterpartCrm', 'the CRM of its counterpart'),
		column('counterpartObjectType', "the counterpart's object"),
		column('counterpartId', "the counterpart's id"),
		column('fingerprint', 'hash of the mapped values as the sync last saw them (no personal data)'),
		column(
			'origin',
			'written (the sync wrote the values there) or read (it copied them from there)',
		),
		column('syncedAt', 'when the sync last touched the pair (ISO time)'),
		column(
			'deleted',
			"a deletion the sync handled: source (deleted there, propagated), sync (deleted by the sync), '' (none)",
		),
		column('deletedAt', "when that deletion was handled (ISO time), '' when none"),
	],
};

export const SYNC_QUEUE_TABLE: DataTableSpec = {
	name: 'CRM sync queue',
	about:
		'CRM ↔ CRM record sync: records held back by the daily API cap, delivered again (before new changes) on the next run',
	columns: [
		column('key', '<crm>:<objectType>:<id> of the held-back record'),
		column('sync', 'which sync it waits for: <direction>:<kind>, e.g. hubspotToSalesforce:contact'),
		column('record', 'the record as the trigger delivered it (JSON)'),
		column('reason', 'why it waits'),
		column('queuedAt', 'when it was held back', 'date'),
	],
};

/** Every table the templates use. */
export const TEMPLATE_DATA_TABLES: DataTableSpec[] = [
	SYNC_LOGS_TABLE,
	PLATFORM_CONTACTS_TABLE,
	SYNC_STATE_TABLE,
	REVIEW_QUEUE_TABLE,
	RECORD_LINKS_TABLE,
	SYNC_QUEUE_TABLE,
];

export interface RowFilter {
	columnName: string;
	condition: 'eq' | 'neq' | 'like' | 'gt' | 'gte' | 'lt' | 'lte';
	value: string | number | boolean | null;
}

/** Every row of a table (all pages), optionally filtered (all conditions must hold). */
export async function dataTableRows<T = Record<string, unknown>>(
	api: N8nApi,
	tableId: string,
	filters: RowFilter[] = [],
): Promise<T[]> {
	const filter =
		filters.length === 0
			? ''
			: `?filter=${encodeURIComponent(JSON.stringify({ type: 'and', filters }))}`;
	return await api.list<T>(`/data-tables/${encodeURIComponent(tableId)}/rows${filter}`);
}

/** Inserts rows (the public API takes them in one request). */
export async function insertDataTableRows(
	api: N8nApi,
	tableId: string,
	rows: Array<Record<string, unknown>>,
): Promise<void> {
	await api.request('POST', `/data-tables/${encodeURIComponent(tableId)}/rows`, {
		data: rows,
		returnType: 'count',
	});
}

/** The id of the table of that name, or undefined while no template has created it. */
export async function findDataTable(api: N8nApi, name: string): Promise<string | undefined> {
	return (await api.list<{ id: string; name: string }>('/data-tables')).find(
		(table) => table.name === name,
	)?.id;
}

/** The rows of the table of that name (none while no template has created it). */
export async function dataTableRowsByName<T = Record<string, unknown>>(
	api: N8nApi,
	name: string,
	filters: RowFilter[] = [],
): Promise<T[]> {
	const id = await findDataTable(api, name);
	return id === undefined ? [] : await dataTableRows<T>(api, id, filters);
}

/** The id of the table of that name once it exists (a template creates it on its first run). */
export async function waitForDataTable(
	api: N8nApi,
	name: string,
	timeoutMs = 30_000,
): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const found = await findDataTable(api, name);
		if (found !== undefined) return found;
		if (Date.now() > deadline)
			throw new Error(`No Data Table named "${name}" after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
}

/** The columns of a table (name and type), in order. */
export async function dataTableColumns(
	api: N8nApi,
	tableId: string,
): Promise<Array<{ name: string; type: string }>> {
	const table = (
		await api.list<{ id: string; columns?: Array<{ name: string; type: string; index?: number }> }>(
			'/data-tables',
		)
	).find((entry) => entry.id === tableId);
	return [...(table?.columns ?? [])]
		.sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
		.map(({ name, type }) => ({ name, type }));
}
