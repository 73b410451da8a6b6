/**
 * The per-record failure of a delete request that failed as a whole. A delete is safe to send
 * again (a record already gone counts as deleted), so a request the transport gave up on is
 * reported by the transport's kind — the item is `crm-unavailable`, for a later delivery —
 * not by the network error's code, which would read as the CRM refusing the record.
 */
import { CrmRequestError, failureInfoOf } from '../transport/errors';
import type { CrmErrorInfo } from './CrmProvider';

/** Failures that would repeat for every further request of the batch: stop sending. */
export const STOPS_EVERY_REQUEST: ReadonlySet<string> = new Set([
	'unauthorized',
	'token',
	'budget',
	'rate-limited',
]);

/** Anything but a CRM answer is a bug to surface, so it is thrown again. */
export function deleteFailureOf(error: unknown): { failure: CrmErrorInfo; stopAll: boolean } {
	if (!(error instanceof CrmRequestError)) throw error;
	const info = failureInfoOf(error);
	return {
		failure: error.kind === 'rejected' ? info : { ...info, code: error.kind },
		stopAll: STOPS_EVERY_REQUEST.has(error.kind),
	};
}
