/**
 * The one place that talks to jsforce. jsforce (≥3.10.17) sends every request through
 * undici's `fetch` with its own undici Agent (not the global dispatcher).
 *
 * Our transport owns retries, token refresh and usage capture, so this wrapper:
 * - switches jsforce's own retry off per request (`retry: { maxRetries: 0, methods: [] }`).
 *   Left on, jsforce would re-send GET/PUT/DELETE on 420/429/5xx with its own fixed
 *   backoff, ignoring Retry-After and multiplying our retries; POST/PATCH it never retries,
 *   but we turn it off for every verb so one transport attempt = one HTTP request;
 * - turns jsforce's redirect following off, so a token is never sent to another host;
 * - never gives jsforce a refresh function or OAuth client, so a 401 surfaces as an error
 *   and the transport refreshes through n8n (`tokens.refresh()`) and retries with the new
 *   token, which we put on the Connection before each attempt. The instance URL is fixed
 *   at construction, so a refresh can never lose or change it;
 * - observes the raw response through a per-request jsforce Transport to get the HTTP
 *   status and headers (Retry-After, Sforce-Limit-Info) that jsforce's errors lack.
 */
import { Connection } from 'jsforce';
import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
import JsforceTransport from 'jsforce/lib/transport';
import { DEFAULT_RETRY_POLICY } from '../../transport/createTransport';
import { SalesforceHttpError, describeErrorBody } from './errors';

export const DEFAULT_API_VERSION = '62.0';

const NO_JSFORCE_RETRY: NonNullable<HttpRequestOptions['retry']> = { maxRetries: 0, methods: [] };
/**
 * jsforce's own timer (its default is 30 minutes). The transport gives every attempt its
 * deadline and reports it; this only frees the socket shortly after the transport gave up.
 */
const SOCKET_GRACE_MS = 5_000;

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface SalesforceRequest {
	method: HttpMethod;
	/** Relative to the version root (`/query?q=…`) or to the instance (`/services/data/…`). */
	path: string;
	body?: unknown;
	headers?: Record<string, string>;
}

/** Sees each raw response of one request; forces jsforce's retry off. */
class ObservingTransport extends JsforceTransport {
	constructor(
		private readonly onResponse: (response: HttpResponse) => void,
		private readonly timeoutMs: number,
	) {
		super();
	}

	override httpRequest(request: HttpRequest, options: HttpRequestOptions = {}) {
		// No redirects: jsforce would re-send the Authorization header to wherever a 3xx points.
		const pending = super.httpRequest(request, {
			...options,
			retry: NO_JSFORCE_RETRY,
			timeout: this.timeoutMs,
			followRedirect: false,
		});
		pending.then(this.onResponse, () => undefined);
		return pending;
	}
}

export function normaliseInstanceUrl(instanceUrl: string): string {
	const url = new URL(instanceUrl);
	if (url.protocol !== 'https:' && url.protocol !== 'http:')
		throw new Error(`Unsupported instance URL protocol: ${url.protocol}`);
	return url.origin;
}

export class SalesforceConnection {
	private readonly conn: Connection;

	constructor(
		readonly instanceUrl: string,
		readonly apiVersion: string,
		private readonly onHeaders: (headers: Record<string, string>) => void,
		private readonly requestTimeoutMs: number = DEFAULT_RETRY_POLICY.requestTimeoutMs,
	) {
		// No refreshFn/oauth2 on purpose: session refresh belongs to the transport.
		this.conn = new Connection({
			instanceUrl: normaliseInstanceUrl(instanceUrl),
			version: apiVersion,
		});
	}

	/** Sends one request with `token`; resolves with the parsed body or throws SalesforceHttpError. */
	async send<T>(request: SalesforceRequest, token: string | undefined): Promise<T> {
		// jsforce writes `Authorization: Bearer <conn.accessToken>` synchronously inside
		// conn.request(), so setting it right before the call is safe with parallel requests.
		this.conn.accessToken = token;
		let response: HttpResponse | undefined;
		const transport = new ObservingTransport((res) => {
			response = res;
			this.onHeaders(res.headers ?? {});
		}, this.requestTimeoutMs + SOCKET_GRACE_MS);
		const headers: Record<string, string> = { ...(request.headers ?? {}) };
		const httpRequest: HttpRequest = { method: request.method, url: request.path, headers };
		if (request.body !== undefined) {
			httpRequest.body = JSON.stringify(request.body);
			headers['content-type'] = 'application/json';
		}
		let body: T;
		try {
			body = await this.conn.request<T>(httpRequest, { transport });
		} catch (error) {
			throw this.toHttpError(error, response);
		}
		if (response && response.statusCode >= 300) {
			// The REST API does not redirect; a 3xx means a proxy or a wrong instance URL.
			throw new SalesforceHttpError(
				`Unexpected HTTP ${response.statusCode} redirect; check the instance URL`,
				response.statusCode,
				'UNEXPECTED_REDIRECT',
				response.headers ?? {},
			);
		}
		return body;
	}

	private toHttpError(error: unknown, response: HttpResponse | undefined): Error {
		if (!response) return error instanceof Error ? error : new Error(String(error));
		const data = (error as { data?: unknown }).data;
		const parsed = describeErrorBody(data);
		const jsforceCode = (error as { errorCode?: unknown }).errorCode;
		const code = parsed.errorCode || (typeof jsforceCode === 'string' ? jsforceCode : undefined);
		const message =
			parsed.message || (error instanceof Error && error.message) || `HTTP ${response.statusCode}`;
		return new SalesforceHttpError(
			message,
			response.statusCode,
			code,
			response.headers ?? {},
			data,
		);
	}
}
