/**
 * OAuth2 client-credentials token request for credentials that fetch their own token in
 * `preAuthentication` (Salesforce, Dynamics) and for their connection tests. n8n caches the
 * result of `preAuthentication` in the credential's expirable field, so for node runs this
 * runs once per token lifetime, not per request.
 *
 * Errors are rebuilt from scratch: the HTTP client's own error carries the request
 * config (the form body holds client_secret), so it must never travel as a cause.
 */
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	INodeProperties,
} from 'n8n-workflow';
import { OperationalError } from 'n8n-workflow';

export interface ClientCredentialsTokenRequest {
	/** Shown in error messages: "Salesforce", "Microsoft Entra ID". */
	vendor: string;
	tokenUrl: string;
	/** Form fields; grant_type is added. */
	form: Record<string, string>;
	/** Values that must never appear in an error message. */
	secrets: string[];
}

/** The hidden, expirable field `preAuthentication` fills; n8n asks again when it is empty or after a 401. */
export const ACCESS_TOKEN_PROPERTY: INodeProperties = {
	displayName: 'Access Token',
	name: 'accessToken',
	type: 'hidden',
	typeOptions: { expirable: true, password: true },
	default: '',
};

/** A text field of the credential, trimmed (pasted ids and secrets often carry a newline); '' when unset. */
export function stringField(credentials: ICredentialDataDecryptedObject, name: string): string {
	const value = credentials[name];
	return typeof value === 'string' ? value.trim() : '';
}

export type TokenResponse = Record<string, unknown> & { access_token: string };

/** One HTTP exchange, whatever n8n helper carries it. */
export interface HttpCall {
	method: 'GET' | 'POST';
	url: string;
	headers: Record<string, string>;
	body?: string;
}
export interface HttpAnswer {
	status: number;
	body: unknown;
}
/** Answers every HTTP status; throws only when no answer arrived (refused, timed out …). */
export type SendHttp = (call: HttpCall) => Promise<HttpAnswer>;

export type TokenOutcome =
	| { ok: true; token: TokenResponse }
	/** The vendor refused: `error` is the OAuth2 error code (RFC 6749 §5.2) when it sent one. */
	| { ok: false; failure: 'refused'; status: number; error: string; detail: string }
	| { ok: false; failure: 'unreachable'; detail: string }
	| { ok: false; failure: 'no-token'; status: number };

export const HTTP_TIMEOUT_MS = 30_000;
const MAX_DETAIL_CHARS = 300;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function redact(message: string, secrets: readonly string[]): string {
	return secrets
		.filter((secret) => secret.length > 0)
		.reduce((text, secret) => text.split(secret).join('[redacted]'), message);
}

function parsed(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body) as unknown;
	} catch {
		return body;
	}
}

/**
 * The vendor's error text: OAuth2 `{ error, error_description }`, Salesforce REST
 * `[{ errorCode, message }]`, Dataverse `{ error: { code, message } }`, or plain text.
 */
export function vendorDetail(body: unknown): string {
	const value = parsed(body);
	if (typeof value === 'string') return value.slice(0, MAX_DETAIL_CHARS);
	const first = Array.isArray(value) ? value[0] : value;
	if (!isRecord(first)) return '';
	const nested = isRecord(first.error) ? first.error : undefined;
	const parts = [
		typeof first.error === 'string' ? first.error : undefined,
		first.errorCode,
		nested?.code,
		first.error_description,
		first.message,
		nested?.message,
	].filter((part): part is string => typeof part === 'string' && part.length > 0);
	return parts.join(': ').slice(0, MAX_DETAIL_CHARS);
}

/** What a failed request without an answer says: the error code (ECONNREFUSED …), never the request it echoes. */
export function unreachableDetail(error: unknown): string {
	return isRecord(error) && typeof error.code === 'string' ? error.code : 'no answer';
}

/**
 * A URL field of the credential, trimmed and without trailing slash; a clear error instead
 * of an opaque "invalid URL" from the HTTP client when it is empty or malformed.
 */
export function requireHttpUrl(value: unknown, field: string, example: string): string {
	const url = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
	if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
		throw new OperationalError(`${field} must be a URL like ${example}`);
	}
	return url;
}

/** Posts the client-credentials grant and says what came back, without throwing. */
export async function fetchClientCredentialsToken(
	send: SendHttp,
	request: ClientCredentialsTokenRequest,
): Promise<TokenOutcome> {
	let answer: HttpAnswer;
	try {
		answer = await send({
			method: 'POST',
			url: request.tokenUrl,
			body: new URLSearchParams({ grant_type: 'client_credentials', ...request.form }).toString(),
			headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
		});
	} catch (error) {
		return { ok: false, failure: 'unreachable', detail: unreachableDetail(error) };
	}
	const body = parsed(answer.body);
	if (answer.status < 200 || answer.status >= 300) {
		const error = isRecord(body) && typeof body.error === 'string' ? body.error : '';
		return {
			ok: false,
			failure: 'refused',
			status: answer.status,
			error,
			detail: redact(vendorDetail(body), request.secrets),
		};
	}
	if (!isRecord(body) || typeof body.access_token !== 'string' || !body.access_token)
		return { ok: false, failure: 'no-token', status: answer.status };
	return { ok: true, token: body as TokenResponse };
}

/** `send` over n8n's `httpRequest` helper (what `preAuthentication` gets). */
export function sendWithHttpRequest(helper: IHttpRequestHelper): SendHttp {
	return async ({ method, url, headers, body }) => {
		const response = (await helper.helpers.httpRequest({
			method,
			url,
			headers,
			body,
			json: true,
			timeout: HTTP_TIMEOUT_MS,
			ignoreHttpStatusErrors: true,
			returnFullResponse: true,
		})) as { statusCode: number; body: unknown };
		return { status: response.statusCode, body: response.body };
	};
}

/** For `preAuthentication`: the token, or an error naming the vendor, the URL and the vendor's reason. */
export async function requestClientCredentialsToken(
	helper: IHttpRequestHelper,
	request: ClientCredentialsTokenRequest,
): Promise<TokenResponse> {
	const { vendor, tokenUrl, secrets } = request;
	const outcome = await fetchClientCredentialsToken(sendWithHttpRequest(helper), request);
	if (outcome.ok) return outcome.token;
	if (outcome.failure === 'no-token')
		throw new OperationalError(
			`${vendor} token response from ${tokenUrl} did not contain an access token`,
		);
	const summary =
		outcome.failure === 'unreachable'
			? outcome.detail
			: outcome.detail
				? `HTTP ${outcome.status}: ${outcome.detail}`
				: `HTTP ${outcome.status}`;
	throw new OperationalError(
		redact(`${vendor} token request to ${tokenUrl} failed (${summary})`, secrets),
	);
}
