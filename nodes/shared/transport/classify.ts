/**
 * Decides what a failure means for a retry, independent of any client library:
 * the provider's toFailure() has already turned the client's error into an HttpFailure.
 */
import type { HttpFailure } from './types';

export type FailureClass =
	/** 429: not processed; wait (Retry-After or backoff) and retry. */
	| 'rate-limited'
	/** A daily quota is used up (the provider says so on the failure): waiting minutes will not help. */
	| 'daily-limit'
	| 'unauthorized'
	/** Never reached the server (502/503, connection refused): safe to retry any call. */
	| 'not-sent'
	/** May have been processed (500/504, reset): only idempotent calls retry blindly. */
	| 'ambiguous'
	/** No answer before the deadline: the CRM may still be carrying it out. */
	| 'timed-out'
	/** A definite answer that retrying will not change. */
	| 'fatal';

/** Connection never established: the CRM cannot have acted on the request. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

/** The request may have reached the CRM before the connection failed. */
const AMBIGUOUS_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'ABORT_ERR',
	'ABORTERROR',
	'TIMEOUTERROR',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'UND_ERR_ABORTED',
]);

const AMBIGUOUS_MESSAGE = /socket hang up|\baborted\b/i;
const TIMEOUT_MESSAGE = /\btimed? ?out\b/i;

/** The code runCall gives an attempt that passed its deadline. */
export const CLIENT_TIMEOUT_CODE = 'CLIENT_TIMEOUT';

/** Waiting for the answer ran out (ours, or the client library's own timer). */
const TIMEOUT_CODES = new Set([
	CLIENT_TIMEOUT_CODE,
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'TIMEOUTERROR',
	'UND_ERR_HEADERS_TIMEOUT',
	'UND_ERR_BODY_TIMEOUT',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export function classifyFailure(failure: HttpFailure): FailureClass {
	const { status } = failure;
	const code = failure.code?.toUpperCase();
	if (status === undefined && code && TIMEOUT_CODES.has(code)) return 'timed-out';
	// A gateway gave up waiting: the CRM behind it may still be working on the request.
	if (status === 504) return 'timed-out';
	if (status === 429) return failure.dailyLimit === true ? 'daily-limit' : 'rate-limited';
	if (status === 401) return 'unauthorized';
	if (status === 502 || status === 503) return 'not-sent';
	if (status === 501 || status === 505) return 'fatal';
	if (status !== undefined && status >= 500) return 'ambiguous';
	if (status !== undefined) return 'fatal';
	if (code && NOT_SENT_CODES.has(code)) return 'not-sent';
	if (code && AMBIGUOUS_CODES.has(code)) return 'ambiguous';
	if (status === undefined && TIMEOUT_MESSAGE.test(failure.message)) return 'timed-out';
	if (AMBIGUOUS_MESSAGE.test(failure.message)) return 'ambiguous';
	return 'fatal';
}

export interface BackoffPolicy {
	baseDelayMs: number;
	maxDelayMs: number;
}

/** Exponential backoff capped at maxDelayMs, with jitter between half and all of it. */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: () => number): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	const fraction = Math.min(1, Math.max(0, random()));
	return Math.round(ceiling * (0.5 + 0.5 * fraction));
}
