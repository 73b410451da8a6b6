/**
 * The Dataverse Web API routes, served under both `/dynamics/api/data/v9.2` and
 * `/api/data/v9.2` (clients that keep only the org origin, as the pack's provider does
 * with real org URLs). A `$batch` is one HTTP request: it passes the rate limiter once.
 */
import type {
	RouteDefinition,
	SandboxRequest,
	SandboxResponse,
	VendorContext,
} from '../../core/types';
import { buildBatchResponse, parseBatchRequest, type BatchAnswer, type BatchPart } from './batch';
import { answer, type DataverseCall, type DataverseContext } from './dispatch';
import { DataverseError } from './errors';
import { Journal } from './writes';

export const SERVICE_ROOTS = ['/dynamics/api/data/v9.2/', '/api/data/v9.2/'];

function lowerHeaders(
	headers: Record<string, string | string[] | undefined>,
): Record<string, string | undefined> {
	const out: Record<string, string | undefined> = {};
	for (const [name, value] of Object.entries(headers))
		out[name.toLowerCase()] = Array.isArray(value) ? value[0] : value;
	return out;
}

function decodeResource(path: string): string {
	return path
		.split('/')
		.map((segment) => decodeURIComponent(segment))
		.join('/');
}

/** The service root and resource of a path, when it is under one of the roots. */
function underRoot(pathname: string): { root: string; resource: string } | undefined {
	const root = SERVICE_ROOTS.find((candidate) => pathname.startsWith(candidate));
	return root ? { root, resource: decodeResource(pathname.slice(root.length)) } : undefined;
}

function withODataHeaders(response: SandboxResponse): SandboxResponse {
	return { ...response, headers: { 'OData-Version': '4.0', ...(response.headers ?? {}) } };
}

/** A `$batch` part's URL (absolute, root-relative or service-root-relative) as a call. */
function partCall(
	ctx: VendorContext,
	part: BatchPart,
	batchRoot: string,
	created: Map<string, string>,
): DataverseCall | SandboxResponse {
	let url = part.url;
	// `$1/…` refers to the entity created by the part with Content-ID 1 in the same change set.
	const reference = /^\$(\w+)(.*)$/.exec(url);
	if (reference) {
		const target = created.get(reference[1]);
		if (!target)
			return {
				status: 400,
				body: new DataverseError(
					400,
					'0x80048d19',
					`Content-ID reference $${reference[1]} is unknown.`,
				).body(),
			};
		url = `${target}${reference[2]}`;
	}
	const absolute = new URL(url, `${ctx.baseUrl()}${batchRoot}`);
	const located = underRoot(absolute.pathname);
	if (!located)
		return {
			status: 404,
			body: new DataverseError(
				404,
				'0x8006088a',
				`No Dataverse resource at ${absolute.pathname}`,
			).body(),
		};
	let body: unknown;
	if (part.body !== undefined) {
		try {
			body = JSON.parse(part.body) as unknown;
		} catch {
			return {
				status: 400,
				body: new DataverseError(
					400,
					'0x80048d19',
					'The request body of a $batch part is not valid JSON.',
				).body(),
			};
		}
	}
	return {
		method: part.method,
		resource: located.resource,
		query: absolute.searchParams,
		headers: part.headers,
		body,
		serviceRoot: `${ctx.baseUrl()}${located.root}`,
	};
}

function runPart(
	ctx: VendorContext,
	dataverse: DataverseContext,
	part: BatchPart,
	root: string,
	created: Map<string, string>,
	journal?: Journal,
): SandboxResponse {
	const call = partCall(ctx, part, root, created);
	const response = 'resource' in call ? answer(dataverse, call, journal) : call;
	const entityId = response.headers?.['OData-EntityId'];
	if (part.contentId !== undefined && entityId) created.set(part.contentId, entityId);
	return withODataHeaders(response);
}

function runBatch(
	ctx: VendorContext,
	dataverse: DataverseContext,
	req: SandboxRequest,
	root: string,
): SandboxResponse {
	const headers = lowerHeaders(req.headers);
	const entries = parseBatchRequest(headers['content-type'], req.body);
	const continueOnError = /odata\.continue-on-error/i.test(headers.prefer ?? '');
	const answers: BatchAnswer[] = [];
	for (const entry of entries) {
		let failed = false;
		if (entry.kind === 'single') {
			const response = runPart(ctx, dataverse, entry.part, root, new Map());
			answers.push({ kind: 'single', response, contentId: entry.part.contentId });
			failed = response.status >= 400;
		} else {
			const journal = new Journal(ctx.store);
			const created = new Map<string, string>();
			const responses: Array<{ response: SandboxResponse; contentId?: string }> = [];
			for (const part of entry.parts) {
				const response = runPart(ctx, dataverse, part, root, created, journal);
				if (response.status >= 400) {
					// An atomic change set: undo its earlier writes and answer with the failure only.
					journal.rollback();
					answers.push({ kind: 'single', response, contentId: part.contentId });
					failed = true;
					break;
				}
				responses.push({ response, contentId: part.contentId });
			}
			if (!failed) answers.push({ kind: 'changeset', responses });
		}
		if (failed && !continueOnError) break;
	}
	const built = buildBatchResponse(answers);
	const applied: Record<string, string> = continueOnError
		? { 'Preference-Applied': 'odata.continue-on-error' }
		: {};
	return {
		status: 200,
		rawBody: built.body,
		headers: { 'Content-Type': built.contentType, 'OData-Version': '4.0', ...applied },
	};
}

export function dynamicsDataRoutes(
	ctx: VendorContext,
	dataverse: DataverseContext,
): RouteDefinition[] {
	const direct = (req: SandboxRequest): SandboxResponse => {
		const located = underRoot(req.path)!;
		const call: DataverseCall = {
			method: req.method,
			resource: located.resource,
			query: req.query,
			headers: lowerHeaders(req.headers),
			body: req.body,
			serviceRoot: `${ctx.baseUrl()}${located.root}`,
		};
		return withODataHeaders(answer(dataverse, call));
	};
	const batch = (req: SandboxRequest): SandboxResponse => {
		const located = underRoot(req.path)!;
		try {
			return runBatch(ctx, dataverse, req, located.root);
		} catch (error) {
			if (error instanceof DataverseError)
				return withODataHeaders({ status: error.status, body: error.body() });
			throw error;
		}
	};
	const routes: RouteDefinition[] = [];
	for (const root of SERVICE_ROOTS.map((r) => r.slice(0, -1))) {
		routes.push({ method: 'POST', template: `${root}/$batch`, handler: batch });
		for (const method of ['GET', 'POST', 'PATCH', 'DELETE']) {
			for (const depth of ['/:a', '/:a/:b', '/:a/:b/:c'])
				routes.push({ method, template: `${root}${depth}`, handler: direct });
		}
	}
	return routes;
}
