/**
 * listDeleted through Dataverse change tracking. Without a cursor, the table is read once
 * with `Prefer: odata.track-changes` (only its ids, page by page): that starts the tracking
 * and ends with a delta link. With the delta link, only what changed since comes back —
 * rows removed since then as `$deletedEntity` entries, which are the deletions; changed rows
 * are left to listChanged. Links are only followed when they point back into the same org.
 * Dataverse stamps no deletion time, so deletions carry none.
 */
import type { ListDeletedPage, ListDeletedRequest } from '../CrmProvider';
import type { DynamicsClient } from './client';
import type { EntityInfo } from './entities';
import { queryPath } from './odata';

const MAX_PAGE_SIZE = 5000;

interface DeltaAnswer {
	value?: Array<Record<string, unknown>>;
	'@odata.nextLink'?: string;
	'@odata.deltaLink'?: string;
}

function isDeletion(entry: Record<string, unknown>): boolean {
	const context = entry['@odata.context'];
	return (
		(typeof context === 'string' && context.endsWith('/$deletedEntity')) ||
		entry.reason === 'deleted'
	);
}

export async function listDeleted(
	client: DynamicsClient,
	entity: EntityInfo,
	request: ListDeletedRequest,
): Promise<ListDeletedPage> {
	const pageSize = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(request.pageSize ?? 100)));
	let path: string;
	if (request.cursor) {
		if (!client.ownsUrl(request.cursor))
			throw new Error('The listDeleted cursor does not belong to this Dynamics 365 org');
		path = request.cursor;
	} else {
		path = queryPath(entity.entitySet, { select: [entity.primaryId] });
	}
	const answer = await client.getJson<DeltaAnswer>(
		path,
		`GET ${entity.entitySet} (tracked changes)`,
		{ Prefer: `odata.track-changes,odata.maxpagesize=${pageSize}` },
	);
	const records = (answer.value ?? []).filter(isDeletion).flatMap((entry) => {
		const id = entry.id ?? entry[entity.primaryId];
		return typeof id === 'string' && id !== '' ? [{ id, objectType: entity.logicalName }] : [];
	});
	if (answer['@odata.nextLink']) return { records, nextCursor: answer['@odata.nextLink'] };
	if (!answer['@odata.deltaLink'])
		throw new Error(
			`Dynamics 365 did not answer with a delta link for ${entity.entitySet}: turn on "Track changes" for the table to detect deletions`,
		);
	return { records, resumeCursor: answer['@odata.deltaLink'] };
}
