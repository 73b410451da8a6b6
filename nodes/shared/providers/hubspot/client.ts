/**
 * The only file that touches @hubspot/api-client. It builds a thin facade over the
 * SDK's `*WithHttpInfo` methods with plain request/response shapes, so the rest of the
 * provider never depends on the SDK's generated classes.
 *
 * Why a fresh SDK client per token, with its APIs built immediately:
 * the SDK keeps its retry/limiter decorators in a process-wide singleton that every
 * `new Client()` overwrites, and applies them to an API object when that object is
 * constructed (lazily, on first access). Building our API objects synchronously right
 * after `new Client({ numberOfApiCallRetries: 0 })` means they are never decorated, even
 * if some other code in the process creates a client with retries later. Our transport
 * owns retry, rate limiting and token refresh.
 */
import { Client } from '@hubspot/api-client';

/** `{ to: { id }, types: [...] }` exactly as HubSpot's batch create expects it. */
export interface InlineAssociation {
	to: { id: string };
	types: Array<{
		associationCategory: 'HUBSPOT_DEFINED' | 'USER_DEFINED';
		associationTypeId: number;
	}>;
}

export interface SearchFilter {
	propertyName: string;
	operator:
		| 'EQ'
		| 'NEQ'
		| 'LT'
		| 'LTE'
		| 'GT'
		| 'GTE'
		| 'BETWEEN'
		| 'IN'
		| 'NOT_IN'
		| 'HAS_PROPERTY'
		| 'CONTAINS_TOKEN';
	value?: string;
	highValue?: string;
	values?: string[];
}

export interface SearchBody {
	filterGroups: Array<{ filters: SearchFilter[] }>;
	properties: string[];
	limit: number;
	after?: string;
	sorts?: Array<{ propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }>;
}

/** A CRM object as the v3 APIs return it (dates as ISO strings, `new` for upserts). */
export interface HubSpotObject {
	id: string;
	properties: Record<string, string | null>;
	createdAt?: string;
	updatedAt?: string;
	objectWriteTraceId?: string;
	/** Upsert only: the record was created by this call. */
	new?: boolean;
}

/** One entry of a batch response's `errors` (HubSpot's StandardError). */
export interface BatchError {
	status?: string;
	category?: string;
	message: string;
	context?: Record<string, string[]>;
	errors?: Array<{ message: string; code?: string; context?: Record<string, string[]> }>;
}

export interface BatchResponse {
	status?: string;
	results: HubSpotObject[];
	errors: BatchError[];
}

export interface SearchPage {
	total: number;
	results: HubSpotObject[];
	nextAfter?: string;
}

export interface CreateInput {
	properties: Record<string, string>;
	associations?: InlineAssociation[];
	objectWriteTraceId?: string;
}

export interface UpdateInput {
	id: string;
	idProperty?: string;
	properties: Record<string, string>;
	objectWriteTraceId?: string;
}

export interface AssociationLinks {
	fromId: string;
	toIds: string[];
	/** HubSpot returned one page of a longer list (`paging.next`): toIds is incomplete. */
	more?: boolean;
}

/** The pairs associated, and HubSpot's errors for the rest. */
export interface AssociateResponse {
	associated: Array<{ fromId: string; toId: string }>;
	errors: BatchError[];
}

export interface PropertyOption {
	label: string;
	value: string;
	hidden?: boolean;
	/** Position in the portal's option order; -1 or absent puts it by its place in the list. */
	displayOrder?: number;
}

export interface PropertyDefinition {
	name: string;
	label: string;
	type: string;
	fieldType: string;
	options: PropertyOption[];
	hasUniqueValue?: boolean;
	calculated?: boolean;
	hidden?: boolean;
	readOnlyValue?: boolean;
}

export interface Owner {
	id: string;
	email?: string;
	archived?: boolean;
}

export interface OwnersPage {
	results: Owner[];
	nextAfter?: string;
}

/** What the provider calls; one instance per access token. */
/** One list (segment) of a list search. */
export interface HubSpotList {
	listId: string;
	name: string;
	objectTypeId: string;
	processingType: string;
	/** Members, when HubSpot says (`hs_list_size`). */
	size?: number;
}

export interface ListSearchPage {
	lists: HubSpotList[];
	hasMore: boolean;
	offset: number;
}

export interface MembershipPage {
	/** Member record ids, in ascending record-id order. */
	recordIds: string[];
	nextAfter?: string;
}

/** One page of the archived-records listing: ids and when each was archived. */
export interface ArchivedPage {
	results: Array<{ id: string; archivedAt?: string }>;
	nextAfter?: string;
}

export interface HubSpotApi {
	/** `GET /crm/v3/objects/{type}?archived=true`: archived records, in record-id order. */
	listArchived(objectType: string, after: string | undefined, limit: number): Promise<ArchivedPage>;
	search(objectType: string, body: SearchBody): Promise<SearchPage>;
	batchRead(
		objectType: string,
		ids: string[],
		properties: string[],
		idProperty?: string,
	): Promise<BatchResponse>;
	batchCreate(objectType: string, inputs: CreateInput[]): Promise<BatchResponse>;
	batchUpdate(objectType: string, inputs: UpdateInput[]): Promise<BatchResponse>;
	batchUpsert(objectType: string, inputs: UpdateInput[]): Promise<BatchResponse>;
	/** `POST /crm/v3/objects/{type}/batch/archive`: HubSpot answers 204, also for ids already archived. */
	batchArchive(objectType: string, ids: string[]): Promise<void>;
	readAssociations(
		fromObjectType: string,
		toObjectType: string,
		ids: string[],
	): Promise<AssociationLinks[]>;
	/**
	 * `POST /crm/v4/associations/{from}/{to}/batch/associate/default`: the default (unlabeled)
	 * association for each pair; errors name the pairs HubSpot refused.
	 */
	associateDefault(
		fromObjectType: string,
		toObjectType: string,
		pairs: Array<{ fromId: string; toId: string }>,
	): Promise<AssociateResponse>;
	getProperties(objectType: string): Promise<PropertyDefinition[]>;
	getOwners(limit: number, after?: string, email?: string): Promise<OwnersPage>;
	searchLists(offset: number, count: number): Promise<ListSearchPage>;
	getList(listId: string): Promise<HubSpotList>;
	getListMemberships(
		listId: string,
		after: string | undefined,
		limit: number,
	): Promise<MembershipPage>;
	/** The portal's call outcomes (`GET /calling/v1/dispositions`): `{ id, label }` each. */
	getCallDispositions(): Promise<CallDisposition[]>;
}

export interface CallDisposition {
	id: string;
	label: string;
}

/** A non-2xx answer of a raw request, in the shape the SDK throws (see errors.ts). */
class RawRequestError extends Error {
	constructor(
		readonly code: number,
		readonly body: unknown,
		readonly headers: Record<string, string>,
	) {
		super(`HubSpot responded with HTTP ${code}`);
	}
}

export type HeaderSink = (headers: Record<string, string>) => void;

interface ClientSettings {
	basePath: string;
	onHeaders: HeaderSink;
}

/** Anything the SDK hands back: `data` plus the response it came from. */
interface WithData<T> {
	data: T;
}

/* The SDK's generated model classes are structurally identical to the JSON HubSpot sends
 * (apart from Dates and the `_new` rename, handled below); these casts are the one place
 * where our plain shapes meet them. */
type Loose = Record<string, unknown>;

function isoOf(value: unknown): string | undefined {
	if (value instanceof Date) return value.toISOString();
	return typeof value === 'string' ? value : undefined;
}

function toObject(raw: Loose): HubSpotObject {
	const object: HubSpotObject = {
		id: String(raw.id),
		properties: (raw.properties as Record<string, string | null> | undefined) ?? {},
		createdAt: isoOf(raw.createdAt),
		updatedAt: isoOf(raw.updatedAt),
	};
	if (typeof raw.objectWriteTraceId === 'string')
		object.objectWriteTraceId = raw.objectWriteTraceId;
	const created = raw._new ?? raw.new;
	if (typeof created === 'boolean') object.new = created;
	return object;
}

function toBatch(raw: Loose): BatchResponse {
	return {
		status: typeof raw.status === 'string' ? raw.status : undefined,
		results: ((raw.results as Loose[] | undefined) ?? []).map(toObject),
		errors: (raw.errors as BatchError[] | undefined) ?? [],
	};
}

async function dataOf(promise: Promise<WithData<unknown>>): Promise<Loose> {
	const info = await promise;
	return (info.data ?? {}) as Loose;
}

function nextAfterOf(raw: Loose): string | undefined {
	const paging = raw.paging as { next?: { after?: string } } | undefined;
	return paging?.next?.after;
}

function toList(list: Loose): HubSpotList {
	const size = Number((list.additionalProperties as Loose | undefined)?.hs_list_size);
	return {
		listId: String(list.listId),
		name: String(list.name ?? list.listId),
		objectTypeId: String(list.objectTypeId ?? ''),
		processingType: String(list.processingType ?? ''),
		...(Number.isFinite(size) ? { size } : {}),
	};
}

function buildApi(accessToken: string, settings: ClientSettings): HubSpotApi {
	const client = new Client({
		accessToken,
		basePath: settings.basePath,
		numberOfApiCallRetries: 0,
		middleware: [
			{
				pre: (context: unknown) => context,
				post: (context: unknown) => {
					const headers = (context as { headers?: Record<string, string> }).headers;
					if (headers) settings.onHeaders(headers);
					return context;
				},
			},
		],
	});
	// Touch every API object now, while the decorator singleton is empty (see file header).
	const objects = client.crm.objects;
	const basicApi = objects.basicApi;
	const batchApi = objects.batchApi;
	const searchApi = objects.searchApi;
	const associationsBatch = client.crm.associations.v4.batchApi;
	const propertiesApi = client.crm.properties.coreApi;
	const ownersApi = client.crm.owners.ownersApi;
	const listsApi = client.crm.lists.listsApi;
	const membershipsApi = client.crm.lists.membershipsApi;

	type SearchArg = Parameters<typeof searchApi.doSearchWithHttpInfo>[1];
	type ReadArg = Parameters<typeof batchApi.readWithHttpInfo>[1];
	type CreateArg = Parameters<typeof batchApi.createWithHttpInfo>[1];
	type UpdateArg = Parameters<typeof batchApi.updateWithHttpInfo>[1];
	type UpsertArg = Parameters<typeof batchApi.upsertWithHttpInfo>[1];
	type ArchiveArg = Parameters<typeof batchApi.archiveWithHttpInfo>[1];
	type ListSearchArg = Parameters<typeof listsApi.doSearchWithHttpInfo>[0];

	return {
		async listArchived(objectType, after, limit) {
			const raw = await dataOf(
				basicApi.getPageWithHttpInfo(
					objectType,
					limit,
					after,
					['hs_object_id'],
					undefined,
					undefined,
					true,
				),
			);
			return {
				results: ((raw.results as Loose[] | undefined) ?? []).map((entry) => ({
					id: String(entry.id),
					archivedAt: isoOf(entry.archivedAt),
				})),
				nextAfter: nextAfterOf(raw),
			};
		},
		async search(objectType, body) {
			const raw = await dataOf(
				searchApi.doSearchWithHttpInfo(objectType, body as unknown as SearchArg),
			);
			return {
				total: typeof raw.total === 'number' ? raw.total : 0,
				results: ((raw.results as Loose[] | undefined) ?? []).map(toObject),
				nextAfter: nextAfterOf(raw),
			};
		},
		async batchRead(objectType, ids, properties, idProperty) {
			const body = {
				inputs: ids.map((id) => ({ id })),
				properties,
				idProperty,
			} as unknown as ReadArg;
			return toBatch(await dataOf(batchApi.readWithHttpInfo(objectType, body, false)));
		},
		async batchCreate(objectType, inputs) {
			return toBatch(
				await dataOf(batchApi.createWithHttpInfo(objectType, { inputs } as unknown as CreateArg)),
			);
		},
		async batchUpdate(objectType, inputs) {
			return toBatch(
				await dataOf(batchApi.updateWithHttpInfo(objectType, { inputs } as unknown as UpdateArg)),
			);
		},
		async batchUpsert(objectType, inputs) {
			return toBatch(
				await dataOf(batchApi.upsertWithHttpInfo(objectType, { inputs } as unknown as UpsertArg)),
			);
		},
		async batchArchive(objectType, ids) {
			const body = { inputs: ids.map((id) => ({ id })) } as unknown as ArchiveArg;
			await batchApi.archiveWithHttpInfo(objectType, body);
		},
		async readAssociations(fromObjectType, toObjectType, ids) {
			const raw = await dataOf(
				associationsBatch.getPageWithHttpInfo(fromObjectType, toObjectType, {
					inputs: ids.map((id) => ({ id })),
				}),
			);
			return ((raw.results as Loose[] | undefined) ?? []).map((entry) => ({
				fromId: String(
					(entry._from as Loose | undefined)?.id ?? (entry.from as Loose | undefined)?.id ?? '',
				),
				toIds: ((entry.to as Loose[] | undefined) ?? []).map((to) => String(to.toObjectId)),
				more: nextAfterOf(entry) !== undefined,
			}));
		},
		async associateDefault(fromObjectType, toObjectType, pairs) {
			// Raw: the SDK throws on this endpoint's 207 (some pairs refused), which is an answer.
			const response = await client.apiRequest({
				method: 'POST',
				path: `/crm/v4/associations/${encodeURIComponent(fromObjectType)}/${encodeURIComponent(toObjectType)}/batch/associate/default`,
				body: {
					inputs: pairs.map((pair) => ({ from: { id: pair.fromId }, to: { id: pair.toId } })),
				},
			});
			const text = await response.text();
			const headers: Record<string, string> = {};
			response.headers.forEach((value, key) => (headers[key] = value));
			settings.onHeaders(headers);
			if (!response.ok) throw new RawRequestError(response.status, text, headers);
			const raw = (text === '' ? {} : JSON.parse(text)) as Loose;
			return {
				associated: ((raw.results as Loose[] | undefined) ?? []).map((entry) => ({
					fromId: String(
						(entry._from as Loose | undefined)?.id ?? (entry.from as Loose | undefined)?.id ?? '',
					),
					toId: String((entry.to as Loose | undefined)?.id ?? ''),
				})),
				errors: (raw.errors as BatchError[] | undefined) ?? [],
			};
		},
		async getProperties(objectType) {
			const raw = await dataOf(propertiesApi.getAllWithHttpInfo(objectType, false));
			return ((raw.results as Loose[] | undefined) ?? []).map((property) => ({
				name: String(property.name),
				label: String(property.label ?? property.name),
				type: String(property.type),
				fieldType: String(property.fieldType ?? ''),
				options: (property.options as PropertyOption[] | undefined) ?? [],
				hasUniqueValue: property.hasUniqueValue === true,
				calculated: property.calculated === true,
				hidden: property.hidden === true,
				readOnlyValue:
					(property.modificationMetadata as { readOnlyValue?: boolean } | undefined)
						?.readOnlyValue === true,
			}));
		},
		async getCallDispositions() {
			// The SDK has no class for this endpoint; its raw request does not throw on an error status.
			const response = await client.apiRequest({ method: 'GET', path: '/calling/v1/dispositions' });
			const text = await response.text();
			if (!response.ok) {
				const headers: Record<string, string> = {};
				response.headers.forEach((value, key) => (headers[key] = value));
				settings.onHeaders(headers);
				throw new RawRequestError(response.status, text, headers);
			}
			const raw = JSON.parse(text) as unknown;
			const list = Array.isArray(raw) ? (raw as Loose[]) : [];
			return list
				.filter((entry) => typeof entry.id === 'string' && entry.id !== '')
				.map((entry) => ({ id: String(entry.id), label: String(entry.label ?? entry.id) }));
		},
		async getOwners(limit, after, email) {
			const raw = await dataOf(ownersApi.getPageWithHttpInfo(email, after, limit, false));
			return {
				results: ((raw.results as Loose[] | undefined) ?? []).map((owner) => ({
					id: String(owner.id),
					email: typeof owner.email === 'string' ? owner.email : undefined,
					archived: owner.archived === true,
				})),
				nextAfter: nextAfterOf(raw),
			};
		},
		async searchLists(offset, count) {
			const body = {
				query: '',
				offset,
				count,
				additionalProperties: ['hs_list_size'],
			} as unknown as ListSearchArg;
			const raw = await dataOf(listsApi.doSearchWithHttpInfo(body));
			return {
				lists: ((raw.lists as Loose[] | undefined) ?? []).map(toList),
				hasMore: raw.hasMore === true,
				offset: typeof raw.offset === 'number' ? raw.offset : offset + count,
			};
		},
		async getList(listId) {
			const raw = await dataOf(listsApi.getByIdWithHttpInfo(listId, false));
			return toList((raw.list as Loose | undefined) ?? {});
		},
		async getListMemberships(listId, after, limit) {
			const raw = await dataOf(membershipsApi.getPageWithHttpInfo(listId, after, undefined, limit));
			return {
				recordIds: ((raw.results as Loose[] | undefined) ?? []).map((entry) =>
					String(entry.recordId),
				),
				nextAfter: nextAfterOf(raw),
			};
		},
	};
}

/** Hands out the facade for the current token, rebuilding it only when the token changes. */
export class HubSpotApiFactory {
	private current?: { token: string; api: HubSpotApi };

	constructor(private readonly settings: ClientSettings) {}

	forToken(token: string | undefined): HubSpotApi {
		if (!token) throw new Error('HubSpot: no access token available from the credential');
		if (this.current?.token !== token)
			this.current = { token, api: buildApi(token, this.settings) };
		return this.current.api;
	}
}
