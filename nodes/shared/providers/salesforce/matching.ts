/**
 * findMatches for a batch of queries in ONE round trip, whatever the batch size (up to the
 * chunk caps): one `POST /composite` carrying up to 5 SOQL subrequests — contacts (with their
 * account's fields) and leads by exact e-mail or phone pattern (`Phone LIKE '%4%1%5…%'`, the
 * national digits in order, so any spelling matches; SOQL reads committed data, so a record
 * written a moment ago is found), accounts by phone pattern or website domain, and the
 * opportunities of the contacts' accounts and the contacts' roles through semi-joins on the
 * same contact condition. Larger batches give more chunks, hence more subrequests and more
 * composite calls.
 * With `phoneMatching: 'searchIndex'` phones are found by SOSL first (one more call, its own
 * GET since Composite does not accept SOSL; cheaper on very large orgs than a leading-wildcard
 * LIKE, but blind to records the index has not caught up with), and the composite looks up
 * the SOSL hits by id and exact spelling.
 * An account matched only by its website or its phone (not the account of a matched contact)
 * has its opportunities read in one more composite round. Every hit is confirmed client-side
 * before it is attributed to a query, and a failed subrequest fails the batch.
 */
import { chunkWithin } from '../batch';
import { escapeSoqlLike, soqlLiteral } from '../../logic/escape';
import { withoutKeys } from '../../logic/withoutKeys';
import type { MatchOptions, MatchQuery, PhoneMatching } from '../CrmProvider';
import { emptyMatchSet } from '../../model';
import type { CrmRef, MatchSet, ObjectKind } from '../../model';
import { normalizePhone, phoneSearchVariants } from '../../logic/phone';
import type { SalesforceApi, SObjectRecord } from './api';
import { SALESFORCE_PROFILE } from './profile';
import { anyPhoneMatches, domainMatches, emailMatches, normaliseEmail } from './confirm';
import {
	accountsSoql,
	contactRolesOfContactsSoql,
	contactsWithAccountSoql,
	leadsByKeysSoql,
	opportunitiesByAccountSoql,
	opportunitiesOfContactAccountsSoql,
	personCondition,
	phoneLikePattern,
} from './soql';
import { packTermGroups, phoneSearchSosl } from './sosl';
import type { PhoneSearchObject } from './sosl';

const IDS_PER_SOQL = 200;
const DOMAINS_PER_SOQL = 20;
/** Keys (e-mails, phone spellings, ids) per person condition; each IN list stays ≤ 100 values. */
const KEYS_PER_CONDITION = 100;
/**
 * A subrequest's query travels in its url (`…/query?q=…`), which Salesforce bounds like a
 * request URI (16,384 bytes with headers): the values of one condition stay within this many
 * URL-encoded characters, whatever their count. A semi-join repeats the condition once.
 */
const SOQL_VALUES_URL_CHARS = 6_000;

const inListSize = (value: string): number => encodeURIComponent(`${soqlLiteral(value)}, `).length;
const likeSize = (domain: string): number =>
	encodeURIComponent(` OR Website LIKE '%${escapeSoqlLike(domain)}%'`).length;
/** One phone pattern on one field (`Phone` or `MobilePhone`). */
const patternSize = (pattern: string): number =>
	encodeURIComponent(` OR MobilePhone LIKE ${pattern}`).length;

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

/** The LIKE pattern of each distinct valid number of the queries. */
export function phonePatterns(queries: readonly MatchQuery[]): string[] {
	const numbers = queries.flatMap((query) =>
		query.phones.flatMap((phone) => {
			const parsed = normalizePhone(phone);
			return parsed.ok ? [parsed.nationalNumber] : [];
		}),
	);
	return distinct(numbers).map(phoneLikePattern);
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

interface Candidates {
	contacts: SObjectRecord[];
	leads: SObjectRecord[];
	/** Accounts that may match by phone (SOSL hits or phone-pattern hits). */
	phoneAccounts: SObjectRecord[];
	/** Accounts that may match by domain or as a matched contact's account. */
	accounts: SObjectRecord[];
	/** Opportunities of the accounts of every contact the contact conditions found. */
	dealsOfContactAccounts: SObjectRecord[];
	/** Accounts whose opportunities are in dealsOfContactAccounts. */
	coveredAccountIds: Set<string>;
	roles: SObjectRecord[];
}

/** How the composite finds phones: LIKE patterns, or the spellings and ids SOSL found. */
interface PhoneKeys {
	patterns: string[];
	spellings: string[];
	hits: SObjectRecord[];
}

async function phoneKeys(
	api: SalesforceApi,
	queries: readonly MatchQuery[],
	needs: Needs,
	mode: PhoneMatching,
): Promise<PhoneKeys> {
	if (mode === 'searchIndex') return { patterns: [], ...(await searchPhones(api, queries, needs)) };
	return { patterns: phonePatterns(queries), spellings: [], hits: [] };
}

/** SOSL hits that are the same phone as one of the queries' numbers, by object. */
async function searchPhones(
	api: SalesforceApi,
	queries: readonly MatchQuery[],
	needs: Needs,
): Promise<{ spellings: string[]; hits: SObjectRecord[] }> {
	const objects: PhoneSearchObject[] = [];
	if (needs.contacts) objects.push('Contact');
	if (needs.leads) objects.push('Lead');
	if (needs.accounts) objects.push('Account');
	const groups = objects.length > 0 ? phoneTermGroups(queries) : [];
	const phones = distinct(queries.flatMap(validPhones));
	const searches = await Promise.all(
		groups.map((terms) => api.search(phoneSearchSosl(terms, objects))),
	);
	const hits = searches
		.flatMap((search) => search.searchRecords)
		.filter((record) => anyPhoneMatches([record.Phone, record.MobilePhone], phones));
	return { spellings: distinct(groups.flat()), hits };
}

type KeyKind = 'email' | 'phone' | 'id' | 'pattern';
interface Key {
	kind: KeyKind;
	value: string;
}

function keySize(key: Key): number {
	if (key.kind === 'pattern') return patternSize(key.value) * 2;
	return inListSize(key.value) * (key.kind === 'phone' ? 2 : 1);
}

/** Person keys in chunks whose condition stays within the URL bound (phones appear twice). */
function personKeyChunks(emails: string[], phones: PhoneKeys, ids: string[]) {
	const keys: Key[] = [
		...emails.map((value) => ({ kind: 'email' as const, value })),
		...phones.patterns.map((value) => ({ kind: 'pattern' as const, value })),
		...phones.spellings.map((value) => ({ kind: 'phone' as const, value })),
		...ids.map((value) => ({ kind: 'id' as const, value })),
	];
	return chunkWithin(keys, {
		maxCount: KEYS_PER_CONDITION,
		maxSize: SOQL_VALUES_URL_CHARS,
		sizeOf: keySize,
	})
		.map((chunk) =>
			personCondition({
				emails: chunk.filter((key) => key.kind === 'email').map((key) => key.value),
				phones: chunk.filter((key) => key.kind === 'phone').map((key) => key.value),
				ids: chunk.filter((key) => key.kind === 'id').map((key) => key.value),
				phonePatterns: chunk.filter((key) => key.kind === 'pattern').map((key) => key.value),
			}),
		)
		.filter((condition): condition is string => condition !== undefined);
}

function accountOf(contact: SObjectRecord): SObjectRecord | undefined {
	const account = contact.Account as SObjectRecord | null | undefined;
	return account && typeof account.Id === 'string' ? account : undefined;
}

/** Round trip 2: every SOQL of the batch as composite subrequests. */
async function queryCandidates(
	api: SalesforceApi,
	queries: readonly MatchQuery[],
	needs: Needs,
	openOnly: boolean,
	phones: PhoneKeys,
): Promise<Candidates> {
	const ofType = (type: string) => phones.hits.filter((record) => record.attributes?.type === type);
	const emails = distinct(queries.flatMap((query) => query.emails.map(normaliseEmail)));
	const domains = distinct(
		queries.flatMap((query) => query.domains.map((domain) => domain.trim().toLowerCase())),
	);
	const soslAccounts = needs.accounts ? ofType('Account') : [];
	const contactConditions = needs.contacts
		? personKeyChunks(emails, phones, distinct(ofType('Contact').map((r) => r.Id)))
		: [];
	const leadConditions = needs.leads
		? personKeyChunks(emails, phones, distinct(ofType('Lead').map((r) => r.Id)))
		: [];
	let accountSoqls: string[] = [];
	if (needs.accounts) {
		const idChunks = boundedChunks(
			distinct(soslAccounts.map((r) => r.Id)),
			IDS_PER_SOQL,
			inListSize,
		);
		const domainChunks = boundedChunks(domains, DOMAINS_PER_SOQL, likeSize);
		const patternChunks = boundedChunks(phones.patterns, DOMAINS_PER_SOQL, patternSize);
		const rounds = Math.max(idChunks.length, domainChunks.length, patternChunks.length);
		accountSoqls = Array.from({ length: rounds }, (_, i) =>
			accountsSoql({
				ids: idChunks[i] ?? [],
				domains: domainChunks[i] ?? [],
				phonePatterns: patternChunks[i] ?? [],
			}),
		);
	}
	const dealSoqls = needs.deals
		? contactConditions.flatMap((condition) => [
				opportunitiesOfContactAccountsSoql(condition, openOnly),
				contactRolesOfContactsSoql(condition, openOnly),
			])
		: [];
	const soqls = [
		...contactConditions.map(contactsWithAccountSoql),
		...leadConditions.map(leadsByKeysSoql),
		...accountSoqls,
		...dealSoqls,
	];
	const results = await api.queryMany<SObjectRecord>(soqls);
	let at = 0;
	const take = (count: number) => results.slice(at, (at += count)).flat();
	const contactRecords = take(contactConditions.length);
	const leads = take(leadConditions.length);
	const accounts = take(accountSoqls.length);
	const dealRecords = results.slice(at);
	const dealsOfContactAccounts = dealRecords.filter((_, i) => i % 2 === 0).flat();
	const roles = dealRecords.filter((_, i) => i % 2 === 1).flat();

	const contacts = contactRecords.map((record) => withoutKeys(record, 'Account') as SObjectRecord);
	const contactAccounts = contactRecords.flatMap((record) => accountOf(record) ?? []);
	return {
		contacts: [...byId([...contacts, ...ofType('Contact')]).values()],
		leads: [...byId([...leads, ...ofType('Lead')]).values()],
		// Confirmed by phone later: SOSL hits, or what the account query's phone patterns found.
		phoneAccounts: [...byId([...soslAccounts, ...accounts]).values()],
		accounts: [...byId([...contactAccounts, ...accounts]).values()],
		dealsOfContactAccounts,
		coveredAccountIds: new Set(
			contacts.map((record) => str(record.AccountId)).filter((id): id is string => !!id),
		),
		roles,
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
	const accounts = candidates.phoneAccounts
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

/**
 * Opportunities for the matched accounts: those of matched contacts' accounts came with the
 * composite; an account matched only by website or phone gets one more composite round.
 */
async function fetchDeals(
	api: SalesforceApi,
	candidates: Candidates,
	accountIds: string[],
	openOnly: boolean,
): Promise<DealCandidates> {
	const missing = accountIds.filter((id) => !candidates.coveredAccountIds.has(id));
	const soqls = boundedChunks(missing, IDS_PER_SOQL, inListSize).map((slice) =>
		opportunitiesByAccountSoql(slice, openOnly),
	);
	const more = soqls.length > 0 ? (await api.queryMany<SObjectRecord>(soqls)).flat() : [];
	const byContact = candidates.roles.flatMap((role) => {
		const contactId = str(role.ContactId);
		const opportunity = role.Opportunity as SObjectRecord | null | undefined;
		return contactId && opportunity && str(opportunity.Id) ? [{ contactId, opportunity }] : [];
	});
	return { byAccount: [...candidates.dealsOfContactAccounts, ...more], byContact };
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

export async function findMatches(
	api: SalesforceApi,
	queries: readonly MatchQuery[],
	options: MatchOptions,
): Promise<MatchSet[]> {
	if (queries.length === 0) return [];
	const needs = needsFor(options.kinds);
	const openOnly = options.openDealsOnly !== false;
	const phones = await phoneKeys(api, queries, needs, options.phoneMatching ?? 'query');
	const candidates = await queryCandidates(api, queries, needs, openOnly, phones);
	const perQuery = queries.map((query) => confirmPeople(query, candidates));
	if (needs.accounts)
		queries.forEach((query, i) => {
			perQuery[i].accounts = confirmAccounts(query, perQuery[i], candidates.accounts);
		});

	let dealsFor: (matches: QueryMatches) => CrmRef[] = () => [];
	if (needs.deals) {
		const accountIds = distinct(
			perQuery.flatMap((matches) => matches.accounts.map((ref) => ref.id)),
		);
		const deals = await fetchDeals(api, candidates, accountIds, openOnly);
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
