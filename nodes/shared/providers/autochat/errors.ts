/**
 * autoch.at CRM failures → the transport's neutral HttpFailure.
 *
 * - Error bodies `{ error: { message, code } }` become the failure's message and code.
 * - 429: the transport waits exactly `Retry-After`. autoch.at documents only
 *   `X-RateLimit-Reset` (epoch seconds), so when a 429 carries no Retry-After we derive
 *   one from the reset time and add it as a synthetic `retry-after` header (decimal
 *   seconds, so the wait is exact to the millisecond). A reset already in the past
 *   (clock skew) still waits {@link MIN_RESET_WAIT_MS}, so we do not hammer the limit.
 * - 401: API keys do not expire and cannot be refreshed, so the message says plainly that
 *   the key was rejected and what to do; the key itself never appears.
 */
import { headerNumber, headerValue } from '../../transport/headers';
import type { HttpFailure } from '../../transport/types';

/** A response with status ≥ 400, thrown inside transport.call so the transport can classify it. */
export class AutochatHttpError extends Error {
	readonly status: number;
	readonly code?: string;
	/** Header names in lower case. */
	readonly headers: Record<string, string>;
	readonly body: unknown;

	constructor(status: number, headers: Record<string, string>, body: unknown) {
		const parsed = parseErrorBody(body);
		super(parsed?.message ?? shortText(body) ?? `autoch.at CRM answered HTTP ${status}`);
		this.name = 'AutochatHttpError';
		this.status = status;
		this.code = parsed?.code;
		this.headers = headers;
		this.body = body;
	}
}

export interface AutochatErrorBody {
	message?: string;
	code?: string;
}

/** Reads `{ error: { message, code } }`; undefined for any other shape. */
export function parseErrorBody(body: unknown): AutochatErrorBody | undefined {
	if (typeof body !== 'object' || body === null) return undefined;
	const error = (body as { error?: unknown }).error;
	if (typeof error !== 'object' || error === null) return undefined;
	const { message, code } = error as { message?: unknown; code?: unknown };
	return {
		message: typeof message === 'string' && message !== '' ? message : undefined,
		code: typeof code === 'string' && code !== '' ? code : undefined,
	};
}

/** A short plain-text body (a gateway's one-line error) is worth showing; HTML pages and long dumps are not. */
function shortText(body: unknown): string | undefined {
	if (typeof body !== 'string') return undefined;
	const text = body.trim();
	return text !== '' && text.length <= 300 && !text.startsWith('<') ? text : undefined;
}

/** Shortest wait derived from X-RateLimit-Reset, for resets in the past or right now. */
export const MIN_RESET_WAIT_MS = 1000;

/** Values above this are epoch seconds (the docs' example is 1640995200); below, seconds from now. */
const EPOCH_SECONDS_THRESHOLD = 1_000_000_000;

/** Milliseconds until the X-RateLimit-Reset moment, or undefined without a readable header. */
export function waitFromRateLimitReset(
	headers: Record<string, string>,
	now: number,
): number | undefined {
	const reset = headerNumber(headers, 'x-ratelimit-reset');
	if (reset === undefined || reset < 0) return undefined;
	const waitMs = reset > EPOCH_SECONDS_THRESHOLD ? reset * 1000 - now : reset * 1000;
	return Math.max(MIN_RESET_WAIT_MS, Math.ceil(waitMs));
}

// What to do about it is the credential's advice (the profile's whenRejected), added by the transport.
const API_KEY_REJECTED = 'API key rejected';

const NETWORK_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNREFUSED',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ECONNABORTED',
]);

/** The socket error code fetch wraps in `cause` (or a timeout/abort), if any. */
function networkCode(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const { code, name } = current as { code?: unknown; name?: unknown };
		if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR')))
			return code;
		if (name === 'TimeoutError' || name === 'AbortError') return 'ETIMEDOUT';
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

/** The provider's toFailure, bound to the transport's clock so derived waits use the same time. */
export function createAutochatToFailure(now: () => number): (error: unknown) => HttpFailure {
	return (error) => {
		if (error instanceof AutochatHttpError) {
			const headers = { ...error.headers };
			if (error.status === 429 && headerValue(headers, 'retry-after') === undefined) {
				const waitMs = waitFromRateLimitReset(headers, now());
				if (waitMs !== undefined) headers['retry-after'] = String(waitMs / 1000);
			}
			const message =
				error.status === 401 ? `${API_KEY_REJECTED} (${error.message})` : error.message;
			return { status: error.status, code: error.code, message, headers, body: error.body };
		}
		const code = networkCode(error);
		const text = error instanceof Error ? error.message : String(error);
		return {
			code,
			message: code && !text.includes(code) ? `${text} (${code})` : text,
			headers: {},
		};
	};
}
