/**
 * findMatches for a batch of queries with a fixed number of requests, whatever the batch
 * size (up to the chunk caps): phones → one SOSL per group of ≤50 search terms (any stored
 * format) plus, for contacts and leads, one SOQL per object on the exact spellings (the
 * search index lags behind new records, SOQL does not); emails → one SOQL per object; accounts of matched contacts + accounts by e-mail domain → one SOQL;
 * opportunities → one SOQL by account + one by contact role. Every hit is confirmed
 * client-side before it is attributed to a query.
 */
import { chunkWithin } from '../batch';
import { escapeSoqlLike, soqlLiteral } from '../../logic/escape';
import { withoutKeys } from '../../logic/withoutKeys';
import type { MatchOptions, MatchQuery } from '../CrmProvider';
import { emptyMatchSet } from '../../model';
import type { CrmRef, MatchSet, ObjectKind } from '../../model';
import { normalizePhone, phoneSearchVariants } from '../../logic/phone';
import type { SalesforceApi, SObjectRecord } from './api';
import { SALESFORCE_PROFILE } from './profile';
import { anyPhoneMatches, domainMatches, emailMatches, normaliseEmail } from './confirm';
import {
	accountsSoql,
	contactRolesSoql,
	contactsByEmailSoql,
	contactsByPhoneSoql,
	leadsByEmailSoql,
	leadsByPhoneSoql,
	opportunitiesByAccountSoql,
} from './soql';
import { packTermGroups, phoneSearchSosl } from './sosl';
import type { PhoneSearchObject } from './sosl';

const IDS_PER_SOQL = 200;
const EMAILS_PER_SOQL = 200;
const DOMAINS_PER_SOQL = 20;
/** Phone spellings per SOQL (each appears twice: Phone and MobilePhone). */
const PHONES_PER_SOQL = 100;
/**
 * Queries go in the URL (GET /query?q=…), and Salesforce takes at most 16,384 bytes of URI
 * and headers: the values of one IN list (or LIKE conditions) stay within this many
 * URL-encoded characters, whatever their count.
 */
const SOQL_VALUES_URL_CHARS = 6_000;

const inListSize = (value: string): number => encodeURIComponent(`${soqlLiteral(value)}, `).length;
const likeSize = (domain: string): number =>
	encodeURIComponent(` OR Website LIKE '%${escapeSoqlLike(domain)}%'`).length;

function boundedChunks(
	values: readonly string[],
	maxCount: number,
	sizeOf: (value: string) => number,
): string[][] {
	return chunkWithin(values, { maxCount, maxSize: SOQL_VALUES_URL_CHARS, sizeOf });
}

interface Needs {
	contacts: boolean;
	leads: boolean;
	accounts: boolean;
	deals: boolean;
}

function needsFor(kinds: readonly ObjectKind[]): Needs {
	const deals = kinds.includes('deal');
	return {
		// Deals are found through matched contacts and accounts, so they need both.
		contacts: deals || kinds.includes('contact'),
		leads: kinds.includes('lead'),
		accounts: deals || kinds.includes('company'),
		deals,
	};
}

function str(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

export function toRef(kind: ObjectKind, record: SObjectRecord, matchedBy: string): CrmRef {
	const properties = withoutKeys(record, 'attributes');
	const ref: CrmRef = {
		crm: 'salesforce',
		kind,
		objectType: SALESFORCE_PROFILE.objects[kind].objectType,
		id: record.Id,
		matchedBy,
		properties,
	};
	const name = str(record.Name);
	if (name) ref.name = name;
	const ownerId = str(record.OwnerId);
	if (ownerId) ref.ownerId = ownerId;
	const createdAt = str(record.CreatedDate);
	if (createdAt) ref.createdAt = createdAt;
	if (kind === 'deal' && typeof record.IsClosed === 'boolean') ref.isOpen = !record.IsClosed;
	return ref;
}

function byId(records: SObjectRecord[]): Map<string, SObjectRecord> {
	const map = new Map<string, SObjectRecord>();
	for (const record of records) if (!map.has(record.Id)) map.set(record.Id, record);
	return map;
}

/** The queries' distinct valid E.164 numbers, with their search spellings. */
export function phoneTermGroups(queries: readonly MatchQuery[]): string[][] {
	const seen = new Set<string>();
	const perPhone: string[][] = [];
	for (const phone of queries.flatMap((query) => query.phones)) {
		const parsed = normalizePhone(phone);
		if (!parsed.ok || seen.has(parsed.e164)) continue;
		seen.add(parsed.e164);
		perPhone.push(phoneSearchVariants(parsed.e164));
	}
	return packTermGroups(perPhone);
}

export function validPhones(query: MatchQuery): string[] {
	return query.phones.flatMap((phone) => {
		const parsed = normalizePhone(phone);
		return parsed.ok ? [parsed.e164] : [];
	});
}

function distinct(values: Iterable<string | undefined>): string[] {
	const set = new Set<string>();
	for (const value of values) if (value) set.add(value);
	return [...set];
}

async function queryChunks(
	api: SalesforceApi,
	values: string[],
	size: number,
	build: (slice: string[]) => string,
) {
	const pages = await Promise.all(
		boundedChunks(values, size, inListSize).map((slice) => api.query<SObjectRecord>(build(slice))),
	);
	return pages.flat();
}

interface Candidates {
	contacts: SObjectRecord[];
	leads: SObjectRecord[];
	accounts: SObjectRecord[];
}

async function searchPhonesAndEmails(
	api: SalesforceApi,
	queries: readonly MatchQuery[],
	needs: Needs,
): Promise<Candidates> {
	const objects: PhoneSearchObject[] = [];
	if (needs.contacts) objects.push('Contact');
	if (needs.leads) objects.push('Lead');
	if (needs.accounts) objects.push('Account');
	const groups = objects.length > 0 ? phoneTermGroups(queries) : [];
	const emails = distinct(queries.flatMap((query) => query.emails.map(normaliseEmail)));
	const spellings = distinct(groups.flat());

	const [searches, contactsByEmail, leadsByEmail, contactsByPhone, leadsByPhone] =
		await Promise.all([
			Promise.all(groups.map((terms) => api.search(phoneSearchSosl(terms, objects)))),
			needs.contacts ? queryChunks(api, emails, EMAILS_PER_SOQL, contactsByEmailSoql) : [],
			needs.leads ? queryChunks(api, emails, EMAILS_PER_SOQL, leadsByEmailSoql) : [],
			needs.contacts ? queryChunks(api, spellings, PHONES_PER_SOQL, contactsByPhoneSoql) : [],
			needs.leads ? queryChunks(api, spellings, PHONES_PER_SOQL, leadsByPhoneSoql) : [],
		]);
	const found = searches.flatMap((search) => search.searchRecords);
	const ofType = (type: string) => found.filter((record) => record.attributes?.type === type);
	return {
		contacts: [...byId([...ofType('Contact'), ...contactsByEmail, ...contactsByPhone]).values()],
		leads: [...byId([...ofType('Lead'), ...leadsByEmail, ...leadsByPhone]).values()],
		accounts: ofType('Account'),
	};
}

export function confirmPerson(
	record: SObjectRecord,
	phones: string[],
	emails: string[],
): string | undefined {
	if (anyPhoneMatches([record.Phone, record.MobilePhone], phones)) return 'phone';
	if (emailMatches(record.Email, emails)) return 'email';
	return undefined;
}

interface QueryMatches {
	contacts: CrmRef[];
	leads: CrmRef[];
	accounts: CrmRef[];
}

function confirmPeople(query: MatchQuery, candidates: Candidates): QueryMatches {
	const phones = validPhones(query);
	const emails = query.emails;
	const contacts: CrmRef[] = [];
	for (const record of candidates.contacts) {
		const by = confirmPerson(record, phones, emails);
		if (by) contacts.push(toRef('contact', record, by));
	}
	const leads: CrmRef[] = [];
	for (const record of candidates.leads) {
		if (record.IsConverted === true) continue; // a converted lead lives on as its contact
		const by = confirmPerson(record, phones, emails);
		if (by) leads.push(toRef('lead', record, by));
	}
	const accounts = candidates.accounts
		.filter((record) => anyPhoneMatches([record.Phone], phones))
		.map((record) => toRef('company', record, 'phone'));
	return { contacts, leads, accounts };
}

function confirmAccounts(
	query: MatchQuery,
	matches: QueryMatches,
	accounts: SObjectRecord[],
): CrmRef[] {
	const linked = new Set(matches.contacts.map((contact) => str(contact.properties?.AccountId)));
	const result = [...matches.accounts];
	for (const record of accounts) {
		if (result.some((ref) => ref.id === record.Id)) continue;
		if (domainMatches(record.Website, query.domains))
			result.push(toRef('company', record, 'domain'));
		else if (linked.has(record.Id)) result.push(toRef('company', record, 'association'));
	}
	return result;
}

interface DealCandidates {
	byAccount: SObjectRecord[];
	/** Opportunity records keyed by the contact whose role linked them. */
	byContact: Array<{ contactId: string; opportunity: SObjectRecord }>;
}

async function fetchDeals(
	api: SalesforceApi,
	accountIds: string[],
	contactIds: string[],
	openOnly: boolean,
): Promise<DealCandidates> {
	const [byAccount, roles] = await Promise.all([
		queryChunks(api, accountIds, IDS_PER_SOQL, (slice) =>
			opportunitiesByAccountSoql(slice, openOnly),
		),
		queryChunks(api, contactIds, IDS_PER_SOQL, (slice) => contactRolesSoql(slice, openOnly)),
	]);
	const byContact = roles.flatMap((role) => {
		const contactId = str(role.ContactId);
		const opportunity = role.Opportunity as SObjectRecord | null | undefined;
		return contactId && opportunity && str(opportunity.Id) ? [{ contactId, opportunity }] : [];
	});
	return { byAccount, byContact };
}

function confirmDeals(
	contacts: CrmRef[],
	accounts: CrmRef[],
	deals: DealCandidates,
	openOnly: boolean,
): CrmRef[] {
	const accountIds = new Set(accounts.map((ref) => ref.id));
	const contactIds = new Set(contacts.map((ref) => ref.id));
	const records = [
		...deals.byAccount.filter((record) => accountIds.has(String(record.AccountId))),
		...deals.byContact
			.filter((role) => contactIds.has(role.contactId))
			.map((role) => role.opportunity),
	];
	return [...byId(records).values()]
		.filter((record) => !openOnly || record.IsClosed !== true)
		.map((record) => toRef('deal', record, 'association'));
}

function newestFirst(refs: CrmRef[], max?: number): CrmRef[] {
	const sorted = [...byRefId(refs)].sort((a, b) =>
		(b.createdAt ?? '').localeCompare(a.createdAt ?? ''),
	);
	return max !== undefined && max >= 0 ? sorted.slice(0, max) : sorted;
}

function byRefId(refs: CrmRef[]): CrmRef[] {
	const seen = new Set<string>();
	return refs.filter((ref) => (seen.has(ref.id) ? false : (seen.add(ref.id), true)));
}

export async function findSalesforceMatches(
	api: SalesforceApi,
	queries: readonly MatchQuery[],
	options: MatchOptions,
): Promise<MatchSet[]> {
	if (queries.length === 0) return [];
	const needs = needsFor(options.kinds);
	const openOnly = options.openDealsOnly !== false;
	const candidates = await searchPhonesAndEmails(api, queries, needs);
	const perQuery = queries.map((query) => confirmPeople(query, candidates));

	if (needs.accounts) {
		const known = new Set(candidates.accounts.map((record) => record.Id));
		const linkedIds = distinct(
			perQuery.flatMap((matches) => matches.contacts.map((ref) => str(ref.properties?.AccountId))),
		);
		const ids = linkedIds.filter((id) => !known.has(id));
		const domains = distinct(
			queries.flatMap((query) => query.domains.map((domain) => domain.trim().toLowerCase())),
		);
		const idChunks = boundedChunks(ids, IDS_PER_SOQL, inListSize);
		const domainChunks = boundedChunks(domains, DOMAINS_PER_SOQL, likeSize);
		const rounds = Math.max(idChunks.length, domainChunks.length);
		const soqls = Array.from({ length: rounds }, (_, i) =>
			accountsSoql(idChunks[i] ?? [], domainChunks[i] ?? []),
		);
		const accounts = (
			await Promise.all(soqls.map((soql) => api.query<SObjectRecord>(soql)))
		).flat();
		queries.forEach((query, i) => {
			perQuery[i].accounts = confirmAccounts(query, perQuery[i], accounts);
		});
	}

	let dealsFor: (matches: QueryMatches) => CrmRef[] = () => [];
	if (needs.deals) {
		const accountIds = distinct(
			perQuery.flatMap((matches) => matches.accounts.map((ref) => ref.id)),
		);
		const contactIds = distinct(
			perQuery.flatMap((matches) => matches.contacts.map((ref) => ref.id)),
		);
		const deals = await fetchDeals(api, accountIds, contactIds, openOnly);
		dealsFor = (matches) => confirmDeals(matches.contacts, matches.accounts, deals, openOnly);
	}

	return perQuery.map((matches) => {
		const set: MatchSet = emptyMatchSet();
		const max = options.maxPerKind;
		if (options.kinds.includes('contact')) set.contact = newestFirst(matches.contacts, max);
		if (options.kinds.includes('lead')) set.lead = newestFirst(matches.leads, max);
		if (options.kinds.includes('company')) set.company = newestFirst(matches.accounts, max);
		if (options.kinds.includes('deal')) set.deal = newestFirst(dealsFor(matches), max);
		return set;
	});
}
