/**
 * The shared CRM rate limit with several "processes" (each its own connection and in-process
 * limiter) against a real redis-server started by this test.
 */
import { RedisClient } from '../../../nodes/shared/coordination/redisClient';
import { RedisRateLimiter } from '../../../nodes/shared/coordination/redisRateLimiter';
import { RateLimiter, type LimiterClock } from '../../../nodes/shared/transport/rateLimiter';
import type { RateLimit } from '../../../nodes/shared/transport/types';
import { freePort } from '../../../scripts/runtime/ports';
import { startRedis, type ServiceHandle } from '../../../scripts/runtime/queueServices';

const PREFIX = 'test:{crm-sync}:';
const clock: LimiterClock = {
	now: Date.now,
	sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
let redis: ServiceHandle;
const clients: RedisClient[] = [];
let credential = 0;

function processes(
	count: number,
	limit: RateLimit,
	options: { port?: number; onFallback?: (error: Error) => void; inFlightLeaseMs?: number } = {},
): RedisRateLimiter[] {
	const key = `credential-${++credential}`;
	return Array.from({ length: count }, () => {
		const client = new RedisClient({
			host: '127.0.0.1',
			port: options.port ?? redis.port,
			reconnectDelayMs: 50,
		});
		clients.push(client);
		return new RedisRateLimiter(client, PREFIX, key, limit, new RateLimiter(limit, clock), clock, {
			onFallback: options.onFallback,
			inFlightLeaseMs: options.inFlightLeaseMs,
		});
	});
}

/** The largest number of starts inside any window of `windowMs` (starts sorted). */
function busiestWindow(starts: number[], windowMs: number): number {
	const sorted = [...starts].sort((a, b) => a - b);
	let most = 0;
	let from = 0;
	for (let to = 0; to < sorted.length; to++) {
		while (sorted[to] - sorted[from] >= windowMs) from++;
		most = Math.max(most, to - from + 1);
	}
	return most;
}

beforeAll(async () => {
	redis = await startRedis();
});

afterEach(async () => {
	await Promise.all(clients.splice(0).map((client) => client.close()));
});

afterAll(async () => {
	await redis?.stop();
});

it('four processes together start at most `requests` calls per window', async () => {
	const limit = { requests: 20, windowMs: 1_000, concurrency: 100 };
	const limiters = processes(4, limit);
	const starts: number[] = [];
	await Promise.all(
		limiters.flatMap((limiter) =>
			Array.from({ length: 15 }, async () => {
				const slot = await limiter.acquire();
				starts.push(Date.now());
				slot.release();
			}),
		),
	);
	expect(starts).toHaveLength(60);
	// 60 starts under 20 per second take two more windows; each process alone would allow 80 at once.
	// The starts are read here, after each grant reached this process: on a busy machine that
	// comes up to SLACK_MS late, so the windows are measured that much shorter.
	const SLACK_MS = 250;
	expect(busiestWindow(starts, limit.windowMs - SLACK_MS)).toBeLessThanOrEqual(limit.requests);
	expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(
		2 * limit.windowMs - SLACK_MS,
	);
});

it('the in-flight cap holds across processes', async () => {
	const limiters = processes(3, { requests: 1_000, windowMs: 1_000, concurrency: 2 });
	let inFlight = 0;
	let most = 0;
	await Promise.all(
		limiters.flatMap((limiter) =>
			Array.from({ length: 5 }, async () => {
				const slot = await limiter.acquire();
				inFlight += 1;
				most = Math.max(most, inFlight);
				await new Promise((resolve) => setTimeout(resolve, 30));
				inFlight -= 1;
				slot.release();
			}),
		),
	);
	expect(most).toBe(2);
});

it('a 429 seen by one process pauses every process', async () => {
	const [first, second] = processes(2, { requests: 1_000, windowMs: 1_000, concurrency: 10 });
	first.pause(Date.now() + 500);
	// The pause travels through Redis; give the fire-and-forget write a moment.
	await new Promise((resolve) => setTimeout(resolve, 50));
	const started = Date.now();
	const slot = await second.acquire();
	slot.release();
	expect(Date.now() - started).toBeGreaterThanOrEqual(350);
	expect(slot.waitedMs).toBeGreaterThanOrEqual(350);
});

it('a released in-flight slot goes to the next caller at once; a process that died mid-call frees its slot when the lease ends', async () => {
	const [dead, alive] = processes(
		2,
		{ requests: 1_000, windowMs: 1_000, concurrency: 1 },
		{ inFlightLeaseMs: 400 },
	);
	const released = await alive.acquire();
	const next = alive.acquire();
	released.release();
	(await next).release();
	// Never released: the process "died" holding the only slot.
	await dead.acquire();
	const started = Date.now();
	(await alive.acquire()).release();
	const waited = Date.now() - started;
	expect(waited).toBeGreaterThanOrEqual(250);
	expect(waited).toBeLessThan(3_000);
});

it('falls back to the in-process limit when Redis cannot be reached', async () => {
	const fallbacks: Error[] = [];
	const [limiter] = processes(
		1,
		{ requests: 3, windowMs: 60_000, concurrency: 10 },
		{ port: await freePort(), onFallback: (error) => fallbacks.push(error) },
	);
	for (let i = 0; i < 3; i++) (await limiter.acquire()).release();
	expect(fallbacks.length).toBeGreaterThanOrEqual(1);
	// The fourth start would exceed the in-process window of 3 per minute.
	const fourth = await Promise.race([
		limiter.acquire().then(() => 'granted'),
		new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
	]);
	expect(fourth).toBe('waiting');
});
