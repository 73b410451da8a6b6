import {
	RateLimiter,
	sharedRateLimiter,
	type LimiterSlot,
} from '../../../nodes/shared/transport/rateLimiter';
import { manualClock, settle } from './support/clock';

describe('RateLimiter', () => {
	it('lets 100 requests through in a 10 s window and holds the 101st until the first one leaves the window', async () => {
		const clock = manualClock();
		const limiter = new RateLimiter({ requests: 100, windowMs: 10_000, concurrency: 1000 }, clock);
		const granted: LimiterSlot[] = [];
		for (let i = 0; i < 100; i++) {
			const slot = await limiter.acquire();
			granted.push(slot);
			slot.release();
		}
		expect(granted.every((slot) => slot.waitedMs === 0)).toBe(true);

		let hundredAndFirst: LimiterSlot | undefined;
		void limiter.acquire().then((slot) => {
			hundredAndFirst = slot;
		});
		await settle();
		expect(hundredAndFirst).toBeUndefined();
		await clock.advance(9_999);
		expect(hundredAndFirst).toBeUndefined();
		await clock.advance(1);
		expect(hundredAndFirst?.waitedMs).toBe(10_000);
	});

	it('never has more requests in flight than the concurrency cap, and serves waiters in order', async () => {
		const clock = manualClock();
		const limiter = new RateLimiter({ requests: 1000, windowMs: 1000, concurrency: 2 }, clock);
		const order: number[] = [];
		const slots: LimiterSlot[] = [];
		for (let i = 0; i < 5; i++) {
			void limiter.acquire().then((slot) => {
				order.push(i);
				slots.push(slot);
			});
		}
		await settle();
		expect(order).toEqual([0, 1]);
		slots[0].release();
		slots[0].release(); // a second release of the same slot must not free another one
		await settle();
		expect(order).toEqual([0, 1, 2]);
		slots[1].release();
		slots[2].release();
		await settle();
		expect(order).toEqual([0, 1, 2, 3, 4]);
	});

	it('pause() holds every caller until the given time and is never shortened', async () => {
		const clock = manualClock();
		const limiter = new RateLimiter({ requests: 10, windowMs: 1000, concurrency: 10 }, clock);
		limiter.pause(clock.now() + 5000);
		limiter.pause(clock.now() + 1000);
		let slot: LimiterSlot | undefined;
		void limiter.acquire().then((granted) => {
			slot = granted;
		});
		await clock.advance(4_999);
		expect(slot).toBeUndefined();
		await clock.advance(1);
		expect(slot?.waitedMs).toBe(5000);
	});

	it('rejects a limit that cannot be honoured', () => {
		const clock = manualClock();
		expect(() => new RateLimiter({ requests: 0, windowMs: 1000, concurrency: 1 }, clock)).toThrow(
			RangeError,
		);
		expect(
			() => new RateLimiter({ requests: 1, windowMs: 1000, concurrency: Number.NaN }, clock),
		).toThrow(RangeError);
	});
});

describe('sharedRateLimiter', () => {
	it('returns one limiter per key, adopting a changed limit', () => {
		const clock = manualClock();
		const a = sharedRateLimiter(
			'shared-test:a',
			{ requests: 100, windowMs: 10_000, concurrency: 10 },
			clock,
		);
		const again = sharedRateLimiter(
			'shared-test:a',
			{ requests: 190, windowMs: 10_000, concurrency: 10 },
			clock,
		);
		const other = sharedRateLimiter(
			'shared-test:b',
			{ requests: 100, windowMs: 10_000, concurrency: 10 },
			clock,
		);
		expect(again).toBe(a);
		expect(a.currentLimit.requests).toBe(190);
		expect(other).not.toBe(a);
	});
});

describe('sharedRateLimiter and clocks', () => {
	it('gives a transport with another clock its own limiter, so tests cannot leak waits into each other', () => {
		const first = manualClock();
		const second = manualClock();
		const limit = { requests: 100, windowMs: 10_000, concurrency: 10 };
		const a = sharedRateLimiter('shared-test:clock', limit, { now: first.now, sleep: first.sleep });
		expect(
			sharedRateLimiter('shared-test:clock', limit, { now: first.now, sleep: first.sleep }),
		).toBe(a);
		expect(
			sharedRateLimiter('shared-test:clock', limit, { now: second.now, sleep: second.sleep }),
		).not.toBe(a);
	});
});
