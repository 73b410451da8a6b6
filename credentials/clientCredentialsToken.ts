/**
 * OAuth2 client-credentials token request for credentials that fetch their own token in
 * `preAuthentication` (Salesforce, Dynamics). n8n caches the result in the credential's
 * expirable field, so this runs once per token lifetime, not per request.
 *
 * Errors are rebuilt from scratch: the HTTP client's own error carries the request
 * config (the form body holds client_secret), so it must never travel as a cause.
 */
import type { ICredentialDataDecryptedObject, IHttpRequestHelper, INodeProperties } from 'n8n-workflow';
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

const TOKEN_TIMEOUT_MS = 30_000;
const MAX_DETAIL_CHARS = 300;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function redact(message: string, secrets: string[]): string {
	return secrets
		.filter((secret) => secret.length > 0)
		.reduce((text, secret) => text.split(secret).join('[redacted]'), message);
}

/** The vendor's error text from a body like `{ error, error_description }` (OAuth2 RFC 6749 §5.2). */
function vendorDetail(body: unknown): string {
	let parsed = body;
	if (typeof body === 'string') {
		try {
			parsed = JSON.parse(body) as unknown;
		} catch {
			return body.slice(0, MAX_DETAIL_CHARS);
		}
	}
	if (!isRecord(parsed)) return '';
	const parts = [parsed.error, parsed.error_description, parsed.message].filter(
		(part): part is string => typeof part === 'string' && part.length > 0,
	);
	return parts.join(': ').slice(0, MAX_DETAIL_CHARS);
}

function failureSummary(error: unknown): string {
	if (!isRecord(error)) return 'request failed';
	const response = isRecord(error.response) ? error.response : undefined;
	const status = response?.status ?? error.httpCode ?? error.statusCode;
	const detail = vendorDetail(response?.data ?? response?.body);
	if (status !== undefined) return detail ? `HTTP ${String(status)}: ${detail}` : `HTTP ${String(status)}`;
	// Network failures (ECONNREFUSED, ETIMEDOUT …): the code says enough, the message may echo the request.
	return typeof error.code === 'string' ? error.code : 'request failed';
}

/**
 * A credential URL field, trimmed and without trailing slash; a clear error instead of an
 * opaque "invalid URL" from the HTTP client when it is empty or malformed.
 */
export function requireHttpUrl(value: unknown, field: string, example: string): string {
	const url = typeof value === 'string' ? value.trim().replace(/\/+$/, '') : '';
	if (!/^https?:\/\//i.test(url) || !URL.canParse(url)) {
		throw new OperationalError(`${field} must be a URL like ${example}`);
	}
	return url;
}

export async function requestClientCredentialsToken(
	helper: IHttpRequestHelper,
	request: ClientCredentialsTokenRequest,
): Promise<TokenResponse> {
	const { vendor, tokenUrl, form, secrets } = request;
	let response: unknown;
	// Credentials run without a node, so NodeApiError is not available: the failure is
	// summarised inside the catch and a fresh, secret-free error is thrown after it.
	let failure: string | undefined;
	try {
		response = await helper.helpers.httpRequest({
			method: 'POST',
			url: tokenUrl,
			body: new URLSearchParams({ grant_type: 'client_credentials', ...form }).toString(),
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
			},
			json: true,
			timeout: TOKEN_TIMEOUT_MS,
		});
	} catch (error) {
		failure = failureSummary(error);
	}
	if (failure !== undefined) {
		const message = `${vendor} token request to ${tokenUrl} failed (${failure})`;
		throw new OperationalError(redact(message, secrets));
	}

	if (!isRecord(response) || typeof response.access_token !== 'string' || !response.access_token) {
		throw new OperationalError(`${vendor} token response from ${tokenUrl} did not contain an access token`);
	}
	return response as TokenResponse;
}
