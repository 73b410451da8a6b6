/**
 * Marketing lists for the sync trigger: static `list` rows whose member type
 * (`createdfromcode`: 1 account, 2 contact, 4 lead) is the watched object, and their
 * `listmember` rows read in `listmemberid` order with `listmemberid gt <last>` — a key
 * cursor that stays valid between polls. Dynamic lists keep no member rows (their members
 * are a query), so they are not offered and are refused with a clear error.
 */
import type { SegmentInfo, SegmentMembersPage, SegmentMembersRequest } from '../CrmProvider';
import { whenNotFound } from '../notFound';
import type { DynamicsClient } from './client';
import { allOf, eqGuid, guidLiteral, isGuid, queryPath } from './odata';

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

export async function listSegments(
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
