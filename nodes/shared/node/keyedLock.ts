/**
 * An in-process mutex per key. n8n loads a node's module once per process, so every
 * execution of this process (concurrent webhook calls, parallel workflows) shares this map:
 * two executions that lock the same key run their critical sections one after the other.
 * Keys are taken in sorted order, so two callers locking overlapping sets never deadlock.
 * Waiters are served first come, first served; a throwing section releases its keys.
 */
type Release = () => void;

const tails = new Map<string, Promise<void>>();

async function acquire(key: string): Promise<Release> {
	const previous = tails.get(key) ?? Promise.resolve();
	let release!: Release;
	const mine = new Promise<void>((resolve) => {
		release = resolve;
	});
	const tail = previous.then(() => mine);
	tails.set(key, tail);
	await previous;
	return () => {
		release();
		// The last holder cleans up, so idle keys do not pile up in the map.
		if (tails.get(key) === tail) tails.delete(key);
	};
}

export async function withKeyedLocks<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
	const ordered = [...new Set(keys)].sort();
	const releases: Release[] = [];
	try {
		for (const key of ordered) releases.push(await acquire(key));
		return await fn();
	} finally {
		for (const release of releases.reverse()) release();
	}
}

/** Keys currently held or awaited (for tests and diagnostics). */
export function lockedKeyCount(): number {
	return tails.size;
}
