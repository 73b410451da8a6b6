/**
 * The phone SOSL: one `FIND … IN PHONE FIELDS` per batch of numbers. Terms are escaped
 * and quoted by soslFindClause (every reserved character backslash-escaped inside a
 * phrase), so a value can never close the FIND braces or add a RETURNING clause.
 */
import { soslFindClause } from '../../logic/escape';
import { ACCOUNT_FIELDS, CONTACT_FIELDS, LEAD_FIELDS } from './soql';

/** Search terms per SOSL request: keeps each query far below Salesforce's 4,000-character search-query limit. */
export const SOSL_TERMS_PER_SEARCH = 50;

export type PhoneSearchObject = 'Contact' | 'Lead' | 'Account';

const RETURNING_FIELDS: Record<PhoneSearchObject, string[]> = {
	Contact: CONTACT_FIELDS,
	Lead: LEAD_FIELDS,
	Account: ACCOUNT_FIELDS,
};

export function phoneSearchSosl(
	terms: readonly string[],
	objects: readonly PhoneSearchObject[],
): string {
	const returning = objects
		.map((object) => `${object}(${RETURNING_FIELDS[object].join(', ')})`)
		.join(', ');
	return `${soslFindClause(terms)} IN PHONE FIELDS RETURNING ${returning}`;
}

/**
 * Packs each number's spellings into groups of at most `cap` terms without splitting one
 * number's spellings over two searches (a number longer than the cap gets its own group).
 */
export function packTermGroups(
	termsPerPhone: readonly string[][],
	cap: number = SOSL_TERMS_PER_SEARCH,
): string[][] {
	const groups: string[][] = [];
	let current: string[] = [];
	for (const terms of termsPerPhone) {
		const fresh = terms.filter((term) => !current.includes(term));
		if (current.length > 0 && current.length + fresh.length > cap) {
			groups.push(current);
			current = [];
		}
		for (const term of terms) if (!current.includes(term)) current.push(term);
	}
	if (current.length > 0) groups.push(current);
	return groups;
}
