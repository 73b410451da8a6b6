/**
 * getRecords / upsertRecords through the v3 batch endpoints, ≤100 inputs per call,
 * results aligned to the inputs (207 partial failures mapped back per input).
 */
import { chunk } from '../batch';
import type { ReadResult, RecordData, RecordWrite, WriteResult } from '../CrmProvider';
import { alignBatch } from './batchAlign';
import type { HubSpotObject, UpdateInput } from './client';
import { stringifyProperties } from './propertyValues';
import type { HubSpotSession } from './session';
import { writeInChunks, type IndexedInput } from './writeChunks';

export const BATCH_LIMIT = 100;

export function toRecordData(objectType: string, object: HubSpotObject): RecordData {
	return {
		id: object.id,
		objectType,
		properties: { ...object.properties },
		createdAt: object.createdAt,
		updatedAt: object.updatedAt,
	};
}

export async function getRecords(
	session: HubSpotSession,
	objectType: string,
	ids: string[],
	properties: string[],
): Promise<ReadResult> {
	const found = new Map<string, RecordData>();
	const unique = [...new Set(ids)];
	for (const slice of chunk(unique, BATCH_LIMIT)) {
		// A missing id comes back as an OBJECT_NOT_FOUND entry in `errors` (207); it stays undefined.
		const response = await session.send(
			`POST /crm/v3/objects/${objectType}/batch/read`,
			true,
			(api) => api.batchRead(objectType, slice, properties),
		);
		for (const object of response.results) found.set(object.id, toRecordData(objectType, object));
	}
	return ids.map((id) => found.get(id));
}

type WriteMode = 'update' | 'upsert' | 'create';

function modeOf(write: RecordWrite): WriteMode {
	if (write.id) return 'update';
	if (write.idProperty) return 'upsert';
	return 'create';
}

function updateInput(write: RecordWrite, traceId: string): UpdateInput {
	const properties = stringifyProperties(write.properties);
	if (write.id) return { id: write.id, properties, objectWriteTraceId: traceId };
	return {
		id: write.idValue ?? '',
		idProperty: write.idProperty,
		properties,
		objectWriteTraceId: traceId,
	};
}

export async function upsertRecords(
	session: HubSpotSession,
	objectType: string,
	writes: RecordWrite[],
): Promise<WriteResult[]> {
	const out: WriteResult[] = new Array(writes.length);
	const groups: Record<WriteMode, Array<IndexedInput<RecordWrite>>> = {
		update: [],
		upsert: [],
		create: [],
	};
	writes.forEach((write, index) => {
		if (!write.id && write.idProperty && !write.idValue) {
			out[index] = {
				ok: false,
				error: { message: `upsert by ${write.idProperty} needs a value for it` },
			};
			return;
		}
		groups[modeOf(write)].push({ index, input: write });
	});

	await writeInChunks(
		groups.update,
		BATCH_LIMIT,
		async (slice) => {
			const inputs = slice.map((entry) => updateInput(entry.input, String(entry.index)));
			const response = await session.send(
				`POST /crm/v3/objects/${objectType}/batch/update`,
				true,
				(api) => api.batchUpdate(objectType, inputs),
			);
			return alignBatch(
				{
					traceIds: inputs.map((input) => input.objectWriteTraceId ?? ''),
					ids: inputs.map((input) => input.id),
				},
				response,
			).map((result) => (result.ok ? { ok: true, id: result.object.id, created: false } : result));
		},
		out,
	);

	await writeInChunks(
		groups.upsert,
		BATCH_LIMIT,
		async (slice) => {
			const inputs = slice.map((entry) => updateInput(entry.input, String(entry.index)));
			const response = await session.send(
				`POST /crm/v3/objects/${objectType}/batch/upsert`,
				true,
				(api) => api.batchUpsert(objectType, inputs),
			);
			const keys = {
				traceIds: inputs.map((input) => input.objectWriteTraceId ?? ''),
				ids: inputs.map((input) => input.id),
				idProperty:
					inputs.length && inputs.every((input) => input.idProperty === inputs[0]?.idProperty)
						? inputs[0]?.idProperty
						: undefined,
			};
			return alignBatch(keys, response).map((result) =>
				result.ok
					? { ok: true, id: result.object.id, created: result.object.new === true }
					: result,
			);
		},
		out,
	);

	// Plain creates cannot be verified after an ambiguous failure, so the transport never repeats them blindly.
	await writeInChunks(
		groups.create,
		BATCH_LIMIT,
		async (slice) => {
			const inputs = slice.map((entry) => ({
				properties: stringifyProperties(entry.input.properties),
				objectWriteTraceId: String(entry.index),
			}));
			const response = await session.send(
				`POST /crm/v3/objects/${objectType}/batch/create`,
				false,
				(api) => api.batchCreate(objectType, inputs),
			);
			return alignBatch(
				{ traceIds: inputs.map((input) => input.objectWriteTraceId) },
				response,
			).map((result) => (result.ok ? { ok: true, id: result.object.id, created: true } : result));
		},
		out,
	);

	return out;
}
