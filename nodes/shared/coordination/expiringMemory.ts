/**
 * A bounded in-process memory whose entries expire: the local side of every memory the
 * nodes share between executions (created records, record links, pending creates). In
 * queue mode `coordinatedMemory` puts Redis in front of it.
 */
import type { LocalMemory } from './redisMemory';

export class ExpiringMemory<T> implements LocalMemory<T> {
	private readonly entries = new Map<string, { value: T; at: number }>();

	constructor(
		private readonly ttlMs: number,
		private readonly maxEntries: number,
		private readonly now: () => number = Date.now,
	) {}

	recall(key: string): T | undefined {
		const entry = this.entries.get(key);
		if (!entry) return undefined;
		if (this.now() - entry.at > this.ttlMs) {
			this.entries.delete(key);
			return undefined;
		}
		return entry.value;
	}

	remember(key: string, value: T): void {
		// Re-inserting moves the entry to the end, so the Map's order is oldest first.
		this.entries.delete(key);
		this.entries.set(key, { value, at: this.now() });
		while (this.entries.size > this.maxEntries) {
			const oldest = this.entries.keys().next().value;
			if (oldest === undefined) break;
			this.entries.delete(oldest);
		}
	}
}
