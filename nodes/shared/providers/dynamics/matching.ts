/**
 * findMatches for Dataverse: every lookup of a batch of queries goes in ONE $batch of GETs —
 * contacts, leads and accounts by phone/email/domain, and the opportunities whose parent
 * contact or account has those keys (the same conditions read through the opportunity's
 * lookups), so no second round trip waits for the people's ids. Every hit is confirmed
 * client-side, because phone fields are free text and `contains` on websiteurl matches
 * loosely; an opportunity counts only when its parent is a confirmed match.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

import { encodeODataFilter } from '../../logic/escape';
import { phoneSearchVariants, samePhone } from '../../logic/phone';
import { emptyMatchSet, type CrmRef, type MatchSet, type ObjectKind } from '../../model';
import { chunkWithin } from '../batch';
import type { MatchOptions, MatchQuery } from '../CrmProvider';
import type { BatchGroup, BatchPartResponse } from './batch';
import type { DynamicsClient } from './client';
import { batchPartError } from './errors';
import { allOf, anyOf, contains, endsWith, eq, eqGuid, queryPath } from './odata';
import { collectionRows, plainProperties, type Row } from './rows';

export type BaseKind = Exclude<ObjectKind, 'deal'>;

interface KindSpec {
	entity: string;
	entitySet: string;
	primaryId: string;
	nameField: string;
	phoneFields: string[];
	emailFields: string[];
	/** Accounts: matched by website / email domain. */
	domainMatch: boolean;
	select: string[];
}

const COMMON = ['_ownerid_value', 'createdon', 'modifiedon'];

export const SPECS: Record<BaseKind, KindSpec> = {
	contact: {
		entity: 'contact',
		entitySet: 'contacts',
		primaryId: 'contactid',
		nameField: 'fullname',
		phoneFields: ['telephone1', 'mobilephone', 'telephone2'],
		emailFields: ['emailaddress1'],
		domainMatch: false,
		select: [
			'contactid',
			'fullname',
			'telephone1',
			'mobilephone',
			'telephone2',
			'emailaddress1',
			'_parentcustomerid_value',
			...COMMON,
		],
	},
	lead: {
		entity: 'lead',
		entitySet: 'leads',
		primaryId: 'leadid',
		nameField: 'fullname',
		phoneFields: ['telephone1', 'mobilephone', 'telephone2'],
		emailFields: ['emailaddress1'],
		domainMatch: false,
		select: [
			'leadid',
			'fullname',
			'companyname',
			'telephone1',
			'mobilephone',
			'telephone2',
			'emailaddress1',
			'statecode',
			...COMMON,
		],
	},
	company: {
		entity: 'account',
		entitySet: 'accounts',
		primaryId: 'accountid',
		nameField: 'name',
		phoneFields: ['telephone1', 'telephone2'],
		emailFields: ['emailaddress1'],
		domainMatch: true,
		select: [
			'accountid',
			'name',
			'telephone1',
			'telephone2',
			'emailaddress1',
			'websiteurl',
			...COMMON,
		],
	},
};

export const OPPORTUNITY_SELECT = [
	'opportunityid',
	'name',
	'statecode',
	'_parentaccountid_value',
	'_parentcontactid_value',
	'estimatedvalue',
	...COMMON,
];

/**
 * URL-encoded characters of one lookup's $filter. Dataverse takes URLs of at most 32,768
 * characters; a query with more keys than fit is looked up with several GETs (all in the
 * same $batch) instead of one oversized filter.
 */
export const MAX_FILTER_URL_CHARS = 12_000;

/** ORs clauses into as many filters as needed to keep each within MAX_FILTER_URL_CHARS. */
function boundedAnyOf(clauses: string[]): string[] {
	const slices = chunkWithin(clauses, {
		maxCount: Number.MAX_SAFE_INTEGER,
		maxSize: MAX_FILTER_URL_CHARS,
		sizeOf: (clause) => encodeODataFilter(`(${clause}) or `).length,
	});
	return slices
		.map((slice) => anyOf(slice))
		.filter((filter): filter is string => filter !== undefined);
}

/** Rows fetched per lookup before client-side confirmation trims them. */
const LOOKUP_TOP = 50;
const DEFAULT_MAX_PER_KIND = 50;

/**
 * The digit groups of a number as people write it after the country code
 * (`+44 20 7946 0958` → 20, 7946, 0958). Dataverse stores phones as typed, so a stored
 * `020 7946 0958`, `+44 (0)20 7946 0958` or `02079460958` contains every group whatever
 * the separators; hits are confirmed client-side with libphonenumber.
 */
export function phoneDigitGroups(e164: string): string[] {
	const parsed = parsePhoneNumberFromString(e164);
	if (!parsed) return [];
	return parsed
		.formatInternational()
		.split(/\s+/)
		.slice(1)
		.map((group) => group.replace(/\D/g, ''))
		.filter((group) => group.length > 0);
}

/**
 * The clauses that find one query's rows of one kind, each read through `via` (a lookup of
 * another table, e.g. an opportunity's `parentcontactid`) when given.
 */
function lookupClauses(kind: BaseKind, query: MatchQuery, via?: string): string[] {
	const spec = SPECS[kind];
	const at = (field: string) => (via ? `${via}/${field}` : field);
	const clauses: string[] = [];
	const variants = [...new Set(query.phones.flatMap((phone) => phoneSearchVariants(phone)))];
	for (const variant of variants)
		for (const field of spec.phoneFields) clauses.push(eq(at(field), variant));
	for (const phone of query.phones) {
		const groups = phoneDigitGroups(phone);
		if (groups.length < 2) continue;
		for (const field of spec.phoneFields) {
			const all = allOf(groups.map((group) => contains(at(field), group)));
			if (all) clauses.push(`(${all})`);
		}
	}
	for (const email of query.emails)
		for (const field of spec.emailFields) clauses.push(eq(at(field), email));
	if (spec.domainMatch) {
		for (const domain of query.domains) {
			clauses.push(contains(at('websiteurl'), domain));
			clauses.push(endsWith(at('emailaddress1'), `@${domain}`));
		}
	}
	return clauses;
}

/** The $filters for one query and one kind (usually one; none when the query has no key for it). */
export function lookupFilters(kind: BaseKind, query: MatchQuery): string[] {
	return boundedAnyOf(lookupClauses(kind, query));
}

/**
 * The $filters for the opportunities whose parent contact or parent account has one of the
 * query's keys: the same conditions as the contact and account lookups, read through the
 * opportunity's lookups, so the opportunities come in the same $batch as the people. Only
 * those whose parent is confirmed as a match are kept.
 */
export function opportunityByKeysFilters(query: MatchQuery, openOnly: boolean): string[] {
	const parents = boundedAnyOf([
		...lookupClauses('contact', query, 'parentcontactid'),
		...lookupClauses('company', query, 'parentaccountid'),
	]);
	return openOnly ? parents.map((filter) => allOf([filter, 'statecode eq 0']) as string) : parents;
}

/** The $filters for the opportunities of some accounts/contacts (several when the ids do not fit one). */
export function opportunityFilters(
	accountIds: string[],
	contactIds: string[],
	openOnly: boolean,
): string[] {
	const parents = boundedAnyOf([
		...accountIds.map((id) => eqGuid('_parentaccountid_value', id)),
		...contactIds.map((id) => eqGuid('_parentcontactid_value', id)),
	]);
	return openOnly ? parents.map((filter) => allOf([filter, 'statecode eq 0']) as string) : parents;
}

export async function findMatches(
	client: DynamicsClient,
	queries: readonly MatchQuery[],
	options: MatchOptions,
): Promise<MatchSet[]> {
	const results = queries.map(() => emptyMatchSet());
	const wantsDeals = options.kinds.includes('deal');
	const openOnly = options.openDealsOnly !== false;
	const maxPerKind = options.maxPerKind ?? DEFAULT_MAX_PER_KIND;
	// Deals are found through their contacts and accounts, so those are looked up even when not asked for.
	const baseKinds = (['contact', 'company', 'lead'] as const).filter(
		(kind) => options.kinds.includes(kind) || (wantsDeals && kind !== 'lead'),
	);

	const lookups: Array<{ query: number; kind: BaseKind | 'deal' }> = [];
	const groups: BatchGroup[] = [];
	const read = (query: number, kind: BaseKind | 'deal', path: string) => {
		lookups.push({ query, kind });
		groups.push({ kind: 'read', operation: { method: 'GET', url: client.url(path) } });
	};
	queries.forEach((query, index) => {
		for (const kind of baseKinds) {
			const spec = SPECS[kind];
			for (const filter of lookupFilters(kind, query))
				read(
					index,
					kind,
					queryPath(spec.entitySet, {
						select: spec.select,
						filter,
						orderBy: [{ field: 'createdon', desc: true }],
						top: LOOKUP_TOP,
					}),
				);
		}
		if (!wantsDeals) return;
		for (const filter of opportunityByKeysFilters(query, openOnly))
			read(
				index,
				'deal',
				queryPath('opportunities', {
					select: OPPORTUNITY_SELECT,
					filter,
					orderBy: [{ field: 'createdon', desc: true }],
					// Rows of unconfirmed parents are dropped afterwards, so fetch as many as a person lookup.
					top: Math.max(maxPerKind, LOOKUP_TOP),
				}),
			);
	});
	if (groups.length === 0) return results;

	const label = 'POST $batch (match contacts/leads/accounts/opportunities)';
	const responses = await client.batch(groups, { label, idempotent: true });
	const found = queries.map(() => ({
		contact: [] as CrmRef[],
		company: [] as CrmRef[],
		lead: [] as CrmRef[],
	}));
	const dealRows = queries.map((): Row[] => []);
	lookups.forEach((lookup, index) => {
		const rows = rowsOf(label, responses[index]?.[0]);
		if (lookup.kind === 'deal') {
			dealRows[lookup.query].push(...rows);
			return;
		}
		const query = queries[lookup.query];
		const known = found[lookup.query][lookup.kind];
		for (const row of rows) {
			const ref = confirmHit(lookup.kind, row, query);
			if (ref && !known.some((existing) => existing.id === ref.id)) known.push(ref);
		}
	});

	found.forEach((byKind, index) => {
		for (const kind of baseKinds) {
			// Newest first also across the filters a query's keys were split into (stable for one filter).
			if (options.kinds.includes(kind))
				results[index][kind] = newestFirst(byKind[kind]).slice(0, maxPerKind);
		}
		if (wantsDeals)
			results[index].deal = confirmedDeals(dealRows[index], byKind, openOnly).slice(0, maxPerKind);
	});
	return results;
}

/** The opportunities whose parent account or parent contact is one of the query's confirmed matches. */
function confirmedDeals(
	rows: Row[],
	matched: Record<BaseKind, CrmRef[]>,
	openOnly: boolean,
): CrmRef[] {
	const accounts = lowerSet(matched.company.map((ref) => ref.id));
	const contacts = lowerSet(matched.contact.map((ref) => ref.id));
	const deals: CrmRef[] = [];
	for (const row of rows) {
		const account = lowerString(row._parentaccountid_value);
		const contact = lowerString(row._parentcontactid_value);
		const linked =
			(account !== undefined && accounts.has(account)) ||
			(contact !== undefined && contacts.has(contact));
		if (!linked || (openOnly && row.statecode !== 0)) continue;
		const id = String(row.opportunityid);
		if (deals.some((deal) => deal.id === id)) continue;
		deals.push(toRef('deal', 'opportunity', id, row, 'association', String(row.name ?? '')));
	}
	return newestFirst(deals);
}

export function newestFirst(refs: CrmRef[]): CrmRef[] {
	return [...refs].sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
}

export function rowsOf(label: string, part: BatchPartResponse | undefined): Row[] {
	if (!part || part.status >= 400) throw batchPartError(label, part?.status, part?.body ?? '');
	return collectionRows(part.body);
}

/** Why a row matches the query, or undefined when the server's hit does not hold up. */
function matchReason(kind: BaseKind, row: Row, query: MatchQuery): string | undefined {
	const spec = SPECS[kind];
	for (const field of spec.phoneFields) {
		const value = row[field];
		if (
			typeof value === 'string' &&
			value.trim() &&
			query.phones.some((phone) => phoneMatches(value, phone))
		)
			return 'phone';
	}
	const emails = new Set(query.emails.map((email) => email.trim().toLowerCase()));
	for (const field of spec.emailFields) {
		const value = lowerString(row[field])?.trim();
		if (value && emails.has(value)) return 'email';
	}
	if (spec.domainMatch) {
		const domains = query.domains.map((domain) => domain.trim().toLowerCase());
		const website = hostOf(row.websiteurl);
		if (website && domains.some((domain) => website === domain || website.endsWith(`.${domain}`)))
			return 'domain';
		const email = lowerString(row.emailaddress1);
		const emailDomain = email?.includes('@')
			? email.slice(email.lastIndexOf('@') + 1).trim()
			: undefined;
		if (emailDomain && domains.includes(emailDomain)) return 'domain';
	}
	return undefined;
}

/** Lead statecode 1 = Qualified: the lead lives on as the contact/account it was qualified into. */
const QUALIFIED_LEAD = 1;

export function confirmHit(kind: BaseKind, row: Row, query: MatchQuery): CrmRef | undefined {
	if (kind === 'lead' && row.statecode === QUALIFIED_LEAD) return undefined;
	const reason = matchReason(kind, row, query);
	if (!reason) return undefined;
	const spec = SPECS[kind];
	return toRef(
		kind,
		spec.entity,
		String(row[spec.primaryId]),
		row,
		reason,
		String(row[spec.nameField] ?? ''),
	);
}

/** A CRM phone written nationally is read in the query number's country. */
function phoneMatches(crmValue: string, e164: string): boolean {
	const country = parsePhoneNumberFromString(e164)?.country;
	return samePhone(crmValue, e164, country);
}

function hostOf(value: unknown): string | undefined {
	if (typeof value !== 'string' || !value.trim()) return undefined;
	const text = value.trim().toLowerCase();
	try {
		const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//.test(text) ? text : `https://${text}`).hostname;
		return host.replace(/^www\./, '');
	} catch {
		return undefined;
	}
}

export function toRef(
	kind: ObjectKind,
	objectType: string,
	id: string,
	row: Row,
	matchedBy: string,
	name: string,
): CrmRef {
	const ref: CrmRef = {
		crm: 'dynamics',
		kind,
		objectType,
		id,
		matchedBy,
		properties: plainProperties(row),
	};
	if (name) ref.name = name;
	if (typeof row._ownerid_value === 'string') ref.ownerId = row._ownerid_value;
	if (typeof row.createdon === 'string') ref.createdAt = row.createdon;
	if (typeof row.modifiedon === 'string') ref.updatedAt = row.modifiedon;
	if (kind === 'deal') ref.isOpen = row.statecode === 0;
	return ref;
}

function lowerString(value: unknown): string | undefined {
	return typeof value === 'string' ? value.toLowerCase() : undefined;
}

function lowerSet(values: string[]): Set<string> {
	return new Set(values.map((value) => value.toLowerCase()));
}
