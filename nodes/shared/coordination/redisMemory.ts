/**
 * A small key → value memory with a time to live, shared by every n8n process through Redis:
 * what one worker remembered (e.g. the id of a record it just created, which the CRM's search
 * index does not show yet) another worker can read. Reads stay synchronous for the callers:
 * `prefetch` copies the entries of the keys a run is about to use into this process's memory
 * first, and `remember` writes through to Redis before it resolves.
 */
import type { RedisClient } from './redisClient';

export interface LocalMemory<T> {
	recall(key: string): T | undefined;
	remember(key: string, value: T): void;
}

export interface SharedMemory<T> {
	recall(key: string): T | undefined;
	/** Resolves once other processes can read it. */
	remember(key: string, value: T): Promise<void>;
	/** Brings what other processes remembered for these keys into this process. */
	prefetch(keys: readonly string[]): Promise<void>;
}

export class RedisMemory<T> implements SharedMemory<T> {
	constructor(
		private readonly client: RedisClient,
		private readonly keyPrefix: string,
		private readonly local: LocalMemory<T>,
		private readonly ttlMs: number,
	) {}

	recall(key: string): T | undefined {
		return this.local.recall(key);
	}

	async remember(key: string, value: T): Promise<void> {
		this.local.remember(key, value);
		await this.client.command(['SET', this.redisKey(key), JSON.stringify(value), 'PX', this.ttlMs]);
	}

	async prefetch(keys: readonly string[]): Promise<void> {
		const unique = [...new Set(keys)];
		if (unique.length === 0) return;
		const values = await this.client.command(['MGET', ...unique.map((key) => this.redisKey(key))]);
		if (!Array.isArray(values)) return;
		values.forEach((raw, index) => {
			// Absent keys are null; only strings are entries this pack wrote.
			if (typeof raw !== 'string') return;
			try {
				this.local.remember(unique[index], JSON.parse(raw) as T);
			} catch {
				// Not written by this pack: ignore it.
			}
		});
	}

	private redisKey(key: string): string {
		return `${this.keyPrefix}${key}`;
	}
}
