/**
 * The n8n side of the DynamicsHttp seam: each Dataverse request is sent by n8n's
 * authenticated request helper, so n8n adds the credential's token (OAuth2 or the
 * client-credentials preAuthentication token) itself. Statuses are returned, not thrown,
 * so the shared transport decides about retries and refreshes like for every other CRM.
 */
import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import type { N8nCredentialContext } from '../../transport/n8nTokenSource';
import type { DynamicsHttp } from './http';

function headerMap(headers: IN8nHttpFullResponse['headers'] | undefined): Record<string, string> {
	const out: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers ?? {})) {
		if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
	}
	return out;
}

export function n8nDynamicsHttp(ctx: N8nCredentialContext, credentialType: string): DynamicsHttp {
	return async (request) => {
		const options: IHttpRequestOptions = {
			method: request.method,
			url: request.url,
			headers: request.headers as IDataObject,
			body: request.body,
			json: false,
			encoding: 'text',
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		};
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, options)) as IN8nHttpFullResponse;
		const body = typeof response.body === 'string' ? response.body : response.body === undefined ? '' : JSON.stringify(response.body);
		return { status: response.statusCode, headers: headerMap(response.headers), body };
	};
}
