/**
 * v3 Lists: `POST /crm/v3/lists/search` (by name, offset paging), `GET /crm/v3/lists/{listId}`
 * and `GET /crm/v3/lists/{listId}/memberships` (ascending record id, `after` = the last record
 * id of the page, `limit` ≤ 250). Lists are stored as `lists` records (`name`,
 * `objectTypeId`, `processingType`), memberships as `list_memberships` records keyed
 * `<listId>:<recordId>` with the time they were added. Members change through the admin API
 * (`changeMembers`) or `PUT .../memberships/add|remove`.
 */
import type { RouteDefinition, SandboxResponse, VendorContext } from '../../core/types';
import { hubspotFailure } from './errors';
import { canonicalObjectType } from './objectTypes';
import type { HubSpotState } from './state';

export const LISTS = 'lists';
export const MEMBERSHIPS = 'list_memberships';
const MEMBERSHIP_LIMIT_MAX = 250;
const SEARCH_COUNT_MAX = 500;

const byNumber = (a: string, b: string) => Number(a) - Number(b) || a.localeCompare(b);

function listNotFound(listId: string): SandboxResponse {
	return hubspotFailure(404, 'OBJECT_NOT_FOUND', `List does not exist with listId ${listId}.`);
}

function membersOf(ctx: VendorContext, listId: string) {
	return ctx.store
		.list('hubspot', MEMBERSHIPS)
		.filter((m) => String(m.fields.listId) === listId)
		.sort((a, b) => byNumber(String(a.fields.recordId), String(b.fields.recordId)));
}

function publicList(ctx: VendorContext, listId: string) {
	const list = ctx.store.get('hubspot', LISTS, listId);
	if (!list) return undefined;
	return {
		listId,
		listVersion: 1,
		name: String(list.fields.name ?? ''),
		objectTypeId: String(list.fields.objectTypeId ?? '0-1'),
		processingType: String(list.fields.processingType ?? 'MANUAL'),
		processingStatus: 'COMPLETE',
		createdAt: list.createdAt,
		updatedAt: list.updatedAt,
		additionalProperties: { hs_list_size: String(membersOf(ctx, listId).length) },
	};
}

function search(ctx: VendorContext, body: unknown): SandboxResponse {
	const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
	const query = typeof raw.query === 'string' ? raw.query.toLowerCase() : '';
	const offset = Math.max(0, Number(raw.offset ?? 0) || 0);
	const count = Math.min(Math.max(1, Number(raw.count ?? 20) || 20), SEARCH_COUNT_MAX);
	const all = ctx.store
		.list('hubspot', LISTS)
		.map((list) => publicList(ctx, list.id)!)
		.filter((list) => list.name.toLowerCase().includes(query))
		.sort((a, b) => byNumber(a.listId, b.listId));
	const lists = all.slice(offset, offset + count);
	return {
		status: 200,
		body: {
			lists,
			offset: offset + lists.length,
			hasMore: offset + count < all.length,
			total: all.length,
		},
	};
}

function memberships(ctx: VendorContext, listId: string, query: URLSearchParams): SandboxResponse {
	if (!ctx.store.get('hubspot', LISTS, listId)) return listNotFound(listId);
	const rawLimit = Number(query.get('limit') ?? 100);
	if (!Number.isInteger(rawLimit) || rawLimit < 1 || rawLimit > MEMBERSHIP_LIMIT_MAX)
		return hubspotFailure(
			400,
			'VALIDATION_ERROR',
			`limit must be between 1 and ${MEMBERSHIP_LIMIT_MAX}`,
		);
	const after = query.get('after');
	const rest = membersOf(ctx, listId).filter(
		(m) => after === null || byNumber(String(m.fields.recordId), after) > 0,
	);
	const page = rest.slice(0, rawLimit);
	const results = page.map((m) => ({
		recordId: String(m.fields.recordId),
		membershipTimestamp: String(m.fields.membershipTimestamp),
	}));
	const more = rest.length > rawLimit;
	return {
		status: 200,
		body: {
			results,
			...(more
				? { paging: { next: { after: String(page.at(-1)?.fields.recordId), link: '' } } }
				: {}),
		},
	};
}

/** Adds/removes members; an unknown list, or a record of another object, is refused. */
export function changeHubSpotMembers(
	ctx: VendorContext,
	listId: string,
	change: { add: string[]; remove: string[] },
): string | undefined {
	const list = ctx.store.get('hubspot', LISTS, listId);
	if (!list) return `HubSpot list ${listId} does not exist`;
	const type = canonicalObjectType(String(list.fields.objectTypeId ?? '0-1'));
	if (!type) return `HubSpot list ${listId} holds an object the sandbox does not know`;
	for (const recordId of change.add) {
		if (!ctx.store.get('hubspot', type, recordId)) return `no ${type} record ${recordId}`;
		const key = `${listId}:${recordId}`;
		if (!ctx.store.get('hubspot', MEMBERSHIPS, key))
			ctx.store.insert('hubspot', MEMBERSHIPS, key, {
				listId,
				recordId,
				membershipTimestamp: new Date(ctx.now()).toISOString(),
			});
	}
	for (const recordId of change.remove)
		ctx.store.remove('hubspot', MEMBERSHIPS, `${listId}:${recordId}`);
	return undefined;
}

function idsBody(body: unknown): string[] | undefined {
	return Array.isArray(body) && body.every((id) => typeof id === 'string' || typeof id === 'number')
		? body.map(String)
		: undefined;
}

export function listRoutes(state: HubSpotState): RouteDefinition[] {
	const { ctx } = state;
	const change =
		(kind: 'add' | 'remove') => (req: { params: Record<string, string>; body: unknown }) => {
			const ids = idsBody(req.body);
			if (!ids)
				return hubspotFailure(400, 'VALIDATION_ERROR', 'The body must be an array of record ids.');
			const { listId } = req.params;
			if (!ctx.store.get('hubspot', LISTS, listId)) return listNotFound(listId);
			const problem = changeHubSpotMembers(
				ctx,
				listId,
				kind === 'add' ? { add: ids, remove: [] } : { add: [], remove: ids },
			);
			if (problem) return hubspotFailure(400, 'VALIDATION_ERROR', problem);
			return {
				status: 200,
				body:
					kind === 'add'
						? { recordIdsAdded: ids, recordsIdsMissing: [] }
						: { recordIdsRemoved: ids, recordIdsMissing: [] },
			};
		};
	return [
		{
			method: 'POST',
			template: '/hubspot/crm/v3/lists/search',
			handler: (req) => search(ctx, req.body),
		},
		{
			method: 'GET',
			template: '/hubspot/crm/v3/lists/:listId/memberships',
			handler: (req) => memberships(ctx, req.params.listId, req.query),
		},
		{
			method: 'PUT',
			template: '/hubspot/crm/v3/lists/:listId/memberships/add',
			handler: change('add'),
		},
		{
			method: 'PUT',
			template: '/hubspot/crm/v3/lists/:listId/memberships/remove',
			handler: change('remove'),
		},
		{
			method: 'GET',
			template: '/hubspot/crm/v3/lists/:listId',
			handler: (req) => {
				const list = publicList(ctx, req.params.listId);
				return list ? { status: 200, body: { list } } : listNotFound(req.params.listId);
			},
		},
	];
}
