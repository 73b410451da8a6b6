/**
 * The polling trigger's cursor: which changes have already been emitted.
 *
 * Providers list records changed at or after `since` (inclusive), oldest first. Several
 * records can share one timestamp, and a poll can stop between two of them (page size,
 * record cap, time budget). So the cursor keeps the newest timestamp emitted *and* the ids
 * already emitted at exactly that timestamp: the next poll asks again from that timestamp
 * (inclusive) and drops those ids. Nothing sharing the timestamp is missed, nothing is
 * repeated, and a record changed again later (newer timestamp) comes out again, as it should.
 *
 * Pure: no I/O, no clock.
 */

export interface PollCursor {
	/** ISO timestamp (UTC, ms precision) of the newest change emitted so far. */
	since: string;
	/** Ids already emitted whose change time is exactly `since`. */
	seenAtSince: string[];
}

/** The part of a record the cursor looks at. */
export interface ChangedRecord {
	id: string;
	/** Change time as the CRM reports it (any format Date.parse reads); absent = unknown. */
	updatedAt?: string;
}

export interface CursorStep<T extends ChangedRecord> {
	/** Records to emit, in the order received. */
	emit: T[];
	cursor: PollCursor;
	/** A record changed after `settledUntil` was reached: stop paging, the next poll takes it from here. */
	reachedUnsettled: boolean;
}

export interface TakeOptions {
	/**
	 * Only changes at or before this instant (ms) are taken. CRM search indexes lag behind
	 * writes (HubSpot: seconds), so a change stamped T can become listable after a later
	 * change was already seen; moving the cursor past T only once T is older than that lag
	 * keeps such a change from being skipped.
	 */
	settledUntil?: number;
}

/** Milliseconds of a change time, or undefined when it cannot be read. */
export function changeTime(value: string | undefined): number | undefined {
	if (!value) return undefined;
	const millis = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
	return Number.isNaN(millis) ? undefined : millis;
}

export function startCursor(since: Date | string): PollCursor {
	const millis = typeof since === 'string' ? changeTime(since) : since.getTime();
	if (millis === undefined || Number.isNaN(millis))
		throw new Error(`"${String(since)}" is not a valid start time`);
	return { since: new Date(millis).toISOString(), seenAtSince: [] };
}

/** Reads a cursor back from workflow static data; undefined when absent or malformed. */
export function readCursor(value: unknown): PollCursor | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const candidate = value as Partial<PollCursor>;
	if (typeof candidate.since !== 'string' || changeTime(candidate.since) === undefined)
		return undefined;
	const seen = Array.isArray(candidate.seenAtSince)
		? candidate.seenAtSince.filter((id): id is string => typeof id === 'string')
		: [];
	return { since: candidate.since, seenAtSince: seen };
}

/**
 * Takes one page of listed records: drops what the cursor says was emitted already and
 * moves the cursor over the rest. Call it page after page within a poll and across polls;
 * every (id, change time) pair comes out once.
 *
 * Providers list oldest first (HubSpot, Salesforce, Dynamics and autoch.at all do), which
 * this relies on. Records older than the cursor (a provider that ignored `since`) are
 * dropped; records without a readable change time are emitted but never move the cursor.
 */
export function takePage<T extends ChangedRecord>(
	cursor: PollCursor,
	records: readonly T[],
	options: TakeOptions = {},
): CursorStep<T> {
	let sinceMillis = changeTime(cursor.since) ?? 0;
	let seen = new Set(cursor.seenAtSince);
	const emit: T[] = [];
	let reachedUnsettled = false;
	for (const record of records) {
		const at = changeTime(record.updatedAt);
		if (at === undefined) {
			emit.push(record);
			continue;
		}
		// Listings are oldest first: everything after an unsettled change is unsettled too.
		if (options.settledUntil !== undefined && at > options.settledUntil) {
			reachedUnsettled = true;
			break;
		}
		if (at < sinceMillis) continue;
		if (at === sinceMillis) {
			if (seen.has(record.id)) continue;
			seen.add(record.id);
			emit.push(record);
			continue;
		}
		// A newer change time: the ids seen at the old one no longer matter.
		sinceMillis = at;
		seen = new Set([record.id]);
		emit.push(record);
	}
	return {
		emit,
		cursor: { since: new Date(sinceMillis).toISOString(), seenAtSince: [...seen] },
		reachedUnsettled,
	};
}

/**
 * After a poll read the listing to its end with every change at `since` settled, no record
 * at `since` can still be missing, so the next poll may start at the next representable
 * change time and forget the ids. Without this, a bulk change (thousands of records sharing
 * one timestamp) would be read again, page after page, on every later poll.
 * `resolutionMs` is the CRM's change-time granularity; nothing can change between `since`
 * and the next multiple of it.
 */
export function closeTies(cursor: PollCursor, resolutionMs: number): PollCursor {
	const since = changeTime(cursor.since);
	if (since === undefined || !Number.isInteger(resolutionMs) || resolutionMs < 1) return cursor;
	const next = Math.floor(since / resolutionMs) * resolutionMs + resolutionMs;
	return { since: new Date(next).toISOString(), seenAtSince: [] };
}
