/**
 * Progress of a full import (first poll starts at "everything"): how many records the polls
 * emitted so far and about how many there are. A poll emits at most "Max Records per Poll", so
 * a large CRM is imported over several polls; the cursor makes that resumable, this keeps the
 * count the sync log reports. Pure.
 */

export interface ImportProgress {
	/** Records emitted by the polls of this import so far. */
	emitted: number;
	/** About how many records the import covers (emitted + still to list), when the CRM counts them. */
	estimatedTotal?: number;
	/** The listing was read up to the settle line: every record that existed is out. */
	finished: boolean;
}

export interface ImportPoll {
	/** Records this poll emitted. */
	emitted: number;
	/** Records the CRM counted from the cursor's timestamp on, when it says (ties already emitted included). */
	listedFromCursor?: number;
	/** Ids the cursor had already emitted at its timestamp when the poll began (counted in `listedFromCursor`). */
	alreadyEmittedAtCursor: number;
	/** The poll read every settled change. */
	caughtUp: boolean;
}

export function advanceImport(
	before: ImportProgress | undefined,
	poll: ImportPoll,
): ImportProgress {
	const emittedBefore = before?.emitted ?? 0;
	const emitted = emittedBefore + poll.emitted;
	if (poll.caughtUp) return { emitted, estimatedTotal: emitted, finished: true };
	const estimate =
		poll.listedFromCursor !== undefined
			? emittedBefore + Math.max(0, poll.listedFromCursor - poll.alreadyEmittedAtCursor)
			: before?.estimatedTotal;
	return estimate === undefined
		? { emitted, finished: false }
		: { emitted, estimatedTotal: Math.max(estimate, emitted), finished: false };
}

const count = (value: number): string => value.toLocaleString('en-US');

/** The sync-log reason of the records a poll of the import emitted. */
export function importProgressText(progress: ImportProgress): string {
	if (progress.finished) return `full import finished: ${count(progress.emitted)} records`;
	if (progress.estimatedTotal === undefined)
		return `full import: ${count(progress.emitted)} records so far`;
	return `full import: ${count(progress.emitted)} of about ${count(progress.estimatedTotal)} records so far`;
}

/** Reads progress back from workflow static data; undefined when absent or malformed. */
export function readImportProgress(value: unknown): ImportProgress | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const { emitted, estimatedTotal, finished } = value as Record<string, unknown>;
	if (
		typeof emitted !== 'number' ||
		!Number.isFinite(emitted) ||
		emitted < 0 ||
		typeof finished !== 'boolean'
	)
		return undefined;
	return typeof estimatedTotal === 'number' && Number.isFinite(estimatedTotal)
		? { emitted, estimatedTotal, finished }
		: { emitted, finished };
}
