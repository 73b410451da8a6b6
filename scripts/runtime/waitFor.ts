/** Small bounded polling helper: every wait in the runtime has a deadline and a clear error. */
export interface WaitOptions {
	timeoutMs: number;
	intervalMs?: number;
	/** Shown in the timeout error, e.g. "n8n readiness at http://127.0.0.1:5678". */
	what: string;
	sleep?: (ms: number) => Promise<void>;
	now?: () => number;
	/** Errors of this class end the wait at once instead of counting as "not yet". */
	stopOn?: new (...args: never[]) => Error;
}

export const realSleep = (ms: number): Promise<void> =>
	new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `probe` until it returns a value other than `undefined`, or throws when the deadline
 * passes. `probe` may throw (e.g. connection refused): that counts as "not yet" and the last
 * reason is put in the timeout error.
 */
export async function waitFor<T>(
	probe: () => Promise<T | undefined>,
	options: WaitOptions,
): Promise<T> {
	const sleep = options.sleep ?? realSleep;
	const now = options.now ?? Date.now;
	const deadline = now() + options.timeoutMs;
	let lastReason = 'no answer yet';
	for (;;) {
		try {
			const value = await probe();
			if (value !== undefined) return value;
		} catch (error) {
			if (options.stopOn !== undefined && error instanceof options.stopOn) throw error;
			lastReason = error instanceof Error ? error.message : String(error);
		}
		if (now() >= deadline) {
			throw new Error(
				`Timed out after ${options.timeoutMs} ms waiting for ${options.what} (last: ${lastReason})`,
			);
		}
		await sleep(options.intervalMs ?? 250);
	}
}
