/**
 * Dataverse failures → the transport's neutral HttpFailure. Dataverse error bodies look
 * like `{ "error": { "code": "0x80040217", "message": "..." } }`.
 */
import { CrmRequestError, redactSecrets } from '../../transport/errors';
import type { HttpFailure } from '../../transport/types';

export interface DataverseErrorBody {
	code?: string;
	message?: string;
}

/** Reads `{error:{code,message}}` from a JSON text; undefined when the text is not that shape. */
export function parseDataverseError(text: string): DataverseErrorBody | undefined {
	if (!text) return undefined;
	try {
		const parsed: unknown = JSON.parse(text);
		if (typeof parsed !== 'object' || parsed === null) return undefined;
		const error = (parsed as { error?: unknown }).error;
		if (typeof error !== 'object' || error === null) return undefined;
		const { code, message } = error as { code?: unknown; message?: unknown };
		return {
			code: typeof code === 'string' ? code : undefined,
			message: typeof message === 'string' ? message : undefined,
		};
	} catch {
		return undefined;
	}
}

/** A Dataverse response with status ≥ 400, thrown inside transport.call so the transport can classify it. */
export class DynamicsHttpError extends Error {
	readonly status: number;
	readonly code?: string;
	readonly headers: Record<string, string>;
	readonly body: string;

	constructor(status: number, headers: Record<string, string>, body: string) {
		const parsed = parseDataverseError(body);
		super(parsed?.message ?? `Dynamics 365 answered HTTP ${status}`);
		this.name = 'DynamicsHttpError';
		this.status = status;
		this.code = parsed?.code;
		this.headers = headers;
		this.body = body;
	}
}

/** Error message for one $batch part (same body format as a whole response). */
export function partErrorMessage(status: number, body: string): { message: string; code?: string } {
	const parsed = parseDataverseError(body);
	return { message: parsed?.message ?? `Dynamics 365 answered HTTP ${status}`, code: parsed?.code };
}

/** Dataverse's duplicate-key code ("A record with matching key values already exists"). */
export const DUPLICATE_KEY_CODE = '0x80040237';

/**
 * Whether a create with a client-chosen id was refused because that id exists: 412 for an
 * upsert with `If-None-Match: *` (and for a duplicate POST), or the duplicate-key code
 * whatever the status.
 */
export function isAlreadyExists(status: number, body: string): boolean {
	return status === 412 || parseDataverseError(body)?.code?.toLowerCase() === DUPLICATE_KEY_CODE;
}

const NETWORK_CODES = [
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNREFUSED',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'UND_ERR_SOCKET',
];

/** Finds a Node network error code on an error or its `cause` chain (fetch wraps it as TypeError). */
function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && (NETWORK_CODES.includes(code) || code.startsWith('UND_ERR')))
			return code;
		if (
			(current as { name?: unknown }).name === 'AbortError' ||
			(current as { name?: unknown }).name === 'TimeoutError'
		) {
			return 'ETIMEDOUT';
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** The provider's `toFailure` for the transport. Keeps `retry-after` in the headers so 429 waits exactly. */
export function toDynamicsFailure(error: unknown): HttpFailure {
	if (error instanceof DynamicsHttpError) {
		let body: unknown = error.body;
		try {
			body = error.body ? JSON.parse(error.body) : undefined;
		} catch {
			// Non-JSON bodies (gateway HTML pages) are kept as text.
		}
		return {
			status: error.status,
			code: error.code,
			message: error.message,
			headers: error.headers,
			body,
		};
	}
	const code = networkCode(error);
	const message = error instanceof Error ? error.message : String(error);
	return { code, message: code ? `Network error ${code}: ${message}` : message, headers: {} };
}

/** A failed $batch part as the transport's error type, so callers handle one error class. */
export function batchPartError(
	label: string,
	status: number | undefined,
	body: string,
): CrmRequestError {
	const detail =
		status === undefined
			? { message: 'Dynamics 365 returned no response for this operation' }
			: partErrorMessage(status, body);
	const crmMessage = redactSecrets(detail.message, []);
	return new CrmRequestError({
		crm: 'dynamics',
		label,
		kind: status === undefined ? 'unexpected' : 'rejected',
		message: `Dynamics 365 ${label} failed${status ? ` (HTTP ${status})` : ''}: ${crmMessage}`,
		crmMessage,
		attempts: 1,
		retryable: status === undefined || status === 429 || status >= 500,
		status,
		code: detail.code,
	});
}
