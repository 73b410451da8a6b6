/**
 * getRecords / upsertRecords. Reads go as one $batch of GETs; writes as one $batch with a
 * change set per record, so a failing record rolls back only itself.
 *
 * Write modes (RecordWrite → request):
 * - `{ id }`          PATCH set(id) + `If-Match: *`   update only
 * - `{ properties }`  POST set                         create
 * Activities (activities.ts) are created once with the pack's own id (`known.createOnce`).
 */
import {
	noUniqueUpsert,
	type ReadResult,
	type RecordData,
	type RecordLookup,
	type RecordWrite,
	type WriteResult,
} from '../CrmProvider';
import type { BatchGroup, BatchOperation } from './batch';
import type { DynamicsClient } from './client';
import { batchPartError } from './errors';
import { knownEntity, type EntityInfo } from './entities';
import { plainProperties } from './rows';
import { guidLiteral, identifier, isGuid } from './odata';
import { DYNAMICS_PROFILE } from './profile';
import { inputError, writeResult, type KnownWrite } from './writeResults';

export async function getRecords(
	client: DynamicsClient,
	entity: EntityInfo,
	ids: readonly string[],
	properties: readonly string[],
): Promise<ReadResult> {
	const select = [...new Set([entity.primaryId, 'createdon', 'modifiedon', ...properties])].map(
		identifier,
	);
	const requested = ids.map((id, index) => ({ id, index })).filter(({ id }) => isGuid(id));
	const results: ReadResult = ids.map(() => undefined);
	if (requested.length === 0) return results;

	const groups: BatchGroup[] = requested.map(({ id }) => ({
		kind: 'read',
		operation: {
			method: 'GET',
			url: client.url(`${entity.entitySet}(${guidLiteral(id)})?$select=${select.join(',')}`),
		},
	}));
	const label = `POST $batch (read ${entity.entitySet})`;
	const responses = await client.batch(groups, { label, idempotent: true });
	requested.forEach(({ index }, position) => {
		const part = responses[position]?.[0];
		if (part?.status === 404) return;
		if (!part || part.status >= 400) throw batchPartError(label, part?.status, part?.body ?? '');
		results[index] = toRecordData(entity, JSON.parse(part.body) as Record<string, unknown>);
	});
	return results;
}

export function toRecordData(entity: EntityInfo, row: Record<string, unknown>): RecordData {
	const record: RecordData = {
		id: String(row[entity.primaryId]),
		objectType: entity.logicalName,
		properties: plainProperties(row),
	};
	if (typeof row.createdon === 'string') record.createdAt = row.createdon;
	if (typeof row.modifiedon === 'string') record.updatedAt = row.modifiedon;
	return record;
}

/**
 * Lookups as `<navigation property>@odata.bind` entries pointing at `/<entity set>(<id>)`;
 * a message when one cannot be sent (an id that is not a GUID, a table the provider does not know).
 */
export function lookupBinds(lookups: readonly RecordLookup[]): Record<string, string> | string {
	const binds: Record<string, string> = {};
	for (const lookup of lookups) {
		const entity = knownEntity(lookup.objectType);
		if (!entity)
			return `Lookup "${lookup.field}": unknown Dynamics 365 table "${lookup.objectType}"`;
		if (!isGuid(lookup.id))
			return `Lookup "${lookup.field}": "${lookup.id.slice(0, 60)}" is not a Dynamics 365 record id (GUID)`;
		binds[`${identifier(lookup.field)}@odata.bind`] =
			`/${entity.entitySet}(${guidLiteral(lookup.id)})`;
	}
	return binds;
}

export interface PlannedWrite {
	operation: BatchOperation;
	known: KnownWrite;
}

/** The request for one write, or why it cannot be sent (a message, or the refusal itself). */
export function planWrite(
	client: DynamicsClient,
	entity: EntityInfo,
	write: RecordWrite,
): PlannedWrite | string | WriteResult {
	const set = entity.entitySet;
	const binds = lookupBinds(write.lookups ?? []);
	if (typeof binds === 'string') return binds;
	const body = { ...write.properties, ...binds };
	const primaryId = entity.primaryId;
	if (write.id !== undefined) {
		if (!isGuid(write.id))
			return `Record id "${write.id.slice(0, 60)}" is not a Dynamics 365 record id (GUID)`;
		const id = guidLiteral(write.id);
		return {
			operation: {
				method: 'PATCH',
				url: client.url(`${set}(${id})`),
				headers: { 'If-Match': '*' },
				body,
			},
			known: { id, created: false, primaryId },
		};
	}
	if (write.idProperty !== undefined)
		return noUniqueUpsert(DYNAMICS_PROFILE.displayName, write.idProperty);
	return {
		operation: { method: 'POST', url: client.url(set), body },
		known: { created: true, primaryId },
	};
}

export async function upsertRecords(
	client: DynamicsClient,
	entity: EntityInfo,
	writes: readonly RecordWrite[],
): Promise<WriteResult[]> {
	const plans = writes.map((write) => planWrite(client, entity, write));
	return await sendWrites(client, plans, `POST $batch (write ${entity.entitySet})`);
}

/** Sends planned writes (one change set each) and aligns results; invalid inputs never reach the CRM. */
export async function sendWrites(
	client: DynamicsClient,
	plans: ReadonlyArray<PlannedWrite | string | WriteResult>,
	label: string,
): Promise<WriteResult[]> {
	const valid = plans
		.map((plan, index) => ({ plan, index }))
		.filter(
			(entry): entry is { plan: PlannedWrite; index: number } =>
				typeof entry.plan !== 'string' && 'operation' in entry.plan,
		);
	const results: WriteResult[] = plans.map((plan) =>
		typeof plan === 'string' ? inputError(plan) : 'ok' in plan ? plan : inputError('not sent'),
	);
	if (valid.length === 0) return results;
	const groups: BatchGroup[] = valid.map(({ plan }) => ({
		kind: 'changeset',
		operations: [plan.operation],
	}));
	// A plain POST is a create: never blindly re-sent after an ambiguous failure. A create with
	// the pack's own id is: Dataverse refuses the copy.
	const idempotent = valid.every(
		({ plan }) => plan.operation.method !== 'POST' || plan.known.createOnce === true,
	);
	const responses = await client.batch(groups, { label, idempotent });
	valid.forEach(({ plan, index }, position) => {
		results[index] = writeResult(responses[position]?.[0], plan.known);
	});
	return results;
}
