/**
 * One Web API request against the Dataverse tables, whether it came over HTTP or inside a
 * `$batch`: WhoAmI, EntityDefinitions, collection reads, single-row GET/POST/PATCH/DELETE
 * with `If-Match: *` / `If-None-Match: *`, alternate keys and `Prefer: return=representation`.
 */
import type { SandboxStore, StoredRecord } from '../../core/store';
import type { SandboxResponse } from '../../core/types';
import {
	badRequest,
	CODES,
	DataverseError,
	notFound,
	preconditionFailed,
	unknownSegment,
} from './errors';
import { attributesOf, entityDefinition, findEntityDefinition } from './metadata';
import { readTracked, tracksChanges } from './changeTracking';
import { readFetchXml } from './fetchXml';
import { readCollection } from './query';
import { columnValue, rowView, selectedAttributes, wantsAnnotations } from './rows';
import { attributeOf, entityBySet, type DataverseEntity } from './schema';
import { createRecord, deleteRecord, prepareWrite, updateRecord, type Journal } from './writes';

export interface DataverseContext {
	store: SandboxStore;
	newId: () => string;
	/** The sandbox clock (change-tracking tokens); the real clock when absent. */
	now?: () => number;
	/** systemuserid of the application user the tokens act as. */
	userId: string;
	organizationId: string;
	businessUnitId: string;
}

export interface DataverseCall {
	method: string;
	/** Decoded path after the service root: `contacts(…)`, `EntityDefinitions(LogicalName='x')/Attributes`. */
	resource: string;
	query: URLSearchParams;
	/** Lower-case header names. */
	headers: Record<string, string | undefined>;
	body: unknown;
	/** Absolute service root the client used, ending in `/`. */
	serviceRoot: string;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

type Key =
	{ kind: 'id'; id: string } | { kind: 'alternate'; values: Record<string, string | number> };

/** `(<guid>)` or `(name='value',…)` with `''` escapes. */
function parseKey(text: string): Key {
	if (GUID.test(text)) return { kind: 'id', id: text.toLowerCase() };
	const values: Record<string, string | number> = {};
	const pattern =
		/\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(?:'((?:[^']|'')*)'|(-?\d+(?:\.\d+)?))\s*(?:,|$)/y;
	let index = 0;
	while (index < text.length) {
		pattern.lastIndex = index;
		const match = pattern.exec(text);
		if (!match) throw badRequest(`Bad Request - Error in query syntax: invalid key '${text}'.`);
		values[match[1]] = match[2] !== undefined ? match[2].replace(/''/g, "'") : Number(match[3]);
		index = pattern.lastIndex;
	}
	if (Object.keys(values).length === 0)
		throw badRequest(`Bad Request - Error in query syntax: invalid key '${text}'.`);
	return { kind: 'alternate', values };
}

function splitSegment(segment: string): { name: string; key?: string } {
	const match = /^([^()]+)(?:\((.*)\))?$/.exec(segment);
	if (!match) throw unknownSegment(segment);
	return { name: match[1], key: match[2] };
}

function findByKey(
	store: SandboxStore,
	entity: DataverseEntity,
	key: Key,
): StoredRecord | undefined {
	if (key.kind === 'id') return store.get('dynamics', entity.logicalName, key.id);
	const names = Object.keys(key.values);
	const known = names.length === 1 && entity.alternateKeys.includes(names[0]);
	if (!known)
		throw new DataverseError(
			400,
			CODES.unknownProperty,
			`Invalid alternate key: ${names.join(',')} is not a key defined on entity '${entity.logicalName}'.`,
		);
	const attribute = attributeOf(entity, names[0])!;
	const wanted = String(key.values[names[0]]).toLowerCase();
	return store
		.list('dynamics', entity.logicalName)
		.find(
			(record) => String(columnValue(entity, record, attribute) ?? '').toLowerCase() === wanted,
		);
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entityUrl(call: DataverseCall, entity: DataverseEntity, id: string): string {
	return `${call.serviceRoot}${entity.entitySet}(${id})`;
}

function written(
	call: DataverseCall,
	entity: DataverseEntity,
	record: StoredRecord,
	createdStatus: 201 | 200,
): SandboxResponse {
	const headers = {
		'OData-EntityId': entityUrl(call, entity, record.id),
		Location: entityUrl(call, entity, record.id),
	};
	if (!/return=representation/i.test(call.headers.prefer ?? '')) return { status: 204, headers };
	const attributes = selectedAttributes(entity, call.query.get('$select'));
	return {
		status: createdStatus,
		headers: { ...headers, 'Preference-Applied': 'return=representation' },
		body: {
			'@odata.context': `${call.serviceRoot}$metadata#${entity.entitySet}/$entity`,
			...rowView(entity, record, attributes, wantsAnnotations(call.headers.prefer)),
		},
	};
}

function single(
	ctx: DataverseContext,
	call: DataverseCall,
	entity: DataverseEntity,
	key: Key,
	journal?: Journal,
): SandboxResponse {
	const existing = findByKey(ctx.store, entity, key);
	const write = { store: ctx.store, newId: ctx.newId, journal };
	switch (call.method) {
		case 'GET': {
			if (!existing)
				throw notFound(entity, key.kind === 'id' ? key.id : JSON.stringify(key.values));
			const attributes = selectedAttributes(entity, call.query.get('$select'));
			return {
				status: 200,
				body: {
					'@odata.context': `${call.serviceRoot}$metadata#${entity.entitySet}/$entity`,
					...rowView(entity, existing, attributes, wantsAnnotations(call.headers.prefer)),
				},
			};
		}
		case 'DELETE':
			if (!existing || key.kind !== 'id')
				throw notFound(entity, key.kind === 'id' ? key.id : JSON.stringify(key.values));
			deleteRecord(write, entity, existing.id);
			return { status: 204 };
		case 'PATCH': {
			// If-None-Match: * = create only (412 when the row exists); If-Match: * = update only (404 when missing).
			if (existing && call.headers['if-none-match'] === '*') throw preconditionFailed();
			if (!existing && call.headers['if-match'] === '*')
				throw notFound(entity, key.kind === 'id' ? key.id : JSON.stringify(key.values));
			if (existing)
				return written(
					call,
					entity,
					updateRecord(write, entity, existing, prepareWrite(ctx.store, entity, call.body, false)),
					200,
				);
			// Deep insert (the activity-party collection) is documented for POST only.
			if (entity.partiesProperty && isObject(call.body) && entity.partiesProperty in call.body) {
				throw badRequest(
					`'${entity.partiesProperty}' can only be deep-inserted with POST ${entity.entitySet}.`,
				);
			}
			// Upsert: the key becomes part of the new row.
			const body = {
				...(call.body as Record<string, unknown>),
				...(key.kind === 'alternate' ? key.values : {}),
			};
			const created = createRecord(
				write,
				entity,
				prepareWrite(ctx.store, entity, body, true),
				key.kind === 'id' ? key.id : undefined,
			);
			return written(call, entity, created, 201);
		}
	}
	throw new DataverseError(
		405,
		'0x80060888',
		`The HTTP method '${call.method}' is not allowed on a single ${entity.logicalName}.`,
	);
}

function metadata(call: DataverseCall, key: string | undefined, rest: string[]): SandboxResponse {
	if (call.method !== 'GET' || key === undefined) throw unknownSegment('EntityDefinitions');
	const entity = findEntityDefinition(key);
	if (rest.length === 0)
		return { status: 200, body: entityDefinition(entity, call.query.get('$select')) };
	if (rest[0] !== 'Attributes' || rest.length > 2) throw unknownSegment(rest.join('/'));
	return {
		status: 200,
		body: attributesOf(
			entity,
			rest[1],
			call.query.get('$select'),
			call.query.get('$expand'),
			call.serviceRoot,
		),
	};
}

/** Runs one Web API call; throws DataverseError for the error answers. */
export function dispatch(
	ctx: DataverseContext,
	call: DataverseCall,
	journal?: Journal,
): SandboxResponse {
	const [first, ...rest] = call.resource.split('/').filter((segment) => segment !== '');
	if (!first) throw unknownSegment('');
	const { name, key } = splitSegment(first);
	if (name === 'WhoAmI' && call.method === 'GET' && rest.length === 0) {
		return {
			status: 200,
			body: {
				'@odata.context': `${call.serviceRoot}$metadata#Microsoft.Dynamics.CRM.WhoAmIResponse`,
				BusinessUnitId: ctx.businessUnitId,
				UserId: ctx.userId,
				OrganizationId: ctx.organizationId,
			},
		};
	}
	if (name === 'EntityDefinitions') return metadata(call, key, rest);
	const entity = entityBySet(name);
	if (!entity || rest.length > 0) throw unknownSegment(rest.length > 0 ? rest.join('/') : name);
	if (key !== undefined) return single(ctx, call, entity, parseKey(key), journal);
	if (call.method === 'GET') {
		const request = {
			store: ctx.store,
			entity,
			query: call.query,
			prefer: call.headers.prefer,
			serviceRoot: call.serviceRoot,
		};
		const fetchXml = call.query.get('fetchXml');
		if (fetchXml !== null)
			return { status: 200, body: readFetchXml({ ...request, fetchXml }).body, headers: {} };
		const { body, headers } = tracksChanges(call.headers.prefer, call.query)
			? readTracked({ ...request, now: (ctx.now ?? Date.now)() })
			: readCollection(request);
		return { status: 200, body, headers };
	}
	if (call.method === 'POST') {
		const created = createRecord(
			{ store: ctx.store, newId: ctx.newId, journal },
			entity,
			prepareWrite(ctx.store, entity, call.body, true),
		);
		return written(call, entity, created, 201);
	}
	throw new DataverseError(
		405,
		'0x80060888',
		`The HTTP method '${call.method}' is not allowed on the entity set ${entity.entitySet}.`,
	);
}

/** Runs a call and turns a DataverseError into its answer. */
export function answer(
	ctx: DataverseContext,
	call: DataverseCall,
	journal?: Journal,
): SandboxResponse {
	try {
		return dispatch(ctx, call, journal);
	} catch (error) {
		if (error instanceof DataverseError) return { status: error.status, body: error.body() };
		throw error;
	}
}
