/**
 * Sends Dataverse Web API requests through the shared transport (retry, 429 waits, token
 * refresh, usage capture). Adds the OData headers, turns HTTP ≥ 400 into DynamicsHttpError
 * inside the transport call, and runs $batch requests in chunks of at most 1000 operations.
 */
import { randomUUID } from 'node:crypto';

import type { Transport } from '../../transport/types';
import {
	alignBatchResponses,
	buildBatchRequest,
	parseBatchResponse,
	type BatchGroup,
	type BatchPartResponse,
} from './batch';
import { DynamicsHttpError } from './errors';
import {
	ODATA_HEADERS,
	type DynamicsHttp,
	type DynamicsHttpResponse,
	type DynamicsMethod,
} from './http';
import { MAX_BATCH_OPERATIONS } from './profile';

export interface DynamicsRequest {
	method: DynamicsMethod;
	/** Path relative to the service root (`contacts?$filter=...`) or an absolute URL on the same org. */
	path: string;
	headers?: Record<string, string>;
	body?: unknown;
	label: string;
	idempotent: boolean;
}

export interface DynamicsClientOptions {
	orgUrl: string;
	http: DynamicsHttp;
	transport: Transport;
	/** Boundary ids for $batch; injectable so tests can assert exact bodies. */
	newId?: () => string;
}

export class DynamicsClient {
	/** `https://org.crm.dynamics.com/api/data/v9.2/` */
	readonly serviceRoot: string;
	private readonly http: DynamicsHttp;
	private readonly transport: Transport;
	private readonly newId: () => string;

	constructor(options: DynamicsClientOptions) {
		this.serviceRoot = `${normaliseOrgUrl(options.orgUrl)}/api/data/v9.2/`;
		this.http = options.http;
		this.transport = options.transport;
		this.newId = options.newId ?? randomUUID;
	}

	/** Absolute URL for a service-root-relative path. */
	url(path: string): string {
		return path.startsWith(this.serviceRoot)
			? path
			: `${this.serviceRoot}${path.replace(/^\//, '')}`;
	}

	/** Whether an absolute URL (e.g. an @odata.nextLink) points into this org's Web API. */
	ownsUrl(url: string): boolean {
		return url.startsWith(this.serviceRoot);
	}

	/** One HTTP call; resolves with the response of status < 400. */
	async send(request: DynamicsRequest): Promise<DynamicsHttpResponse> {
		const url = this.url(request.path);
		const headers: Record<string, string> = { ...ODATA_HEADERS, ...(request.headers ?? {}) };
		let body: string | undefined;
		if (request.body !== undefined) {
			body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
			headers['Content-Type'] ??= 'application/json; charset=utf-8';
		}
		return await this.transport.call(
			async (ctx) => {
				const response = await this.http({
					method: request.method,
					url,
					headers,
					body,
					token: ctx.token,
					signal: ctx.signal,
				});
				this.transport.recordHeaders(response.headers);
				if (response.status >= 400)
					throw new DynamicsHttpError(response.status, response.headers, response.body);
				return response;
			},
			{ label: request.label, idempotent: request.idempotent },
		);
	}

	/** GET returning the parsed JSON body. */
	async getJson<T>(path: string, label: string, headers?: Record<string, string>): Promise<T> {
		const response = await this.send({ method: 'GET', path, headers, label, idempotent: true });
		return JSON.parse(response.body) as T;
	}

	/**
	 * Sends groups as $batch requests (≤ 1000 operations each) and returns, per group, one
	 * response per operation — undefined where Dataverse returned nothing for it.
	 */
	async batch(
		groups: readonly BatchGroup[],
		options: { label: string; idempotent: boolean },
	): Promise<Array<Array<BatchPartResponse | undefined>>> {
		const results: Array<Array<BatchPartResponse | undefined>> = [];
		for (const slice of sliceByOperations(groups, MAX_BATCH_OPERATIONS)) {
			const built = buildBatchRequest(slice, this.newId);
			const response = await this.send({
				method: 'POST',
				path: '$batch',
				headers: { 'Content-Type': built.contentType, Prefer: 'odata.continue-on-error' },
				body: built.body,
				label: options.label,
				idempotent: options.idempotent,
			});
			const contentType = response.headers['content-type'] ?? '';
			results.push(...alignBatchResponses(slice, parseBatchResponse(contentType, response.body)));
		}
		return results;
	}
}

function normaliseOrgUrl(orgUrl: string): string {
	const parsed = new URL(orgUrl);
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
		throw new Error('The Dynamics org URL must be an http(s) URL');
	return `${parsed.protocol}//${parsed.host}`;
}

function operationCount(group: BatchGroup): number {
	return group.kind === 'read' ? 1 : group.operations.length;
}

/** Consecutive slices whose total operation count stays within the cap (a group is never split). */
function sliceByOperations(groups: readonly BatchGroup[], cap: number): BatchGroup[][] {
	const slices: BatchGroup[][] = [];
	let current: BatchGroup[] = [];
	let count = 0;
	for (const group of groups) {
		const size = operationCount(group);
		if (current.length > 0 && count + size > cap) {
			slices.push(current);
			current = [];
			count = 0;
		}
		current.push(group);
		count += size;
	}
	if (current.length > 0) slices.push(current);
	return slices;
}
