/**
 * Caller lookup on HubSpot in two requests per query at most: the contact (one search for
 * every phone of the batch; emails read by HubSpot's unique `email` key, which is current at
 * once where search lags), then the best contact's deals (one search by association per
 * person). The last activity is HubSpot's own `notes_last_updated` ("Last Activity Date").
 */
import { bestPerson, isoTime, rankPeople } from '../../logic/bestPerson';
import type { CrmRef } from '../../model';
import { chunk } from '../batch';
import type { MatchQuery, PersonLookup, PersonLookupOptions } from '../CrmProvider';
import type { HubSpotObject } from './client';
import { DEAL_PROPERTIES, matchedContactBy, queryKeys, ref, type QueryKeys } from './matching';
import { HUBSPOT_PROFILE } from './profile';
import { BATCH_LIMIT } from './records';
import {
	CONTACT_MATCH_PROPERTIES,
	contactFilterGroups,
	planSlices,
	searchAllPages,
} from './search';
import type { HubSpotSession } from './session';

const LAST_ACTIVITY = HUBSPOT_PROFILE.personLookup.lastActivityField;

function addHits(
	keys: QueryKeys[],
	found: Map<string, HubSpotObject>[],
	hits: HubSpotObject[],
): void {
	keys.forEach((key, index) => {
		for (const hit of hits) if (matchedContactBy(key, hit)) found[index].set(hit.id, hit);
	});
}

async function searchPhones(
	session: HubSpotSession,
	keys: QueryKeys[],
	properties: string[],
	found: Map<string, HubSpotObject>[],
): Promise<void> {
	const units = keys.flatMap((key) =>
		key.phones.map((phone) => ({ e164: [phone.e164], national: phone.national })),
	);
	for (const slice of planSlices(units, (unit) => [unit.e164, unit.national])) {
		const pick = (of: (unit: (typeof units)[number]) => string[]) => [
			...new Set(slice.flatMap((index) => of(units[index]))),
		];
		const filterGroups = contactFilterGroups({
			e164: pick((unit) => unit.e164),
			nationalDigits: pick((unit) => unit.national),
			emails: [],
		});
		addHits(keys, found, await searchAllPages(session, 'contacts', { filterGroups, properties }));
	}
}

async function readEmails(
	session: HubSpotSession,
	keys: QueryKeys[],
	properties: string[],
	found: Map<string, HubSpotObject>[],
): Promise<void> {
	const emails = [...new Set(keys.flatMap((key) => key.emails))];
	for (const slice of chunk(emails, BATCH_LIMIT)) {
		const response = await session.send('POST /crm/v3/objects/contacts/batch/read', true, (api) =>
			api.batchRead('contacts', slice, properties, 'email'),
		);
		addHits(keys, found, response.results);
	}
}

/**
 * One deal search per person: HubSpot's search answer does not say which of several asked
 * contacts a deal is associated with, so each contact gets its own search. With the batch's
 * shared person search this stays within two requests per lookup.
 */
async function openDealsOf(
	session: HubSpotSession,
	contactId: string,
	maxOpenDeals: number,
): Promise<CrmRef[]> {
	const hits = await searchAllPages(session, 'deals', {
		filterGroups: [
			{ filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: contactId }] },
		],
		properties: [...DEAL_PROPERTIES],
	});
	const open = hits
		.map((hit) => ref('deal', 'deals', hit, 'association'))
		.filter((deal) => deal.isOpen);
	return newestFirst(open).slice(0, maxOpenDeals);
}

function newestFirst(refs: CrmRef[]): CrmRef[] {
	return [...refs].sort(
		(a, b) => (Date.parse(b.createdAt ?? '') || 0) - (Date.parse(a.createdAt ?? '') || 0),
	);
}

export async function lookupPeople(
	session: HubSpotSession,
	queries: MatchQuery[],
	options: PersonLookupOptions,
): Promise<PersonLookup[]> {
	const keys = queries.map(queryKeys);
	const properties = [
		...new Set([
			...CONTACT_MATCH_PROPERTIES,
			LAST_ACTIVITY,
			HUBSPOT_PROFILE.personLookup.companyField,
			...options.fields,
		]),
	];
	const found = queries.map(() => new Map<string, HubSpotObject>());
	await searchPhones(session, keys, properties, found);
	await readEmails(session, keys, properties, found);

	const picks = found.map((hits, index) => {
		const candidates = [...hits.values()].map((hit) => ({
			ref: ref('contact', 'contacts', hit, matchedContactBy(keys[index], hit) ?? 'phone'),
			lastActivityAt: isoTime(hit.properties[LAST_ACTIVITY]),
		}));
		return { best: bestPerson(candidates), count: rankPeople(candidates).length };
	});
	const deals = new Map<string, CrmRef[]>();
	const wanted =
		options.maxOpenDeals > 0 ? picks.flatMap((pick) => (pick.best ? [pick.best.ref.id] : [])) : [];
	for (const id of new Set(wanted)) {
		deals.set(id, await openDealsOf(session, id, options.maxOpenDeals));
	}
	return picks.map(({ best, count }) => ({
		candidates: count,
		openDeals: best ? (deals.get(best.ref.id) ?? []) : [],
		...(best ? { person: best.ref } : {}),
		...(best?.lastActivityAt ? { lastActivityAt: best.lastActivityAt } : {}),
	}));
}
