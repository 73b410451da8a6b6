/**
 * Notes, meetings, tasks and calls: batch create with inline associations, batch update,
 * and the consistent lookup by idempotency key (the port's batched lookup: activityLookup.ts).
 */
import type { ActivityDraft, ActivityKind } from '../../model';
import type { VerifyOutcome } from '../../transport/types';
import type { ActivityUpdate, KeyLookupResult, WriteResult } from '../CrmProvider';
import { ACTIVITY_KEY_STORES, carriesKey, keyFilter } from './activityKey';
import { engagementProperties, inlineAssociations } from './activityProperties';
import { ENGAGEMENT_OBJECT } from './associationTypes';
import { alignBatch, UNKNOWN_OUTCOME } from './batchAlign';
import type { BatchResponse, CreateInput, HubSpotObject, SearchBody } from './client';
import { BATCH_LIMIT } from './records';
import { MAX_FILTER_GROUPS, searchAllPages } from './search';
import { findActivitiesByKey } from './keyLookup';
import type { HubSpotSession } from './session';
import { writeInChunks, type IndexedInput } from './writeChunks';

interface PreparedCreate {
	draft: ActivityDraft;
	input: CreateInput;
}

const KEY_LOOKUP_PROPERTIES: Record<ActivityKind, string[]> = {
	note: ['hs_note_body', 'hs_timestamp'],
	meeting: ['hs_meeting_title', 'hs_meeting_start_time', 'hs_meeting_external_url'],
	task: ['hs_task_subject', 'hs_task_body', 'hs_timestamp'],
	call: ['hs_call_title', 'hs_call_external_id', 'hs_timestamp'],
	chat: ['hs_communication_body', 'hs_timestamp'],
};

/** Finds which drafts of a chunk already exist, by their keys (one search per ≤5 marker keys). */
async function findByKeys(
	session: HubSpotSession,
	kind: ActivityKind,
	keys: string[],
): Promise<Map<string, HubSpotObject>> {
	const objectType = ENGAGEMENT_OBJECT[kind];
	const store = ACTIVITY_KEY_STORES[kind];
	const groupsList: Array<SearchBody['filterGroups']> = [];
	if (store.mode === 'exact') {
		groupsList.push([
			{ filters: [{ propertyName: store.property, operator: 'IN', values: keys }] },
		]);
	} else {
		for (let start = 0; start < keys.length; start += MAX_FILTER_GROUPS) {
			groupsList.push(
				keys
					.slice(start, start + MAX_FILTER_GROUPS)
					.map((key) => ({ filters: [keyFilter(kind, key)] })),
			);
		}
	}
	const found = new Map<string, HubSpotObject>();
	for (const filterGroups of groupsList) {
		const hits = await searchAllPages(session, objectType, {
			filterGroups,
			properties: KEY_LOOKUP_PROPERTIES[kind],
		});
		for (const hit of hits) {
			for (const key of keys)
				if (!found.has(key) && carriesKey(kind, hit.properties, key)) found.set(key, hit);
		}
	}
	return found;
}

/**
 * After a create whose answer was lost (500/504, reset, timeout): look the chunk's drafts up
 * by key through their associations (immediately consistent). All absent ⇒ not done (safe to
 * send again); some found ⇒ those stand in for the lost answer and the others are reported —
 * absent ones as not written (a later delivery writes them), unknown ones as uncertain.
 */
function verifyCreate(session: HubSpotSession, slice: PreparedCreate[]) {
	return async (): Promise<VerifyOutcome<BatchResponse>> => {
		const found = await lookUpByKey(
			session,
			slice.map((entry) => entry.draft),
		);
		if (found.every((result) => result.status === 'absent')) return { status: 'not-done' };
		if (found.every((result) => result.status !== 'found')) {
			const unknown = found.find((result) => result.status === 'unknown');
			return {
				status: 'unknown',
				reason: unknown?.status === 'unknown' ? unknown.reason : 'not found',
			};
		}
		const response: BatchResponse = { results: [], errors: [] };
		slice.forEach((entry, index) => {
			const result = found[index];
			const trace = entry.input.objectWriteTraceId ?? '';
			if (result.status === 'found')
				response.results.push({ id: result.id, properties: {}, objectWriteTraceId: trace });
			else
				response.errors.push({
					category: result.status === 'absent' ? 'NOT_WRITTEN' : UNKNOWN_OUTCOME,
					message:
						result.status === 'absent'
							? 'the batch create lost its answer and this activity was not written; it is written on the next delivery'
							: `the batch create lost its answer and it cannot be told whether this activity was written (${result.reason})`,
					context: { objectWriteTraceId: [trace] },
				});
		});
		return { status: 'done', value: response };
	};
}

/** Consistent key lookup (associations first, search only for drafts without targets). */
export function lookUpByKey(
	session: HubSpotSession,
	drafts: ActivityDraft[],
): Promise<KeyLookupResult[]> {
	return findActivitiesByKey(session, drafts, (kind, keys) => findByKeys(session, kind, keys));
}

export async function createActivities(
	session: HubSpotSession,
	drafts: ActivityDraft[],
	nowIso: () => string,
): Promise<WriteResult[]> {
	const out: WriteResult[] = new Array(drafts.length);
	const byKind = new Map<ActivityKind, Array<IndexedInput<PreparedCreate>>>();
	drafts.forEach((draft, index) => {
		const associations = inlineAssociations(draft);
		if (!associations.ok) {
			out[index] = { ok: false, error: { message: associations.message, code: 'INVALID_TARGET' } };
			return;
		}
		const input: CreateInput = {
			properties: engagementProperties(draft, nowIso()),
			associations: associations.associations,
			objectWriteTraceId: String(index),
		};
		const list = byKind.get(draft.kind) ?? [];
		list.push({ index, input: { draft, input } });
		byKind.set(draft.kind, list);
	});

	for (const [kind, entries] of byKind) {
		const objectType = ENGAGEMENT_OBJECT[kind];
		await writeInChunks(
			entries,
			BATCH_LIMIT,
			async (slice) => {
				const prepared = slice.map((entry) => entry.input);
				const inputs = prepared.map((entry) => entry.input);
				const response = await session.send(
					`POST /crm/v3/objects/${objectType}/batch/create`,
					false,
					(api) => api.batchCreate(objectType, inputs),
					verifyCreate(session, prepared),
				);
				return alignBatch(
					{ traceIds: inputs.map((input) => input.objectWriteTraceId ?? '') },
					response,
				).map((result) => (result.ok ? { ok: true, id: result.object.id, created: true } : result));
			},
			out,
		);
	}
	return out;
}

export async function updateActivities(
	session: HubSpotSession,
	updates: ActivityUpdate[],
	nowIso: () => string,
): Promise<WriteResult[]> {
	const out: WriteResult[] = new Array(updates.length);
	const byKind = new Map<ActivityKind, Array<IndexedInput<ActivityUpdate>>>();
	updates.forEach((update, index) => {
		const list = byKind.get(update.draft.kind) ?? [];
		list.push({ index, input: update });
		byKind.set(update.draft.kind, list);
	});
	for (const [kind, entries] of byKind) {
		const objectType = ENGAGEMENT_OBJECT[kind];
		await writeInChunks(
			entries,
			BATCH_LIMIT,
			async (slice) => {
				const inputs = slice.map((entry) => ({
					id: entry.input.id,
					properties: engagementProperties(entry.input.draft, nowIso(), 'update'),
					objectWriteTraceId: String(entry.index),
				}));
				const response = await session.send(
					`POST /crm/v3/objects/${objectType}/batch/update`,
					true,
					(api) => api.batchUpdate(objectType, inputs),
				);
				return alignBatch(
					{
						traceIds: inputs.map((input) => input.objectWriteTraceId),
						ids: inputs.map((input) => input.id),
					},
					response,
				).map((result) =>
					result.ok ? { ok: true, id: result.object.id, created: false } : result,
				);
			},
			out,
		);
	}
	return out;
}
