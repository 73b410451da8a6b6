/**
 * The process-wide caches of CRM metadata (object descriptions, table definitions) and owners,
 * kept per credential for a TTL because they change rarely and cost an API call each. Every
 * provider instance of the process shares them: a describe made by one execution serves the
 * next one, a poll serves the next poll. A cache may be lost at any time (restart, another
 * queue worker) — that only costs one call, never correctness. `clearCredentialCaches` is the
 * editor's "Clear Metadata Cache": it drops one credential's entries from every cache.
 */
export const DEFAULT_METADATA_TTL_MS = 15 * 60 * 1000;

export interface CacheRead {
	/** Load even when a fresh entry exists (and store the result). */
	refresh?: boolean;
	ttlMs?: number;
	/** The caller's clock (tests inject one). */
	now?: () => number;
}

interface Entry<T> {
	/** The load in flight or done: concurrent readers of a missing key share one load. */
	value: Promise<T>;
	expiresAt: number;
}

export class CredentialCache<T> {
	private readonly entries = new Map<string, Entry<T>>();

	constructor(private readonly defaultTtlMs: number = DEFAULT_METADATA_TTL_MS) {}

	/** The cached value of `key` for `credential`, or loads, stores and returns it. */
	async get(
		credential: string,
		key: string,
		load: () => Promise<T>,
		read: CacheRead = {},
	): Promise<T> {
		const now = read.now ?? Date.now;
		const id = entryId(credential, key);
		const hit = this.entries.get(id);
		if (!read.refresh && hit && hit.expiresAt > now()) return await hit.value;
		const value = load();
		const entry: Entry<T> = { value, expiresAt: Number.POSITIVE_INFINITY };
		this.entries.set(id, entry);
		// Registered before the caller's await, so the entry is settled when the caller resumes.
		value.then(
			() => (entry.expiresAt = now() + (read.ttlMs ?? this.defaultTtlMs)),
			// A failed load is not remembered: the next reader tries again.
			() => this.entries.get(id) === entry && this.entries.delete(id),
		);
		return await value;
	}

	/** The cached value when fresh, without loading. */
	peek(credential: string, key: string, now: () => number = Date.now): Promise<T> | undefined {
		const hit = this.entries.get(entryId(credential, key));
		return hit && hit.expiresAt > now() ? hit.value : undefined;
	}

	/** Stores a value loaded elsewhere (e.g. one of many answered by a single request). */
	set(credential: string, key: string, value: T, read: CacheRead = {}): void {
		const now = read.now ?? Date.now;
		this.entries.set(entryId(credential, key), {
			value: Promise.resolve(value),
			expiresAt: now() + (read.ttlMs ?? this.defaultTtlMs),
		});
	}

	/** Drops every entry of one credential, or everything. */
	clear(credential?: string): void {
		if (credential === undefined) {
			this.entries.clear();
			return;
		}
		const prefix = entryId(credential, '');
		for (const id of [...this.entries.keys()]) if (id.startsWith(prefix)) this.entries.delete(id);
	}
}

function entryId(credential: string, key: string): string {
	return `${credential}\u0000${key}`;
}

/** Every cache made by `credentialCache`, so one credential can be cleared from all of them. */
const registry = new Set<CredentialCache<unknown>>();

/** A new process-wide cache, registered for `clearCredentialCaches`. */
export function credentialCache<T>(defaultTtlMs?: number): CredentialCache<T> {
	const cache = new CredentialCache<T>(defaultTtlMs);
	registry.add(cache as CredentialCache<unknown>);
	return cache;
}

/** Drops one credential's entries from every process-wide cache. */
export function clearCredentialCaches(credential: string): void {
	for (const cache of registry) cache.clear(credential);
}

/**
 * The identity a provider's caches are kept under: the credential (its rate-limiter key) and
 * the account URL it points to, so editing a credential's host never serves another org's data.
 */
export function cacheScope(limiterKey: string, baseUrl: string): string {
	return `${limiterKey}|${baseUrl.replace(/\/+$/, '')}`;
}
