/** Test clocks: nothing in these tests really waits. */

/** Time jumps forward by whatever is slept; every sleep is recorded. */
export function autoClock(start = 1_700_000_000_000) {
	let t = start;
	const sleeps: number[] = [];
	return {
		sleeps,
		now: () => t,
		sleep: async (ms: number) => {
			sleeps.push(ms);
			t += ms;
		},
	};
}

/** Time moves only when the test calls advance(); sleepers wake when their deadline passes. */
export function manualClock(start = 1_700_000_000_000) {
	let t = start;
	const timers: Array<{ at: number; wake: () => void }> = [];
	return {
		now: () => t,
		sleep: (ms: number) =>
			new Promise<void>((resolve) => {
				timers.push({ at: t + ms, wake: resolve });
			}),
		pendingSleeps: () => timers.length,
		async advance(ms: number) {
			t += ms;
			for (const timer of timers.filter((entry) => entry.at <= t)) {
				timers.splice(timers.indexOf(timer), 1);
				timer.wake();
			}
			await settle();
		},
	};
}

/** Lets queued promise callbacks and I/O callbacks run (real event-loop turns, no timers). */
export async function settle(turns = 20): Promise<void> {
	for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
