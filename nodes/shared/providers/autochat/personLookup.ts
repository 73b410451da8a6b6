/**
 * Caller lookup on autoch.at CRM: clients by email (one request) or by phone in its two
 * most common spellings (E.164, then without the plus; one request each), confirmed
 * client-side. The API has no deals and no last-activity field, so neither is returned.
 */
import { bestPerson, rankPeople } from '../../logic/bestPerson';
import type { MatchQuery, PersonLookup } from '../CrmProvider';
import type { AutochatApi } from './api';
import { findClients, type LookupKey } from './lookup';
import { clientRef } from './refs';

/** Spellings asked per phone: keeps a lookup within two requests. */
const PHONE_SPELLINGS = 2;

export async function lookupPeople(
	api: AutochatApi,
	queries: MatchQuery[],
): Promise<PersonLookup[]> {
	const results: PersonLookup[] = [];
	// One query after another: the API allows 100 requests/min, parallel calls would only queue.
	for (const query of queries) {
		const keys: Array<[LookupKey, string]> = [
			...query.phones.map((phone): [LookupKey, string] => ['phone', phone]),
			...query.emails.map((email): [LookupKey, string] => ['email', email]),
		];
		const candidates = new Map<string, ReturnType<typeof clientRef>>();
		for (const [key, value] of keys) {
			for (const client of await findClients(api, key, value, PHONE_SPELLINGS))
				if (!candidates.has(client.id)) candidates.set(client.id, clientRef(client, key));
		}
		const ranked = rankPeople([...candidates.values()].map((ref) => ({ ref })));
		const best = bestPerson(ranked);
		results.push({
			candidates: ranked.length,
			openDeals: [],
			...(best ? { person: best.ref } : {}),
		});
	}
	return results;
}
