/**
 * Lists (segments) for the sync trigger: the portal's lists of one object through
 * `POST /crm/v3/lists/search`, and a list's members through
 * `GET /crm/v3/lists/{listId}/memberships` (after `GET /crm/v3/lists/{listId}` checks the
 * list's object on a scan's first page), which HubSpot returns in ascending record-id
 * order with an `after` offset. The page cursor is that offset: it stays valid between polls.
 */
import type { SegmentInfo, SegmentMembersPage, SegmentMembersRequest } from '../CrmProvider';
import { whenNotFound } from '../notFound';
import type { HubSpotList } from './client';
import type { HubSpotSession } from './session';

/** HubSpot's object type ids of the standard objects a list can hold. */
const OBJECT_TYPE_IDS: Readonly<Record<string, string>> = {
	contacts: '0-1',
	companies: '0-2',
	deals: '0-3',
	tickets: '0-5',
};

const LIST_SEARCH_PAGE = 500;
/** Enough for any portal's drop-down; the search pages by offset. */
const MAX_LIST_PAGES = 20;
const MEMBERSHIP_PAGE_MAX = 250;

export function objectTypeIdOf(objectType: string): string {
	return OBJECT_TYPE_IDS[objectType] ?? objectType;
}

function describeList(list: HubSpotList): string {
	const kind =
		list.processingType === 'MANUAL' || list.processingType === 'SNAPSHOT' ? 'static' : 'active';
	const size = list.size === undefined ? '' : `, ${list.size.toLocaleString('en-US')} members`;
	return `List ${list.listId} (${kind}${size})`;
}

export async function listSegments(
	session: HubSpotSession,
	objectType: string,
): Promise<SegmentInfo[]> {
	const wanted = objectTypeIdOf(objectType);
	const found: SegmentInfo[] = [];
	let offset = 0;
	for (let page = 0; page < MAX_LIST_PAGES; page++) {
		const result = await session.send('POST /crm/v3/lists/search', true, (api) =>
			api.searchLists(offset, LIST_SEARCH_PAGE),
		);
		for (const list of result.lists)
			if (list.objectTypeId === wanted)
				found.push({ id: list.listId, name: list.name, description: describeList(list) });
		if (!result.hasMore || result.lists.length === 0) break;
		offset = result.offset;
	}
	return found.sort((a, b) => a.name.localeCompare(b.name));
}

export async function listSegmentMembers(
	session: HubSpotSession,
	request: SegmentMembersRequest,
): Promise<SegmentMembersPage> {
	const listId = request.segmentId.trim();
	if (!/^\d+$/.test(listId))
		throw new Error(`HubSpot list id "${request.segmentId}" is not a list id (digits expected)`);
	const limit = Math.min(Math.max(1, Math.floor(request.pageSize ?? 100)), MEMBERSHIP_PAGE_MAX);
	const notFound = whenNotFound(
		`HubSpot list ${listId} was not found: it was deleted, or the app cannot see it. Choose another list.`,
	);
	// The first page of a scan checks the list holds the watched object: another object's ids would not read.
	if (request.cursor === undefined) {
		const list = await session
			.send(`GET /crm/v3/lists/${listId}`, true, (api) => api.getList(listId))
			.catch(notFound);
		if (list.objectTypeId !== objectTypeIdOf(request.objectType))
			throw new Error(
				`HubSpot list "${list.name}" (${listId}) holds objects of type ${list.objectTypeId}, not ${request.objectType}`,
			);
	}
	const page = await session
		.send(`GET /crm/v3/lists/${listId}/memberships`, true, (api) =>
			api.getListMemberships(listId, request.cursor, limit),
		)
		.catch(notFound);
	return {
		members: page.recordIds.map((id) => ({ id, objectType: request.objectType })),
		...(page.nextAfter ? { nextCursor: page.nextAfter } : {}),
	};
}
