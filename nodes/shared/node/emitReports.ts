/**
 * Final step of the writer nodes: one output item per input item, carrying what was
 * written (`crm.<field>`), the sync-log trail, and — for failures — the CRM's reason on
 * the error output. Items with nothing to write pass through with a "skipped" log.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CrmName, SyncLog } from '../model';
import type { ActivityOutcome } from './activityWriter';
import { reportItem, type ItemReport } from './itemReport';
import type { Outcomes } from './outcomes';
import { priorLogs, shareCalls, syncLog } from './syncLog';

/** One kind of write of the node (its notes, its tasks …). */
export interface EmitSection {
	/** Where the activity records go under `crm`: notes, tasks, meetings, calls. */
	field: string;
	/** Sync-log operation for skipped items. */
	operation: string;
	results: ActivityOutcome[];
	/** Items with nothing to write in this section, and why. */
	skipped: Map<number, string>;
}

export interface EmitRequest extends EmitSection {
	crm: CrmName;
	/** API calls the whole batch made, shared over the items that wrote something. */
	apiCalls: number;
}

export function emitReports(
	ctx: IExecuteFunctions,
	outcomes: Outcomes,
	request: EmitRequest,
): void {
	const { crm, apiCalls, ...section } = request;
	emitSectionReports(ctx, outcomes, { crm, apiCalls, sections: [section] });
}

/**
 * Several sections per item (the Note Router's note and its tasks): each item is answered
 * once, with every section's records and logs, failing when any section failed.
 */
export function emitSectionReports(
	ctx: IExecuteFunctions,
	outcomes: Outcomes,
	request: { crm: CrmName; apiCalls: number; sections: EmitSection[] },
): void {
	const items = ctx.getInputData();
	const node = ctx.getNode();
	const written = request.sections.map((section) => {
		const byItem = new Map<number, ActivityOutcome[]>();
		for (const result of section.results) {
			const index = result.planned.itemIndex;
			byItem.set(index, [...(byItem.get(index) ?? []), result]);
		}
		return byItem;
	});
	const writers = [...new Set(written.flatMap((byItem) => [...byItem.keys()]))].sort(
		(a, b) => a - b,
	);
	const calls = new Map(
		shareCalls(request.apiCalls, writers.length).map((count, i) => [writers[i], count]),
	);
	const answered = new Set([
		...writers,
		...request.sections.flatMap((section) => [...section.skipped.keys()]),
	]);
	for (const itemIndex of [...answered].sort((a, b) => a - b)) {
		const json = items[itemIndex].json;
		const crmField: IDataObject = { ...((json.crm as IDataObject | undefined) ?? {}) };
		const logs: SyncLog[] = [];
		let error: ItemReport['error'];
		let itemCalls = calls.get(itemIndex) ?? 0;
		request.sections.forEach((section, s) => {
			const results = written[s].get(itemIndex);
			if (results) {
				const report = reportItem(node, request.crm, itemIndex, results, itemCalls);
				itemCalls = 0;
				crmField[section.field] = report.activities as unknown as IDataObject[];
				logs.push(...report.logs);
				error ??= report.error;
				return;
			}
			const reason = section.skipped.get(itemIndex);
			if (reason !== undefined)
				logs.push(syncLog(request.crm, section.operation, 'skipped', { reason }));
		});
		const out: IDataObject = writers.includes(itemIndex)
			? { ...json, crm: crmField, syncLog: [...priorLogs(json), ...logs] }
			: { ...json, syncLog: [...priorLogs(json), ...logs] };
		if (error) outcomes.failure(itemIndex, error, out);
		else outcomes.success(itemIndex, out);
	}
}
