/**
 * The one seam between the provider and the network. In tests and standalone use it is
 * global `fetch` (which nock intercepts); inside n8n a small adapter wraps
 * `this.helpers.httpRequestWithAuthentication` so n8n adds and refreshes the credential.
 */

export type DynamicsMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface DynamicsHttpRequest {
	method: DynamicsMethod;
	url: string;
	headers: Record<string, string>;
	body?: string;
	/**
	 * Current access token from the transport. The fetch implementation sends it as a Bearer
	 * header; an n8n adapter ignores it because n8n authenticates the request itself.
	 */
	token?: string;
	/** Aborted when the transport's deadline for this attempt passes: frees the socket. */
	signal?: AbortSignal;
}

export interface DynamicsHttpResponse {
	status: number;
	/** Header names in lower case. */
	headers: Record<string, string>;
	body: string;
}

/** Sends one request and returns the response whatever its status; throws only on network failure. */
export type DynamicsHttp = (request: DynamicsHttpRequest) => Promise<DynamicsHttpResponse>;

/** Default implementation on global fetch. */
export const fetchDynamicsHttp: DynamicsHttp = async (request) => {
	const headers: Record<string, string> = { ...request.headers };
	if (request.token) headers.Authorization = `Bearer ${request.token}`;
	const response = await fetch(request.url, {
		method: request.method,
		headers,
		body: request.body,
		signal: request.signal,
	});
	const body = await response.text();
	const responseHeaders: Record<string, string> = {};
	response.headers.forEach((value, name) => {
		responseHeaders[name.toLowerCase()] = value;
	});
	return { status: response.status, headers: responseHeaders, body };
};

/** Headers every Dataverse Web API call carries. */
export const ODATA_HEADERS: Readonly<Record<string, string>> = {
	'OData-MaxVersion': '4.0',
	'OData-Version': '4.0',
	Accept: 'application/json',
};

/** Asks Dataverse for formatted values and lookup logical names alongside raw values. */
export const PREFER_ANNOTATIONS = 'odata.include-annotations="*"';
