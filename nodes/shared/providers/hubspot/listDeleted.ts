/**
 * listDeleted: archived records of one object, from `GET /crm/v3/objects/{type}?archived=true`
 * (100 per page, in record-id order — HubSpot keeps them restorable for 90 days and has no
 * filter by archive time, so the caller reads every page and orders them by `archivedAt`).
 * The cursor is HubSpot's own `after`.
 */
import type { ListDeletedPage, ListDeletedRequest } from '../CrmProvider';
import type { HubSpotSession } from './session';

/** The archived listing's largest page. */
export const ARCHIVED_PAGE_SIZE = 100;

export async function listDeleted(
	session: HubSpotSession,
	request: ListDeletedRequest,
): Promise<ListDeletedPage> {
	const limit = Math.min(ARCHIVED_PAGE_SIZE, Math.max(1, Math.floor(request.pageSize ?? 100)));
	const page = await session.send(
		`GET /crm/v3/objects/${request.objectType}?archived=true`,
		true,
		(api) => api.listArchived(request.objectType, request.cursor, limit),
	);
	return {
		records: page.results.map((entry) => ({
			id: entry.id,
			objectType: request.objectType,
			...(entry.archivedAt ? { deletedAt: entry.archivedAt } : {}),
		})),
		...(page.nextAfter ? { nextCursor: page.nextAfter } : {}),
	};
}
