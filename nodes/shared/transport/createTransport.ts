/**
 * Builds the Transport a provider sends every CRM call through. The limiter is shared by
 * every transport of the same credential in this process (in queue mode: in every process);
 * usage is per transport, next to the credential's recent daily report (dailyReports.ts).
 */
import { sleep as n8nSleep } from 'n8n-workflow';

import type { CrmName } from '../model';
import { coordinatedRateLimiter } from '../coordination/coordination';
import { profileOf } from '../providers/profiles';
import { sharedRateLimiter } from './rateLimiter';
import { runCall } from './runCall';
import type {
	ApiUsage,
	CredentialInUse,
	HttpFailure,
	RateLimit,
	RetryPolicy,
	TokenSource,
	Transport,
} from './types';
import { recentDailyReport, rememberDailyReport } from './dailyReports';
import { parseUsageHeaders } from './usage';

export interface TransportOptions {
	crm: CrmName;
	/** Identity of the credential/account, e.g. `${credentialType}:${baseUrl}`; transports with the same key share one rate limiter in this process. */
	limiterKey: string;
	/** The provider's translator from its client's thrown error into HttpFailure. */
	toFailure: (error: unknown) => HttpFailure;
	tokens?: TokenSource;
	/** The credential as the user knows it: names it in authentication errors, and a static one is never refreshed. */
	credential?: CredentialInUse;
	rateLimit?: Partial<RateLimit>;
	retry?: Partial<RetryPolicy>;
	/** Secrets to scrub from any message we produce (tokens, keys) in addition to the current token. */
	secrets?: string[];
	/** Optional API budget: fail (kind 'budget') instead of sending more than this many requests. */
	maxCalls?: number;
	/** Injected for tests; default real timers / Date.now / Math.random. */
	sleep?: (ms: number) => Promise<void>;
	now?: () => number;
	random?: () => number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 500,
	maxDelayMs: 30_000,
	maxRetryAfterMs: 120_000,
	// Well inside any execution timeout, and long enough for a 100-record batch on a slow CRM.
	requestTimeoutMs: 60_000,
};

export function createTransport(options: TransportOptions): Transport {
	const sleep = options.sleep ?? n8nSleep;
	const now = options.now ?? Date.now;
	const random = options.random ?? Math.random;
	// Each CRM's default limit is in its profile.
	const limit: RateLimit = { ...profileOf(options.crm).rateLimit, ...options.rateLimit };
	const clock = { now, sleep };
	// In queue mode all processes share the credential's limit through Redis (real clock only).
	const limiter = coordinatedRateLimiter(
		options.limiterKey,
		limit,
		sharedRateLimiter(options.limiterKey, limit, clock),
		clock,
		options.now === undefined && options.sleep === undefined,
	);
	const retry: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
	const secrets = new Set<string>(
		(options.secrets ?? []).filter((secret) => typeof secret === 'string' && secret !== ''),
	);
	const usage: ApiUsage = { calls: 0, retries: 0, waitedMs: 0 };

	const env = {
		crm: options.crm,
		limiter,
		retry,
		toFailure: options.toFailure,
		tokens: options.tokens,
		credential: options.credential,
		secrets: () => [...secrets],
		rememberSecret: (secret: string) => {
			secrets.add(secret);
		},
		usage,
		maxCalls: options.maxCalls,
		sleep,
		now,
		random,
	};

	return {
		crm: options.crm,
		call: (fn, callOptions) => runCall(env, fn, callOptions),
		recordHeaders(headers) {
			const reported = parseUsageHeaders(options.crm, headers);
			if (!reported) return;
			usage.reported = reported;
			const { window, used, limit } = reported;
			// A daily report needs both numbers and a limit above 0 (a share of nothing means nothing).
			if (window === 'daily' && used !== undefined && limit !== undefined && limit > 0) {
				usage.daily = { used, limit };
				rememberDailyReport(options.limiterKey, usage.daily, now());
			}
		},
		usage: () => ({
			...usage,
			reported: usage.reported ? { ...usage.reported } : undefined,
			daily: usage.daily ? { ...usage.daily } : undefined,
			recentDaily: recentDailyReport(options.limiterKey, now()),
		}),
	};
}
