/**
 * Where the day stands: a run (Record Sync, a Sync Trigger poll) puts one sync-log row per CRM
 * that reports its daily API usage on the first item of its output. The first item, not every
 * item, so a workflow that stores the sync log gets one such row per run; and no extra item,
 * which would flow on into the nodes after this one as if it were a record.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { dailyUsageMessage } from '../logic/apiBudget';
import type { SyncLog } from '../model';
import { syncLog } from './syncLog';
import type { CrmProvider } from '../providers/CrmProvider';
import { crmDisplayName } from '../providers/profiles';

/** The usage rows of a run's providers, for the CRMs that reported it. */
export function dailyUsageLogs(providers: readonly CrmProvider[]): SyncLog[] {
	return providers.flatMap((provider) => {
		const { daily, recentDaily } = provider.usage();
		if (!provider.profile.dailyUsage.reported) return [];
		const { crm } = provider.profile;
		// This run's own report, else the credential's recent one (e.g. from the trigger's polls).
		const usage = daily ?? recentDaily?.usage;
		if (!usage) return [];
		const age = daily ? 0 : Math.round((recentDaily?.ageMs ?? 0) / 60_000);
		const when = age > 0 ? ` as reported ${age} min ago` : '';
		return [
			syncLog(crm, 'daily-api-usage', 'success', {
				reason: `${dailyUsageMessage(crmDisplayName(crm), usage)}${when}`,
			}),
		];
	});
}

/**
 * The first item with the rows added to its sync log (a failed item keeps its log in
 * `details`): before the node's own row, which stays the last entry (an outcome read with
 * `.at(-1)`), or, for a trigger whose item starts the trail, after it (its row stays `[0]`).
 */
export function withDailyUsage(
	outputs: INodeExecutionData[][],
	logs: SyncLog[],
	placement: 'beforeOwnRow' | 'afterOwnRow' = 'beforeOwnRow',
): INodeExecutionData[][] {
	const [first, ...rest] = outputs[0] ?? [];
	if (!first || logs.length === 0) return outputs;
	const json = first.json;
	const details = json.details as IDataObject | undefined;
	const holder = Array.isArray(json.syncLog) || !details ? json : details;
	const trail = Array.isArray(holder.syncLog) ? (holder.syncLog as IDataObject[]) : [];
	const rows = logs as unknown as IDataObject[];
	const syncLog =
		placement === 'afterOwnRow'
			? [...trail, ...rows]
			: [...trail.slice(0, -1), ...rows, ...trail.slice(-1)];
	const logged = { ...holder, syncLog };
	const updated = holder === json ? logged : { ...json, details: logged };
	return [[{ ...first, json: updated }, ...rest], ...outputs.slice(1)];
}
