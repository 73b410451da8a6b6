/** Sliding-window request limiter keyed by token (one window per vendor + token). */
import type { RateLimitSetting, RateLimitState } from './types';

export class SlidingWindowLimiter {
	private readonly hits = new Map<string, number[]>();

	constructor(private readonly now: () => number) {}

	/** Records the request when allowed; a rejected request does not use up the window. */
	take(key: string, setting: RateLimitSetting): { allowed: boolean; state: RateLimitState } {
		const now = this.now();
		const windowStart = now - setting.windowMs;
		const recent = (this.hits.get(key) ?? []).filter((at) => at > windowStart);
		const allowed = recent.length < setting.requests;
		if (allowed) recent.push(now);
		this.hits.set(key, recent);
		const oldest = recent[0] ?? now;
		return {
			allowed,
			state: {
				limit: setting.requests,
				remaining: Math.max(0, setting.requests - recent.length),
				windowMs: setting.windowMs,
				resetAt: oldest + setting.windowMs,
				now,
			},
		};
	}

	clear(): void {
		this.hits.clear();
	}
}
