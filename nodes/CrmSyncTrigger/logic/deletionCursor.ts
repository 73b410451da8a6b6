/**
 * The cursor of deleted records, kept next to the change cursor, with the same promise:
 * every deletion comes out once.
 *
 * CRMs list deletions two ways. By time (HubSpot's archived listing, Salesforce's delete
 * log): each poll asks again from `since` and the time cursor (see pollCursor.ts) drops what
 * was emitted — but these listings are not ordered by time, so a poll reads the listing to
 * its end and orders it before taking it. By token (Dataverse change tracking): the listing
 * ends with a token that reads only later deletions, and `token` keeps it; the time part
 * then only orders what a page holds.
 *
 * Pure: no I/O, no clock.
 */
import { changeTime, readCursor, startCursor, takePage, type PollCursor } from './pollCursor';

export interface DeletionCursor extends PollCursor {
	/** Where a token-tracking CRM continues; absent for CRMs that list deletions by time. */
	token?: string;
}

export interface Deletion {
	id: string;
	deletedAt?: string;
}

export function startDeletionCursor(since: Date | string): DeletionCursor {
	return startCursor(since);
}

export function readDeletionCursor(value: unknown): DeletionCursor | undefined {
	const cursor = readCursor(value);
	if (!cursor) return undefined;
	const token = (value as { token?: unknown }).token;
	return typeof token === 'string' && token !== '' ? { ...cursor, token } : cursor;
}

/** Oldest deletion first, then by id; deletions without a time keep their order, first. */
export function orderDeletions<T extends Deletion>(deletions: readonly T[]): T[] {
	return deletions
		.map((deletion, index) => ({ deletion, index, at: changeTime(deletion.deletedAt) }))
		.sort((a, b) => {
			if (a.at === undefined || b.at === undefined)
				return a.at === b.at ? a.index - b.index : a.at === undefined ? -1 : 1;
			if (a.at !== b.at) return a.at - b.at;
			return a.deletion.id < b.deletion.id ? -1 : a.deletion.id > b.deletion.id ? 1 : 0;
		})
		.map((entry) => entry.deletion);
}

export interface DeletionStep<T extends Deletion> {
	emit: T[];
	cursor: DeletionCursor;
}

export interface TakeDeletionsOptions {
	/** Deletions after this instant (ms) wait for the next poll. */
	settledUntil?: number;
	/**
	 * The token the whole listing ended with (token-tracking CRMs). Adopted only when nothing
	 * was held back for the settle line: the token would skip the held-back deletions.
	 */
	resumeToken?: string;
}

/**
 * Takes one whole listing of deletions (every page of one poll): drops what the cursor says
 * was emitted, emits the rest oldest first, and moves the cursor.
 */
export function takeDeletions<T extends Deletion>(
	cursor: DeletionCursor,
	listing: readonly T[],
	options: TakeDeletionsOptions = {},
): DeletionStep<T> {
	const ordered = orderDeletions(listing).map((original) => ({
		id: original.id,
		updatedAt: original.deletedAt,
		original,
	}));
	const step = takePage({ since: cursor.since, seenAtSince: cursor.seenAtSince }, ordered, {
		settledUntil: options.settledUntil,
	});
	const emit = step.emit.map((taken) => taken.original);
	const token = step.reachedUnsettled ? cursor.token : (options.resumeToken ?? cursor.token);
	return { emit, cursor: token ? { ...step.cursor, token } : step.cursor };
}
