/**
 * The `this` n8n passes to a credential's preAuthentication: `{ helpers: { httpRequest } }`.
 *
 * httpRequest is n8n's own outbound HTTP client (the one n8n-core's helpers.httpRequest
 * delegates to in 2.41), so requests really go over node:http where nock intercepts
 * them, and failures have the exact error shape n8n produces (an axios error whose
 * `config` still holds the request body — which is why the credentials rebuild errors).
 */
import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type { IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

export function n8nHttpRequestHelper(): IHttpRequestHelper {
	return {
		helpers: {
			httpRequest: async (options: IHttpRequestOptions) =>
				await Container.get(OutboundHttp).requests().request(options),
		},
	};
}
