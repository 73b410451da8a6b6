/**
 * Marketing lists and views for the sync trigger. Static `list` rows whose member type
 * (`createdfromcode`: 1 account, 2 contact, 4 lead) is the watched object, their `listmember`
 * rows read in `listmemberid` order with `listmemberid gt <last>` — a key cursor that stays
 * valid between polls. Dynamic lists keep no member rows (their members are a query), so they
 * are not offered and are refused with a clear error. Views — system (`savedquery`) and
 * personal (`userquery`) views of the object — are FetchXML queries, run with their own
 * filters and a key cursor (viewFetchXml.ts); their segment ids say which: `savedquery:<id>`,
 * `userquery:<id>` (a bare GUID is a marketing list).
 */
import type { SegmentInfo, SegmentMembersPage, SegmentMembersRequest } from '../CrmProvider';
import { whenNotFound } from '../notFound';
import type { DynamicsClient } from './client';
import { knownEntity } from './entities';
import { allOf, eq, eqGuid, guidLiteral, isGuid, queryPath } from './odata';
import { viewPageFetchXml } from './viewFetchXml';

const MEMBER_TYPE_CODES: Readonly<Record<string, number>> = { account: 1, contact: 2, lead: 4 };
const MAX_PAGE = 5000;

interface ListRow {
	listid: string;
	listname?: string | null;
	createdfromcode?: number | null;
	/** true = dynamic. */
	type?: boolean | null;
}

interface MemberRow {
	listmemberid: string;
	_entityid_value?: string | null;
}

function memberTypeCode(objectType: string): number {
	const code = MEMBER_TYPE_CODES[objectType.toLowerCase()];
	if (code === undefined)
		throw new Error(
			`Dynamics 365 marketing lists hold accounts, contacts or leads, not ${objectType}`,
		);
	return code;
}

/** View tables: system views and personal views, both FetchXML queries of one table. */
const VIEW_TABLES = {
	savedquery: { entitySet: 'savedqueries', id: 'savedqueryid', label: 'view' },
	userquery: { entitySet: 'userqueries', id: 'userqueryid', label: 'personal view' },
} as const;
type ViewTable = keyof typeof VIEW_TABLES;
/** `querytype` 0: the object's main (public) views, not lookups, quick finds or sub-grids. */
const MAIN_VIEW = 0;

interface ViewRow {
	name?: string | null;
	fetchxml?: string | null;
	returnedtypecode?: string | null;
	savedqueryid?: string;
	userqueryid?: string;
}

export async function listSegments(
	client: DynamicsClient,
	objectType: string,
): Promise<SegmentInfo[]> {
	return [
		...(await listMarketingLists(client, objectType)),
		...(await listViews(client, objectType)),
	];
}

async function listViews(client: DynamicsClient, objectType: string): Promise<SegmentInfo[]> {
	const views: SegmentInfo[] = [];
	for (const [table, facts] of Object.entries(VIEW_TABLES) as Array<
		[ViewTable, (typeof VIEW_TABLES)[ViewTable]]
	>) {
		const path = queryPath(facts.entitySet, {
			select: [facts.id, 'name'],
			filter: allOf([
				eq('returnedtypecode', objectType.toLowerCase()),
				`querytype eq ${MAIN_VIEW}`,
				'statecode eq 0',
			]),
			orderBy: [{ field: 'name' }],
		});
		const page = await client.getJson<{ value?: ViewRow[] }>(path, `GET ${facts.entitySet}`);
		for (const row of page.value ?? []) {
			const id = row[facts.id];
			if (!id) continue;
			views.push({
				id: `${table}:${id}`,
				name: `${row.name ?? id} (${facts.label})`,
				description: `${facts.label === 'view' ? 'System view' : 'Personal view'} ${id} of ${objectType}`,
			});
		}
	}
	return views;
}

async function listMarketingLists(
	client: DynamicsClient,
	objectType: string,
): Promise<SegmentInfo[]> {
	const path = queryPath('lists', {
		select: ['listid', 'listname', 'createdfromcode', 'type'],
		filter: `createdfromcode eq ${memberTypeCode(objectType)} and type eq false`,
		orderBy: [{ field: 'listname' }],
	});
	const page = await client.getJson<{ value?: ListRow[] }>(path, 'GET lists');
	return (page.value ?? []).map((list) => ({
		id: list.listid,
		name: list.listname ?? list.listid,
		description: `Static marketing list ${list.listid}`,
	}));
}

async function checkList(
	client: DynamicsClient,
	listId: string,
	objectType: string,
): Promise<void> {
	const list = await client
		.getJson<ListRow>(
			`lists(${guidLiteral(listId)})?$select=listid,listname,createdfromcode,type`,
			'GET lists(id)',
		)
		.catch(
			whenNotFound(
				`Dynamics 365 marketing list ${listId} was not found: it was deleted, or the application user cannot see it. Choose another list.`,
			),
		);
	const name = list.listname ? `"${list.listname}" (${listId})` : listId;
	if (list.type === true)
		throw new Error(
			`Dynamics 365 marketing list ${name} is dynamic: only static lists keep members to watch`,
		);
	if (list.createdfromcode !== memberTypeCode(objectType))
		throw new Error(`Dynamics 365 marketing list ${name} does not hold ${objectType} records`);
}

export async function listSegmentMembers(
	client: DynamicsClient,
	request: SegmentMembersRequest,
): Promise<SegmentMembersPage> {
	const view = /^(savedquery|userquery):(.+)$/.exec(request.segmentId.trim());
	if (view) return await viewMembers(client, view[1] as ViewTable, view[2], request);
	const listId = request.segmentId.trim();
	if (!isGuid(listId))
		throw new Error(`Dynamics 365 marketing list id "${request.segmentId}" is not a GUID`);
	const limit = Math.min(Math.max(1, Math.floor(request.pageSize ?? 100)), MAX_PAGE);
	// The first page of a scan checks the list: an unknown one would read as "no members".
	if (request.cursor === undefined) await checkList(client, listId, request.objectType);
	const path = queryPath('listmembers', {
		select: ['listmemberid', '_entityid_value'],
		filter: allOf([
			eqGuid('_listid_value', listId),
			request.cursor === undefined ? undefined : `listmemberid gt ${guidLiteral(request.cursor)}`,
		]),
		orderBy: [{ field: 'listmemberid' }],
		top: limit,
	});
	const page = await client.getJson<{ value?: MemberRow[] }>(path, 'GET listmembers');
	const rows = page.value ?? [];
	const members = rows.flatMap((row) =>
		row._entityid_value ? [{ id: row._entityid_value, objectType: request.objectType }] : [],
	);
	const last = rows.at(-1)?.listmemberid;
	return rows.length === limit && last ? { members, nextCursor: last } : { members };
}

/**
 * One page of a view's members. The view is read on every page (one more call): its filter
 * may change between polls, and a deleted view must fail, not read as empty.
 */
async function viewMembers(
	client: DynamicsClient,
	table: ViewTable,
	viewId: string,
	request: SegmentMembersRequest,
): Promise<SegmentMembersPage> {
	const facts = VIEW_TABLES[table];
	if (!isGuid(viewId)) throw new Error(`Dynamics 365 ${facts.label} id "${viewId}" is not a GUID`);
	const entity = knownEntity(request.objectType);
	if (!entity) throw new Error(`Dynamics 365 views of ${request.objectType} cannot be watched`);
	const limit = Math.min(Math.max(1, Math.floor(request.pageSize ?? 100)), MAX_PAGE);
	const row = await client
		.getJson<ViewRow>(
			`${facts.entitySet}(${guidLiteral(viewId)})?$select=name,fetchxml,returnedtypecode`,
			`GET ${facts.entitySet}(id)`,
		)
		.catch(
			whenNotFound(
				`Dynamics 365 ${facts.label} ${viewId} was not found: it was deleted, or the application user cannot see it. Choose another view.`,
			),
		);
	const name = row.name ? `"${row.name}" (${viewId})` : viewId;
	if (request.cursor !== undefined && !isGuid(request.cursor))
		throw new Error(`Dynamics 365 ${facts.label} ${name}: the stored cursor is not a GUID`);
	const page = viewPageFetchXml({
		fetchXml: row.fetchxml ?? '',
		entity: entity.logicalName,
		primaryId: entity.primaryId,
		...(request.cursor === undefined ? {} : { after: request.cursor }),
		limit,
	});
	if ('error' in page)
		throw new Error(`Dynamics 365 ${facts.label} ${name} cannot be watched: ${page.error}`);
	const result = await client.getJson<{ value?: Array<Record<string, unknown>> }>(
		`${entity.entitySet}?fetchXml=${encodeURIComponent(page.fetchXml)}`,
		`GET ${entity.entitySet}?fetchXml`,
	);
	const rows = result.value ?? [];
	const ids = rows.flatMap((r) => {
		const id = r[entity.primaryId];
		return typeof id === 'string' ? [id] : [];
	});
	const members = ids.map((id) => ({ id, objectType: request.objectType }));
	const last = ids.at(-1);
	return rows.length === limit && last ? { members, nextCursor: last } : { members };
}
