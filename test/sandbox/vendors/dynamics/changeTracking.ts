/**
 * Change tracking on collection reads. `Prefer: odata.track-changes` on a plain read serves
 * the rows as usual (paged) and ends the last page with an `@odata.deltaLink`; reading that
 * link returns what changed since — changed rows, and rows deleted since as
 * `$deletedEntity` entries `{ id, reason: 'deleted' }` — with a new delta link. Like
 * Dataverse, a tracked read takes no `$filter`, `$orderby` or `$top`. Every table tracks
 * changes here. The token is the position in the deletion log plus the time of the read.
 */
import { badRequest } from './errors';
import { readCollection, type CollectionRequest } from './query';
import { rowView, selectedAttributes } from './rows';

export interface TrackedRequest extends CollectionRequest {
	now: number;
}

export function tracksChanges(prefer: string | undefined, query: URLSearchParams): boolean {
	return /odata\.track-changes/i.test(prefer ?? '') || query.has('$deltatoken');
}

function deltaLink(request: TrackedRequest): string {
	const link = new URLSearchParams();
	const select = request.query.get('$select');
	if (select) link.set('$select', select);
	const position = request.store.deletionCount('dynamics');
	link.set('$deltatoken', `${position}!${new Date(request.now).toISOString()}`);
	return `${request.serviceRoot}${request.entity.entitySet}?${link.toString().replace(/%24/g, '$')}`;
}

function readToken(token: string): { position: number; since: number } {
	const match = /^(\d+)!(.+)$/.exec(token);
	const since = match ? Date.parse(match[2]) : Number.NaN;
	if (!match || Number.isNaN(since)) throw badRequest('The $deltatoken is not valid');
	return { position: Number(match[1]), since };
}

export function readTracked(request: TrackedRequest): {
	body: Record<string, unknown>;
	headers: Record<string, string>;
} {
	const { query, entity, store } = request;
	for (const option of ['$filter', '$orderby', '$top'])
		if (query.has(option))
			throw badRequest(`${option} is not supported when tracking changes (odata.track-changes)`);
	const token = query.get('$deltatoken');
	const applied = { 'Preference-Applied': 'odata.track-changes' };
	if (token === null) {
		const page = readCollection(request);
		if (!page.body['@odata.nextLink']) page.body['@odata.deltaLink'] = deltaLink(request);
		return { body: page.body, headers: { ...page.headers, ...applied } };
	}
	const { position, since } = readToken(token);
	const attributes = selectedAttributes(entity, query.get('$select'));
	const changed = store
		.list('dynamics', entity.logicalName)
		.filter((record) => Date.parse(record.updatedAt) > since)
		.map((record) => rowView(entity, record, attributes, false));
	const deleted = store
		.deletions('dynamics', entity.logicalName)
		.filter(
			(entry) => entry.sequence > position && !store.get('dynamics', entity.logicalName, entry.id),
		)
		.map((entry) => ({
			'@odata.context': `${request.serviceRoot}$metadata#${entity.entitySet}/$deletedEntity`,
			id: entry.id,
			reason: 'deleted',
		}));
	return {
		body: {
			'@odata.context': `${request.serviceRoot}$metadata#${entity.entitySet}`,
			value: [...changed, ...deleted],
			'@odata.deltaLink': deltaLink(request),
		},
		headers: applied,
	};
}
