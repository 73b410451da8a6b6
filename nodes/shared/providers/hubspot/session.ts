/**
 * What every HubSpot module needs to make a call: the SDK facade for the current token,
 * sent through the shared transport (retry, rate limit, token refresh, usage capture).
 * Search requests go through a second transport with its own limiter, because HubSpot
 * meters the search endpoints separately (a few requests per second per account).
 */
import type { ApiUsage, Transport, VerifyOutcome } from '../../transport/types';
import type { HubSpotApi, HubSpotApiFactory } from './client';

export interface HubSpotSession {
	/** The credential and portal the process-wide caches keep this session's entries under. */
	readonly cacheScope: string;
	send<T>(
		label: string,
		idempotent: boolean,
		fn: (api: HubSpotApi) => Promise<T>,
		verify?: () => Promise<VerifyOutcome<T>>,
	): Promise<T>;
	/** A read-only search request, paced by the search limiter. */
	search<T>(label: string, fn: (api: HubSpotApi) => Promise<T>): Promise<T>;
	usage(): ApiUsage;
}

export interface SessionTransports {
	general: Transport;
	search: Transport;
}

function mergeUsage(general: ApiUsage, search: ApiUsage): ApiUsage {
	return {
		calls: general.calls + search.calls,
		retries: general.retries + search.retries,
		waitedMs: general.waitedMs + search.waitedMs,
		reported: general.reported ?? search.reported,
		daily: general.daily ?? search.daily,
		recentDaily: general.recentDaily ?? search.recentDaily,
	};
}

export function createSession(
	transports: SessionTransports,
	factory: HubSpotApiFactory,
	cacheScope: string,
): HubSpotSession {
	return {
		cacheScope,
		send(label, idempotent, fn, verify) {
			return transports.general.call((ctx) => fn(factory.forToken(ctx.token)), {
				label,
				idempotent,
				verify,
			});
		},
		search(label, fn) {
			return transports.search.call((ctx) => fn(factory.forToken(ctx.token)), {
				label,
				idempotent: true,
			});
		},
		usage: () => mergeUsage(transports.general.usage(), transports.search.usage()),
	};
}
