/**
 * A create whose answer was lost (timed out, connection reset) may or may not have made the
 * record. People are found again by email and companies by domain; a deal, or a company
 * without a website, has no such key — so the node remembers the uncertain create and, on the
 * next delivery of that source record, looks for a record of that name created since, before
 * it would create again.
 *
 * Pure: the node lists the candidates (one change listing per object type for the batch).
 */

export interface PendingCreate {
	objectType: string;
	/** The target's name field and the name the lost create wrote. */
	nameField: string;
	name: string;
	/** ISO time just before the lost create was sent. */
	since: string;
}

export interface Candidate {
	id: string;
	name: unknown;
	createdAt?: string;
}

export type Recovery =
	{ status: 'found'; id: string } | { status: 'absent' } | { status: 'unknown'; reason: string };

const sameName = (a: unknown, b: string): boolean =>
	typeof a === 'string' && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * The record the lost create made: the earliest one of that name created since the attempt.
 * None found is certain only once the CRM's change listing has caught up (`listingLagMs`
 * after the attempt); before that the answer is "unknown" and nothing is created.
 */
export function recoverPendingCreate(
	pending: PendingCreate,
	candidates: readonly Candidate[],
	now: number,
	listingLagMs: number,
): Recovery {
	const since = Date.parse(pending.since);
	const matches = candidates
		.filter((candidate) => sameName(candidate.name, pending.name))
		.filter((candidate) => {
			const created = candidate.createdAt ? Date.parse(candidate.createdAt) : Number.NaN;
			return Number.isNaN(created) || created >= since;
		})
		.sort(
			(a, b) => (a.createdAt ?? '').localeCompare(b.createdAt ?? '') || a.id.localeCompare(b.id),
		);
	if (matches.length > 0) return { status: 'found', id: matches[0].id };
	if (now - since < listingLagMs)
		return {
			status: 'unknown',
			reason: `an earlier create of "${pending.name}" had no answer and the CRM may not list it yet; try again in a minute`,
		};
	return { status: 'absent' };
}
