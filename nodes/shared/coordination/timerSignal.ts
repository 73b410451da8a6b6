/**
 * Waits and deadlines on the platform's timer signals (`AbortSignal.timeout`) instead of raw
 * timers: they never keep a process alive on their own, and what they fire is removed once the
 * wait is over. The pack's coordination runs long-lived lease renewals and per-command
 * deadlines, where a forgotten raw timer would leak.
 */

/** Calls `onExpiry` once after `ms` unless the returned `cancel` came first. */
export function afterDeadline(ms: number, onExpiry: () => void): { cancel(): void } {
	const signal = AbortSignal.timeout(Math.max(0, Math.ceil(ms)));
	const fire = (): void => onExpiry();
	signal.addEventListener('abort', fire, { once: true });
	return { cancel: () => signal.removeEventListener('abort', fire) };
}

/** Resolves after `ms`, or at once when `stop` is aborted (then with `false`). */
export function pause(ms: number, stop?: AbortSignal): Promise<boolean> {
	if (stop?.aborted) return Promise.resolve(false);
	return new Promise((resolve) => {
		const onStop = (): void => {
			timer.cancel();
			resolve(false);
		};
		const timer = afterDeadline(ms, () => {
			stop?.removeEventListener('abort', onStop);
			resolve(true);
		});
		stop?.addEventListener('abort', onStop, { once: true });
	});
}
