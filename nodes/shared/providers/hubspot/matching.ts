/**
 * findMatches: contacts by phone/email in one search request per batch of items (OR'ed
 * filter groups, IN filters packing every item's keys, more requests when the keys exceed
 * one request's IN-value cap), every hit confirmed client-side and handed back to the
 * item(s) it belongs to. Companies: the matched contacts' primary companies in one batch
 * read, and a domain search only for e-mail domains none of them holds (companyMatching.ts).
 * Deals: one search by association for a single item with ≤5 records, else the v4 batch
 * association read + batch read. The usual call is thus two searches (contacts, deals) and
 * one batch read, keeping searches — limited to a few per second per portal — at two.
 */
import { companyDomainFromEmail, isFreeMailDomain, normalizeEmail } from '../../logic/email';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

import { normalizePhone, samePhone } from '../../logic/phone';
import { emptyMatchSet, type CrmRef, type MatchSet } from '../../model';
import { chunk } from '../batch';
import type { MatchOptions, MatchQuery } from '../CrmProvider';
import type { HubSpotObject } from './client';
import { BATCH_LIMIT } from './records';
import {
	cleanDomain,
	companiesOfItem,
	primaryCompanyIds,
	uncoveredDomains,
} from './companyMatching';
import {
	COMPANY_MATCH_PROPERTIES,
	CONTACT_MATCH_PROPERTIES,
	contactFilterGroups,
	domainFilterGroups,
	MAX_IN_VALUES,
	planSlices,
	searchAllPages,
} from './search';
import type { HubSpotSession } from './session';

export const DEAL_PROPERTIES = [
	'dealname',
	'dealstage',
	'pipeline',
	'amount',
	'hs_is_closed',
	'closedate',
	'createdate',
	'hs_lastmodifieddate',
	'hubspot_owner_id',
];

interface PhoneKey {
	e164: string;
	/** What HubSpot's calculated searchable fields may hold: national digits, with and without trunk prefix. */
	national: string[];
	countryCallingCode: string;
	/** Region of the queried number: nationally written stored numbers are read in it. */
	country?: CountryCode;
}

export interface QueryKeys {
	phones: PhoneKey[];
	emails: string[];
	domains: string[];
}

function phoneKeys(phones: string[]): PhoneKey[] {
	const keys: PhoneKey[] = [];
	for (const phone of phones) {
		const parsed = normalizePhone(phone);
		if (!parsed.ok) continue;
		const national = [...new Set([parsed.nationalDigits, parsed.nationalNumber].filter(Boolean))];
		const country = parsePhoneNumberFromString(parsed.e164)?.country;
		keys.push({
			e164: parsed.e164,
			national,
			countryCallingCode: parsed.countryCallingCode,
			country,
		});
	}
	return keys;
}

export function queryKeys(query: MatchQuery): QueryKeys {
	const emails = [
		...new Set(
			query.emails
				.map((email) => normalizeEmail(email))
				.flatMap((result) => (result.ok ? [result.email] : [])),
		),
	];
	const domains = new Set(
		query.domains.map(cleanDomain).filter((domain) => domain && !isFreeMailDomain(domain)),
	);
	for (const email of emails) {
		const domain = companyDomainFromEmail(email);
		if (domain) domains.add(domain);
	}
	return { phones: phoneKeys(query.phones), emails, domains: [...domains] };
}

function digitsOf(text: string): string {
	return text.replace(/\D/g, '');
}

/** A stored phone (free text, any format) is the queried line. */
function phoneMatches(key: PhoneKey, stored: string | null | undefined): boolean {
	if (!stored) return false;
	if (samePhone(key.e164, stored, key.country)) return true;
	// Nationally written numbers have no country; compare digits within the query's country.
	const digits = digitsOf(stored);
	return (
		key.national.includes(digits) || digits === key.countryCallingCode + (key.national.at(-1) ?? '')
	);
}

function contactEmails(contact: HubSpotObject): string[] {
	const all = [
		contact.properties.email ?? '',
		...(contact.properties.hs_additional_emails ?? '').split(';'),
	];
	return all.map((email) => email.trim().toLowerCase()).filter(Boolean);
}

export function matchedContactBy(keys: QueryKeys, contact: HubSpotObject): string | undefined {
	const emails = contactEmails(contact);
	if (keys.emails.some((email) => emails.includes(email))) return 'email';
	const stored = [contact.properties.phone, contact.properties.mobilephone];
	if (keys.phones.some((key) => stored.some((value) => phoneMatches(key, value)))) return 'phone';
	return undefined;
}

function name(...parts: Array<string | null | undefined>): string | undefined {
	const joined = parts
		.filter((part) => part && part.trim())
		.join(' ')
		.trim();
	return joined || undefined;
}

export function ref(
	kind: 'contact' | 'company' | 'deal',
	objectType: string,
	object: HubSpotObject,
	matchedBy: string,
): CrmRef {
	const props = object.properties;
	const result: CrmRef = {
		crm: 'hubspot',
		kind,
		objectType,
		id: object.id,
		matchedBy,
		createdAt: props.createdate ?? object.createdAt,
		updatedAt: props.lastmodifieddate ?? props.hs_lastmodifieddate ?? object.updatedAt,
		properties: { ...props },
	};
	const label =
		kind === 'contact'
			? (name(props.firstname, props.lastname) ?? props.email ?? undefined)
			: kind === 'company'
				? props.name
				: props.dealname;
	if (label) result.name = label;
	if (props.hubspot_owner_id) result.ownerId = props.hubspot_owner_id;
	if (kind === 'deal') result.isOpen = props.hs_is_closed !== 'true';
	return result;
}

function newestFirst(a: CrmRef, b: CrmRef): number {
	return (Date.parse(b.createdAt ?? '') || 0) - (Date.parse(a.createdAt ?? '') || 0);
}

function cap(refs: CrmRef[], max: number | undefined): CrmRef[] {
	const sorted = [...refs].sort(newestFirst);
	return max === undefined ? sorted : sorted.slice(0, max);
}

/**
 * One search key of one item: a phone (its E.164 form and national digits) or an email or
 * a domain. Slicing works on these units rather than on whole items, so an item with more
 * keys than one request takes is spread over several requests instead of one oversized
 * filter; hits are still confirmed against all of the item's keys.
 */
interface KeyUnit {
	item: number;
	e164: string[];
	national: string[];
	emails: string[];
}

function contactUnits(keys: QueryKeys[]): KeyUnit[] {
	return keys.flatMap((key, item) => [
		...key.phones.map((phone) => ({
			item,
			e164: [phone.e164],
			national: phone.national,
			emails: [],
		})),
		...key.emails.map((email) => ({ item, e164: [], national: [], emails: [email] })),
	]);
}

function distinctValues(
	units: KeyUnit[],
	slice: number[],
	pick: (unit: KeyUnit) => string[],
): string[] {
	return [...new Set(slice.flatMap((index) => pick(units[index])))];
}

function itemsOf(units: Array<{ item: number }>, slice: number[]): number[] {
	return [...new Set(slice.map((index) => units[index].item))];
}

async function matchContacts(
	session: HubSpotSession,
	keys: QueryKeys[],
	sets: MatchSet[],
): Promise<void> {
	const units = contactUnits(keys);
	for (const slice of planSlices(units, (unit) => [unit.e164, unit.national, unit.emails])) {
		const filterGroups = contactFilterGroups({
			e164: distinctValues(units, slice, (unit) => unit.e164),
			nationalDigits: distinctValues(units, slice, (unit) => unit.national),
			emails: distinctValues(units, slice, (unit) => unit.emails),
		});
		if (!filterGroups.length) continue;
		const hits = await searchAllPages(session, 'contacts', {
			filterGroups,
			properties: CONTACT_MATCH_PROPERTIES,
		});
		for (const index of itemsOf(units, slice)) {
			const queryKeys = keys[index];
			const set = sets[index];
			if (!queryKeys || !set) continue;
			for (const hit of hits) {
				const matchedBy = matchedContactBy(queryKeys, hit);
				if (matchedBy && !set.contact.some((existing) => existing.id === hit.id)) {
					set.contact.push(ref('contact', 'contacts', hit, matchedBy));
				}
			}
		}
	}
}

/**
 * Search sees a contact only once HubSpot has indexed it, seconds after it was written. An
 * email no search hit holds is also read by `email` (HubSpot's unique contact key), which
 * is current at once, so a contact created moments ago is not missed.
 */
async function readUnindexedEmails(
	session: HubSpotSession,
	keys: QueryKeys[],
	sets: MatchSet[],
): Promise<void> {
	const storedEmails = (contact: CrmRef) =>
		contactEmails({
			id: contact.id,
			properties: (contact.properties ?? {}) as HubSpotObject['properties'],
		});
	const found = (index: number, email: string) =>
		sets[index]?.contact.some((contact) => storedEmails(contact).includes(email));
	const missing = [
		...new Set(keys.flatMap((key, index) => key.emails.filter((email) => !found(index, email)))),
	];
	for (const slice of chunk(missing, BATCH_LIMIT)) {
		// Unknown emails come back as OBJECT_NOT_FOUND errors next to the results (207).
		const response = await session.send('POST /crm/v3/objects/contacts/batch/read', true, (api) =>
			api.batchRead('contacts', slice, CONTACT_MATCH_PROPERTIES, 'email'),
		);
		keys.forEach((queryKeys, index) => {
			const set = sets[index];
			if (!set) return;
			for (const hit of response.results) {
				const matchedBy = matchedContactBy(queryKeys, hit);
				if (matchedBy && !set.contact.some((existing) => existing.id === hit.id))
					set.contact.push(ref('contact', 'contacts', hit, matchedBy));
			}
		});
	}
}

/** Companies by id, one batch read per ≤100 ids (an id that no longer exists is left out). */
async function readCompanies(session: HubSpotSession, ids: string[]): Promise<HubSpotObject[]> {
	const companies: HubSpotObject[] = [];
	for (const slice of chunk(ids, BATCH_LIMIT)) {
		const response = await session.send('POST /crm/v3/objects/companies/batch/read', true, (api) =>
			api.batchRead('companies', slice, COMPANY_MATCH_PROPERTIES),
		);
		companies.push(...response.results);
	}
	return companies;
}

async function searchCompanies(
	session: HubSpotSession,
	domains: string[],
): Promise<HubSpotObject[]> {
	const companies: HubSpotObject[] = [];
	for (const slice of chunk(domains, MAX_IN_VALUES))
		companies.push(
			...(await searchAllPages(session, 'companies', {
				filterGroups: domainFilterGroups(slice),
				properties: COMPANY_MATCH_PROPERTIES,
			})),
		);
	return companies;
}

async function matchCompanies(
	session: HubSpotSession,
	keys: QueryKeys[],
	sets: MatchSet[],
): Promise<void> {
	const primaries = await readCompanies(
		session,
		primaryCompanyIds(sets.flatMap((set) => set.contact)),
	);
	const missing = uncoveredDomains(
		keys.flatMap((key) => key.domains),
		primaries,
	);
	const found = missing.length > 0 ? await searchCompanies(session, missing) : [];
	const companies = [...primaries, ...found];
	keys.forEach((queryKeys, index) => {
		const set = sets[index];
		if (!set) return;
		set.company = companiesOfItem(queryKeys.domains, set.contact, companies).map(
			({ company, matchedBy }) => ref('company', 'companies', company, matchedBy),
		);
	});
}

/** from-id → associated deal ids, one v4 batch read per ≤100 ids. */
async function associatedDeals(
	session: HubSpotSession,
	fromObjectType: string,
	ids: string[],
): Promise<Map<string, string[]>> {
	const links = new Map<string, string[]>();
	for (const slice of chunk([...new Set(ids)], BATCH_LIMIT)) {
		const results = await session.send(
			`POST /crm/v4/associations/${fromObjectType}/deals/batch/read`,
			true,
			(api) => api.readAssociations(fromObjectType, 'deals', slice),
		);
		for (const result of results)
			links.set(result.fromId, [...(links.get(result.fromId) ?? []), ...result.toIds]);
	}
	return links;
}

/** HubSpot search takes at most 5 filter groups: one `associations.<object> EQ id` group per record. */
const MAX_ASSOCIATION_GROUPS = 5;

/**
 * One conversation (the common webhook case) with at most 5 matched records: a single deal
 * search by association replaces two association reads plus a batch read. Every deal found
 * belongs to that one item, so no per-item attribution is needed.
 */
async function matchDealsOfOneItem(
	session: HubSpotSession,
	set: MatchSet,
	options: MatchOptions,
): Promise<boolean> {
	const groups = [
		...set.contact.map((contact) => ({ object: 'contact', id: contact.id })),
		...set.company.map((company) => ({ object: 'company', id: company.id })),
	];
	if (groups.length === 0 || groups.length > MAX_ASSOCIATION_GROUPS) return false;
	const hits = await searchAllPages(session, 'deals', {
		filterGroups: groups.map((group) => ({
			filters: [{ propertyName: `associations.${group.object}`, operator: 'EQ', value: group.id }],
		})),
		properties: DEAL_PROPERTIES,
	});
	const found = hits.map((deal) => ref('deal', 'deals', deal, 'association'));
	set.deal = cap(
		options.openDealsOnly === false ? found : found.filter((deal) => deal.isOpen),
		options.maxPerKind,
	);
	return true;
}

type DealOwner = 'contacts' | 'companies';

/**
 * The deals associated with each of the given contacts and companies: one association read
 * per object type and ≤100 ids, then one batch read per ≤100 deals for all of them together.
 */
export async function dealsOfRecords(
	session: HubSpotSession,
	ids: Partial<Record<DealOwner, string[]>>,
): Promise<Record<DealOwner, Map<string, CrmRef[]>>> {
	const links: Record<DealOwner, Map<string, string[]>> = {
		contacts: new Map(),
		companies: new Map(),
	};
	for (const owner of ['contacts', 'companies'] as const)
		if (ids[owner]?.length) links[owner] = await associatedDeals(session, owner, ids[owner]);
	const dealIds = [...links.contacts.values(), ...links.companies.values()].flat();
	const deals = await readDeals(session, [...new Set(dealIds)]);
	const resolve = (byRecord: Map<string, string[]>) =>
		new Map(
			[...byRecord].map(([id, linked]) => [
				id,
				linked
					.map((dealId) => deals.get(dealId))
					.filter((deal): deal is CrmRef => deal !== undefined),
			]),
		);
	return { contacts: resolve(links.contacts), companies: resolve(links.companies) };
}

async function readDeals(session: HubSpotSession, dealIds: string[]): Promise<Map<string, CrmRef>> {
	const deals = new Map<string, CrmRef>();
	for (const slice of chunk(dealIds, BATCH_LIMIT)) {
		const response = await session.send('POST /crm/v3/objects/deals/batch/read', true, (api) =>
			api.batchRead('deals', slice, DEAL_PROPERTIES),
		);
		for (const deal of response.results)
			deals.set(deal.id, ref('deal', 'deals', deal, 'association'));
	}
	return deals;
}

async function matchDeals(
	session: HubSpotSession,
	sets: MatchSet[],
	options: MatchOptions,
): Promise<void> {
	const withRecords = sets.filter((set) => set.contact.length + set.company.length > 0);
	if (withRecords.length === 0) return;
	if (withRecords.length === 1 && (await matchDealsOfOneItem(session, withRecords[0], options)))
		return;
	const contactIds = sets.flatMap((set) => set.contact.map((contact) => contact.id));
	const companyIds = sets.flatMap((set) => set.company.map((company) => company.id));
	const { contacts: fromContacts, companies: fromCompanies } = await dealsOfRecords(session, {
		contacts: contactIds,
		companies: companyIds,
	});
	for (const set of sets) {
		const found = new Map<string, CrmRef>();
		for (const contact of set.contact)
			for (const deal of fromContacts.get(contact.id) ?? []) found.set(deal.id, deal);
		for (const company of set.company)
			for (const deal of fromCompanies.get(company.id) ?? []) found.set(deal.id, deal);
		const deals = [...found.values()];
		set.deal = cap(
			options.openDealsOnly === false ? deals : deals.filter((deal) => deal.isOpen),
			options.maxPerKind,
		);
	}
}

export async function findMatches(
	session: HubSpotSession,
	queries: MatchQuery[],
	options: MatchOptions,
): Promise<MatchSet[]> {
	const sets = queries.map(() => emptyMatchSet());
	const kinds = new Set(options.kinds);
	const keys = queries.map(queryKeys);
	const wantDeals = kinds.has('deal');
	if (kinds.has('contact') || wantDeals) {
		await matchContacts(session, keys, sets);
		await readUnindexedEmails(session, keys, sets);
	}
	if (kinds.has('company') || wantDeals) await matchCompanies(session, keys, sets);
	if (wantDeals) await matchDeals(session, sets, options);
	for (const set of sets) {
		set.contact = kinds.has('contact') ? cap(set.contact, options.maxPerKind) : [];
		set.company = kinds.has('company') ? cap(set.company, options.maxPerKind) : [];
		// Leads are not a HubSpot object this provider supports (see its profile).
		set.lead = [];
	}
	return sets;
}
