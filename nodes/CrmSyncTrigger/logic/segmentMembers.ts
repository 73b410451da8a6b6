/**
 * Membership changes of a list/segment, found by comparing snapshots of its member ids.
 *
 * No supported CRM reports when a record left a list, so every poll (or several, for a large
 * list) reads the whole membership page by page: a scan. A member the stored set lacks comes
 * out as `added` as soon as its page is read; once a scan has read the last page, the stored
 * members it did not see come out as `removed`, and the scan's ids become the stored set.
 * A member that joins behind the scan's position is seen by the next scan; one that leaves
 * after its page was read is missed by the next scan. So every membership change observed
 * between two scans comes out exactly once, whatever the page boundaries.
 *
 * The state is plain JSON for the node's static data; members are kept as one string of
 * ids per object type, which costs about the ids' own length per member.
 *
 * Pure: no I/O, no clock.
 */

export interface SegmentMember {
	id: string;
	/** The member record's object (a campaign has Lead and Contact members). */
	objectType: string;
}

export interface MembershipState {
	/** The member ids of the last finished scan, by object type, comma-separated and sorted. */
	members: Record<string, string>;
	/** Whether a scan has finished: until then `members` is not a snapshot yet. */
	baselined: boolean;
	/** A scan that is still reading pages. */
	scan?: {
		/** The provider's cursor of the next page; absent before the first page. */
		pageCursor?: string;
		/** Ids read so far by this scan, in the same form as `members`. */
		seen: Record<string, string>;
	};
}

/** How the first scan treats the members it finds. */
export type FirstScan = 'baseline' | 'emitAll';

/** Members the trigger remembers at most; a bigger list fails the poll with a clear error. */
export const MAX_SEGMENT_MEMBERS = 100_000;

type MemberSet = Map<string, Set<string>>;

function toSet(encoded: Record<string, string>): MemberSet {
	const set: MemberSet = new Map();
	for (const [objectType, ids] of Object.entries(encoded)) {
		if (typeof ids !== 'string' || ids === '') continue;
		set.set(objectType, new Set(ids.split(',')));
	}
	return set;
}

function fromSet(set: MemberSet): Record<string, string> {
	const encoded: Record<string, string> = {};
	for (const [objectType, ids] of [...set.entries()].sort(([a], [b]) => a.localeCompare(b))) {
		if (ids.size > 0) encoded[objectType] = [...ids].sort().join(',');
	}
	return encoded;
}

function has(set: MemberSet, member: SegmentMember): boolean {
	return set.get(member.objectType)?.has(member.id) === true;
}

function add(set: MemberSet, member: SegmentMember): void {
	const ids = set.get(member.objectType) ?? new Set<string>();
	ids.add(member.id);
	set.set(member.objectType, ids);
}

function sizeOf(set: MemberSet): number {
	let size = 0;
	for (const ids of set.values()) size += ids.size;
	return size;
}

export function emptyMembership(): MembershipState {
	return { members: {}, baselined: false };
}

function isEncodedSet(value: unknown): value is Record<string, string> {
	return (
		typeof value === 'object' &&
		value !== null &&
		!Array.isArray(value) &&
		Object.values(value).every((ids) => typeof ids === 'string')
	);
}

/** Reads the state back from workflow static data; undefined when absent or malformed. */
export function readMembership(value: unknown): MembershipState | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const { members, baselined, scan } = value as Record<string, unknown>;
	if (!isEncodedSet(members) || typeof baselined !== 'boolean') return undefined;
	const state: MembershipState = { members, baselined };
	if (typeof scan === 'object' && scan !== null) {
		const { pageCursor, seen } = scan as Record<string, unknown>;
		if (isEncodedSet(seen) && (pageCursor === undefined || typeof pageCursor === 'string'))
			state.scan = pageCursor === undefined ? { seen } : { pageCursor, seen };
	}
	return state;
}

/** Ids of a member id that cannot be stored (the set's separator) are refused loudly. */
function checkId(member: SegmentMember): void {
	if (member.id === '' || member.id.includes(','))
		throw new Error(`Member id "${member.id}" cannot be tracked (empty or holds a comma)`);
}

export interface PageStep {
	/** Members to emit as added, in page order. */
	added: SegmentMember[];
	state: MembershipState;
}

/**
 * Takes one page of a scan: `nextPageCursor` is where the scan goes on (absent when this was
 * the last page; then call `finishScan`). Members already read by this scan are skipped, so
 * overlapping pages do no harm.
 */
export function takeMembersPage(
	state: MembershipState,
	page: readonly SegmentMember[],
	nextPageCursor: string | undefined,
	firstScan: FirstScan,
): PageStep {
	const members = toSet(state.members);
	const seen = toSet(state.scan?.seen ?? {});
	const emit = state.baselined || firstScan === 'emitAll';
	const added: SegmentMember[] = [];
	for (const member of page) {
		checkId(member);
		if (has(seen, member)) continue;
		add(seen, member);
		if (emit && !has(members, member)) added.push({ id: member.id, objectType: member.objectType });
	}
	if (sizeOf(seen) > MAX_SEGMENT_MEMBERS)
		throw new Error(
			`The list has more than ${MAX_SEGMENT_MEMBERS.toLocaleString('en-US')} members, more than the trigger can track`,
		);
	const scan =
		nextPageCursor === undefined
			? { seen: fromSet(seen) }
			: { pageCursor: nextPageCursor, seen: fromSet(seen) };
	return { added, state: { members: state.members, baselined: state.baselined, scan } };
}

export interface FinishStep {
	/** Stored members the scan did not see, sorted by object type and id. */
	removed: SegmentMember[];
	state: MembershipState;
}

/** Ends the current scan after its last page: what it did not see has left the list. */
export function finishScan(state: MembershipState): FinishStep {
	const members = toSet(state.members);
	const seen = toSet(state.scan?.seen ?? {});
	const removed: SegmentMember[] = [];
	if (state.baselined) {
		for (const [objectType, ids] of [...members.entries()].sort(([a], [b]) => a.localeCompare(b)))
			for (const id of [...ids].sort())
				if (!seen.get(objectType)?.has(id)) removed.push({ id, objectType });
	}
	return { removed, state: { members: fromSet(seen), baselined: true } };
}

/** How many members the stored snapshot holds. */
export function memberCount(state: MembershipState): number {
	return sizeOf(toSet(state.members));
}
