/**
 * The per-record failure of a delete request that failed as a whole. A delete is safe to send
 * again (a record already gone counts as deleted); the failure carries the transport's verdict
 * (`transportKind`, see failureInfoOf), so a request the transport gave up on makes the item
 * `crm-unavailable`, for a later delivery.
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
		failure: info,
		stopAll: STOPS_EVERY_REQUEST.has(error.kind),
	};
}
