/**
 * The autoch.at trigger's replay protection as pure logic: claims, time-bounded memory and
 * the persisted copies n8n saves last-writer-wins. A "call" below is what n8n does per
 * webhook call: read the stored static data, run the node's check, save its copy.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { InMemoryClaimStore } from '../../nodes/AutochatCrmTrigger/deliveryClaims';
import {
	CLOCK_SKEW_MS,
	FORGET_INTERVAL_MS,
	isRemembered,
	keysToForget,
	legacyMemoryKeys,
	memoryKey,
	retentionPolicy,
	UNCHECKED_MAX_KEYS,
	UNCHECKED_RETENTION_MS,
} from '../../nodes/AutochatCrmTrigger/deliveryMemory';
import { ReplayGuard } from '../../nodes/AutochatCrmTrigger/replay';

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const FIVE_MINUTES = 5 * 60_000;
const policy = retentionPolicy(FIVE_MINUTES);

/**
 * The workflow's static data as the database holds it between calls (JSON, like n8n stores
 * it). n8n saves a call's copy whole, and only when the call changed it.
 */
class StoredStaticData {
	json = '{}';
	read(): IDataObject {
		return JSON.parse(this.json) as IDataObject;
	}
	save(copy: IDataObject, readAs = ''): void {
		const json = JSON.stringify(copy);
		if (json !== readAs) this.json = json;
	}
	/** The trigger node's memory. */
	seen(): IDataObject {
		return ((this.read()['node:trigger'] as IDataObject | undefined)?.seen ?? {}) as IDataObject;
	}
}

describe('retention policy and memory', () => {
	it('keeps keys for max age + clock skew (+ a margin) when the age check is on, 24 h / 50,000 keys when it is off', () => {
		expect(policy.retentionMs).toBeGreaterThanOrEqual(FIVE_MINUTES + CLOCK_SKEW_MS);
		expect(policy.retentionMs).toBeLessThanOrEqual(FIVE_MINUTES + CLOCK_SKEW_MS + 2 * 60_000);
		expect(policy.maxKeys).toBeUndefined();
		expect(retentionPolicy(0)).toEqual({
			retentionMs: UNCHECKED_RETENTION_MS,
			maxKeys: UNCHECKED_MAX_KEYS,
		});
	});

	it('forgets by time, and by count only when a count bound is given', () => {
		const seen = {
			old: T0 - policy.retentionMs - 1,
			edge: T0 - policy.retentionMs,
			fresh: T0,
			broken: 'x',
		};
		expect(keysToForget(seen, T0, policy).sort()).toEqual(['broken', 'old']);
		expect(isRemembered(seen.edge, T0, policy)).toBe(true);
		expect(isRemembered(seen.old, T0, policy)).toBe(false);
		expect(
			keysToForget({ a: T0 - 2, b: T0 - 1, c: T0 }, T0, { retentionMs: 1000, maxKeys: 2 }),
		).toEqual(['a']);
	});

	it('property: without a count bound, no key inside the window is ever forgotten', () => {
		fc.assert(
			fc.property(
				fc.dictionary(fc.string(), fc.integer({ min: T0 - 2 * policy.retentionMs, max: T0 })),
				(seen) => {
					const forgotten = new Set(keysToForget(seen, T0, policy));
					for (const [key, firstSeen] of Object.entries(seen))
						expect(forgotten.has(key)).toBe(firstSeen < T0 - policy.retentionMs);
				},
			),
		);
	});

	it('turns the list kept by earlier versions into memory keys', () => {
		expect(legacyMemoryKeys(['ts:1:abc', 42, 'id:e'])).toEqual([
			memoryKey('ts:1:abc'),
			memoryKey('id:e'),
		]);
		expect(legacyMemoryKeys('nope')).toEqual([]);
		expect(memoryKey('id:evt_1')).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(memoryKey('id:evt_1')).not.toBe(memoryKey('id:evt_2'));
	});
});

describe('in-memory claim store', () => {
	it('gives a key to the first claimant until it expires; a delivery with any claimed key loses', () => {
		const store = new InMemoryClaimStore();
		expect(store.claimNow('wf:node', ['a', 'b'], T0, 1000)).toBe(true);
		expect(store.claimNow('wf:node', ['a'], T0 + 999, 1000)).toBe(false);
		expect(store.claimNow('wf:node', ['c', 'b'], T0 + 10, 1000)).toBe(false);
		expect(store.claimNow('wf:node', ['c'], T0 + 10, 1000)).toBe(true);
		expect(store.claimNow('other-workflow:node', ['a'], T0 + 10, 1000)).toBe(true);
		expect(store.claimNow('wf:node', ['a'], T0 + 1000, 1000)).toBe(true);
	});

	it('forgets expired keys (memory bounded by time)', () => {
		const store = new InMemoryClaimStore();
		for (let i = 0; i < 100; i += 1) store.claimNow('s', [`k${i}`], T0 + i, 1000);
		expect(store.size('s', T0 + 100)).toBe(100);
		store.claimNow('s', ['late'], T0 + 60_000, 1000);
		expect(store.size('s', T0 + 60_000)).toBe(1);
	});
});

describe('replay guard', () => {
	/** One n8n webhook call: read stored static data, check, save the copy if the node accepted. */
	async function call(
		guard: ReplayGuard,
		db: StoredStaticData,
		keys: string[],
		nowMs: number,
		scope = 'wf:trigger:webhook',
	) {
		const copy = db.read();
		// n8n creates the node's entry without marking the data changed.
		const memory = (copy['node:trigger'] ??= {}) as IDataObject;
		const readAs = JSON.stringify(copy);
		const admitted = await guard.admit({ scope, memory, deliveryKeys: keys, nowMs, policy });
		return { admitted, save: () => db.save(copy, readAs) };
	}

	it('property: under any interleaving of N concurrent copies of one delivery exactly one is admitted', async () => {
		await fc.assert(
			fc.asyncProperty(fc.scheduler(), fc.integer({ min: 2, max: 12 }), async (s, copies) => {
				const guard = new ReplayGuard(new InMemoryClaimStore());
				const db = new StoredStaticData();
				const calls = Array.from({ length: copies }, async () => {
					await s.schedule(Promise.resolve('arrives'));
					const { admitted, save } = await call(guard, db, ['id:evt_1', 'ts:x:hash'], T0);
					await s.schedule(Promise.resolve('n8n saves'));
					save();
					return admitted;
				});
				const admitted = (await s.waitFor(Promise.all(calls))).filter(Boolean);
				expect(admitted).toHaveLength(1);
				expect(db.read()).toHaveProperty(['node:trigger', 'seen', memoryKey('id:evt_1')]);
			}),
			{ numRuns: 200 },
		);
	});

	it('property: concurrent distinct deliveries each run once, and whichever copy n8n saves last remembers them all', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.scheduler(),
				fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 }),
				async (s, copiesPerDelivery) => {
					const guard = new ReplayGuard(new InMemoryClaimStore());
					const db = new StoredStaticData();
					const calls = copiesPerDelivery.flatMap((copies, delivery) =>
						Array.from({ length: copies }, async () => {
							await s.schedule(Promise.resolve(`delivery ${delivery} arrives`));
							const { admitted, save } = await call(guard, db, [`id:evt_${delivery}`], T0);
							await s.schedule(Promise.resolve(`n8n saves delivery ${delivery}`));
							save();
							return admitted ? delivery : undefined;
						}),
					);
					const ran = (await s.waitFor(Promise.all(calls)))
						.filter((delivery) => delivery !== undefined)
						.sort((a, b) => a - b);
					expect(ran).toEqual(copiesPerDelivery.map((_, delivery) => delivery));
					const stored = db.seen();
					expect(Object.keys(stored).sort()).toEqual(
						ran.map((delivery) => memoryKey(`id:evt_${delivery}`)).sort(),
					);

					// After a restart (a new process: no claims), every one is still a replay.
					const restarted = new ReplayGuard(new InMemoryClaimStore());
					for (const delivery of ran)
						expect((await call(restarted, db, [`id:evt_${delivery}`], T0 + 1000)).admitted).toBe(
							false,
						);
				},
			),
			{ numRuns: 200 },
		);
	});

	it('property: a key younger than the window is never forgotten, whatever the volume', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(
					fc.record({
						count: fc.integer({ min: 1, max: 150 }),
						advanceMs: fc.integer({ min: 0, max: 4 * 60_000 }),
					}),
					{ minLength: 1, maxLength: 10 },
				),
				fc.infiniteStream(fc.nat()),
				async (bursts, picks) => {
					const guard = new ReplayGuard(new InMemoryClaimStore());
					const copy: IDataObject = {};
					const firstSeen: Array<[string, number]> = [];
					let now = T0;
					for (const burst of bursts) {
						now += burst.advanceMs;
						for (let i = 0; i < burst.count; i += 1) {
							const key = `id:evt_${firstSeen.length}`;
							expect(
								await guard.admit({
									scope: 's',
									memory: copy,
									deliveryKeys: [key],
									nowMs: now,
									policy,
								}),
							).toBe(true);
							firstSeen.push([key, now]);
						}
						// Every key inside the window is stored with its first-seen time; older ones go within a forget interval.
						const stored = JSON.parse(JSON.stringify(copy)) as IDataObject;
						const storedSeen = stored.seen as IDataObject;
						const inWindow = firstSeen.filter(([, seenAt]) => seenAt >= now - policy.retentionMs);
						for (const [key, seenAt] of inWindow) expect(storedSeen[memoryKey(key)]).toBe(seenAt);
						const longGone = firstSeen.filter(
							([, seenAt]) => seenAt < now - policy.retentionMs - FORGET_INTERVAL_MS,
						);
						for (const [key] of longGone) expect(storedSeen).not.toHaveProperty(memoryKey(key));
						// A replay of any of them (sampled) is refused, in this process and after a restart.
						const restarted = new ReplayGuard(new InMemoryClaimStore());
						for (const pick of picks.take(5)) {
							const [key] = inWindow[pick % inWindow.length];
							expect(
								await guard.admit({
									scope: 's',
									memory: copy,
									deliveryKeys: [key],
									nowMs: now,
									policy,
								}),
							).toBe(false);
							expect(
								await restarted.admit({
									scope: 's',
									memory: stored,
									deliveryKeys: [key],
									nowMs: now,
									policy,
								}),
							).toBe(false);
						}
					}
				},
			),
			{ numRuns: 30 },
		);
	});

	it('remembers 3,000 deliveries inside one window (the old list forgot after 1,000)', async () => {
		const guard = new ReplayGuard(new InMemoryClaimStore());
		const copy: IDataObject = {};
		for (let i = 0; i < 3_000; i += 1) {
			expect(
				await guard.admit({
					scope: 's',
					memory: copy,
					deliveryKeys: [`id:${i}`],
					nowMs: T0 + i,
					policy,
				}),
			).toBe(true);
		}
		const restarted = new ReplayGuard(new InMemoryClaimStore());
		const stored = JSON.parse(JSON.stringify(copy)) as IDataObject;
		expect(Object.keys(stored.seen as object)).toHaveLength(3_000);
		expect(
			await restarted.admit({
				scope: 's',
				memory: stored,
				deliveryKeys: ['id:0'],
				nowMs: T0 + 3_000,
				policy,
			}),
		).toBe(false);
	});

	it('takes over the memory of earlier versions and keeps it one more window', async () => {
		const db = new StoredStaticData();
		db.save({ 'node:trigger': { deliveries: ['id:evt_old'] } });
		const guard = new ReplayGuard(new InMemoryClaimStore());
		expect((await call(guard, db, ['id:evt_old'], T0)).admitted).toBe(false);
		const fresh = await call(guard, db, ['id:evt_new'], T0);
		expect(fresh.admitted).toBe(true);
		fresh.save();
		expect(db.read()['node:trigger']).not.toHaveProperty('deliveries');
		expect(db.seen()).toEqual({ [memoryKey('id:evt_old')]: T0, [memoryKey('id:evt_new')]: T0 });
	});

	it('keeps triggers apart: the same delivery runs once per workflow and trigger', async () => {
		const guard = new ReplayGuard(new InMemoryClaimStore());
		const db = new StoredStaticData();
		expect((await call(guard, db, ['id:e'], T0, 'wf-1:trigger:webhook')).admitted).toBe(true);
		expect(
			(await call(guard, new StoredStaticData(), ['id:e'], T0, 'wf-2:trigger:webhook')).admitted,
		).toBe(true);
		expect((await call(guard, db, ['id:e'], T0, 'wf-1:trigger:webhook')).admitted).toBe(false);
	});
});
