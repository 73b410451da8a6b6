/**
 * sObject Collections: create (POST), update (PATCH), upsert by external id (PATCH) and
 * retrieve (GET) in calls of at most 200 records, `allOrNone: false`, one result per
 * input in input order. A call that fails as a whole (after the transport's retries)
 * becomes an error result for each of its records, so nothing is silently dropped.
 */
import { chunk } from '../batch';
import type { CrmErrorInfo, ReadResult, RecordData, WriteResult } from '../CrmProvider';
import { withoutKeys } from '../../logic/withoutKeys';
import { CrmRequestError, failureInfoOf } from '../../transport/errors';
import type { VerifyOutcome } from '../../transport/types';
import type { SalesforceApi, SObjectRecord } from './api';
import { assertFieldName, assertObjectName, assertRecordId } from './soql';

export const COLLECTION_LIMIT = 200;

export interface NewRecord {
	type: string;
	fields: Record<string, unknown>;
}

export interface RecordUpdate {
	type: string;
	id: string;
	fields: Record<string, unknown>;
}

interface SaveError {
	statusCode?: string;
	message?: string;
	fields?: string[];
}

interface SaveResult {
	id?: string | null;
	success: boolean;
	created?: boolean;
	errors?: SaveError[];
}

/** Looks for records an ambiguous create attempt may have written; aligned with `slice`, undefined = not found. */
export type CreateVerifier = (slice: NewRecord[]) => Promise<Array<string | undefined>>;

function toErrorInfo(errors: SaveError[] | undefined): CrmErrorInfo {
	const list = errors ?? [];
	const message = list
		.map((error) => error.message ?? error.statusCode ?? 'Unknown error')
		.join('; ');
	const info: CrmErrorInfo = {
		message: message || 'Salesforce rejected the record without a reason',
	};
	if (list[0]?.statusCode) info.code = list[0].statusCode;
	return info;
}

function failureOf(error: unknown): CrmErrorInfo {
	if (error instanceof CrmRequestError) return failureInfoOf(error);
	throw error;
}

function mapResults(
	results: SaveResult[],
	expected: number,
	created: (result: SaveResult) => boolean,
): WriteResult[] {
	return Array.from({ length: expected }, (_, i): WriteResult => {
		const result = results[i];
		if (!result)
			return { ok: false, error: { message: 'Salesforce returned no result for this record' } };
		if (result.success && result.id) return { ok: true, id: result.id, created: created(result) };
		return { ok: false, error: toErrorInfo(result.errors) };
	});
}

function body(records: Array<Record<string, unknown>>) {
	return { allOrNone: false, records };
}

function createBody(slice: NewRecord[]) {
	return body(
		slice.map((record) => ({
			attributes: { type: assertObjectName(record.type) },
			...record.fields,
		})),
	);
}

async function createSlice(
	api: SalesforceApi,
	slice: NewRecord[],
	verifier?: CreateVerifier,
): Promise<WriteResult[]> {
	// After an ambiguous failure the transport only retries when the verifier finds none of
	// the records; if it finds some, those are reported created and the rest as failed,
	// so a retry never duplicates what already exists.
	const verify = verifier
		? async (): Promise<VerifyOutcome<SaveResult[]>> => {
				const found = await verifier(slice);
				if (found.every((id) => id === undefined)) return { status: 'not-done' };
				return {
					status: 'done',
					value: found.map((id) =>
						id
							? { id, success: true }
							: {
									success: false,
									errors: [
										{
											statusCode: 'NOT_WRITTEN',
											message:
												'Not created: the answer was lost and the record does not exist; it is written on the next delivery',
										},
									],
								},
					),
				};
			}
		: undefined;
	try {
		const results = await api.send<SaveResult[]>(
			{ method: 'POST', path: '/composite/sobjects', body: createBody(slice) },
			{ label: 'POST /composite/sobjects', idempotent: false, verify },
		);
		return mapResults(results, slice.length, () => true);
	} catch (error) {
		const failure = failureOf(error);
		return slice.map(() => ({ ok: false, error: failure }));
	}
}

export async function createRecords(
	api: SalesforceApi,
	records: NewRecord[],
	verifier?: CreateVerifier,
): Promise<WriteResult[]> {
	const slices = chunk(records, COLLECTION_LIMIT);
	return (await Promise.all(slices.map((slice) => createSlice(api, slice, verifier)))).flat();
}

async function updateSlice(api: SalesforceApi, slice: RecordUpdate[]): Promise<WriteResult[]> {
	const records = slice.map((update) => ({
		attributes: { type: assertObjectName(update.type) },
		...update.fields,
		id: assertRecordId(update.id),
	}));
	try {
		const results = await api.send<SaveResult[]>(
			{ method: 'PATCH', path: '/composite/sobjects', body: body(records) },
			{ label: 'PATCH /composite/sobjects', idempotent: true },
		);
		return mapResults(results, slice.length, () => false);
	} catch (error) {
		const failure = failureOf(error);
		return slice.map(() => ({ ok: false, error: failure }));
	}
}

export async function updateRecords(
	api: SalesforceApi,
	updates: RecordUpdate[],
): Promise<WriteResult[]> {
	const slices = chunk(updates, COLLECTION_LIMIT);
	return (await Promise.all(slices.map((slice) => updateSlice(api, slice)))).flat();
}

export function toRecordData(type: string, record: SObjectRecord): RecordData {
	const properties = withoutKeys(record, 'attributes');
	const data: RecordData = { id: record.Id, objectType: type, properties };
	if (typeof record.SystemModstamp === 'string') data.updatedAt = record.SystemModstamp;
	else if (typeof record.LastModifiedDate === 'string') data.updatedAt = record.LastModifiedDate;
	if (typeof record.CreatedDate === 'string') data.createdAt = record.CreatedDate;
	return data;
}

/** `GET /composite/sobjects/{Type}?ids=…&fields=…`; Salesforce answers in request order with null for missing ids. */
export async function retrieveRecords(
	api: SalesforceApi,
	type: string,
	ids: string[],
	fields: string[],
): Promise<ReadResult> {
	assertObjectName(type);
	ids.forEach(assertRecordId);
	const fieldList = [...new Set(['Id', ...fields.map(assertFieldName)])].join(',');
	const slices = chunk(ids, COLLECTION_LIMIT);
	const pages = await Promise.all(
		slices.map(async (slice) => {
			const path = `/composite/sobjects/${type}?ids=${slice.join(',')}&fields=${encodeURIComponent(fieldList)}`;
			const records = await api.get<Array<SObjectRecord | null>>(
				path,
				`GET /composite/sobjects/${type}`,
			);
			return slice.map((_, i) => {
				const record = records[i];
				return record ? toRecordData(type, record) : undefined;
			});
		}),
	);
	return pages.flat();
}
