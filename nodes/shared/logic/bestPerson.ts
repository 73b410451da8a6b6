/**
 * Which of several people matching one phone number or email is "the" caller. A contact
 * wins over a lead (a lead is a person not yet qualified, often a duplicate of the contact);
 * then the one the team worked with most recently; then the most recently created record.
 */
import type { CrmRef } from '../model';

export interface PersonCandidate {
	ref: CrmRef;
	/** ISO time of the person's last activity, when the CRM keeps one. */
	lastActivityAt?: string;
}

function time(value: string | undefined): number {
	const parsed = Date.parse(value ?? '');
	return Number.isNaN(parsed) ? 0 : parsed;
}

function kindRank(ref: CrmRef): number {
	return ref.kind === 'contact' ? 0 : 1;
}

/** Best first; ties keep the CRM's order. */
export function rankPeople(candidates: readonly PersonCandidate[]): PersonCandidate[] {
	return candidates
		.map((candidate, index) => ({ candidate, index }))
		.sort(
			(a, b) =>
				kindRank(a.candidate.ref) - kindRank(b.candidate.ref) ||
				time(b.candidate.lastActivityAt) - time(a.candidate.lastActivityAt) ||
				time(b.candidate.ref.createdAt) - time(a.candidate.ref.createdAt) ||
				a.index - b.index,
		)
		.map(({ candidate }) => candidate);
}

export function bestPerson(candidates: readonly PersonCandidate[]): PersonCandidate | undefined {
	return rankPeople(candidates)[0];
}

/** A CRM date or datetime as ISO, or undefined when it is empty or not a date. */
export function isoTime(value: unknown): string | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (text === '') return undefined;
	// HubSpot may send epoch milliseconds as text.
	const parsed = /^\d{10,}$/.test(text) ? Number(text) : Date.parse(text);
	return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}
