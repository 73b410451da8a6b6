/**
 * Matches a batch of activity lookups to the activities one batched CRM read returned.
 * Per lookup, in this order: an activity carrying its key; else one of the same
 * conversation; else one on the same contact whose start lies within the lookup's
 * tolerance, closest first. A start-time match is exclusive across the batch — two
 * lookups for one contact at different times never share (or steal) a meeting — and an
 * activity claimed by key or conversation is not handed to another lookup by time.
 */
import type { ActivityKind } from '../model';

/** What is looked for (structurally the provider port's ActivityLookup). */
export interface LookupCriteria {
	kind: ActivityKind;
	key?: string;
	conversationId?: string;
	startAt?: string;
	toleranceMinutes?: number;
	contactId?: string;
}

/** An activity the CRM returned, reduced to what matching needs. */
export interface ActivityCandidate {
	kind: ActivityKind;
	/** The idempotency key the activity carries, if any. */
	key?: string;
	conversationId?: string;
	/** Start time in epoch milliseconds (NaN or absent: no start-time match). */
	startMs?: number;
	/** Contacts/leads the activity is known to be with. */
	contactIds: readonly string[];
}

export type LookupMatchedBy = 'key' | 'conversationId' | 'startTime';

export interface LookupMatch {
	/** Index into the candidates. */
	candidate: number;
	matchedBy: LookupMatchedBy;
}

const MINUTE = 60_000;

/** A lookup's start in epoch ms; a start that is not a timestamp is a caller error. */
export function lookupStartMs(lookup: LookupCriteria): number | undefined {
	if (!lookup.startAt) return undefined;
	const start = Date.parse(lookup.startAt);
	if (Number.isNaN(start))
		throw new Error(`activity lookup: startAt "${lookup.startAt.slice(0, 40)}" is not a timestamp`);
	return start;
}

/** The window [from, to] (epoch ms) a lookup's start-time match must lie in. */
export function lookupWindow(lookup: LookupCriteria): { from: number; to: number } | undefined {
	const start = lookupStartMs(lookup);
	if (start === undefined) return undefined;
	const tolerance = Math.max(0, lookup.toleranceMinutes ?? 0) * MINUTE;
	return { from: start - tolerance, to: start + tolerance };
}

/** Whether a lookup can match by start time at all (a start and a contact to confine it to). */
export function matchesByTime(lookup: LookupCriteria): boolean {
	return lookup.startAt !== undefined && lookup.startAt !== '' && Boolean(lookup.contactId);
}

export interface MatchOptions {
	/**
	 * Key and conversation matches must be with the lookup's contact too (CRMs where an
	 * activity belongs to exactly one person, so each person gets their own copy).
	 */
	sameContactOnly?: boolean;
}

export function matchActivityLookups(
	lookups: readonly LookupCriteria[],
	candidates: readonly ActivityCandidate[],
	options: MatchOptions = {},
): Array<LookupMatch | undefined> {
	const out: Array<LookupMatch | undefined> = lookups.map(() => undefined);
	// Which lookup identity (kind + key / conversation) claimed a candidate.
	const claimedBy = new Map<number, string>();
	// Keys first for every lookup, so a later lookup's key match is not lost to an earlier
	// lookup's conversation match; lookups with the same key share their activity.
	for (const field of ['key', 'conversationId'] as const) {
		lookups.forEach((lookup, index) => {
			const value = lookup[field];
			if (out[index] || !value) return;
			const identity = `${field}\u0000${lookup.kind}\u0000${value}`;
			const found = candidates.findIndex(
				(candidate, c) =>
					candidate.kind === lookup.kind &&
					candidate[field] === value &&
					(!options.sameContactOnly ||
						(lookup.contactId !== undefined && candidate.contactIds.includes(lookup.contactId))) &&
					(claimedBy.get(c) ?? identity) === identity,
			);
			if (found < 0) return;
			claimedBy.set(found, identity);
			out[index] = { candidate: found, matchedBy: field };
		});
	}

	const pairs: Array<{ lookup: number; candidate: number; distance: number }> = [];
	lookups.forEach((lookup, index) => {
		if (out[index] || !matchesByTime(lookup)) return;
		const window = lookupWindow(lookup);
		const start = lookupStartMs(lookup);
		if (!window || start === undefined) return;
		candidates.forEach((candidate, c) => {
			if (claimedBy.has(c) || candidate.kind !== lookup.kind) return;
			if (!candidate.contactIds.includes(lookup.contactId as string)) return;
			const at = candidate.startMs;
			if (at === undefined || Number.isNaN(at) || at < window.from || at > window.to) return;
			pairs.push({ lookup: index, candidate: c, distance: Math.abs(at - start) });
		});
	});
	pairs.sort((a, b) => a.distance - b.distance || a.lookup - b.lookup || a.candidate - b.candidate);
	const taken = new Set<number>();
	for (const pair of pairs) {
		if (out[pair.lookup] || taken.has(pair.candidate)) continue;
		taken.add(pair.candidate);
		out[pair.lookup] = { candidate: pair.candidate, matchedBy: 'startTime' };
	}
	return out;
}
