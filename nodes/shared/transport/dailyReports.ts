/**
 * The latest daily usage each credential's CRM reported in this process, so a run whose own
 * calls reported none (its metadata came from the cache, the trigger did the reading) can
 * still show where the day stands. Shown only, never used to decide: the day may have turned.
 */
import type { DailyUsage } from './types';

/** Older reports are not used: a day's usage is rarely still true a quarter of an hour later. */
export const DAILY_REPORT_MAX_AGE_MS = 15 * 60_000;
/** Credentials remembered at most (a process serves few; the oldest entry goes first). */
const MAX_CREDENTIALS = 1_000;

const reports = new Map<string, { usage: DailyUsage; at: number }>();

export function rememberDailyReport(limiterKey: string, usage: DailyUsage, at: number): void {
	reports.delete(limiterKey);
	reports.set(limiterKey, { usage: { ...usage }, at });
	if (reports.size > MAX_CREDENTIALS) {
		const oldest = reports.keys().next().value;
		if (oldest !== undefined) reports.delete(oldest);
	}
}

/** The credential's last report and its age, if it is recent enough; else undefined. */
export function recentDailyReport(
	limiterKey: string,
	now: number,
): { usage: DailyUsage; ageMs: number } | undefined {
	const report = reports.get(limiterKey);
	if (!report) return undefined;
	const ageMs = now - report.at;
	if (ageMs > DAILY_REPORT_MAX_AGE_MS || ageMs < 0) return undefined;
	return { usage: { ...report.usage }, ageMs };
}
