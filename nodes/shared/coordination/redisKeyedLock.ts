/**
 * A keyed lock shared by every n8n process through Redis, for queue mode: two workers never
 * write the same call, and the write ledger's read-change-write of n8n's processed-items store
 * runs in one process at a time.
 *
 * - Every key is a Redis string holding the holder's random token, set with a lease
 *   (`SET NX PX` semantics, all keys of one request at once in a Lua script: either every
 *   key is taken or none, so two holders never wait on each other).
 * - Release deletes a key only while it still holds the holder's token, so a holder whose
 *   lease ran out never frees a lock someone else took since.
 * - While the work runs, the lease is renewed well before it ends; a process that dies stops
 *   renewing and its keys expire after one lease.
 * - Waiting is bounded: past `maxWaitMs` the caller gets an error naming the busy key, and
 *   nothing was done.
 * - Inside one process the in-process lock queues callers first come, first served, so only
 *   one caller per process and key polls Redis.
 */
import { randomUUID } from 'node:crypto';

import type { KeyedLock } from '../node/keyedLock';
import { LuaScript, type RedisClient } from './redisClient';
import { pause } from './timerSignal';

const ACQUIRE = new LuaScript(`
for i = 1, #KEYS do
	local holder = redis.call('GET', KEYS[i])
	if holder and holder ~= ARGV[1] then return i end
end
for i = 1, #KEYS do
	redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
end
return 0
`);

const RENEW = new LuaScript(`
local held = 0
for i = 1, #KEYS do
	if redis.call('GET', KEYS[i]) == ARGV[1] then
		redis.call('PEXPIRE', KEYS[i], ARGV[2])
		held = held + 1
	end
end
return held
`);

const RELEASE = new LuaScript(`
local released = 0
for i = 1, #KEYS do
	if redis.call('GET', KEYS[i]) == ARGV[1] then
		redis.call('DEL', KEYS[i])
		released = released + 1
	end
end
return released
`);

export interface RedisLockOptions {
	/** How long a key stays taken without renewal (a dead holder blocks others at most this long). */
	leaseMs?: number;
	/** Renewal period; a third of the lease leaves two chances before it runs out. */
	renewEveryMs?: number;
	/** Longest wait for busy keys before giving up. */
	maxWaitMs?: number;
	/** Polling delays while keys are busy: from `minRetryMs`, doubling up to `maxRetryMs`, with jitter. */
	minRetryMs?: number;
	maxRetryMs?: number;
	/** Told when renewal finds a key taken over (the lease ran out, e.g. Redis was unreachable for longer than a lease). */
	onLeaseLost?: (keys: string[]) => void;
}

const DEFAULTS: Required<Omit<RedisLockOptions, 'onLeaseLost' | 'renewEveryMs'>> = {
	leaseMs: 30_000,
	// Longer than any single write waits for the CRM (request deadline × retries, rate-limit pauses).
	maxWaitMs: 10 * 60_000,
	minRetryMs: 5,
	maxRetryMs: 50,
};

/** The keys stayed busy for longer than the caller may wait; nothing was done. */
export class LockWaitTimeoutError extends Error {
	constructor(
		readonly key: string,
		readonly waitedMs: number,
	) {
		super(
			`Another n8n process held the lock "${key}" for more than ${Math.round(waitedMs / 1000)} s; nothing was written, the next delivery tries again`,
		);
		this.name = 'LockWaitTimeoutError';
	}
}

/** Redis did not answer while taking the lock; nothing was done. */
export class SharedLockUnavailableError extends Error {
	constructor(cause: string) {
		super(
			`The shared lock in Redis could not be taken (${cause}); nothing was written, the next delivery tries again`,
		);
		this.name = 'SharedLockUnavailableError';
	}
}

export class RedisKeyedLock implements KeyedLock {
	private readonly settings: Required<Omit<RedisLockOptions, 'onLeaseLost'>>;

	constructor(
		private readonly client: RedisClient,
		private readonly keyPrefix: string,
		/** Queues callers of this process before they ask Redis (the in-process lock). */
		private readonly local: KeyedLock,
		private readonly options: RedisLockOptions = {},
	) {
		const leaseMs = options.leaseMs ?? DEFAULTS.leaseMs;
		this.settings = {
			leaseMs,
			renewEveryMs: options.renewEveryMs ?? Math.max(1, Math.floor(leaseMs / 3)),
			maxWaitMs: options.maxWaitMs ?? DEFAULTS.maxWaitMs,
			minRetryMs: options.minRetryMs ?? DEFAULTS.minRetryMs,
			maxRetryMs: options.maxRetryMs ?? DEFAULTS.maxRetryMs,
		};
	}

	async withKeyedLocks<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
		const unique = [...new Set(keys)].sort();
		if (unique.length === 0) return await fn();
		return await this.local.withKeyedLocks(unique, async () => {
			const lease = await this.acquire(unique);
			try {
				return await fn();
			} finally {
				await lease.release();
			}
		});
	}

	private redisKey(key: string): string {
		return `${this.keyPrefix}lock:${key}`;
	}

	private async acquire(keys: string[]): Promise<{ release(): Promise<void> }> {
		const token = randomUUID();
		const redisKeys = keys.map((key) => this.redisKey(key));
		const started = Date.now();
		for (let attempt = 0; ; attempt++) {
			const reply = await this.client
				.evalScript(ACQUIRE, redisKeys, [token, this.settings.leaseMs])
				.then(
					(value) => ({ ok: true as const, busyIndex: Number(value) }),
					(error: Error) => ({ ok: false as const, error }),
				);
			if (!reply.ok) {
				// The script may have run with its answer lost: give back whatever this token took.
				void this.client.evalScript(RELEASE, redisKeys, [token]).catch(() => undefined);
				throw new SharedLockUnavailableError(reply.error.message);
			}
			const { busyIndex } = reply;
			if (busyIndex === 0) return this.hold(keys, redisKeys, token);
			const waited = Date.now() - started;
			if (waited >= this.settings.maxWaitMs)
				throw new LockWaitTimeoutError(keys[busyIndex - 1] ?? keys[0], waited);
			const ceiling = Math.min(this.settings.maxRetryMs, this.settings.minRetryMs * 2 ** attempt);
			await pause(
				Math.min(ceiling / 2 + Math.random() * (ceiling / 2), this.settings.maxWaitMs - waited),
			);
		}
	}

	private hold(keys: string[], redisKeys: string[], token: string): { release(): Promise<void> } {
		let lost = false;
		const released = new AbortController();
		const renew = async (): Promise<void> => {
			while (await pause(this.settings.renewEveryMs, released.signal)) {
				const held = await this.client
					.evalScript(RENEW, redisKeys, [token, this.settings.leaseMs])
					.then(
						(value) => Number(value),
						// Unreachable for a moment: the next renewal tries again while the lease lasts.
						() => redisKeys.length,
					);
				if (held < redisKeys.length && !lost && !released.signal.aborted) {
					lost = true;
					this.options.onLeaseLost?.(keys);
				}
			}
		};
		void renew();
		return {
			release: async () => {
				released.abort();
				// A release that does not reach Redis is not an error: the lease ends by itself.
				await this.client.evalScript(RELEASE, redisKeys, [token]).catch(() => undefined);
			},
		};
	}
}
