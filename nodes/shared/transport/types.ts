/**
 * Contracts of the shared transport: every provider sends each HTTP call through a
 * Transport, which owns retry, rate limiting, token refresh, usage capture and error
 * normalisation. SDK-level retry/limit settings are never used.
 */
import type { CrmName } from '../model';

/** Usage as counted by us and as reported by the CRM's headers. */
export interface ApiUsage {
	/** HTTP requests actually sent (each retry counts). */
	calls: number;
	retries: number;
	/** Total time spent waiting for Retry-After/backoff/rate limiter, ms. */
	waitedMs: number;
	/** Latest values the CRM reported (X-HubSpot-RateLimit-*, Sforce-Limit-Info, X-RateLimit-*, x-ms-ratelimit-*). */
	reported?: {
		used?: number;
		limit?: number;
		remaining?: number;
		/** What the numbers refer to: `10s`, `daily`, `minute`, `5min` ... */
		window?: string;
	};
}

/** Any client's failure, translated by the provider into this neutral shape. */
export interface HttpFailure {
	/** HTTP status; undefined for network-level failures. */
	status?: number;
	/** Network code (ECONNRESET, ETIMEDOUT, ECONNREFUSED) or the CRM's error code. */
	code?: string;
	/** The CRM's own message, never containing credentials. */
	message: string;
	headers: Record<string, string>;
	body?: unknown;
}

export interface CallOptions<T> {
	/** Short description for errors and logs: `POST /crm/v3/objects/notes/batch/create`. */
	label: string;
	/**
	 * True for reads, updates by id, upserts and deletes. False for creates: after an
	 * ambiguous failure (timeout, connection reset, 500/504) a create is only retried when
	 * `verify` shows it did not happen.
	 */
	idempotent: boolean;
	/** For non-idempotent calls: look for the effect of an ambiguous attempt; a value means it succeeded. */
	verify?: () => Promise<T | undefined>;
}

export interface CallContext {
	/** 0 for the first attempt. */
	attempt: number;
	/** Current access token when the transport has a TokenSource. */
	token?: string;
}

/** Where tokens come from: n8n's credentials. refresh() goes through n8n so the new token is stored there. */
export interface TokenSource {
	getAccessToken(): Promise<string>;
	refresh(): Promise<string>;
}

export interface RetryPolicy {
	/** Attempts after the first. */
	maxRetries: number;
	/** First backoff, ms; doubles each retry, with full jitter between half and all of it. */
	baseDelayMs: number;
	maxDelayMs: number;
	/** Longest Retry-After we are willing to wait, ms; beyond it we fail with a clear error. */
	maxRetryAfterMs: number;
}

export interface RateLimit {
	/** Requests allowed per window. */
	requests: number;
	windowMs: number;
	/** Requests in flight at once. */
	concurrency: number;
}

export interface Transport {
	readonly crm: CrmName;
	call<T>(fn: (ctx: CallContext) => Promise<T>, options: CallOptions<T>): Promise<T>;
	/** Providers pass every response's headers here (usage capture). */
	recordHeaders(headers: Record<string, string | string[] | undefined>): void;
	usage(): ApiUsage;
}
