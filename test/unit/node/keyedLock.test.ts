import fc from 'fast-check';

import { lockedKeyCount, withKeyedLocks } from '../../../nodes/shared/node/keyedLock';

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('withKeyedLocks', () => {
	it('never lets two sections holding the same key overlap, whatever the key sets and timing (and never deadlocks)', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.record({ keys: fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 3 }), ticks: fc.nat(3) }), {
					minLength: 2,
					maxLength: 12,
				}),
				async (sections) => {
					const holders = new Map<string, number>();
					let overlaps = 0;
					await Promise.all(
						sections.map(({ keys, ticks }, id) =>
							withKeyedLocks(keys, async () => {
								for (const key of keys) {
									if (holders.has(key)) overlaps++;
									holders.set(key, id);
								}
								for (let i = 0; i < ticks; i++) await tick();
								for (const key of keys) holders.delete(key);
							}),
						),
					);
					expect(overlaps).toBe(0);
					expect(lockedKeyCount()).toBe(0);
				},
			),
			{ numRuns: 200 },
		);
	});

	it('serves waiters first come, first served, and releases the key when the section throws', async () => {
		const order: number[] = [];
		const first = withKeyedLocks(['k'], async () => {
			await tick();
			throw new Error('boom');
		});
		const later = [1, 2, 3].map((n) => withKeyedLocks(['k'], async () => void order.push(n)));
		await expect(first).rejects.toThrow('boom');
		await Promise.all(later);
		expect(order).toEqual([1, 2, 3]);
		expect(lockedKeyCount()).toBe(0);
	});

	it('lets sections on different keys run at the same time', async () => {
		let inside = 0;
		let most = 0;
		await Promise.all(
			['x', 'y', 'z'].map((key) =>
				withKeyedLocks([key], async () => {
					inside++;
					most = Math.max(most, inside);
					await tick();
					inside--;
				}),
			),
		);
		expect(most).toBe(3);
	});
});
