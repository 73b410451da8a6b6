/**
 * Search request building. HubSpot ORs filter groups and ANDs the filters inside a
 * group; we pack many keys into one `IN` filter, so a whole batch of items usually costs
 * one search request, and never exceed the documented request limits below: keys beyond
 * them go to further requests (planSlices), never into one unbounded filter.
 */
import type { SearchBody, SearchFilter, HubSpotObject } from './client';
import type { HubSpotSession } from './session';

/** HubSpot's search limits (raised in August 2024 from 3 groups × 3 filters, 9 in all). */
export const MAX_FILTER_GROUPS = 5;
export const MAX_FILTERS_PER_GROUP = 10;
export const MAX_FILTERS_TOTAL = 25;
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
	// The primary company: read by id instead of searched for (companyMatching.ts).
	'associatedcompanyid',
	'hubspot_owner_id',
	'createdate',
	'lastmodifieddate',
];

export const COMPANY_MATCH_PROPERTIES = [
	'name',
	'domain',
	'hubspot_owner_id',
	'createdate',
	'hs_lastmodifieddate',
];

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
		groups.push({
			filters: [inFilter('hs_searchable_calculated_phone_number', keys.nationalDigits)],
		});
		groups.push({
			filters: [inFilter('hs_searchable_calculated_mobile_number', keys.nationalDigits)],
		});
	}
	if (keys.emails.length) groups.push({ filters: [inFilter('email', keys.emails)] });
	return groups;
}

export function domainFilterGroups(domains: string[]): SearchBody['filterGroups'] {
	return domains.length ? [{ filters: [inFilter('domain', domains)] }] : [];
}

/**
 * Splits items into consecutive slices whose distinct keys (per key list) stay within
 * `maxValues`, so each slice fits one request's IN filters. An item with more keys than
 * that would get a slice of its own beyond the cap: callers pass units no larger than the
 * cap (one phone or one email each), so every slice fits.
 */
export function planSlices<T>(
	items: T[],
	keyLists: (item: T) => string[][],
	maxValues = MAX_IN_VALUES,
): number[][] {
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

/** Why a search body breaks HubSpot's documented limits, or undefined when it fits. */
export function searchLimitViolation(body: Pick<SearchBody, 'filterGroups'>): string | undefined {
	const groups = body.filterGroups ?? [];
	if (groups.length > MAX_FILTER_GROUPS)
		return `${groups.length} filter groups (at most ${MAX_FILTER_GROUPS})`;
	let total = 0;
	for (const group of groups) {
		if (group.filters.length > MAX_FILTERS_PER_GROUP)
			return `${group.filters.length} filters in one group (at most ${MAX_FILTERS_PER_GROUP})`;
		total += group.filters.length;
		for (const filter of group.filters) {
			const count = filter.values?.length ?? 0;
			if (count > MAX_IN_VALUES)
				return `${count} values in the ${filter.operator} filter on ${filter.propertyName} (at most ${MAX_IN_VALUES})`;
		}
	}
	return total > MAX_FILTERS_TOTAL ? `${total} filters (at most ${MAX_FILTERS_TOTAL})` : undefined;
}

/** Runs one search and follows `after` until HubSpot reports no next page. */
export async function searchAllPages(
	session: HubSpotSession,
	objectType: string,
	body: Omit<SearchBody, 'after' | 'limit'>,
): Promise<HubSpotObject[]> {
	// A bug guard: matching code slices keys to fit; a body beyond the limits is never sent.
	const violation = searchLimitViolation(body);
	if (violation) throw new Error(`HubSpot search on ${objectType} not sent: ${violation}`);
	const records: HubSpotObject[] = [];
	let after: string | undefined;
	do {
		const request: SearchBody = { ...body, limit: SEARCH_PAGE_SIZE, ...(after ? { after } : {}) };
		const page = await session.search(`POST /crm/v3/objects/${objectType}/search`, (api) =>
			api.search(objectType, request),
		);
		records.push(...page.results);
		after = page.nextAfter;
	} while (after && records.length < SEARCH_RESULT_CAP);
	return records;
}
