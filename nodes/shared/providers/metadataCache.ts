/**
 * The "metadata cache": object descriptions (fields, picklists, meeting types) kept per
 * credential for a TTL, because they change rarely and cost an API call each. It is an
 * in-process cache that may be lost at any time (restart, another queue worker) — that
 * only costs one describe call, never correctness. `clear` is the editor's "clear cache".
 */
export const DEFAULT_METADATA_TTL_MS = 15 * 60 * 1000;

interface Entry<T> {
	value: T;
	expiresAt: number;
}

export class MetadataCache<T> {
	private readonly entries = new Map<string, Entry<T>>();

	constructor(
		private readonly ttlMs: number = DEFAULT_METADATA_TTL_MS,
		private readonly now: () => number = Date.now,
	) {}

	/** Returns the cached value, or loads, stores and returns it. `refresh` forces a load. */
	async get(key: string, load: () => Promise<T>, refresh = false): Promise<T> {
		const hit = this.entries.get(key);
		if (!refresh && hit && hit.expiresAt > this.now()) return hit.value;
		const value = await load();
		this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
		return value;
	}

	/** Drops one key, every key under a prefix (e.g. one credential), or everything. */
	clear(prefix?: string): void {
		if (prefix === undefined) {
			this.entries.clear();
			return;
		}
		for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
	}
}
