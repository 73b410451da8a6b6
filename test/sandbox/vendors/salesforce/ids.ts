/**
 * Salesforce record ids: 3-character key prefix per object, 15 case-sensitive characters,
 * plus the documented 3-character case-safe suffix that makes the 18-character form.
 */
const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_SHAPE = /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/;

export const KEY_PREFIXES: Readonly<Record<string, string>> = {
	Account: '001',
	Note: '002',
	Contact: '003',
	User: '005',
	Opportunity: '006',
	ContentNote: '069',
	ContentDocumentLink: '06A',
	OpportunityContactRole: '00K',
	Lead: '00Q',
	Task: '00T',
	Campaign: '701',
	ListView: '00B',
	CampaignMember: '00v',
	Event: '00U',
};

/** The 18-character form of a 15-character id (each 5-char chunk's upper-case bitmap → one letter). */
export function to18(id15: string): string {
	let suffix = '';
	for (let chunk = 0; chunk < 3; chunk++) {
		let flags = 0;
		for (let bit = 0; bit < 5; bit++) {
			const char = id15.charAt(chunk * 5 + bit);
			if (char >= 'A' && char <= 'Z') flags |= 1 << bit;
		}
		suffix += SUFFIX_ALPHABET.charAt(flags);
	}
	return id15 + suffix;
}

/** Canonical 18-character id, or undefined when the text is not shaped like an id (MALFORMED_ID). */
export function canonicalId(value: string): string | undefined {
	if (!ID_SHAPE.test(value)) return undefined;
	const id15 = value.slice(0, 15);
	const full = to18(id15);
	// An 18-character id whose suffix does not belong to its first 15 characters is malformed.
	if (value.length === 18 && value.slice(15).toUpperCase() !== full.slice(15)) return undefined;
	return full;
}

/** Deterministic id: key prefix + `5g` + zero-padded number (+ suffix). Seeds use < 1000, API creates ≥ 1000. */
export function salesforceId(objectType: string, n: number): string {
	const prefix = KEY_PREFIXES[objectType] ?? '000';
	return to18(`${prefix}5gSbx${String(n).padStart(7, '0')}`);
}

/** Object type of an id by its key prefix. */
export function objectTypeOfId(id: string): string | undefined {
	const prefix = id.slice(0, 3);
	return Object.entries(KEY_PREFIXES).find(([, p]) => p === prefix)?.[0];
}
