import fc from 'fast-check';

import { InProcessKeyedLock, withKeyedLocks } from '../../nodes/shared/node/keyedLock';

/** A promise the test resolves by hand, to hold a lock exactly as long as it wants. */
function gate() {
	let open!: () => void;
	const opened = new Promise<void>((resolve) => {
		open = resolve;
	});
	return { opened, open };
}

/** Lets every queued promise callback run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('InProcessKeyedLock', () => {
	it('runs holders of the same key one at a time, in the order they asked', async () => {
		const lock = new InProcessKeyedLock();
		const order: string[] = [];
		const first = gate();
		const a = lock.withKeyedLocks(['person:1'], async () => {
			order.push('a start');
			await first.opened;
			order.push('a end');
		});
		const b = lock.withKeyedLocks(['person:1'], async () => {
			order.push('b');
		});
		const c = lock.withKeyedLocks(['person:1'], async () => {
			order.push('c');
		});
		await settle();
		expect(order).toEqual(['a start']);
		first.open();
		await Promise.all([a, b, c]);
		expect(order).toEqual(['a start', 'a end', 'b', 'c']);
		expect(lock.size).toBe(0);
	});

	it('lets different keys run at the same time', async () => {
		const lock = new InProcessKeyedLock();
		const held = gate();
		let otherRan = false;
		const a = lock.withKeyedLocks(['person:1'], () => held.opened);
		await lock.withKeyedLocks(['person:2'], async () => {
			otherRan = true;
		});
		expect(otherRan).toBe(true);
		held.open();
		await a;
	});

	it('releases the keys when the holder throws, and passes the error on', async () => {
		const lock = new InProcessKeyedLock();
		const failing = lock.withKeyedLocks(['k', 'j'], async () => {
			throw new Error('CRM said no');
		});
		const next = lock.withKeyedLocks(['j'], async () => 'next ran');
		await expect(failing).rejects.toThrow('CRM said no');
		await expect(next).resolves.toBe('next ran');
		expect(lock.size).toBe(0);
	});

	it('takes several keys in sorted order, so opposite orders and repeated keys cannot deadlock', async () => {
		const lock = new InProcessKeyedLock();
		const results = await Promise.all([
			lock.withKeyedLocks(['b', 'a'], async () => 1),
			lock.withKeyedLocks(['a', 'b'], async () => 2),
			lock.withKeyedLocks(['b', 'b', 'a'], async () => 3),
		]);
		expect(results).toEqual([1, 2, 3]);
		expect(lock.size).toBe(0);
	});

	it('a holder of several keys waits for each of them', async () => {
		const lock = new InProcessKeyedLock();
		const held = gate();
		const events: string[] = [];
		const single = lock.withKeyedLocks(['b'], async () => {
			await held.opened;
			events.push('b released');
		});
		const both = lock.withKeyedLocks(['a', 'b'], async () => {
			events.push('a+b held');
		});
		await settle();
		// `a` was free, but `b` is still held: the holder of both has not started.
		expect(events).toEqual([]);
		const other = lock.withKeyedLocks(['a'], async () => {
			events.push('a held');
		});
		held.open();
		await Promise.all([single, both, other]);
		expect(events).toEqual(['b released', 'a+b held', 'a held']);
	});

	it('never lets two holders share a key, whatever the key sets and timings (property)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.record({
						keys: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), {
							minLength: 1,
							maxLength: 3,
						}),
						ticks: fc.nat(3),
						fails: fc.boolean(),
					}),
					{
						minLength: 1,
						maxLength: 12,
					},
				),
				async (tasks) => {
					const lock = new InProcessKeyedLock();
					const holding = new Set<string>();
					let overlap = false;
					let completed = 0;
					await Promise.allSettled(
						tasks.map((task) =>
							lock.withKeyedLocks(task.keys, async () => {
								if (task.keys.some((key) => holding.has(key))) overlap = true;
								for (const key of task.keys) holding.add(key);
								for (let i = 0; i < task.ticks; i++) await settle();
								for (const key of task.keys) holding.delete(key);
								completed++;
								if (task.fails) throw new Error('failed');
							}),
						),
					);
					expect(overlap).toBe(false);
					expect(completed).toBe(tasks.length);
					expect(lock.size).toBe(0);
				},
			),
			{ numRuns: 60 },
		);
	});
});

describe('withKeyedLocks (the process-wide lock)', () => {
	it('serialises callers anywhere in the process on the same key', async () => {
		let active = 0;
		let maxActive = 0;
		const work = () =>
			withKeyedLocks(['crm|person'], async () => {
				active++;
				maxActive = Math.max(maxActive, active);
				await settle();
				active--;
			});
		await Promise.all(Array.from({ length: 10 }, work));
		expect(maxActive).toBe(1);
	});
});
