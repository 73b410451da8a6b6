/**
 * Replay protection through n8n's processed-items store (the database table behind the
 * Remove Duplicates node, so it holds across executions, restarts and queue workers).
 * Entries are claimed before a write and released again when the write fails, so a
 * successful write is recorded exactly once and a failed one can be retried. A crash
 * between claim and write would leave a claimed entry without a write: the activity's own
 * key in the CRM (findActivity) is the second line of defence where the writer uses it.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

const OPTIONS = { mode: 'entries' as const, maxEntries: 100_000 };

export interface Claim {
	/** Entries this execution now owns (not seen before). */
	fresh: Set<string>;
	/** Entries already written by an earlier execution. */
	done: Set<string>;
}

export async function claimEntries(ctx: IExecuteFunctions, entries: string[]): Promise<Claim> {
	const unique = [...new Set(entries)];
	if (unique.length === 0) return { fresh: new Set(), done: new Set() };
	const result = await ctx.helpers.checkProcessedAndRecord(unique, 'node', OPTIONS);
	return { fresh: new Set(result.new.map(String)), done: new Set(result.processed.map(String)) };
}

/** Gives entries back after a failed write so the next execution tries again. */
export async function releaseEntries(ctx: IExecuteFunctions, entries: string[]): Promise<void> {
	const unique = [...new Set(entries)];
	if (unique.length) await ctx.helpers.removeProcessed(unique, 'node', OPTIONS);
}
