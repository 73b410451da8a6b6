/**
 * listChanged: records modified at or after `since`, oldest first, one search page per
 * call (≤200). The cursor is opaque to callers: `{ since, after }`, base64url JSON.
 *
 * HubSpot's search applies one sort rule and stops paging at 10,000 results, so the
 * stable order is "last modified ascending" and, before the 10,000 cap, the window is
 * restarted at the last record's modification time. Records sharing that exact
 * timestamp can then be delivered twice (never skipped); consumers key on id + updatedAt.
 */
import type { ListChangedPage, ListChangedRequest } from '../CrmProvider';
import type { SearchBody, SearchFilter } from './client';
import { toRecordData } from './records';
import { SEARCH_PAGE_SIZE, SEARCH_RESULT_CAP } from './search';
import type { HubSpotSession } from './session';

interface Cursor {
	/** Window start, ms since epoch. */
	since: number;
	after?: string;
}

export const DEFAULT_LIST_PAGE_SIZE = 100;
/** lastmodifieddate / hs_lastmodifieddate are epoch milliseconds. */
const CHANGE_TIME_RESOLUTION_MS = 1;

/** Contacts keep the legacy name; every other object uses hs_lastmodifieddate. */
export function modifiedProperty(objectType: string): string {
	return objectType === 'contacts' || objectType === '0-1'
		? 'lastmodifieddate'
		: 'hs_lastmodifieddate';
}

export function encodeCursor(cursor: Cursor): string {
	return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(text: string): Cursor {
	try {
		const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Partial<Cursor>;
		if (
			typeof parsed.since === 'number' &&
			(parsed.after === undefined || typeof parsed.after === 'string')
		) {
			return { since: parsed.since, after: parsed.after };
		}
	} catch {
		// fall through to the error below
	}
	throw new Error('listChanged: the cursor is not one this HubSpot provider produced');
}

function toMillis(value: string | null | undefined): number | undefined {
	if (!value) return undefined;
	const numeric = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
	return Number.isNaN(numeric) ? undefined : numeric;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** The inclusion filter is a JSON array of HubSpot search filters, AND'ed with the date filter. */
export function parseInclusionFilter(filter: string | undefined): SearchFilter[] {
	if (!filter?.trim()) return [];
	const parsed = parseJson(filter);
	if (parsed === undefined) {
		throw new Error(
			'listChanged: the HubSpot filter must be a JSON array of search filters ({ propertyName, operator, value })',
		);
	}
	const list = Array.isArray(parsed) ? parsed : [parsed];
	return list.map((entry) => {
		const candidate = entry as Partial<SearchFilter>;
		if (typeof candidate?.propertyName !== 'string' || typeof candidate.operator !== 'string') {
			throw new Error('listChanged: every HubSpot filter needs a propertyName and an operator');
		}
		return candidate as SearchFilter;
	});
}

export async function listChanged(
	session: HubSpotSession,
	request: ListChangedRequest,
): Promise<ListChangedPage> {
	const modified = modifiedProperty(request.objectType);
	const cursor: Cursor = request.cursor
		? decodeCursor(request.cursor)
		: { since: toMillis(request.since) ?? Number.NaN };
	if (Number.isNaN(cursor.since))
		throw new Error(`listChanged: since "${request.since}" is not a valid timestamp`);
	const limit = Math.min(Math.max(1, request.pageSize ?? DEFAULT_LIST_PAGE_SIZE), SEARCH_PAGE_SIZE);
	const body: SearchBody = {
		filterGroups: [
			{
				filters: [
					{ propertyName: modified, operator: 'GTE', value: String(cursor.since) },
					...parseInclusionFilter(request.filter),
				],
			},
		],
		sorts: [{ propertyName: modified, direction: 'ASCENDING' }],
		properties: [...new Set([...request.properties, modified, 'createdate'])],
		limit,
		...(cursor.after ? { after: cursor.after } : {}),
	};
	const page = await session.search(`POST /crm/v3/objects/${request.objectType}/search`, (api) =>
		api.search(request.objectType, body),
	);
	const records = page.results.map((object) => {
		const record = toRecordData(request.objectType, object);
		const changedAt = toMillis(object.properties[modified]);
		if (changedAt !== undefined) record.updatedAt = new Date(changedAt).toISOString();
		return record;
	});

	const counted = request.cursor ? {} : { listedFromSince: page.total };
	if (!page.nextAfter)
		return { records, changeTimeResolutionMs: CHANGE_TIME_RESOLUTION_MS, ...counted };
	const offset = Number(page.nextAfter);
	if (!Number.isFinite(offset) || offset + limit <= SEARCH_RESULT_CAP) {
		return {
			records,
			nextCursor: encodeCursor({ since: cursor.since, after: page.nextAfter }),
			...counted,
		};
	}
	const last = toMillis(page.results.at(-1)?.properties[modified]);
	// Restart the window at the last timestamp; if it did not move, keep paging (HubSpot will say when it stops).
	const nextCursor =
		last !== undefined && last > cursor.since
			? encodeCursor({ since: last })
			: encodeCursor({ since: cursor.since, after: page.nextAfter });
	return { records, nextCursor, ...counted };
}
