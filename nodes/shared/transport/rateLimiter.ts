/**
 * Per-credential client-side rate limiter: a sliding window of request starts plus a cap
 * on requests in flight, and a pause every holder of the credential respects after a 429.
 * Callers are served first come, first served so a burst cannot starve an early caller.
 */
import type { RateLimit } from './types';

export interface LimiterClock {
	now(): number;
	sleep(ms: number): Promise<void>;
}

export interface LimiterSlot {
	/** Time this caller spent waiting for the slot, ms. */
	waitedMs: number;
	/** Frees the concurrency slot; call once, when the request settles. */
	release(): void;
}

/** What a transport needs from a limiter: this process's {@link RateLimiter} or one shared by every process. */
export interface CallLimiter {
	/** Waits for a start and an in-flight slot, first come, first served. */
	acquire(): Promise<LimiterSlot>;
	/** After a 429: nobody sharing this credential starts a request before `untilMs`. */
	pause(untilMs: number): void;
}

export class RateLimiter implements CallLimiter {
	private limit: RateLimit;
	/** Start times of requests inside the current window, oldest first. */
	private starts: number[] = [];
	private inFlight = 0;
	private pausedUntil = 0;
	/** Serialises acquisition: the head of this chain is the only caller that may wait. */
	private queue: Promise<void> = Promise.resolve();
	private onRelease: (() => void) | undefined;

	constructor(
		limit: RateLimit,
		private readonly clock: LimiterClock,
	) {
		this.limit = normaliseLimit(limit);
	}

	get currentLimit(): RateLimit {
		return { ...this.limit };
	}

	/** Adopt a new limit (e.g. the user raised HubSpot's to 190 / 10 s); applies to the next acquisition. */
	setLimit(limit: RateLimit): void {
		this.limit = normaliseLimit(limit);
	}

	/** After a 429: nobody sharing this credential starts a request before `untilMs`. Never shortens a pause. */
	pause(untilMs: number): void {
		if (untilMs > this.pausedUntil) this.pausedUntil = untilMs;
	}

	acquire(): Promise<LimiterSlot> {
		const startedAt = this.clock.now();
		const turn = this.queue.then(() => this.waitForCapacity());
		// The next caller waits for this one to be granted, not for its request to finish.
		this.queue = turn.catch(() => undefined);
		return turn.then(() => {
			let released = false;
			return {
				waitedMs: Math.max(0, this.clock.now() - startedAt),
				release: () => {
					if (released) return;
					released = true;
					this.inFlight--;
					const wake = this.onRelease;
					this.onRelease = undefined;
					wake?.();
				},
			};
		});
	}

	private async waitForCapacity(): Promise<void> {
		for (;;) {
			const now = this.clock.now();
			if (this.pausedUntil > now) {
				await this.clock.sleep(this.pausedUntil - now);
				continue;
			}
			this.forgetBefore(now - this.limit.windowMs);
			if (this.starts.length >= this.limit.requests) {
				await this.clock.sleep(Math.max(1, this.starts[0] + this.limit.windowMs - now));
				continue;
			}
			if (this.inFlight >= this.limit.concurrency) {
				await new Promise<void>((resolve) => {
					this.onRelease = resolve;
				});
				continue;
			}
			this.starts.push(now);
			this.inFlight++;
			return;
		}
	}

	/** Drops starts at or before `cutoff`: they no longer count against the window. */
	private forgetBefore(cutoff: number): void {
		let drop = 0;
		while (drop < this.starts.length && this.starts[drop] <= cutoff) drop++;
		if (drop > 0) this.starts = this.starts.slice(drop);
	}
}

function normaliseLimit(limit: RateLimit): RateLimit {
	const positive = (value: number, name: string): number => {
		if (!Number.isFinite(value) || value <= 0)
			throw new RangeError(`rate limit ${name} must be a positive number, got ${value}`);
		return value;
	};
	return {
		requests: Math.floor(positive(limit.requests, 'requests')),
		windowMs: positive(limit.windowMs, 'windowMs'),
		concurrency: Math.floor(positive(limit.concurrency, 'concurrency')),
	};
}

/**
 * Process-wide limiters keyed by credential identity. Losing this registry (restart,
 * another queue worker) is harmless: the CRM's own 429 + Retry-After still protects us.
 * A limiter belongs to one clock: in production every transport uses the real clock and
 * so shares it; a test that injects its own clock gets its own limiter, and no window or
 * pause leaks between tests that happen to use the same credential key.
 */
interface RegistryEntry {
	clock: LimiterClock;
	limiter: RateLimiter;
}

const registry = new Map<string, RegistryEntry[]>();

const sameClock = (a: LimiterClock, b: LimiterClock): boolean =>
	a.now === b.now && a.sleep === b.sleep;

export function sharedRateLimiter(key: string, limit: RateLimit, clock: LimiterClock): RateLimiter {
	const entries = registry.get(key) ?? [];
	const existing = entries.find((entry) => sameClock(entry.clock, clock))?.limiter;
	if (existing) {
		const current = existing.currentLimit;
		if (
			current.requests !== limit.requests ||
			current.windowMs !== limit.windowMs ||
			current.concurrency !== limit.concurrency
		) {
			existing.setLimit(limit);
		}
		return existing;
	}
	const limiter = new RateLimiter(limit, clock);
	entries.push({ clock: { now: clock.now, sleep: clock.sleep }, limiter });
	registry.set(key, entries);
	return limiter;
}

/** Forget every shared limiter (tests, or a credential whose identity changed). */
export function clearSharedRateLimiters(): void {
	registry.clear();
}
