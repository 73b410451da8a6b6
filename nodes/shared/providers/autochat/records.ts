/**
 * Client reads and writes. autoch.at has no batch endpoints, so each record is one call
 * (the transport keeps the pace under 100 requests/min).
 *
 * Upsert by `email` or `phone` looks the client up first, then PATCHes it or POSTs a new
 * one. That is two calls and not atomic: another writer creating the same client between
 * our lookup and our POST produces a duplicate. The API offers no unique key or
 * conditional create to close that race, so callers should not run two upserts for the
 * same person at once.
 */
import { normalizeEmail } from '../../logic/email';
import { normalizePhone } from '../../logic/phone';
import type { ReadResult, RecordData, RecordWrite, WriteResult } from '../CrmProvider';
import type { AutochatApi } from './api';
import { findClients } from './lookup';
import { autochatEndpoints, readRecord, type AutochatClientRecord } from './endpoints';
import { CLIENT_OBJECT_TYPE, assertClientObjectType } from './objectType';
import { runEach } from './runEach';

/** Client fields that are bookkeeping, not data: never sent in a write. */
const SERVER_FIELDS = new Set(['id', 'created_at', 'updated_at']);

export function toRecordData(client: AutochatClientRecord, properties: readonly string[] = []): RecordData {
	const all: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(client)) if (!SERVER_FIELDS.has(name)) all[name] = value;
	const picked = properties.length === 0 ? all : Object.fromEntries(properties.map((name) => [name, all[name] ?? null]));
	return {
		id: client.id,
		objectType: CLIENT_OBJECT_TYPE,
		properties: picked,
		createdAt: typeof client.created_at === 'string' ? client.created_at : undefined,
		updatedAt: typeof client.updated_at === 'string' ? client.updated_at : undefined,
	};
}

const readClient = (label: string) => (body: unknown) => readRecord<AutochatClientRecord>(body, label);

export async function getRecords(api: AutochatApi, objectType: string, ids: string[], properties: string[]): Promise<ReadResult> {
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
	return Object.fromEntries(Object.entries(properties).filter(([name, value]) => !SERVER_FIELDS.has(name) && value !== undefined));
}

async function updateClient(api: AutochatApi, id: string, fields: Record<string, unknown>): Promise<WriteResult> {
	const request = autochatEndpoints.updateClient(id, fields);
	const client = await api.send(request, readClient(request.label), { idempotent: true });
	return { ok: true, id: client.id, created: false };
}

async function createClient(api: AutochatApi, fields: Record<string, unknown>): Promise<WriteResult> {
	const request = autochatEndpoints.createClient(fields);
	// No verify: without a unique key there is no reliable way to tell our new client from
	// an existing one, so an ambiguous create fails clearly instead of risking a duplicate.
	const client = await api.send(request, readClient(request.label), { idempotent: false });
	return { ok: true, id: client.id, created: true };
}

const UPSERT_KEYS = ['email', 'phone'] as const;
type UpsertKey = (typeof UPSERT_KEYS)[number];
const isUpsertKey = (name: string): name is UpsertKey => (UPSERT_KEYS as readonly string[]).includes(name);

async function writeOne(api: AutochatApi, write: RecordWrite): Promise<WriteResult> {
	const fields = writableFields(write.properties);
	if (write.id) return updateClient(api, write.id, fields);
	if (write.idProperty === undefined) return createClient(api, fields);
	if (!isUpsertKey(write.idProperty)) {
		return {
			ok: false,
			error: { message: `autoch.at CRM clients can only be upserted by email or phone, not "${write.idProperty}"`, code: 'UNSUPPORTED_ID_PROPERTY' },
		};
	}
	const value = write.idValue ?? (typeof fields[write.idProperty] === 'string' ? (fields[write.idProperty] as string) : undefined);
	if (!value) return { ok: false, error: { message: `Upsert by ${write.idProperty} needs a value for ${write.idProperty}`, code: 'MISSING_ID_VALUE' } };
	// A key we cannot look up would always "not exist" and create a duplicate: refuse it instead.
	const usable = write.idProperty === 'phone' ? normalizePhone(value) : normalizeEmail(value);
	if (!usable.ok) {
		return {
			ok: false,
			error: { message: `Cannot upsert by ${write.idProperty}: ${usable.reason}${write.idProperty === 'phone' ? ' (use E.164, e.g. +14155550101)' : ''}`, code: 'INVALID_ID_VALUE' },
		};
	}
	const existing = await findClients(api, write.idProperty, value);
	// Several clients with the same key: update the oldest (the original), never create another.
	const target = existing.sort((a, b) => String(a.created_at ?? '').localeCompare(String(b.created_at ?? '')))[0];
	if (target) return updateClient(api, target.id, fields);
	return createClient(api, { ...fields, [write.idProperty]: fields[write.idProperty] ?? value });
}

export async function upsertRecords(api: AutochatApi, objectType: string, writes: RecordWrite[]): Promise<WriteResult[]> {
	assertClientObjectType(objectType);
	return runEach(writes, (write) => writeOne(api, write));
}
