/**
 * listChanged: records modified at or after `since`, oldest first with the primary id as a
 * tie-breaker, paged by `Prefer: odata.maxpagesize`. The cursor is Dataverse's own
 * `@odata.nextLink`; it is only followed when it points back into the same org's Web API,
 * so a tampered cursor can never send the token elsewhere.
 */
import type { ListChangedPage, ListChangedRequest } from '../CrmProvider';
import { associationColumns, associationsOf } from './changeAssociations';
import type { DynamicsClient } from './client';
import type { EntityInfo } from './entities';
import { allOf, dateTimeLiteral, queryPath } from './odata';
import { toRecordData } from './records';

export const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 5000;
/** Which table each lookup points at, for telling a customer that is an account from a contact. */
const LOOKUP_ANNOTATIONS = 'odata.include-annotations="Microsoft.Dynamics.CRM.lookuplogicalname"';

export function listChangedPath(entity: EntityInfo, request: ListChangedRequest): string {
	const select = [
		...new Set([
			entity.primaryId,
			'createdon',
			'modifiedon',
			...request.properties,
			...(request.associations ? associationColumns(entity.logicalName) : []),
		]),
	];
	// `filter` is the admin's trusted OData condition, ANDed in parentheses so it cannot widen the range.
	const filter = allOf([
		`modifiedon ge ${dateTimeLiteral(request.since)}`,
		request.filter?.trim() || undefined,
	]);
	return queryPath(entity.entitySet, {
		select,
		filter,
		orderBy: [{ field: 'modifiedon' }, { field: entity.primaryId }],
		count: true,
	});
}

export async function listChanged(
	client: DynamicsClient,
	entity: EntityInfo,
	request: ListChangedRequest,
): Promise<ListChangedPage> {
	const pageSize = Math.min(
		MAX_PAGE_SIZE,
		Math.max(1, Math.floor(request.pageSize ?? DEFAULT_PAGE_SIZE)),
	);
	let path: string;
	if (request.cursor) {
		if (!client.ownsUrl(request.cursor))
			throw new Error('The listChanged cursor does not belong to this Dynamics 365 org');
		path = request.cursor;
	} else {
		path = listChangedPath(entity, request);
	}
	const page = await client.getJson<{
		value?: Array<Record<string, unknown>>;
		'@odata.nextLink'?: string;
		'@odata.count'?: number;
	}>(path, `GET ${entity.entitySet} (changed since)`, {
		Prefer: request.associations
			? `odata.maxpagesize=${pageSize},${LOOKUP_ANNOTATIONS}`
			: `odata.maxpagesize=${pageSize}`,
	});
	const result: ListChangedPage = {
		records: (page.value ?? []).map((row) => {
			const record = toRecordData(entity, row);
			return request.associations
				? { ...record, associations: associationsOf(entity.logicalName, row) }
				: record;
		}),
	};
	if (page['@odata.nextLink']) result.nextCursor = page['@odata.nextLink'];
	if (!request.cursor && typeof page['@odata.count'] === 'number')
		result.listedFromSince = page['@odata.count'];
	return result;
}
