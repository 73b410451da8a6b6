/**
 * Records changed since a timestamp, oldest first, for the polling trigger. The cursor is
 * Salesforce's own nextRecordsUrl (a query locator), so a page boundary never skips or
 * repeats a record within one listing.
 */

/**
 * Salesforce compares SystemModstamp by whole seconds (its milliseconds are ignored), so a
 * listing read to its end has read every change of its last second.
 */
const CHANGE_TIME_RESOLUTION_MS = 1000;
import type { ListChangedPage, ListChangedRequest } from '../CrmProvider';
import type { QueryPage, SalesforceApi, SObjectRecord } from './api';
import { associationFields } from './changeAssociations';
import { toRecordData } from './collections';
import { listChangedSoql } from './soql';

export async function listChanged(
	api: SalesforceApi,
	request: ListChangedRequest,
): Promise<ListChangedPage> {
	const page: QueryPage<SObjectRecord> = request.cursor
		? await api.nextPage<SObjectRecord>(request.cursor, request.pageSize)
		: await api.queryPage<SObjectRecord>(
				listChangedSoql(
					request.objectType,
					request.since,
					request.associations
						? [...request.properties, ...associationFields(request.objectType)]
						: request.properties,
					request.filter,
				),
				request.pageSize,
			);
	const result: ListChangedPage = {
		records: page.records.map((record) => toRecordData(request.objectType, record)),
	};
	if (!request.cursor) result.listedFromSince = page.totalSize;
	if (!page.done && page.nextRecordsUrl) result.nextCursor = page.nextRecordsUrl;
	else result.changeTimeResolutionMs = CHANGE_TIME_RESOLUTION_MS;
	return result;
}
