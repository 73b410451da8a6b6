/**
 * Client reads and writes. autoch.at has no batch endpoints, so each record is one call
 * (the transport keeps the pace under 100 requests/min). The API offers no unique key or
 * conditional create, so there is no upsert by email or phone: callers look a client up
 * first and create it only when it is missing.
 */
import {
	noUniqueUpsert,
	type ReadResult,
	type RecordData,
	type RecordWrite,
	type WriteResult,
} from '../CrmProvider';
import type { AutochatApi } from './api';
import { autochatEndpoints, readRecord, type AutochatClientRecord } from './endpoints';
import { CLIENT_OBJECT_TYPE, assertClientObjectType } from './objectType';
import { AUTOCHAT_PROFILE } from './profile';
import { runEach } from './runEach';

/** Client fields that are bookkeeping, not data: never sent in a write. */
const SERVER_FIELDS = new Set(['id', 'created_at', 'updated_at']);

export function toRecordData(
	client: AutochatClientRecord,
	properties: readonly string[] = [],
): RecordData {
	const all: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(client))
		if (!SERVER_FIELDS.has(name)) all[name] = value;
	const picked =
		properties.length === 0
			? all
			: Object.fromEntries(properties.map((name) => [name, all[name] ?? null]));
	return {
		id: client.id,
		objectType: CLIENT_OBJECT_TYPE,
		properties: picked,
		createdAt: typeof client.created_at === 'string' ? client.created_at : undefined,
		updatedAt: typeof client.updated_at === 'string' ? client.updated_at : undefined,
	};
}

const readClient = (label: string) => (body: unknown) =>
	readRecord<AutochatClientRecord>(body, label);

export async function getRecords(
	api: AutochatApi,
	objectType: string,
	ids: string[],
	properties: string[],
): Promise<ReadResult> {
	assertClientObjectType(objectType);
	const results: ReadResult = [];
	for (const id of ids) {
		const request = autochatEndpoints.getClient(id);
		const client = await api.sendAllowingNotFound(request, readClient(request.label));
		results.push(client ? toRecordData(client, properties) : undefined);
	}
	return results;
}

function writableFields(properties: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(
		Object.entries(properties).filter(
			([name, value]) => !SERVER_FIELDS.has(name) && value !== undefined,
		),
	);
}

async function updateClient(
	api: AutochatApi,
	id: string,
	fields: Record<string, unknown>,
): Promise<WriteResult> {
	const request = autochatEndpoints.updateClient(id, fields);
	const client = await api.send(request, readClient(request.label), { idempotent: true });
	return { ok: true, id: client.id, created: false };
}

async function createClient(
	api: AutochatApi,
	fields: Record<string, unknown>,
): Promise<WriteResult> {
	const request = autochatEndpoints.createClient(fields);
	// No verify: without a unique key there is no reliable way to tell our new client from
	// an existing one, so an ambiguous create fails clearly instead of risking a duplicate.
	const client = await api.send(request, readClient(request.label), { idempotent: false });
	return { ok: true, id: client.id, created: true };
}

async function writeOne(api: AutochatApi, write: RecordWrite): Promise<WriteResult> {
	const fields = writableFields(write.properties);
	if (write.id) return updateClient(api, write.id, fields);
	if (write.idProperty !== undefined)
		return noUniqueUpsert(AUTOCHAT_PROFILE.displayName, write.idProperty);
	return createClient(api, fields);
}

export async function upsertRecords(
	api: AutochatApi,
	objectType: string,
	writes: RecordWrite[],
): Promise<WriteResult[]> {
	assertClientObjectType(objectType);
	return runEach(writes, (write) => writeOne(api, write));
}
