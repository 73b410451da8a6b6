/**
 * The Salesforce REST data routes, served under both `/salesforce/services/data` (the
 * instance_url the token endpoint returns) and `/services/data` (clients that keep only
 * the instance origin, as the pack's provider does with real My Domain URLs).
 */
import type {
	RouteDefinition,
	SandboxRequest,
	SandboxResponse,
	VendorContext,
} from '../../core/types';
import { headerValue } from '../../core/types';
import {
	createCollection,
	objectOf,
	planCreate,
	planUpdate,
	saveOne,
	updateCollection,
	upsertCollection,
} from './collections';
import { getDeleted } from './deleted';
import { describeGlobal, describeObject } from './describe';
import { SalesforceRequestError } from './errors';
import { runComposite } from './composite';
import { runCompositeGraph } from './graph';
import { canonicalId } from './ids';
import { describeListView, listListViews } from './listViews';
import { fieldOf, salesforceObject } from './schema';
import { runSoql } from './soql';
import { runSosl } from './sosl';
import { fieldPath } from './soqlCondition';
import { fullView, recordView } from './values';

export const DAILY_API_LIMIT = 15_000;
const DEFAULT_BATCH = 2000;
const VERSIONS = ['58.0', '59.0', '60.0', '61.0', '62.0', '63.0'];
const RELEASES: Record<string, string> = {
	'58.0': "Summer '23",
	'59.0': "Winter '24",
	'60.0': "Spring '24",
	'61.0': "Summer '24",
	'62.0': "Winter '25",
	'63.0': "Spring '25",
};

interface QueryCursor {
	records: Array<Record<string, unknown>>;
	totalSize: number;
}

/** Opt-in realism of SOSL (off by default). */
export interface SalesforceSearchOptions {
	/** New records only become searchable by SOSL this long after their creation (Salesforce indexes asynchronously; SOQL is not affected). */
	searchIndexDelayMs?: number;
}

export interface SalesforceState {
	apiUsage: number;
	/** The org's daily API request allocation (rolling 24 h); calls beyond it are refused with 403. */
	dailyApiLimit: number;
	cursors: Map<string, QueryCursor>;
	cursorSequence: number;
	search: SalesforceSearchOptions;
	/** List view id → the WHERE clause the view runs (see listViews.ts). */
	listViewFilters: Map<string, string>;
}

export function createSalesforceState(search: SalesforceSearchOptions = {}): SalesforceState {
	return {
		apiUsage: 0,
		dailyApiLimit: DAILY_API_LIMIT,
		cursors: new Map(),
		cursorSequence: 0,
		search,
		listViewFilters: new Map(),
	};
}

const notFound = () =>
	new SalesforceRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');

function versionOf(req: SandboxRequest): string {
	const match = /^v(\d+\.\d)$/.exec(req.params.version ?? '');
	if (!match) throw notFound();
	return match[1];
}

/** Salesforce accepts 200–2000 and uses 2000 when the header is absent. */
function batchSize(req: SandboxRequest): number {
	const header = headerValue(req.headers, 'sforce-query-options') ?? '';
	const match = /batchSize\s*=\s*(\d+)/i.exec(header);
	return match ? Math.min(2000, Math.max(200, Number(match[1]))) : DEFAULT_BATCH;
}

function page(
	state: SalesforceState,
	version: string,
	cursorId: string,
	start: number,
	size: number,
) {
	const cursor = state.cursors.get(cursorId);
	if (!cursor)
		throw new SalesforceRequestError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
	const end = start + size;
	const done = end >= cursor.records.length;
	return {
		totalSize: cursor.totalSize,
		done,
		...(done ? {} : { nextRecordsUrl: `/services/data/v${version}/query/${cursorId}-${end}` }),
		records: cursor.records.slice(start, end),
	};
}

function splitList(value: string | null | undefined): string[] {
	return (value ?? '')
		.split(',')
		.map((part) => part.trim())
		.filter((part) => part !== '');
}

function retrieveMany(
	ctx: VendorContext,
	version: string,
	type: string,
	ids: string[],
	fields: string[],
) {
	const object = objectOf({}, type);
	if (fields.length === 0)
		throw new SalesforceRequestError(400, 'MISSING_ARGUMENT', 'fields is required');
	const paths = fields.map((text) => ({ text, path: fieldPath(object, text) }));
	return ids.map((raw) => {
		const id = canonicalId(raw);
		if (!id) throw new SalesforceRequestError(400, 'MALFORMED_ID', `malformed id ${raw}`);
		const record = ctx.store.get('salesforce', object.name, id);
		return record ? recordView(ctx.store, version, object, record, paths) : null;
	});
}

function bodyObject(body: unknown): Record<string, unknown> {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		throw new SalesforceRequestError(
			400,
			'JSON_PARSER_ERROR',
			'The request body must be a JSON object',
		);
	return body as Record<string, unknown>;
}

type Handler = (req: SandboxRequest, version: string) => SandboxResponse;

export function salesforceDataRoutes(
	ctx: VendorContext,
	state: SalesforceState,
): RouteDefinition[] {
	const ok = (body: unknown, status = 200): SandboxResponse => ({ status, body });
	const guarded =
		(handler: Handler, versioned = true) =>
		(req: SandboxRequest): SandboxResponse => {
			// Every data call counts against the org's daily API requests; past the allocation
			// Salesforce refuses every call until the rolling 24 hours free some.
			let answer: SandboxResponse;
			try {
				if (state.apiUsage >= state.dailyApiLimit)
					throw new SalesforceRequestError(
						403,
						'REQUEST_LIMIT_EXCEEDED',
						`TotalRequests Limit exceeded.`,
					);
				state.apiUsage += 1;
				answer = handler(req, versioned ? versionOf(req) : '62.0');
			} catch (error) {
				if (!(error instanceof SalesforceRequestError)) throw error;
				answer = { status: error.status, body: error.body() };
			}
			return {
				...answer,
				headers: {
					...(answer.headers ?? {}),
					'Sforce-Limit-Info': `api-usage=${state.apiUsage}/${state.dailyApiLimit}`,
				},
			};
		};

	const firstPage = (soql: string | null, version: string, size: number) => {
		if (!soql)
			throw new SalesforceRequestError(
				400,
				'MALFORMED_QUERY',
				'A query string has to be specified',
			);
		const result = runSoql(ctx.store, version, soql);
		const cursorId = `01gSbx${String(++state.cursorSequence).padStart(9, '0')}AAA`;
		state.cursors.set(cursorId, result);
		return page(state, version, cursorId, 0, size);
	};
	const laterPage = (locator: string | undefined, version: string, size: number) => {
		const match = /^([A-Za-z0-9]+)-(\d+)$/.exec(locator ?? '');
		if (!match)
			throw new SalesforceRequestError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
		return page(state, version, match[1], Number(match[2]), size);
	};
	const query: Handler = (req, version) =>
		ok(firstPage(req.query.get('q'), version, batchSize(req)));
	const queryMore: Handler = (req, version) =>
		ok(laterPage(req.params.locator, version, batchSize(req)));
	/** A composite's query subrequests (one API call for all of them). */
	const composite: Handler = (req) =>
		ok(
			runComposite(req.body, (version, path, params) => {
				if (path === '/query' || path === '/queryAll')
					return firstPage(params.get('q'), version, DEFAULT_BATCH);
				const more = /^\/(?:query|queryAll)\/([^/]+)$/.exec(path);
				if (more) return laterPage(more[1], version, DEFAULT_BATCH);
				throw notFound();
			}),
		);
	const search: Handler = (req, version) => {
		const sosl = req.query.get('q');
		if (!sosl)
			throw new SalesforceRequestError(
				400,
				'MALFORMED_SEARCH',
				'No search term found. The search term must be enclosed in braces.',
			);
		const delay = state.search.searchIndexDelayMs ?? 0;
		return ok(
			runSosl(ctx.store, version, sosl, delay > 0 ? { indexedUpTo: ctx.now() - delay } : {}),
		);
	};
	const limits: Handler = () =>
		ok({
			DailyApiRequests: {
				Max: state.dailyApiLimit,
				Remaining: Math.max(0, state.dailyApiLimit - state.apiUsage),
			},
			DailyBulkApiBatches: { Max: 15_000, Remaining: 15_000 },
			DataStorageMB: { Max: 5, Remaining: 5 },
		});
	const versions: Handler = () =>
		ok(
			VERSIONS.map((version) => ({
				label: RELEASES[version],
				url: `/services/data/v${version}`,
				version,
			})),
		);
	const resourcesByVersion: Handler = (_req, version) => {
		const base = `/services/data/v${version}`;
		return ok({
			sobjects: `${base}/sobjects`,
			query: `${base}/query`,
			search: `${base}/search`,
			limits: `${base}/limits`,
			composite: `${base}/composite`,
		});
	};
	const describe: Handler = (req, version) => {
		const object = salesforceObject(req.params.type);
		if (!object) throw notFound();
		return ok(describeObject(version, object));
	};
	const getOne: Handler = (req, version) => {
		const object = salesforceObject(req.params.type);
		const id = canonicalId(req.params.id);
		const record = object && id ? ctx.store.get('salesforce', object.name, id) : undefined;
		if (!object || !record)
			throw new SalesforceRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
		const fields = splitList(req.query.get('fields'));
		if (fields.length === 0) return ok(fullView(version, object, record));
		return ok(
			recordView(
				ctx.store,
				version,
				object,
				record,
				fields.map((text) => ({ text, path: fieldPath(object, text) })),
			),
		);
	};
	const createOne: Handler = (req) => {
		const object = objectOf({}, req.params.type);
		return ok(
			{ id: saveOne(planCreate(ctx, object, bodyObject(req.body))), success: true, errors: [] },
			201,
		);
	};
	/** A blob field's bytes (a ContentNote's HTML), not JSON. */
	const getBlob: Handler = (req) => {
		const object = salesforceObject(req.params.type);
		const id = canonicalId(req.params.id);
		const record = object && id ? ctx.store.get('salesforce', object.name, id) : undefined;
		const field = object ? fieldOf(object, req.params.field) : undefined;
		if (!record || field?.type !== 'base64' || typeof record.fields[field.name] !== 'string')
			throw notFound();
		const bytes = Buffer.from(String(record.fields[field.name]), 'base64').toString('utf8');
		return { status: 200, rawBody: bytes, headers: { 'Content-Type': 'application/octetstream' } };
	};
	const updateOne: Handler = (req) => {
		const object = objectOf({}, req.params.type);
		const id = canonicalId(req.params.id);
		if (!id || !ctx.store.get('salesforce', object.name, id))
			throw new SalesforceRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
		saveOne(
			planUpdate(ctx, { ...bodyObject(req.body), attributes: { type: object.name }, Id: id }),
		);
		return { status: 204 };
	};
	const deleteOne: Handler = (req) => {
		const object = objectOf({}, req.params.type);
		const id = canonicalId(req.params.id);
		if (!id || !ctx.store.remove('salesforce', object.name, id))
			throw new SalesforceRequestError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
		return { status: 204 };
	};
	const retrieveGet: Handler = (req, version) =>
		ok(
			retrieveMany(
				ctx,
				version,
				req.params.type,
				splitList(req.query.get('ids')),
				splitList(req.query.get('fields')),
			),
		);
	const retrievePost: Handler = (req, version) => {
		const body = bodyObject(req.body);
		const list = (value: unknown) => (Array.isArray(value) ? value.map(String) : []);
		return ok(retrieveMany(ctx, version, req.params.type, list(body.ids), list(body.fields)));
	};
	const upsert: Handler = (req) => {
		if (!salesforceObject(req.params.type)) throw notFound();
		if (!fieldOf(salesforceObject(req.params.type)!, req.params.field))
			throw new SalesforceRequestError(
				404,
				'NOT_FOUND',
				`Provided external ID field does not exist or is not accessible: ${req.params.field}`,
			);
		return ok(upsertCollection(ctx, req.params.type, req.params.field, req.body));
	};

	const table: Array<[string, string, Handler]> = [
		['GET', '/limits', limits],
		['GET', '/query', query],
		['GET', '/query/:locator', queryMore],
		['GET', '/search', search],
		['POST', '/composite/sobjects', (req) => ok(createCollection(ctx, req.body))],
		['PATCH', '/composite/sobjects', (req) => ok(updateCollection(ctx, req.body))],
		['GET', '/composite/sobjects/:type', retrieveGet],
		['POST', '/composite/sobjects/:type', retrievePost],
		['PATCH', '/composite/sobjects/:type/:field', upsert],
		['POST', '/composite', composite],
		['POST', '/composite/graph', (req) => ok(runCompositeGraph(ctx, req.body))],
		['GET', '/sobjects', (_req, version) => ok(describeGlobal(version))],
		['POST', '/sobjects/:type', createOne],
		['GET', '/sobjects/:type/describe', describe],
		[
			'GET',
			'/sobjects/:type/listviews',
			(req, version) => ok(listListViews(ctx, version, req.params.type)),
		],
		[
			'GET',
			'/sobjects/:type/listviews/:id/describe',
			(req) => ok(describeListView(ctx, state.listViewFilters, req.params.type, req.params.id)),
		],
		['GET', '/sobjects/:type/deleted', (req) => ok(getDeleted(ctx, req.params.type, req.query))],
		['GET', '/sobjects/:type/:id', getOne],
		['GET', '/sobjects/:type/:id/:field', getBlob],
		['PATCH', '/sobjects/:type/:id', updateOne],
		['DELETE', '/sobjects/:type/:id', deleteOne],
	];
	const routes: RouteDefinition[] = [];
	for (const root of ['/salesforce/services/data', '/services/data']) {
		// The versions list needs no session on Salesforce; everything below a version does.
		routes.push({ method: 'GET', template: root, handler: guarded(versions, false), public: true });
		routes.push({
			method: 'GET',
			template: `${root}/:version`,
			handler: guarded(resourcesByVersion),
		});
		for (const [method, path, handler] of table)
			routes.push({ method, template: `${root}/:version${path}`, handler: guarded(handler) });
	}
	return routes;
}
