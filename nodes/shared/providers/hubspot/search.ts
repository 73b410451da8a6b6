/**
 * Search request building. HubSpot ORs filter groups and ANDs the filters inside a
 * group; we stay within 5 groups × 6 filters and pack many keys into one `IN` filter,
 * so a whole batch of items costs one search request.
 */
import type { SearchBody, SearchFilter, HubSpotObject } from './client';
import type { HubSpotSession } from './session';

export const MAX_FILTER_GROUPS = 5;
export const MAX_FILTERS_PER_GROUP = 6;
/** Values per IN filter we allow ourselves in one request (HubSpot caps IN lists). */
export const MAX_IN_VALUES = 100;
/** HubSpot's page size cap for search. */
export const SEARCH_PAGE_SIZE = 200;
/** HubSpot stops paging a search at 10,000 results. */
export const SEARCH_RESULT_CAP = 10_000;

export const CONTACT_MATCH_PROPERTIES = [
	'firstname',
	'lastname',
	'email',
	'hs_additional_emails',
	'phone',
	'mobilephone',
	'hubspot_owner_id',
	'createdate',
	'lastmodifieddate',
];

export const COMPANY_MATCH_PROPERTIES = ['name', 'domain', 'hubspot_owner_id', 'createdate', 'hs_lastmodifieddate'];

export interface ContactKeys {
	/** E.164 numbers, searched on phone / mobilephone. */
	e164: string[];
	/** National significant digits, searched on the calculated searchable fields. */
	nationalDigits: string[];
	/** Lower-case emails (HubSpot's IN operator needs lower-case string values). */
	emails: string[];
}

function inFilter(propertyName: string, values: string[]): SearchFilter {
	return { propertyName, operator: 'IN', values };
}

/** One OR'ed group per field; empty key lists produce no group. */
export function contactFilterGroups(keys: ContactKeys): SearchBody['filterGroups'] {
	const groups: SearchBody['filterGroups'] = [];
	if (keys.e164.length) {
		groups.push({ filters: [inFilter('phone', keys.e164)] });
		groups.push({ filters: [inFilter('mobilephone', keys.e164)] });
	}
	if (keys.nationalDigits.length) {
		groups.push({ filters: [inFilter('hs_searchable_calculated_phone_number', keys.nationalDigits)] });
		groups.push({ filters: [inFilter('hs_searchable_calculated_mobile_number', keys.nationalDigits)] });
	}
	if (keys.emails.length) groups.push({ filters: [inFilter('email', keys.emails)] });
	return groups;
}

export function domainFilterGroups(domains: string[]): SearchBody['filterGroups'] {
	return domains.length ? [{ filters: [inFilter('domain', domains)] }] : [];
}

/**
 * Splits items into consecutive slices whose distinct keys (per key list) stay within
 * `maxValues`, so each slice fits one request's IN filters.
 */
export function planSlices<T>(items: T[], keyLists: (item: T) => string[][], maxValues = MAX_IN_VALUES): number[][] {
	const slices: number[][] = [];
	let current: number[] = [];
	let seen: Array<Set<string>> = [];
	items.forEach((item, index) => {
		const lists = keyLists(item);
		const fits = lists.every((list, listIndex) => {
			const set = seen[listIndex] ?? new Set<string>();
			return new Set([...set, ...list]).size <= maxValues;
		});
		if (!fits && current.length) {
			slices.push(current);
			current = [];
			seen = [];
		}
		current.push(index);
		lists.forEach((list, listIndex) => {
			const set = (seen[listIndex] ??= new Set<string>());
			for (const value of list) set.add(value);
		});
	});
	if (current.length) slices.push(current);
	return slices;
}

/** Runs one search and follows `after` until HubSpot reports no next page. */
export async function searchAllPages(
	session: HubSpotSession,
	objectType: string,
	body: Omit<SearchBody, 'after' | 'limit'>,
): Promise<HubSpotObject[]> {
	const records: HubSpotObject[] = [];
	let after: string | undefined;
	do {
		const request: SearchBody = { ...body, limit: SEARCH_PAGE_SIZE, ...(after ? { after } : {}) };
		const page = await session.search(`POST /crm/v3/objects/${objectType}/search`, (api) => api.search(objectType, request));
		records.push(...page.results);
		after = page.nextAfter;
	} while (after && records.length < SEARCH_RESULT_CAP);
	return records;
}
