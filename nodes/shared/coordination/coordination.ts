/**
 * Picks how the pack's locks, rate limits and delivery claims are shared: through the Redis of
 * n8n's queue mode when this process runs in queue mode (every worker, webhook processor and
 * main instance then agree), in-process otherwise. Decided once per process, on first use,
 * from the environment (see redisSettings.ts); one Redis connection serves all of it.
 */
import { LoggerProxy } from 'n8n-workflow';

import type { KeyedLock } from '../node/keyedLock';
import type { CallLimiter, LimiterClock, RateLimiter } from '../transport/rateLimiter';
import type { RateLimit } from '../transport/types';
import { RedisClaimStore, type ClaimStore } from './redisClaimStore';
import { RedisClient } from './redisClient';
import { RedisKeyedLock } from './redisKeyedLock';
import { RedisMemory, type LocalMemory, type SharedMemory } from './redisMemory';
import { RedisRateLimiter } from './redisRateLimiter';
import { coordinationFromEnv, type RedisSettings } from './redisSettings';

export type Coordination =
	| { kind: 'redis'; client: RedisClient; settings: RedisSettings }
	| { kind: 'local'; reason: string };

let active: Coordination | undefined;
const redisLocks = new WeakMap<KeyedLock, KeyedLock>();
const redisLimiters = new Map<string, RedisRateLimiter>();

/** At most one warning per kind and minute in n8n's output (stderr). */
const lastWarning = new Map<string, number>();
function warn(kind: string, message: string): void {
	const now = Date.now();
	if (now - (lastWarning.get(kind) ?? 0) < 60_000) return;
	lastWarning.set(kind, now);
	LoggerProxy.warn(`CRM sync coordination: ${message}`);
}

/** How this process coordinates with the others (decided on first use). */
export function activeCoordination(): Coordination {
	if (active === undefined) {
		const choice = coordinationFromEnv();
		active =
			choice.kind === 'redis'
				? {
						kind: 'redis',
						client: new RedisClient(choice.settings.connection),
						settings: choice.settings,
					}
				: choice;
	}
	return active;
}

/** Forgets the decision and closes the connection (tests, or after changing the environment). */
export async function resetCoordination(): Promise<void> {
	const previous = active;
	active = undefined;
	redisLimiters.clear();
	if (previous?.kind === 'redis') await previous.client.close();
}

/** `local` in-process, or `local` first and then Redis across processes. */
export function coordinatedKeyedLock(local: KeyedLock): KeyedLock {
	return {
		withKeyedLocks: <T>(keys: string[], fn: () => Promise<T>): Promise<T> => {
			const coordination = activeCoordination();
			if (coordination.kind === 'local') return local.withKeyedLocks(keys, fn);
			let shared = redisLocks.get(local);
			if (shared === undefined) {
				shared = new RedisKeyedLock(coordination.client, coordination.settings.keyPrefix, local, {
					onLeaseLost: (lost) =>
						warn(
							'lease',
							`a shared write lock ran out while its write was still running (${lost.slice(0, 3).join(', ')}): Redis was out of reach for longer than a lease`,
						),
				});
				redisLocks.set(local, shared);
			}
			return shared.withKeyedLocks(keys, fn);
		},
	};
}

/**
 * The limiter for one credential: shared through Redis in queue mode, else `local`. A test
 * clock (`realClock: false`) always gets `local`: the shared limiter runs on Redis's clock.
 */
export function coordinatedRateLimiter(
	key: string,
	limit: RateLimit,
	local: RateLimiter,
	clock: LimiterClock,
	realClock: boolean,
): CallLimiter {
	const coordination = activeCoordination();
	if (coordination.kind === 'local' || !realClock) return local;
	const existing = redisLimiters.get(key);
	if (existing) {
		existing.setLimit(limit);
		return existing;
	}
	const limiter = new RedisRateLimiter(
		coordination.client,
		coordination.settings.keyPrefix,
		key,
		limit,
		local,
		clock,
		{
			onFallback: (error) =>
				warn(
					'rate',
					`the shared CRM rate limit is out of reach (${error.message}); this process keeps the limit on its own meanwhile`,
				),
		},
	);
	redisLimiters.set(key, limiter);
	return limiter;
}

/** Claims shared through Redis in queue mode, else `local`; decided on the first claim. */
export function coordinatedClaimStore(local: ClaimStore): ClaimStore {
	let shared: ClaimStore | undefined;
	return {
		claim: async (scope, keys, nowMs, ttlMs) => {
			const coordination = activeCoordination();
			if (coordination.kind === 'local') return await local.claim(scope, keys, nowMs, ttlMs);
			shared ??= new RedisClaimStore(coordination.client, coordination.settings.keyPrefix);
			return await shared.claim(scope, keys, nowMs, ttlMs);
		},
	};
}

/**
 * A memory shared through Redis in queue mode (entries live `ttlMs`), else `local` alone.
 * Failures to reach Redis only narrow it to this process, with a warning.
 */
export function coordinatedMemory<T>(
	local: LocalMemory<T>,
	name: string,
	ttlMs: number,
): SharedMemory<T> {
	let shared: RedisMemory<T> | undefined;
	const redis = (): RedisMemory<T> | undefined => {
		const coordination = activeCoordination();
		if (coordination.kind === 'local') return undefined;
		shared ??= new RedisMemory<T>(
			coordination.client,
			`${coordination.settings.keyPrefix}memory:${name}:`,
			local,
			ttlMs,
		);
		return shared;
	};
	const unshared = (error: Error): void =>
		warn(
			'memory',
			`the shared ${name} memory is out of reach (${error.message}); this process remembers on its own meanwhile`,
		);
	return {
		recall: (key) => local.recall(key),
		remember: async (key, value) => {
			const memory = redis();
			if (memory === undefined) local.remember(key, value);
			else await memory.remember(key, value).catch(unshared);
		},
		prefetch: async (keys) => {
			await redis()?.prefetch(keys).catch(unshared);
		},
	};
}
