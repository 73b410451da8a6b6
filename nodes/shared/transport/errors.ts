/**
 * The one error type the transport throws. Its message names the CRM and the request,
 * states what happened in plain words and never contains a credential.
 */
import type { CrmName } from '../model';

export { redactSecrets, sanitizeBody, REDACTED } from './redact';

/** Why the call failed, for callers that react differently (e.g. partial batch results). */
export type CrmFailureKind =
	/** The CRM refused the request (4xx other than 401/429); retrying will not help. */
	| 'rejected'
	/** Authentication failed, after one token refresh when a token source exists. */
	| 'unauthorized'
	/** The token could not be obtained or refreshed through n8n. */
	| 'token'
	/** A rate limit the transport will not wait out (daily limit, Retry-After too long). */
	| 'rate-limited'
	/** Retries were exhausted on a transient failure. */
	| 'gave-up'
	/** A create may or may not have been carried out (lost answer, timeout) and could not be proven either way: not re-sent. */
	| 'ambiguous'
	/** The optional per-run API budget is used up; nothing was sent. */
	| 'budget'
	/** Anything else (a bug in the client code, an unknown network error). */
	| 'unexpected';

export interface CrmRequestErrorInit {
	crm: CrmName;
	label: string;
	kind: CrmFailureKind;
	/** The full, already-redacted message. */
	message: string;
	crmMessage: string;
	attempts: number;
	retryable: boolean;
	status?: number;
	code?: string;
	body?: unknown;
	/** How long the CRM asked us to wait, when that is why we stopped. */
	retryAfterMs?: number;
	/** The last attempt got no answer before its deadline (the CRM may still carry it out). */
	timedOut?: boolean;
}

export class CrmRequestError extends Error {
	readonly crm: CrmName;
	readonly label: string;
	readonly kind: CrmFailureKind;
	readonly status?: number;
	readonly code?: string;
	readonly attempts: number;
	/** True when the same request may succeed later (rate limits, outages); false for rejections and ambiguous creates. */
	readonly retryable: boolean;
	/** The CRM's own message (redacted). */
	readonly crmMessage: string;
	/** The CRM's response body, sanitised. */
	readonly body?: unknown;
	readonly retryAfterMs?: number;
	readonly timedOut?: boolean;

	constructor(init: CrmRequestErrorInit) {
		super(init.message);
		this.name = 'CrmRequestError';
		this.crm = init.crm;
		this.label = init.label;
		this.kind = init.kind;
		this.status = init.status;
		this.code = init.code;
		this.attempts = init.attempts;
		this.retryable = init.retryable;
		this.crmMessage = init.crmMessage;
		this.body = init.body;
		this.retryAfterMs = init.retryAfterMs;
		this.timedOut = init.timedOut;
	}
}

export function isCrmRequestError(error: unknown): error is CrmRequestError {
	return error instanceof CrmRequestError;
}

/** The per-record failure a provider reports for a request that failed as a whole. */
export function failureInfoOf(error: CrmRequestError): {
	message: string;
	code: string;
	status?: number;
	uncertain?: boolean;
	transportKind?: CrmFailureKind;
} {
	const info: {
		message: string;
		code: string;
		status?: number;
		uncertain?: boolean;
		transportKind?: CrmFailureKind;
	} = {
		message: error.message,
		code: error.code ?? error.kind,
	};
	// A socket error's code (UND_ERR_SOCKET) is not the verdict: gave-up must stay gave-up. A
	// rejection says nothing its status does not.
	if (error.kind !== 'rejected' && info.code !== error.kind) info.transportKind = error.kind;
	if (error.status !== undefined) info.status = error.status;
	// The request may have been carried out: whoever retries must look in the CRM first.
	if (error.kind === 'ambiguous') info.uncertain = true;
	return info;
}
