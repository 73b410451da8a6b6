/**
 * First-run set-up of a template's Data Tables: one "create, reuse if it exists" step per
 * table with the shared schema's columns, then the run goes on with the items that arrived.
 */
import type { DataTableSpec } from '../../runtime/dataTables';
import { createTable, waitForBoth } from '../nodes';
import type { Position, WorkflowBuilder } from '../workflow';

/**
 * `from` → create each table (once per run) → "Data Tables ready", which waits for the last
 * create and passes on `from`'s own items. Returns the name of that node.
 */
export function ensureTables(
	wf: WorkflowBuilder,
	from: string,
	tables: DataTableSpec[],
	at: Position,
	name = 'Data Tables ready',
): string {
	let previous = from;
	tables.forEach((table, index) => {
		const node = wf.add(
			createTable(
				`Create table: ${table.name}`,
				[at[0] + index * 220, at[1] - 180],
				table.name,
				table.columns,
			),
		);
		wf.connect(previous, node);
		previous = node;
	});
	const ready = wf.add(waitForBoth(name, [at[0] + tables.length * 220, at[1]]));
	wf.connect(previous, ready, { input: 0 });
	wf.connect(from, ready, { input: 1 });
	return ready;
}

/** Sticky-note text: each table with its columns (types other than text named). */
export function tablesNote(tables: DataTableSpec[]): string {
	const lines = tables.map((table) => {
		const columns = table.columns
			.map((column) =>
				column.type === 'string' ? `\`${column.name}\`` : `\`${column.name}\` (${column.type})`,
			)
			.join(', ');
		return `- **${table.name}** — ${table.about}: ${columns}`;
	});
	return [
		'### Data Tables',
		'Created by this workflow on its first run (the **Create table** nodes; an existing table of that name is used as it is). All templates share these columns, so any of them may create a table first:',
		...lines,
	].join('\n');
}
