/**
 * An in-process keyed async mutex: work for the same key (e.g. one person in one CRM) runs
 * one at a time across every execution of this n8n process, while different keys run in
 * parallel. Waiters for a key are served first come, first served.
 *
 * Several keys are acquired in sorted order, so two holders can never wait on each other
 * (no deadlock). Locks are not reentrant: a holder must not ask for a key it already holds.
 *
 * `withKeyedLocks` below is the lock every node uses: in queue mode it also holds the keys in
 * Redis, so the processes of one n8n install (main, webhook processors, workers) exclude each
 * other too (nodes/shared/coordination).
 */
import { coordinatedKeyedLock } from '../coordination/coordination';

export interface KeyedLock {
	/** Runs `fn` while holding every key; releases them when `fn` settles, also when it throws. */
	withKeyedLocks<T>(keys: string[], fn: () => Promise<T>): Promise<T>;
}

export class InProcessKeyedLock implements KeyedLock {
	/** Per key, the promise the next waiter must await: resolved when every earlier holder released. */
	private readonly tails = new Map<string, Promise<void>>();

	/** Keys currently held or waited for (for tests and diagnostics). */
	get size(): number {
		return this.tails.size;
	}

	async withKeyedLocks<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
		const ordered = [...new Set(keys)].sort();
		const releases: Array<() => void> = [];
		try {
			for (const key of ordered) releases.push(await this.acquire(key));
			return await fn();
		} finally {
			for (const release of releases.reverse()) release();
		}
	}

	private async acquire(key: string): Promise<() => void> {
		const previous = this.tails.get(key) ?? Promise.resolve();
		let release!: () => void;
		const held = new Promise<void>((resolve) => {
			release = resolve;
		});
		const tail = previous.then(() => held);
		this.tails.set(key, tail);
		await previous;
		return () => {
			release();
			// The last holder leaves no entry behind; later arrivals chained on `tail` already.
			if (this.tails.get(key) === tail) this.tails.delete(key);
		};
	}
}

/** The lock shared by every execution in this process, and in queue mode by every process. */
const processLock = coordinatedKeyedLock(new InProcessKeyedLock());

/** Runs `fn` holding every key (sorted, FIFO per key in this process, released on throw). */
export function withKeyedLocks<T>(keys: string[], fn: () => Promise<T>): Promise<T> {
	return processLock.withKeyedLocks(keys, fn);
}
