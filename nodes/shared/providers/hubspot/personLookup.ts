/**
 * Caller lookup on HubSpot in two requests per query at most: the contact (one search for
 * every phone of the batch; emails read by HubSpot's unique `email` key, which is current at
 * once where search lags), then the best contacts' deals (one search by association for a
 * single caller; for several, one association read and one batch read for all of them, off
 * the search limit). The last activity is HubSpot's own `notes_last_updated` ("Last Activity Date").
 */
import { bestPerson, isoTime, rankPeople } from '../../logic/bestPerson';
import type { CrmRef } from '../../model';
import { chunk } from '../batch';
import type { MatchQuery, PersonLookup, PersonLookupOptions } from '../CrmProvider';
import type { HubSpotObject } from './client';
import {
	DEAL_PROPERTIES,
	dealsOfRecords,
	matchedContactBy,
	queryKeys,
	ref,
	type QueryKeys,
} from './matching';
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

/** Open deals of each contact, newest first, at most `maxOpenDeals` each. */
async function openDealsOf(
	session: HubSpotSession,
	contactIds: string[],
	maxOpenDeals: number,
): Promise<Map<string, CrmRef[]>> {
	const byContact = new Map<string, CrmRef[]>();
	if (contactIds.length === 0 || maxOpenDeals <= 0) return byContact;
	let deals: Map<string, CrmRef[]>;
	if (contactIds.length === 1) {
		// One caller (the call-connect case): a single search by association is one request.
		const hits = await searchAllPages(session, 'deals', {
			filterGroups: [
				{
					filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: contactIds[0] }],
				},
			],
			properties: [...DEAL_PROPERTIES],
		});
		deals = new Map([[contactIds[0], hits.map((hit) => ref('deal', 'deals', hit, 'association'))]]);
	} else {
		deals = (await dealsOfRecords(session, { contacts: contactIds })).contacts;
	}
	for (const [id, found] of deals)
		byContact.set(id, newestFirst(found.filter((deal) => deal.isOpen)).slice(0, maxOpenDeals));
	return byContact;
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
	const wanted = [...new Set(picks.flatMap((pick) => (pick.best ? [pick.best.ref.id] : [])))];
	const deals = await openDealsOf(session, wanted, options.maxOpenDeals);
	return picks.map(({ best, count }) => ({
		candidates: count,
		openDeals: best ? (deals.get(best.ref.id) ?? []) : [],
		...(best ? { person: best.ref } : {}),
		...(best?.lastActivityAt ? { lastActivityAt: best.lastActivityAt } : {}),
	}));
}
