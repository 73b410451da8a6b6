/**
 * Sends a write in chunks of at most `size` inputs and collects one WriteResult per input.
 * A chunk the CRM rejects as a whole (e.g. a 400 naming one bad value, or a create whose
 * outcome is unknown) fails only its own inputs, with the transport's message; failures
 * that would repeat for every chunk (authentication, token, budget, rate limit) fail all
 * inputs not yet sent instead of sending more requests.
 */
import { chunk } from '../batch';
import type { CrmErrorInfo, WriteResult } from '../CrmProvider';
import { failureInfoOf, isCrmRequestError } from '../../transport/errors';

export interface IndexedInput<T> {
	/** Position in the caller's array. */
	index: number;
	input: T;
}

const STOP_ALL = new Set(['unauthorized', 'token', 'budget', 'rate-limited']);

export async function writeInChunks<T>(
	entries: Array<IndexedInput<T>>,
	size: number,
	send: (slice: Array<IndexedInput<T>>) => Promise<WriteResult[]>,
	out: WriteResult[],
): Promise<void> {
	const slices = chunk(entries, size);
	for (let sliceIndex = 0; sliceIndex < slices.length; sliceIndex++) {
		const slice = slices[sliceIndex] ?? [];
		let failure: unknown;
		try {
			const results = await send(slice);
			slice.forEach((entry, position) => {
				out[entry.index] = results[position] ?? {
					ok: false,
					error: { message: 'no result for this input' },
				};
			});
			continue;
		} catch (error) {
			failure = error;
		}
		// Only the transport's own errors describe a CRM answer; anything else is a bug to surface.
		if (!isCrmRequestError(failure)) throw failure;
		const info: CrmErrorInfo = failureInfoOf(failure);
		const stopAll = STOP_ALL.has(failure.kind);
		for (const entry of stopAll ? slices.slice(sliceIndex).flat() : slice)
			out[entry.index] = { ok: false, error: info };
		if (stopAll) return;
	}
}
