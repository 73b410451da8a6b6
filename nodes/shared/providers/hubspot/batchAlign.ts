/**
 * Puts a batch response back in input order. Every input carries an `objectWriteTraceId`
 * (its position), which HubSpot echoes on results and in the `context` of per-input errors
 * of a 207 Multi-Status answer; update/read errors name the failing ids in `context.ids`.
 * Whatever cannot be matched that way falls back to the order of the leftovers, so every
 * input ends with exactly one result or one error.
 */
import type { CrmErrorInfo } from '../CrmProvider';
import type { BatchError, BatchResponse, HubSpotObject } from './client';
import { batchErrorMessage } from './errors';

export type AlignedResult =
	{ ok: true; object: HubSpotObject } | { ok: false; error: CrmErrorInfo };

export interface AlignKeys {
	/** objectWriteTraceId sent with each input. */
	traceIds: string[];
	/** The id each input was addressed by (record id, or the upsert idProperty value). */
	ids?: Array<string | undefined>;
	/** Upserts: results name the record id, so they are also matched by this property's value. */
	idProperty?: string;
}

/** Category the provider gives an input whose create may or may not have happened (never HubSpot's own). */
export const UNKNOWN_OUTCOME = 'UNKNOWN_OUTCOME';

function errorInfo(error: BatchError): CrmErrorInfo {
	const info: CrmErrorInfo = { message: batchErrorMessage(error), code: error.category };
	if (error.category === UNKNOWN_OUTCOME) info.uncertain = true;
	return info;
}

export function alignBatch(keys: AlignKeys, response: BatchResponse): AlignedResult[] {
	const count = keys.traceIds.length;
	const slots: Array<AlignedResult | undefined> = new Array(count).fill(undefined);
	const byTrace = new Map(keys.traceIds.map((trace, index) => [trace, index]));
	const byId = new Map<string, number[]>();
	(keys.ids ?? []).forEach((id, index) => {
		if (id === undefined) return;
		const key = id.toLowerCase();
		byId.set(key, [...(byId.get(key) ?? []), index]);
	});
	const freeById = (id: string): number | undefined =>
		byId.get(id.toLowerCase())?.find((index) => !slots[index]);

	const leftoverResults: HubSpotObject[] = [];
	for (const object of response.results) {
		const byProperty = keys.idProperty ? object.properties[keys.idProperty] : undefined;
		const index =
			(object.objectWriteTraceId !== undefined
				? byTrace.get(object.objectWriteTraceId)
				: undefined) ??
			freeById(object.id) ??
			(byProperty ? freeById(byProperty) : undefined);
		if (index !== undefined && !slots[index]) slots[index] = { ok: true, object };
		else leftoverResults.push(object);
	}

	const leftoverErrors: BatchError[] = [];
	for (const error of response.errors) {
		const context = error.context ?? {};
		const indexes = [
			...(context.objectWriteTraceId ?? []).map((trace) => byTrace.get(trace)),
			...(context.ids ?? []).map((id) => freeById(id)),
		].filter((index): index is number => index !== undefined && !slots[index]);
		if (!indexes.length) {
			leftoverErrors.push(error);
			continue;
		}
		for (const index of indexes) slots[index] = { ok: false, error: errorInfo(error) };
	}

	// HubSpot returns results in input order when it does not echo trace ids.
	for (let index = 0; index < count; index++) {
		if (slots[index]) continue;
		const object = leftoverResults.shift();
		if (object) {
			slots[index] = { ok: true, object };
			continue;
		}
		const error = leftoverErrors.length > 1 ? leftoverErrors.shift() : leftoverErrors[0];
		slots[index] = {
			ok: false,
			error: error
				? errorInfo(error)
				: { message: 'HubSpot returned neither a result nor an error for this input' },
		};
	}
	return slots as AlignedResult[];
}
