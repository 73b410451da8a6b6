/**
 * findMatches: per query, clients by each phone and each email, confirmed client-side
 * (see lookup.ts) and deduplicated. autoch.at clients are the only kind (contacts);
 * domains are ignored because there is no company object. The same phone or email in
 * several queries of one batch is asked once.
 */
import { emptyMatchSet, type MatchSet } from '../../model';
import type { MatchOptions, MatchQuery } from '../CrmProvider';
import type { AutochatApi } from './api';
import type { AutochatClientRecord } from './endpoints';
import { findClients, type LookupKey } from './lookup';
import { clientRef } from './refs';

function newestFirst(a: AutochatClientRecord, b: AutochatClientRecord): number {
	return String(b.updated_at ?? '').localeCompare(String(a.updated_at ?? ''));
}

export async function findMatches(
	api: AutochatApi,
	queries: MatchQuery[],
	options: MatchOptions,
): Promise<MatchSet[]> {
	if (!options.kinds.includes('contact')) return queries.map(() => emptyMatchSet());
	const asked = new Map<string, Promise<AutochatClientRecord[]>>();
	const lookup = (key: LookupKey, value: string): Promise<AutochatClientRecord[]> => {
		const cacheKey = `${key}:${key === 'email' ? value.trim().toLowerCase() : value}`;
		let pending = asked.get(cacheKey);
		if (!pending) {
			pending = findClients(api, key, value);
			asked.set(cacheKey, pending);
		}
		return pending;
	};

	const results: MatchSet[] = [];
	// One query after another: the API allows 100 requests/min, parallel calls would only queue.
	for (const query of queries) {
		const hits = new Map<string, { client: AutochatClientRecord; matchedBy: string }>();
		const keys: Array<[LookupKey, string]> = [
			...query.phones.map((phone): [LookupKey, string] => ['phone', phone]),
			...query.emails.map((email): [LookupKey, string] => ['email', email]),
		];
		for (const [key, value] of keys) {
			for (const client of await lookup(key, value))
				if (!hits.has(client.id)) hits.set(client.id, { client, matchedBy: key });
		}
		const ordered = [...hits.values()].sort((a, b) => newestFirst(a.client, b.client));
		const capped =
			options.maxPerKind !== undefined ? ordered.slice(0, options.maxPerKind) : ordered;
		const set = emptyMatchSet();
		set.contact = capped.map(({ client, matchedBy }) => clientRef(client, matchedBy));
		results.push(set);
	}
	return results;
}
