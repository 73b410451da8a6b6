/**
 * listDeleted: the delete log of one object (`GET /sobjects/{Type}/deleted/?start=…&end=…`),
 * in one call. Salesforce ignores seconds in both bounds and keeps the log for 15 days, so
 * the window starts at the minute of `since` (no earlier than 15 days back) and ends at the
 * next whole minute; the caller drops what it emitted already.
 */
import type { ListDeletedPage, ListDeletedRequest } from '../CrmProvider';
import type { SalesforceApi } from './api';
import { assertObjectName } from './soql';

const MINUTE_MS = 60_000;
/** The delete log's reach, less a day so a window never starts before what Salesforce keeps. */
export const DELETE_LOG_DAYS = 14;

interface GetDeletedAnswer {
	deletedRecords?: Array<{ id?: string; deletedDate?: string }>;
}

/** Salesforce's own date-time form for the bounds: `2026-12-07T10:00:00+00:00`. */
function bound(millis: number): string {
	return new Date(millis).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function deletedWindow(since: string, now: number): { start: string; end: string } {
	const from = Date.parse(since);
	if (Number.isNaN(from)) throw new Error(`listDeleted: since "${since}" is not a valid timestamp`);
	const earliest = now - DELETE_LOG_DAYS * 24 * 3_600_000;
	const start = Math.floor(Math.max(from, earliest) / MINUTE_MS) * MINUTE_MS;
	const end = Math.max(start + MINUTE_MS, Math.ceil(now / MINUTE_MS) * MINUTE_MS);
	return { start: bound(start), end: bound(end) };
}

export async function listDeleted(
	api: SalesforceApi,
	request: ListDeletedRequest,
	now: number,
): Promise<ListDeletedPage> {
	const type = assertObjectName(request.objectType);
	const { start, end } = deletedWindow(request.since, now);
	const answer = await api.get<GetDeletedAnswer>(
		`/sobjects/${type}/deleted/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
		'GET /sobjects/{Type}/deleted',
	);
	return {
		records: (answer.deletedRecords ?? []).flatMap((entry) =>
			typeof entry.id === 'string'
				? [
						{
							id: entry.id,
							objectType: type,
							...(entry.deletedDate ? { deletedAt: entry.deletedDate } : {}),
						},
					]
				: [],
		),
	};
}
