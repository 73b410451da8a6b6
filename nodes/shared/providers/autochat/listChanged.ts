/**
 * listChanged: clients updated at or after `since`, oldest change first, one page per call
 * (`GET /clients?updated_since=…&limit=…&cursor=…`). The cursor is the API's own, passed
 * through unchanged.
 */
import type { ListChangedPage, ListChangedRequest } from '../CrmProvider';
import type { AutochatApi } from './api';
import { autochatEndpoints, MAX_PAGE_SIZE, readList, type AutochatClientRecord } from './endpoints';
import { assertClientObjectType } from './objectType';
import { toRecordData } from './records';

export async function listChanged(
	api: AutochatApi,
	request: ListChangedRequest,
): Promise<ListChangedPage> {
	assertClientObjectType(request.objectType);
	if (request.filter !== undefined && request.filter.trim() !== '') {
		throw new Error(
			'autoch.at CRM listChanged does not support an inclusion filter: the clients list has no documented filter parameter',
		);
	}
	const since = Date.parse(request.since);
	if (Number.isNaN(since))
		throw new Error(`listChanged: since "${request.since}" is not a valid timestamp`);
	const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(request.pageSize ?? MAX_PAGE_SIZE)));
	const call = autochatEndpoints.listClients({
		updatedSince: new Date(since).toISOString(),
		limit,
		cursor: request.cursor,
	});
	const page = await api.send(call, (body) => readList<AutochatClientRecord>(body, call.label), {
		idempotent: true,
	});
	return {
		records: page.items.map((client) => toRecordData(client, request.properties)),
		nextCursor: page.nextCursor,
	};
}
