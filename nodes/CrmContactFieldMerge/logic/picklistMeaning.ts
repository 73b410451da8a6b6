/**
 * Status picklists differ per org (Salesforce admins rename Lead Status values, HubSpot
 * portals edit hs_lead_status), so a workflow that knows only what a status *means* —
 * qualified, unqualified, pending — names the meaning and the org's own value is picked at
 * run time: the first of the meaning's usual picklist words that the picklist has, compared
 * by value and by label, ignoring case and punctuation. Pure.
 */
import type { PicklistOption } from './fieldValues';

/** Picklist words that carry each meaning, best first (Salesforce's old and new defaults, HubSpot's lead statuses). */
export const PICKLIST_MEANINGS: Readonly<Record<string, readonly string[]>> = {
	qualified: [
		'qualified',
		'sales qualified lead',
		'working - contacted',
		'working',
		'in progress',
		'contacted',
		'connected',
		'open deal',
	],
	unqualified: [
		'unqualified',
		'disqualified',
		'not qualified',
		'closed - not converted',
		'bad timing',
		'closed lost',
		'lost',
	],
	pending: ['pending', 'new', 'open - not contacted', 'not contacted', 'open', 'nurturing'],
};

/** Lower case, every run of non-letters/digits one space: "Closed - Not Converted" ≈ "CLOSED_NOT_CONVERTED". */
export function picklistWords(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^\p{L}\p{N}]+/gu, ' ')
		.trim();
}

/** The option that carries `meaning` in this picklist, or undefined (not a meaning, or no option fits). */
export function optionForMeaning(
	options: readonly PicklistOption[],
	meaning: string,
): PicklistOption | undefined {
	const candidates = PICKLIST_MEANINGS[picklistWords(meaning)];
	if (!candidates) return undefined;
	for (const candidate of candidates) {
		const wanted = picklistWords(candidate);
		const hit = options.find(
			(option) => picklistWords(option.value) === wanted || picklistWords(option.label) === wanted,
		);
		if (hit) return hit;
	}
	return undefined;
}
