/**
 * Resolves a credential type the way n8n does, using n8n-workflow's own machinery
 * (NodeHelpers.getNodeParameters, Workflow expressions), so the tests exercise the
 * real expression engine rather than a look-alike:
 *
 *  - applyCredentialDefaults  ~ CredentialsHelper.applyDefaultsAndOverwrites (n8n cli):
 *    drop stored values of the OAuth-pinned hidden fields, fill defaults (fields hidden by
 *    displayOptions are removed), put oauthTokenData back, resolve `={{…}}` with `$self`.
 *  - buildTestRequest         ~ RoutingNode + CredentialsTester: resolve `test.request` with
 *    `$credentials`, then authenticate: generic properties resolved with `$credentials`
 *    (CredentialsHelper.authenticate); OAuth2 types get `Bearer <oauthTokenData.access_token>`
 *    (what n8n's requestOAuth2 adds through client-oauth2).
 *  - requestUrl               ~ axios: absolute `url` wins, else `baseURL` + '/' + `url`, plus `qs`.
 *
 * Differences from a running n8n (documented, not hidden): no credential overwrites,
 * no external secrets, and parent oAuth2Api fields (clientId, …) are not merged in
 * because n8n-nodes-base is not installed; none of them feed the URLs under test.
 */
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	INode,
	INodeParameters,
	INodeType,
	INodeTypes,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

/** Hidden OAuth fields n8n always takes from the type, never from stored data. */
const OAUTH_PINNED_FIELDS = [
	'grantType',
	'authUrl',
	'accessTokenUrl',
	'scope',
	'authQueryParameters',
	'authentication',
];

const mockNode: INode = {
	id: 'credential-test',
	name: 'Credential Test',
	type: 'mock',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

const mockNodeType = { description: { properties: [] } } as unknown as INodeType;
const nodeTypes: INodeTypes = {
	getKnownTypes: () => ({}),
	getByName: () => mockNodeType,
	getByNameAndVersion: () => mockNodeType,
};

function newWorkflow(): Workflow {
	return new Workflow({ nodes: [mockNode], connections: {}, active: false, nodeTypes });
}

async function withExpressions<T>(fn: (workflow: Workflow) => T): Promise<T> {
	const workflow = newWorkflow();
	await workflow.expression.acquireIsolate();
	try {
		return fn(workflow);
	} finally {
		await workflow.expression.releaseIsolate();
	}
}

function isOAuth2(type: ICredentialType): boolean {
	return type.extends?.includes('oAuth2Api') === true;
}

export async function applyCredentialDefaults(
	type: ICredentialType,
	stored: ICredentialDataDecryptedObject,
): Promise<ICredentialDataDecryptedObject> {
	const data: ICredentialDataDecryptedObject = { ...stored };
	for (const field of OAUTH_PINNED_FIELDS) {
		if (type.properties.some((p) => p.name === field && p.type === 'hidden')) delete data[field];
	}
	const withDefaults = NodeHelpers.getNodeParameters(
		type.properties,
		data as INodeParameters,
		true,
		false,
		null,
		null,
	) as INodeParameters;
	if (stored.oauthTokenData !== undefined)
		withDefaults.oauthTokenData = stored.oauthTokenData as INodeParameters;

	return await withExpressions(
		(workflow) =>
			workflow.expression.getComplexParameterValue(
				mockNode,
				withDefaults,
				'internal',
				{},
				undefined,
				undefined,
				withDefaults,
			) as ICredentialDataDecryptedObject,
	);
}

/** The credential's test request, expressions resolved and authentication applied. */
export async function buildTestRequest(
	type: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
): Promise<IHttpRequestOptions> {
	if (!type.test) throw new Error(`${type.name} has no test request`);
	const test = type.test;
	const additionalKeys = { $credentials: credentials as IDataObject };

	return await withExpressions((workflow) => {
		const request = workflow.expression.getComplexParameterValue(
			mockNode,
			test.request as unknown as INodeParameters,
			'internal',
			additionalKeys,
		) as unknown as IHttpRequestOptions;
		const headers: IDataObject = { ...(request.headers ?? {}) };

		if (isOAuth2(type)) {
			const tokenData = credentials.oauthTokenData as IDataObject | undefined;
			headers.Authorization = `Bearer ${String(tokenData?.access_token ?? '')}`;
		} else if (type.authenticate && typeof type.authenticate === 'object') {
			const resolve = (value: string) =>
				String(
					workflow.expression.getSimpleParameterValue(
						mockNode,
						value,
						'internal',
						additionalKeys,
						undefined,
						'',
					) ?? '',
				);
			const target: Record<string, IDataObject> = { headers, qs: { ...(request.qs ?? {}) } };
			for (const [outerKey, pairs] of Object.entries(type.authenticate.properties)) {
				target[outerKey] ??= {};
				for (const [key, value] of Object.entries(pairs as Record<string, string>)) {
					target[outerKey][resolve(key)] = resolve(value);
				}
			}
			request.qs = target.qs;
		}
		request.headers = headers;
		return request;
	});
}

/** Full URL as axios (n8n's HTTP client) would build it. */
export function requestUrl(request: IHttpRequestOptions): string {
	const absolute = /^[a-z][a-z\d+\-.]*:\/\//i.test(request.url);
	const base = request.baseURL ?? '';
	const joined =
		absolute || !base
			? request.url
			: `${base.replace(/\/+$/, '')}/${request.url.replace(/^\/+/, '')}`;
	const url = new URL(joined);
	for (const [key, value] of Object.entries(request.qs ?? {}))
		url.searchParams.append(key, String(value));
	return url.toString();
}

/** Sends the request with global fetch (nock intercepts it). */
export async function sendWithFetch(request: IHttpRequestOptions): Promise<Response> {
	const headers = Object.fromEntries(
		Object.entries(request.headers ?? {}).map(([key, value]) => [key, String(value)]),
	);
	return await fetch(requestUrl(request), { method: request.method ?? 'GET', headers });
}

/** applyCredentialDefaults → buildTestRequest → fetch: the whole "Test connection" path. */
export async function runCredentialTest(
	type: ICredentialType,
	stored: ICredentialDataDecryptedObject,
): Promise<Response> {
	const credentials = await applyCredentialDefaults(type, stored);
	return await sendWithFetch(await buildTestRequest(type, credentials));
}
