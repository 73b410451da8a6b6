/**
 * The per-credential CRM rate limit shared by every n8n process through Redis: with four
 * queue-mode workers, all of them together start at most `requests` calls per window, hold
 * at most `concurrency` calls in flight, and all hold off after any of them got a 429.
 *
 * One Lua script decides each start atomically on Redis's clock (processes on other machines
 * may disagree about the time; Redis is the one clock they share):
 * - a sorted set per credential holds the start times of the current window (a sliding
 *   log, like the in-process limiter and the CRMs' own windows);
 * - a second sorted set holds the calls in flight, each with a lease: a process that dies
 *   mid-call gives its slot back when the lease ends;
 * - a pause key holds "nobody starts before" after a 429 (only ever moved later).
 * The script grants a start or answers how long to wait. In the process, callers queue first
 * come, first served, so only the head of the queue asks Redis.
 *
 * When Redis cannot be reached the in-process limiter takes over (each process then keeps the
 * limit on its own, and the CRM's 429 + Retry-After still protects the account).
 */
import { randomUUID } from 'node:crypto';

import type { CallLimiter, LimiterClock, LimiterSlot, RateLimiter } from '../transport/rateLimiter';
import type { RateLimit } from '../transport/types';
import { LuaScript, type RedisClient } from './redisClient';

/** Redis's clock in ms; `replicate_commands` lets Redis 4 replicate a script that reads the time. */
const NOW = `
if redis.replicate_commands then redis.replicate_commands() end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** KEYS: window, in flight, pause. ARGV: requests, window ms, concurrency, member, lease ms. → 0 granted, > 0 wait ms, -1 wait for a release. */
const ACQUIRE = new LuaScript(`${NOW}
local requests = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local concurrency = tonumber(ARGV[3])
local leaseMs = tonumber(ARGV[5])
local paused = tonumber(redis.call('GET', KEYS[3]) or '0')
if paused > now then return paused - now end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - windowMs)
if redis.call('ZCARD', KEYS[1]) >= requests then
	local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
	return math.max(1, tonumber(oldest[2]) + windowMs - now)
end
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= concurrency then return -1 end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], windowMs)
redis.call('ZADD', KEYS[2], now + leaseMs, ARGV[4])
redis.call('PEXPIRE', KEYS[2], leaseMs)
return 0
`);

/** KEYS: pause. ARGV: delay ms. Never shortens a pause. */
const PAUSE = new LuaScript(`${NOW}
local untilMs = now + tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then redis.call('SET', KEYS[1], untilMs, 'PX', ARGV[1]) end
return untilMs
`);

/**
 * A start keeps its place in the window a little longer than the window (10 %, at most 1 s):
 * calls granted at the window's edge reach the CRM after network and event-loop delays that
 * differ per process — on a busy host several hundred ms — and the CRM counts arrivals, not
 * our grants. (2 % let a few calls through early on a loaded 2-core machine.)
 */
export function windowWithMargin(windowMs: number): number {
	return windowMs + Math.min(1_000, Math.ceil(windowMs * 0.1));
}

/** Longest a call may keep its in-flight slot: past every request deadline the transport allows. */
const IN_FLIGHT_LEASE_MS = 5 * 60_000;
/** Poll period while every in-flight slot is taken (a release elsewhere is not signalled). */
const RELEASE_POLL_MS = 20;

export interface RedisRateLimiterOptions {
	/** Told when Redis failed and the in-process limiter served a call instead. */
	onFallback?: (error: Error) => void;
	random?: () => number;
	/** How long an unreleased in-flight slot is kept (a process that died mid-call). */
	inFlightLeaseMs?: number;
}

export class RedisRateLimiter implements CallLimiter {
	private limit: RateLimit;
	private queue: Promise<void> = Promise.resolve();
	private sequence = 0;
	/** Tells this limiter's entries in the shared sets from every other process's. */
	private readonly tag = randomUUID();
	private readonly keys: { window: string; inFlight: string; pause: string };

	constructor(
		private readonly client: RedisClient,
		keyPrefix: string,
		credentialKey: string,
		limit: RateLimit,
		/** This process's limiter for the same credential, used while Redis is unreachable. */
		private readonly fallback: RateLimiter,
		private readonly clock: LimiterClock,
		private readonly options: RedisRateLimiterOptions = {},
	) {
		this.limit = { ...limit };
		const base = `${keyPrefix}rate:${credentialKey}`;
		this.keys = { window: `${base}:window`, inFlight: `${base}:inflight`, pause: `${base}:pause` };
	}

	setLimit(limit: RateLimit): void {
		this.limit = { ...limit };
		this.fallback.setLimit(limit);
	}

	pause(untilMs: number): void {
		this.fallback.pause(untilMs);
		const delay = Math.ceil(untilMs - this.clock.now());
		if (delay <= 0) return;
		this.client
			.evalScript(PAUSE, [this.keys.pause], [delay])
			.catch((error: Error) => this.options.onFallback?.(error));
	}

	acquire(): Promise<LimiterSlot> {
		const startedAt = this.clock.now();
		const turn = this.queue.then(() => this.take());
		// The next caller waits until this one is granted, not until its request finishes.
		this.queue = turn.then(
			() => undefined,
			() => undefined,
		);
		return turn.then((release) => ({
			waitedMs: Math.max(0, this.clock.now() - startedAt),
			release,
		}));
	}

	private async take(): Promise<() => void> {
		const random = this.options.random ?? Math.random;
		const member = `${this.tag}:${++this.sequence}`;
		for (;;) {
			const { requests, windowMs, concurrency } = this.limit;
			let wait: number;
			try {
				wait = Number(
					await this.client.evalScript(
						ACQUIRE,
						[this.keys.window, this.keys.inFlight, this.keys.pause],
						[
							requests,
							windowWithMargin(windowMs),
							concurrency,
							member,
							this.options.inFlightLeaseMs ?? IN_FLIGHT_LEASE_MS,
						],
					),
				);
			} catch (error) {
				this.options.onFallback?.(error as Error);
				return (await this.fallback.acquire()).release;
			}
			if (wait === 0) return this.releaser(member);
			// A little jitter keeps the processes that wait for the same moment from arriving together.
			await this.clock.sleep(
				wait < 0 ? RELEASE_POLL_MS * (1 + random()) : wait + Math.floor(random() * 10),
			);
		}
	}

	private releaser(member: string): () => void {
		let released = false;
		return () => {
			if (released) return;
			released = true;
			// Not reaching Redis here only keeps the slot until its lease ends.
			this.client.command(['ZREM', this.keys.inFlight, member]).catch(() => undefined);
		};
	}
}
