/**
 * `GET …/sobjects/<Type>/deleted/?start=…&end=…` (sObject Get Deleted): the delete log of one
 * object. Like Salesforce, both bounds lose their seconds, the log reaches 15 days back
 * (an older start is `INVALID_REPLICATION_DATE`), and the answer names the latest date covered.
 */
import type { VendorContext } from '../../core/types';
import { SalesforceRequestError } from './errors';
import { salesforceObject } from './schema';
import { sfDateTime } from './values';

const MINUTE_MS = 60_000;
export const DELETE_LOG_KEPT_MS = 15 * 24 * 3_600_000;

function minuteOf(raw: string | null, name: string): number {
	const millis = raw ? Date.parse(raw) : Number.NaN;
	if (Number.isNaN(millis))
		throw new SalesforceRequestError(
			400,
			'MALFORMED_QUERY',
			`${name} is required and must be a date-time (e.g. 2026-12-07T10:00:00+00:00)`,
		);
	return Math.floor(millis / MINUTE_MS) * MINUTE_MS;
}

export function getDeleted(
	ctx: VendorContext,
	type: string,
	query: URLSearchParams,
): Record<string, unknown> {
	const object = salesforceObject(type);
	if (!object)
		throw new SalesforceRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');
	const start = minuteOf(query.get('start'), 'start');
	const end = minuteOf(query.get('end'), 'end');
	const earliest = ctx.now() - DELETE_LOG_KEPT_MS;
	if (start < earliest)
		throw new SalesforceRequestError(
			400,
			'INVALID_REPLICATION_DATE',
			'startDate cannot be more than 15 days ago',
		);
	if (end <= start)
		throw new SalesforceRequestError(
			400,
			'INVALID_REPLICATION_DATE',
			'endDate must be after startDate',
		);
	const deletedRecords = ctx.store
		.deletions('salesforce', object.name)
		.filter((entry) => {
			const at = Date.parse(entry.deletedAt);
			return at >= start && at < end && !ctx.store.get('salesforce', object.name, entry.id);
		})
		.map((entry) => ({ id: entry.id, deletedDate: sfDateTime(entry.deletedAt) }));
	const covered = Math.min(end, Math.floor(ctx.now() / MINUTE_MS) * MINUTE_MS);
	return {
		deletedRecords,
		earliestDateAvailable: sfDateTime(new Date(earliest).toISOString()),
		latestDateCovered: sfDateTime(new Date(covered).toISOString()),
	};
}
