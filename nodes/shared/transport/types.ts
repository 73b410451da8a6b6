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
	/**
	 * The latest report of the CRM's daily allocation (Salesforce's rolling 24 h, HubSpot's
	 * daily limit), kept apart from shorter windows reported in between.
	 */
	daily?: DailyUsage;
	/**
	 * The credential's latest daily report in this process, from this transport or an earlier
	 * one (another run, the trigger), if recent: shown in logs, never used to decide, since the
	 * day may have turned since.
	 */
	recentDaily?: { usage: DailyUsage; ageMs: number };
}

export interface DailyUsage {
	used: number;
	limit: number;
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
	/** A 429 for a daily quota (e.g. HubSpot's DAILY policy), which waiting minutes will not lift. */
	dailyLimit?: boolean;
}

/**
 * What a look at the CRM says about an attempt whose answer was lost.
 * - done: it was carried out; `value` stands in for the lost answer.
 * - not-done: it was certainly not carried out (a lookup that is immediately consistent).
 * - unknown: the CRM cannot tell yet (e.g. a search index that lags behind writes).
 */
export type VerifyOutcome<T> =
	{ status: 'done'; value: T } | { status: 'not-done' } | { status: 'unknown'; reason: string };

export interface CallOptions<T> {
	/** Short description for errors and logs: `POST /crm/v3/objects/notes/batch/create`. */
	label: string;
	/**
	 * True for reads, updates by id, upserts and deletes, and creates the CRM itself
	 * deduplicates (a client-chosen id). False for other creates: after a failure that may have
	 * reached the CRM (500/504, reset, timeout) such a create is only sent again when `verify`
	 * proves it was not carried out, and never after a timeout (the CRM may still be working on it).
	 */
	idempotent: boolean;
	/** For non-idempotent calls: look for the effect of an attempt whose answer was lost. */
	verify?: () => Promise<VerifyOutcome<T>>;
}

export interface CallContext {
	/** 0 for the first attempt. */
	attempt: number;
	/** Current access token when the transport has a TokenSource. */
	token?: string;
	/** Aborted when the attempt's deadline passes; clients that accept a signal free their socket. */
	signal: AbortSignal;
}

/** Where tokens come from: n8n's credentials. refresh() goes through n8n so the new token is stored there. */
/** The credential a transport authenticates with, as the user knows it, for messages about it. */
export interface CredentialInUse {
	/** E.g. `Private App Token credential "HubSpot account"`. */
	label: string;
	/** A pasted secret (API key, private app token): a 401 is final, nothing is refreshed. */
	isStatic: boolean;
	/** What to do when the CRM rejects it. */
	whenRejected: string;
}

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
	/** Deadline of one attempt, ms: without an answer by then the attempt counts as timed out. */
	requestTimeoutMs: number;
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
