/** Sync log entries: every output item says what was done in which CRM and how it ended. */
import type { CrmName, SyncLog } from '../model';

export function syncLog(
	crm: CrmName,
	operation: string,
	status: SyncLog['status'],
	details: { target?: SyncLog['target']; reason?: string; apiCalls?: number; at?: Date } = {},
): SyncLog {
	const entry: SyncLog = {
		at: (details.at ?? new Date()).toISOString(),
		crm,
		operation,
		status,
		apiCalls: details.apiCalls ?? 0,
	};
	if (details.target) entry.target = details.target;
	if (details.reason) entry.reason = details.reason;
	return entry;
}

/** Spreads a batch's API calls over its items so totals add up (earlier items take the remainder). */
export function shareCalls(total: number, items: number): number[] {
	if (items <= 0) return [];
	const base = Math.floor(total / items);
	const extra = total % items;
	return Array.from({ length: items }, (_, i) => base + (i < extra ? 1 : 0));
}

/** Sync-log entries earlier pack nodes put on the item, so each node appends to the trail. */
export function priorLogs(json: { syncLog?: unknown }): SyncLog[] {
	return Array.isArray(json.syncLog) ? (json.syncLog as SyncLog[]) : [];
}
