/**
 * Runs one CRM call per item, in order, and keeps results aligned with the input.
 * A rejection of one item (validation error, not found, ambiguous create) fails only that
 * item. A failure that would hit every remaining item the same way (API key rejected,
 * rate limit too long, outage after all retries, API budget) stops the loop: the items
 * not yet sent fail with that error instead of burning more calls, and the items already
 * written keep their success.
 */
import { failureInfoOf, isCrmRequestError, type CrmFailureKind } from '../../transport/errors';
import type { CrmErrorInfo, WriteResult } from '../CrmProvider';

const STOPS_THE_BATCH: ReadonlySet<CrmFailureKind> = new Set([
	'unauthorized',
	'token',
	'rate-limited',
	'gave-up',
	'budget',
]);

function errorInfo(error: unknown): CrmErrorInfo {
	if (isCrmRequestError(error)) return failureInfoOf(error);
	return { message: error instanceof Error ? error.message : String(error) };
}

export async function runEach<T>(
	items: readonly T[],
	write: (item: T) => Promise<WriteResult>,
): Promise<WriteResult[]> {
	const results: WriteResult[] = [];
	for (const item of items) {
		try {
			results.push(await write(item));
		} catch (error) {
			results.push({ ok: false, error: errorInfo(error) });
			if (isCrmRequestError(error) && STOPS_THE_BATCH.has(error.kind)) {
				const notSent = errorInfo(error);
				notSent.message = `Not sent because an earlier item failed: ${notSent.message}`;
				while (results.length < items.length) results.push({ ok: false, error: { ...notSent } });
				break;
			}
		}
	}
	return results;
}
