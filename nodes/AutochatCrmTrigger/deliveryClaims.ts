/**
 * Claims on delivery keys, taken before a workflow starts so that concurrent copies of one
 * delivery cannot all run.
 *
 * n8n reads a workflow's static data when a webhook call arrives and saves it after the
 * call, so two copies arriving together both see an empty memory. The claim store closes
 * that gap: the first claim of a key wins, every later one (until the key expires) loses.
 *
 * InMemoryClaimStore serves one n8n process: n8n loads a node class once per process, so a
 * module-level instance is shared by every execution in it, and JavaScript runs the check
 * and the claim without interruption. Several processes (queue mode: the main instance and
 * webhook processors) share a Redis store behind the same interface
 * (nodes/shared/coordination/redisClaimStore.ts), picked in replay.ts.
 */

export interface DeliveryClaimStore {
	/**
	 * Claims every key in the scope for `ttlMs`. True when none of them was held (the caller
	 * owns the delivery and must run it); false when any was (a copy is already running).
	 */
	claim(scope: string, keys: readonly string[], nowMs: number, ttlMs: number): Promise<boolean>;
}

/** Pruning every call would scan all keys each time; once per interval is enough. */
const PRUNE_INTERVAL_MS = 10_000;

export class InMemoryClaimStore implements DeliveryClaimStore {
	/** scope → key → expiry (epoch ms) */
	private readonly scopes = new Map<string, Map<string, number>>();
	private lastPruneMs = 0;

	async claim(
		scope: string,
		keys: readonly string[],
		nowMs: number,
		ttlMs: number,
	): Promise<boolean> {
		return this.claimNow(scope, keys, nowMs, ttlMs);
	}

	/** The synchronous check-and-set behind `claim`: no await between reading and writing. */
	claimNow(scope: string, keys: readonly string[], nowMs: number, ttlMs: number): boolean {
		this.pruneIfDue(nowMs);
		let held = this.scopes.get(scope);
		if (held === undefined) {
			held = new Map();
			this.scopes.set(scope, held);
		}
		for (const key of keys) {
			const expiresAt = held.get(key);
			if (expiresAt !== undefined && expiresAt > nowMs) return false;
		}
		for (const key of keys) held.set(key, nowMs + ttlMs);
		return true;
	}

	/** Keys currently held in a scope. */
	size(scope: string, nowMs: number): number {
		let count = 0;
		for (const expiresAt of this.scopes.get(scope)?.values() ?? [])
			if (expiresAt > nowMs) count += 1;
		return count;
	}

	private pruneIfDue(nowMs: number): void {
		if (nowMs - this.lastPruneMs < PRUNE_INTERVAL_MS) return;
		this.lastPruneMs = nowMs;
		for (const [scope, held] of this.scopes) {
			for (const [key, expiresAt] of held) if (expiresAt <= nowMs) held.delete(key);
			if (held.size === 0) this.scopes.delete(scope);
		}
	}
}
