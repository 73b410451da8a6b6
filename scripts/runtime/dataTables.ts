/**
 * The n8n Data Tables the templates read and write, created through the public API before the
 * templates are imported, so every template runs without a manual setup step. A table that
 * already exists (same name) is kept as it is: its rows belong to the user.
 */
import type { N8nApi } from './n8nApi';

export type DataTableColumnType = 'string' | 'number' | 'boolean' | 'date';

export interface DataTableSpec {
	name: string;
	columns: Array<{ name: string; type: DataTableColumnType }>;
}

export interface DataTableRef {
	id: string;
	name: string;
	created: boolean;
}

const text = (name: string) => ({ name, type: 'string' as const });

/** What the templates expect (their sticky notes list the same columns for a by-hand import). */
export const TEMPLATE_DATA_TABLES: DataTableSpec[] = [
	{
		name: 'CRM sync logs',
		columns: [{ name: 'time', type: 'date' }, text('crm'), text('type'), text('client'), text('status'), text('error'), text('record'), text('workflow')],
	},
	{
		name: 'Platform contacts',
		columns: [
			text('clientId'),
			text('name'),
			text('email'),
			text('phone'),
			text('company'),
			text('jobTitle'),
			text('status'),
			text('conversationId'),
			text('conversationAt'),
			text('summary'),
			text('source'),
			// CRM → platform sync (crm-contacts-inbound-sync): the record it came from and its do-not-call flag.
			text('crm'),
			text('crmId'),
			text('firstName'),
			text('lastName'),
			{ name: 'doNotCall', type: 'boolean' },
			{ name: 'crmUpdatedAt', type: 'date' },
		],
	},
	{ name: 'CRM sync state', columns: [text('key'), { name: 'cursor', type: 'date' }] },
];

/** Creates each table that does not exist yet; returns every table's id. */
export async function ensureDataTables(api: N8nApi, specs: DataTableSpec[] = TEMPLATE_DATA_TABLES): Promise<DataTableRef[]> {
	const existing = await api.list<{ id: string; name: string }>('/data-tables');
	const refs: DataTableRef[] = [];
	for (const spec of specs) {
		const found = existing.find((table) => table.name === spec.name);
		if (found) {
			refs.push({ id: found.id, name: found.name, created: false });
			continue;
		}
		const created = await api.request<{ id: string; name: string }>('POST', '/data-tables', { name: spec.name, columns: spec.columns });
		refs.push({ id: created.id, name: created.name, created: true });
	}
	return refs;
}

export interface RowFilter {
	columnName: string;
	condition: 'eq' | 'neq' | 'like' | 'gt' | 'gte' | 'lt' | 'lte';
	value: string | number | boolean | null;
}

/** Every row of a table (all pages), optionally filtered (all conditions must hold). */
export async function dataTableRows<T = Record<string, unknown>>(api: N8nApi, tableId: string, filters: RowFilter[] = []): Promise<T[]> {
	const filter = filters.length === 0 ? '' : `?filter=${encodeURIComponent(JSON.stringify({ type: 'and', filters }))}`;
	return await api.list<T>(`/data-tables/${encodeURIComponent(tableId)}/rows${filter}`);
}

/** Inserts rows (the public API takes them in one request). */
export async function insertDataTableRows(api: N8nApi, tableId: string, rows: Array<Record<string, unknown>>): Promise<void> {
	await api.request('POST', `/data-tables/${encodeURIComponent(tableId)}/rows`, { data: rows, returnType: 'count' });
}
