/**
 * CRM v3 object routes: single record CRUD, list, search and the batch endpoints.
 * Batch create/update/upsert answer 207 with HubSpot-shaped `errors[]` when some inputs fail
 * and the others were written (this sandbox always processes valid inputs of a batch).
 */
import type { StoredRecord } from '../../core/store';
import type { RouteDefinition, SandboxRequest, SandboxResponse } from '../../core/types';
import { applyAssociations, planAssociations } from './associations';
import { hubspotError, hubspotFailure, propertyValidationError, type HubSpotError } from './errors';
import { canonicalObjectType, singularName, type HubSpotObjectType } from './objectTypes';
import { checkWrite, requestedProperties, toPublicObject, writeRecord } from './records';
import { parseSearch, runSearch } from './search';
import { objectTypeParam, type HubSpotState } from './state';

export const MAX_BATCH_INPUTS = 100;

type Handler = (
	state: HubSpotState,
	type: HubSpotObjectType,
	req: SandboxRequest,
) => SandboxResponse;

function withType(state: HubSpotState, handler: Handler) {
	return (req: SandboxRequest): SandboxResponse => {
		const type = objectTypeParam(req.params.objectType);
		if (!type)
			return hubspotFailure(
				400,
				'VALIDATION_ERROR',
				`Unable to infer object type from: ${req.params.objectType}`,
			);
		return handler(state, type, req);
	};
}

function notFound(type: HubSpotObjectType): SandboxResponse {
	return hubspotFailure(404, 'OBJECT_NOT_FOUND', 'resource not found', {
		context: { objectType: [singularName(type).toUpperCase()] },
	});
}

/** Finds a record by id, or by a unique property when idProperty is given. */
function findRecord(
	state: HubSpotState,
	type: HubSpotObjectType,
	id: string,
	idProperty?: string,
): StoredRecord | undefined {
	if (!idProperty || idProperty === 'hs_object_id') return state.ctx.store.get('hubspot', type, id);
	const wanted = id.toLowerCase();
	return state.ctx.store
		.list('hubspot', type)
		.find((r) => String(r.fields[idProperty] ?? '').toLowerCase() === wanted);
}

function bodyObject(body: unknown): Record<string, unknown> {
	return typeof body === 'object' && body !== null && !Array.isArray(body)
		? (body as Record<string, unknown>)
		: {};
}

function batchInputs(body: unknown): Array<Record<string, unknown>> | SandboxResponse {
	const inputs = bodyObject(body).inputs;
	if (!Array.isArray(inputs))
		return hubspotFailure(
			400,
			'VALIDATION_ERROR',
			'Invalid input JSON on line 1: inputs must be an array.',
		);
	if (inputs.length > MAX_BATCH_INPUTS)
		return hubspotFailure(
			400,
			'VALIDATION_ERROR',
			`Batch input has ${inputs.length} inputs; the limit is ${MAX_BATCH_INPUTS}.`,
			{
				context: { limit: [String(MAX_BATCH_INPUTS)] },
			},
		);
	return inputs.map(bodyObject);
}

function traceContext(input: Record<string, unknown>, id?: string): Record<string, string[]> {
	const context: Record<string, string[]> = {};
	if (typeof input.objectWriteTraceId === 'string')
		context.objectWriteTraceId = [input.objectWriteTraceId];
	if (id !== undefined) context.ids = [id];
	return context;
}

function batchAnswer(
	state: HubSpotState,
	okStatus: number,
	startedAt: string,
	results: unknown[],
	errors: HubSpotError[],
): SandboxResponse {
	const base = {
		status: 'COMPLETE',
		results,
		startedAt,
		completedAt: new Date(state.ctx.now()).toISOString(),
	};
	return errors.length > 0
		? { status: 207, body: { ...base, numErrors: errors.length, errors } }
		: { status: okStatus, body: base };
}

/** One create; the record or the error to report for it. */
function createOne(
	state: HubSpotState,
	type: HubSpotObjectType,
	input: Record<string, unknown>,
): StoredRecord | HubSpotError {
	const check = checkWrite(state.schemas.get(type)!, input.properties);
	if (check.problems.length > 0)
		return propertyValidationError(check.problems, traceContext(input));
	const links = planAssociations(state, type, input.associations);
	if (!Array.isArray(links))
		return { ...links, context: { ...(links.context ?? {}), ...traceContext(input) } };
	const record = writeRecord(state.ctx.store, type, state.newId(), check.fields, true);
	applyAssociations(state, type, record.id, links);
	return record;
}

function updateOne(
	state: HubSpotState,
	type: HubSpotObjectType,
	input: Record<string, unknown>,
): StoredRecord | HubSpotError {
	const id = input.id === undefined ? '' : String(input.id);
	const record = findRecord(
		state,
		type,
		id,
		typeof input.idProperty === 'string' ? input.idProperty : undefined,
	);
	if (!record)
		return hubspotError('OBJECT_NOT_FOUND', `Could not find ${singularName(type)} ${id}.`, {
			context: traceContext(input, id),
		});
	const check = checkWrite(state.schemas.get(type)!, input.properties);
	if (check.problems.length > 0)
		return propertyValidationError(check.problems, traceContext(input, id));
	return writeRecord(state.ctx.store, type, record.id, check.fields, false);
}

const isError = (x: StoredRecord | HubSpotError): x is HubSpotError =>
	'status' in x && x.status === 'error';

/** HubSpot echoes each input's objectWriteTraceId on its result. */
function traceEcho(input: Record<string, unknown>): { objectWriteTraceId?: string } {
	return typeof input.objectWriteTraceId === 'string'
		? { objectWriteTraceId: input.objectWriteTraceId }
		: {};
}

function written(
	type: HubSpotObjectType,
	outcomes: Array<{ input: Record<string, unknown>; outcome: StoredRecord | HubSpotError }>,
): unknown[] {
	return outcomes.flatMap(({ input, outcome }) =>
		isError(outcome)
			? []
			: [{ ...toPublicObject(type, outcome, Object.keys(outcome.fields)), ...traceEcho(input) }],
	);
}

const ARCHIVE_KEPT_MS = 90 * 24 * 3_600_000;

/** The archived records of a type still restorable (last archive of each id), in id order. */
function archivedRecords(
	state: HubSpotState,
	type: HubSpotObjectType,
): Array<StoredRecord & { archivedAt: string }> {
	const latest = new Map<string, StoredRecord & { archivedAt: string }>();
	for (const entry of state.ctx.store.deletions('hubspot', type)) {
		if (Date.parse(entry.deletedAt) < state.ctx.now() - ARCHIVE_KEPT_MS) continue;
		if (state.ctx.store.get('hubspot', type, entry.id)) continue;
		latest.set(entry.id, {
			id: entry.id,
			fields: entry.fields,
			createdAt: entry.createdAt,
			updatedAt: entry.deletedAt,
			archivedAt: entry.deletedAt,
		});
	}
	return [...latest.values()].sort((a, b) => Number(a.id) - Number(b.id));
}

const handlers: Record<string, Handler> = {
	getOne(state, type, req) {
		const record = findRecord(state, type, req.params.id, req.query.get('idProperty') ?? undefined);
		if (!record) return notFound(type);
		const out: Record<string, unknown> = {
			...toPublicObject(type, record, requestedProperties(req.query.getAll('properties'))),
		};
		const wanted = requestedProperties(req.query.getAll('associations'));
		if (wanted) {
			const associations: Record<string, { results: Array<{ id: string; type: string }> }> = {};
			for (const raw of wanted) {
				const to = objectTypeParam(raw);
				if (!to) continue;
				const results = state.ctx.store
					.linksFrom('hubspot', type, record.id, to)
					.map((l) => ({ id: l.toId, type: `${singularName(type)}_to_${singularName(to)}` }));
				if (results.length > 0) associations[to] = { results };
			}
			out.associations = associations;
		}
		return { status: 200, body: out };
	},
	list(state, type, req) {
		const limit = Math.min(Number(req.query.get('limit') ?? 10) || 10, 100);
		const offset = Number(req.query.get('after') ?? 0) || 0;
		const properties = requestedProperties(req.query.getAll('properties'));
		// `archived=true` lists only archived records (kept 90 days), each with its archivedAt.
		const archived = req.query.get('archived') === 'true';
		const all = archived
			? archivedRecords(state, type)
			: state.ctx.store.list('hubspot', type).sort((a, b) => Number(a.id) - Number(b.id));
		const page = all.slice(offset, offset + limit).map((r) => {
			const object = toPublicObject(type, r, properties);
			return 'archivedAt' in r ? { ...object, archived: true, archivedAt: r.archivedAt } : object;
		});
		const next = offset + limit;
		return {
			status: 200,
			body: {
				results: page,
				...(next < all.length ? { paging: { next: { after: String(next), link: '' } } } : {}),
			},
		};
	},
	create(state, type, req) {
		const result = createOne(state, type, bodyObject(req.body));
		if (isError(result)) return { status: 400, body: result };
		return { status: 201, body: toPublicObject(type, result, Object.keys(result.fields)) };
	},
	patch(state, type, req) {
		const result = updateOne(state, type, {
			...bodyObject(req.body),
			id: req.params.id,
			idProperty: req.query.get('idProperty') ?? undefined,
		});
		if (isError(result))
			return result.category === 'OBJECT_NOT_FOUND'
				? notFound(type)
				: { status: 400, body: result };
		return { status: 200, body: toPublicObject(type, result, Object.keys(result.fields)) };
	},
	remove(state, type, req) {
		state.ctx.store.remove('hubspot', type, req.params.id);
		return { status: 204 };
	},
	search(state, type, req) {
		const limit = state.search.searchRateLimit;
		if (limit && !state.searchLimiter.take(req.token ?? '', limit).allowed)
			return {
				status: 429,
				body: hubspotError('RATE_LIMITS', 'You have reached your secondly limit.', {
					errorType: 'RATE_LIMIT',
					policyName: 'SECONDLY',
				}),
			};
		const schema = state.schemas.get(type)!;
		const parsed = parseSearch(req.body, schema);
		if (typeof parsed === 'string') return hubspotFailure(400, 'VALIDATION_ERROR', parsed);
		const delay = state.search.searchIndexDelayMs ?? 0;
		const all = state.ctx.store.list('hubspot', type);
		const indexed =
			delay > 0 ? all.filter((r) => Date.parse(r.createdAt) <= state.ctx.now() - delay) : all;
		const associated = (record: StoredRecord, objectType: string) =>
			state.ctx.store
				.linksFrom('hubspot', type, record.id, canonicalObjectType(objectType) ?? objectType)
				.map((link) => link.toId);
		const { total, page, nextOffset } = runSearch(indexed, parsed, schema, associated);
		return {
			status: 200,
			body: {
				total,
				results: page.map((r) => toPublicObject(type, r, parsed.properties)),
				...(nextOffset !== undefined
					? { paging: { next: { after: String(nextOffset), link: '' } } }
					: {}),
			},
		};
	},
	batchRead(state, type, req) {
		const inputs = batchInputs(req.body);
		if (!Array.isArray(inputs)) return inputs;
		const body = bodyObject(req.body);
		const idProperty = typeof body.idProperty === 'string' ? body.idProperty : undefined;
		const properties = requestedProperties(body.properties);
		const startedAt = new Date(state.ctx.now()).toISOString();
		const results = [];
		const missing: string[] = [];
		for (const input of inputs) {
			const id = String(input.id ?? '');
			const record = findRecord(state, type, id, idProperty);
			if (record) results.push(toPublicObject(type, record, properties));
			else missing.push(id);
		}
		const errors = missing.length
			? [
					hubspotError(
						'OBJECT_NOT_FOUND',
						`Could not get some ${singularName(type).toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
						{
							context: { ids: missing },
						},
					),
				]
			: [];
		return batchAnswer(state, 200, startedAt, results, errors);
	},
	batchCreate(state, type, req) {
		const inputs = batchInputs(req.body);
		if (!Array.isArray(inputs)) return inputs;
		const startedAt = new Date(state.ctx.now()).toISOString();
		const outcomes = inputs.map((input) => ({ input, outcome: createOne(state, type, input) }));
		return batchAnswer(
			state,
			201,
			startedAt,
			written(type, outcomes),
			outcomes.map((o) => o.outcome).filter(isError),
		);
	},
	batchUpdate(state, type, req) {
		const inputs = batchInputs(req.body);
		if (!Array.isArray(inputs)) return inputs;
		const startedAt = new Date(state.ctx.now()).toISOString();
		const outcomes = inputs.map((input) => ({ input, outcome: updateOne(state, type, input) }));
		return batchAnswer(
			state,
			200,
			startedAt,
			written(type, outcomes),
			outcomes.map((o) => o.outcome).filter(isError),
		);
	},
	batchUpsert(state, type, req) {
		const inputs = batchInputs(req.body);
		if (!Array.isArray(inputs)) return inputs;
		const schema = state.schemas.get(type)!;
		const startedAt = new Date(state.ctx.now()).toISOString();
		const results: unknown[] = [];
		const errors: HubSpotError[] = [];
		for (const input of inputs) {
			const id = String(input.id ?? '');
			const idProperty = typeof input.idProperty === 'string' ? input.idProperty : 'hs_object_id';
			const def = schema.get(idProperty);
			if (!def || !def.hasUniqueValue) {
				errors.push(
					hubspotError(
						'VALIDATION_ERROR',
						`${idProperty} is not a unique identifier property for ${type}.`,
						{ context: traceContext(input, id) },
					),
				);
				continue;
			}
			const existing = findRecord(state, type, id, idProperty);
			if (!existing && idProperty === 'hs_object_id') {
				errors.push(
					hubspotError('OBJECT_NOT_FOUND', `Could not find ${singularName(type)} ${id}.`, {
						context: traceContext(input, id),
					}),
				);
				continue;
			}
			const properties = {
				...bodyObject(input.properties),
				...(existing ? {} : { [idProperty]: id }),
			};
			const check = checkWrite(schema, properties);
			if (check.problems.length > 0) {
				errors.push(propertyValidationError(check.problems, traceContext(input, id)));
				continue;
			}
			const record = writeRecord(
				state.ctx.store,
				type,
				existing?.id ?? state.newId(),
				check.fields,
				!existing,
			);
			results.push({
				...toPublicObject(type, record, Object.keys(record.fields)),
				...traceEcho(input),
				new: !existing,
			});
		}
		return batchAnswer(state, 200, startedAt, results, errors);
	},
	batchArchive(state, type, req) {
		const inputs = batchInputs(req.body);
		if (!Array.isArray(inputs)) return inputs;
		for (const input of inputs) state.ctx.store.remove('hubspot', type, String(input.id ?? ''));
		return { status: 204 };
	},
};

export function objectRoutes(state: HubSpotState): RouteDefinition[] {
	const base = '/hubspot/crm/v3/objects/:objectType';
	const route = (method: string, suffix: string, handler: Handler): RouteDefinition => ({
		method,
		template: `${base}${suffix}`,
		handler: withType(state, handler),
	});
	return [
		route('GET', '', handlers.list),
		route('POST', '', handlers.create),
		route('POST', '/search', handlers.search),
		route('POST', '/batch/read', handlers.batchRead),
		route('POST', '/batch/create', handlers.batchCreate),
		route('POST', '/batch/update', handlers.batchUpdate),
		route('POST', '/batch/upsert', handlers.batchUpsert),
		route('POST', '/batch/archive', handlers.batchArchive),
		route('GET', '/:id', handlers.getOne),
		route('PATCH', '/:id', handlers.patch),
		route('DELETE', '/:id', handlers.remove),
	];
}
