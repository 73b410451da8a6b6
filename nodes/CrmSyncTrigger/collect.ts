/**
 * Talks to the provider for one poll: pages through the changes since the cursor (or, in a
 * manual test, fetches a small recent sample). Every page goes through the cursor logic, so
 * a poll that stops early (record cap, time budget) leaves a cursor the next poll resumes
 * from without gaps or repeats.
 */
import type { ObjectKind } from '../shared/model';
import type { CrmProvider, ListChangedPage, RecordData } from '../shared/providers/CrmProvider';
import { closeTies, takePage, type PollCursor } from './logic/pollCursor';

export interface ListingRequest {
	objectType: string;
	properties: string[];
	filter?: string;
	pageSize: number;
	/** Give the emitted records their associations. */
	associations?: boolean;
	/** Only these associated kinds (all the provider reads when absent). */
	associationKinds?: ObjectKind[];
}

/**
 * Associations for the records a poll emits (never for re-listed ones the cursor drops), read
 * once for the whole poll so the provider can fill its largest batches.
 */
async function withAssociations(
	provider: CrmProvider,
	request: ListingRequest,
	records: RecordData[],
): Promise<RecordData[]> {
	if (!request.associations || !provider.readAssociations || records.length === 0) return records;
	return await provider.readAssociations(request.objectType, records, request.associationKinds);
}

export interface CollectLimits {
	maxRecords: number;
	/** Changes after this instant (ms) wait for the next poll (see TakeOptions.settledUntil). */
	settledUntil: number;
	/** True once the poll should stop fetching more pages. */
	outOfTime: () => boolean;
}

export interface Collected {
	records: RecordData[];
	cursor: PollCursor;
	/** Every settled change was read: the listing ended, or reached changes younger than the settle line. */
	caughtUp: boolean;
	/** What the CRM counted from the start cursor's timestamp on, when it says (first page). */
	listedFromSince?: number;
}

export async function collectChanges(
	provider: CrmProvider,
	request: ListingRequest,
	start: PollCursor,
	limits: CollectLimits,
): Promise<Collected> {
	let cursor = start;
	const records: RecordData[] = [];
	let pageCursor: string | undefined;
	let page: ListChangedPage;
	let reachedUnsettled: boolean;
	let listedFromSince: number | undefined;
	do {
		page = await provider.listChanged({ ...request, since: start.since, cursor: pageCursor });
		if (pageCursor === undefined) listedFromSince = page.listedFromSince;
		const step = takePage(cursor, page.records, { settledUntil: limits.settledUntil });
		cursor = step.cursor;
		records.push(...step.emit);
		reachedUnsettled = step.reachedUnsettled;
		pageCursor = reachedUnsettled ? undefined : page.nextCursor;
		// Stop for time only after some progress: pages of already-emitted ties alone would stall every poll.
	} while (
		pageCursor !== undefined &&
		records.length < limits.maxRecords &&
		!(records.length > 0 && limits.outOfTime())
	);
	const emitted = await withAssociations(provider, request, records);
	// The listing ended below the settle line: every change at the cursor's timestamp was read.
	const readToEnd = page.nextCursor === undefined && !reachedUnsettled;
	if (readToEnd && page.changeTimeResolutionMs !== undefined && cursor.seenAtSince.length > 0) {
		// Only past the settle line: a change still in flight may land in the tie's last instant.
		const closed = closeTies(cursor, page.changeTimeResolutionMs);
		if (Date.parse(closed.since) <= limits.settledUntil) cursor = closed;
	}
	return {
		records: emitted,
		cursor,
		caughtUp: readToEnd || reachedUnsettled,
		...(listedFromSince === undefined ? {} : { listedFromSince }),
	};
}

/** Widening look-back windows for a manual test: the narrowest one with changes wins. */
export const SAMPLE_WINDOWS_HOURS = [1, 24, 24 * 7, 24 * 30, 24 * 365] as const;

/**
 * A few recently changed records, newest window first. Providers list oldest first, so the
 * narrowest window holding changes gives the most recent ones; at most one call per window.
 */
export async function collectSample(
	provider: CrmProvider,
	request: ListingRequest,
	now: number,
	size: number,
): Promise<RecordData[]> {
	for (const hours of SAMPLE_WINDOWS_HOURS) {
		const since = new Date(now - hours * 3_600_000).toISOString();
		const page = await provider.listChanged({ ...request, since, pageSize: size });
		if (page.records.length > 0)
			return await withAssociations(provider, request, page.records.slice(0, size));
	}
	return [];
}
