/**
 * Final step of the writer nodes: one output item per input item, carrying what was
 * written (`crm.<field>`), the sync-log trail, and — for failures — the CRM's reason on
 * the error output. Items with nothing to write pass through with a "skipped" log.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { CrmName } from '../model';
import type { ActivityOutcome } from './activityWriter';
import { reportItem } from './itemReport';
import type { Outcomes } from './outcomes';
import { priorLogs, shareCalls, syncLog } from './syncLog';

export interface EmitRequest {
	crm: CrmName;
	/** Where the activity records go under `crm`: notes, tasks, meetings, calls. */
	field: string;
	/** Sync-log operation for skipped items. */
	operation: string;
	results: ActivityOutcome[];
	/** API calls the whole batch made, shared over the items that wrote something. */
	apiCalls: number;
	/** Items with nothing to write, and why. */
	skipped: Map<number, string>;
}

export function emitReports(
	ctx: IExecuteFunctions,
	outcomes: Outcomes,
	request: EmitRequest,
): void {
	const items = ctx.getInputData();
	const node = ctx.getNode();
	const byItem = new Map<number, ActivityOutcome[]>();
	for (const result of request.results) {
		const index = result.planned.itemIndex;
		byItem.set(index, [...(byItem.get(index) ?? []), result]);
	}
	const indexes = [...byItem.keys()];
	const calls = shareCalls(request.apiCalls, indexes.length);
	indexes.forEach((itemIndex, i) => {
		const json = items[itemIndex].json;
		const report = reportItem(node, request.crm, itemIndex, byItem.get(itemIndex) ?? [], calls[i]);
		const out: IDataObject = {
			...json,
			crm: {
				...((json.crm as IDataObject | undefined) ?? {}),
				[request.field]: report.activities,
			} as IDataObject,
			syncLog: [...priorLogs(json), ...report.logs],
		};
		if (report.error) outcomes.failure(itemIndex, report.error, out);
		else outcomes.success(itemIndex, out);
	});
	for (const [itemIndex, reason] of request.skipped) {
		const json = items[itemIndex].json;
		outcomes.success(itemIndex, {
			...json,
			syncLog: [...priorLogs(json), syncLog(request.crm, request.operation, 'skipped', { reason })],
		});
	}
}
