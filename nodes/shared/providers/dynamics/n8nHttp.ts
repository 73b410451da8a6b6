/**
 * DynamicsHttp on n8n's authenticated request helper, so inside a node every Dataverse call
 * is signed by n8n from the stored credential (OAuth2 or client-credentials
 * preAuthentication) — the provider never builds an Authorization header there.
 *
 * `ignoreHttpStatusErrors` makes n8n return 4xx/5xx as responses instead of throwing, so the
 * shared transport sees the real status and Retry-After and applies one policy for every CRM;
 * on a 401 it calls TokenSource.refresh() (n8n refreshes and stores the token) and the retry
 * goes through this helper again, which signs with the refreshed credential.
 */
import type { IHttpRequestOptions } from 'n8n-workflow';

import type { N8nCredentialContext } from '../../transport/n8nTokenSource';
import type { DynamicsHttp } from './http';

interface FullResponse {
	body?: unknown;
	headers?: Record<string, unknown>;
	statusCode?: number;
}

/** Axios headers (possibly arrays) → lower-case string map. */
function headerMap(headers: Record<string, unknown> | undefined): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (value === undefined || value === null) continue;
		result[name.toLowerCase()] = Array.isArray(value)
			? value.map(String).join(', ')
			: String(value);
	}
	return result;
}

/** The body as text whatever n8n handed back (text, Buffer, or parsed JSON). */
function bodyText(body: unknown): string {
	if (body === undefined || body === null) return '';
	if (typeof body === 'string') return body;
	if (Buffer.isBuffer(body)) return body.toString('utf8');
	return JSON.stringify(body);
}

export function n8nDynamicsHttp(ctx: N8nCredentialContext, credentialType: string): DynamicsHttp {
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: request.headers,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			// Raw text: $batch answers are multipart, and parsing stays in one place (the provider).
			encoding: 'text',
			json: false,
		};
		if (request.body !== undefined) options.body = request.body;
		if (request.signal) options.abortSignal = request.signal;
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			credentialType,
			options,
		)) as FullResponse;
		return {
			status: response.statusCode ?? 0,
			headers: headerMap(response.headers),
			body: bodyText(response.body),
		};
	};
}
