/**
 * A run's share of a CRM's daily API allocation ("use at most 20 % of the Salesforce daily
 * limit"): how many calls are left before the cap, and whether the next step fits. The usage
 * is what the CRM itself last reported (Sforce-Limit-Info, HubSpot's daily headers), so calls
 * made by other integrations on the same org count too.
 */
import type { DailyUsage } from '../transport/types';

/** The usage a run may reach: `capPercent` of the limit, rounded down (0–100). */
export function capCalls(limit: number, capPercent: number): number {
	return Math.floor((limit * capPercent) / 100);
}

/**
 * Calls still allowed before the cap: 0 at or past it; undefined while the CRM has not
 * reported its daily usage yet (the first call of a run reports it).
 */
export function callsLeft(usage: DailyUsage | undefined, capPercent: number): number | undefined {
	if (!usage) return undefined;
	return Math.max(0, capCalls(usage.limit, capPercent) - usage.used);
}

/** Whether a step costing `stepCalls` stays within the cap; unknown usage lets the first step through. */
export function mayProceed(
	usage: DailyUsage | undefined,
	capPercent: number,
	stepCalls: number,
): boolean {
	const left = callsLeft(usage, capPercent);
	return left === undefined || stepCalls <= left;
}

/**
 * How many of `records` writes, sent `batchSize` per request, stay within the cap: whole
 * requests only. Unknown usage lets the first request through, as `mayProceed` does.
 */
export function writesWithinCap(
	usage: DailyUsage | undefined,
	capPercent: number,
	records: number,
	batchSize: number,
): number {
	const left = callsLeft(usage, capPercent);
	if (left === undefined) return records;
	return Math.min(records, left * Math.max(1, batchSize));
}

/** A cap given in the editor: a number from 1 to 100, or the problem with it. */
export function checkCapPercent(
	value: unknown,
): { ok: true; cap: number } | { ok: false; problem: string } {
	if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 100)
		return {
			ok: false,
			problem: `must be a percentage above 0 and at most 100, got ${JSON.stringify(value)}`,
		};
	return { ok: true, cap: value };
}

/** The sync-log line of a run stopped by its cap. */
export function capReachedMessage(
	crmName: string,
	usage: DailyUsage,
	capPercent: number,
	deferred: number,
): string {
	const share = usage.limit > 0 ? ((usage.used / usage.limit) * 100).toFixed(1) : '100';
	return `${crmName} daily API usage ${usage.used}/${usage.limit} (${share} %) reached the cap of ${capPercent} % — ${deferred} record(s) left for the next run`;
}

/** `Salesforce daily API usage 1,234/15,000 (8.2 %)`: a run's sync-log line of where the day stands. */
export function dailyUsageMessage(crmName: string, usage: DailyUsage): string {
	const share = usage.limit > 0 ? ((usage.used / usage.limit) * 100).toFixed(1) : '100.0';
	const count = (n: number) => n.toLocaleString('en-US');
	return `${crmName} daily API usage ${count(usage.used)}/${count(usage.limit)} (${share} %)`;
}
