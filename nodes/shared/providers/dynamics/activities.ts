/**
 * createActivities / updateActivities / findActivity. Dynamics activities have a single
 * regarding record (a note a single object), so every draft carries at most one target —
 * the node writes one activity per target — and a whole batch of drafts goes in ONE $batch,
 * one change set each. Each activity the pack creates gets a deterministic id (activityIds.ts),
 * which makes creates idempotent in Dataverse itself.
 */
import { withoutKeys } from '../../logic/withoutKeys';
import type { ActivityDraft, ActivityKind, CrmRef, ObjectKind } from '../../model';
import type { ActivityLookup, ActivityUpdate, KeyLookupResult, WriteResult } from '../CrmProvider';
import type { BatchGroup } from './batch';
import type { DynamicsClient } from './client';
import { batchPartError } from './errors';
import {
	activityBody,
	activityEntity,
	draftProblem,
	noteKeyMarker,
	storedKey,
} from './activityBodies';
import { activityId } from './activityIds';
import { ACTIVITY_ENTITY } from './entities';
import { PREFER_ANNOTATIONS } from './http';
import { collectionRows, plainProperties } from './rows';
import {
	allOf,
	anyOf,
	contains,
	dateTimeLiteral,
	eq,
	eqGuid,
	guidLiteral,
	isGuid,
	queryPath,
} from './odata';
import { sendWrites, type PlannedWrite } from './records';

const LOGICAL_TO_KIND: Record<string, ObjectKind> = {
	contact: 'contact',
	account: 'company',
	opportunity: 'deal',
	lead: 'lead',
};

/**
 * How a create is made idempotent per table: annotations and tasks by an upsert that only
 * creates (`PATCH set(<id>)` + `If-None-Match: *`, answered 412 when the id exists); phone
 * calls and appointments deep-insert their activity parties, which Dataverse documents for
 * POST only, so they are POSTed with the id in the body (a duplicate key when it exists).
 */
const CREATED_BY_POST: ReadonlySet<ActivityKind> = new Set(['call', 'meeting']);

/** One create with the activity's deterministic id: sending it again can never store a copy. */
function createPlan(client: DynamicsClient, draft: ActivityDraft): PlannedWrite {
	const entity = activityEntity(draft.kind);
	const id = activityId(draft);
	const known = { id, created: true, primaryId: entity.primaryId, createOnce: true };
	// The pack's id wins over a native property of the same name.
	const body = withoutKeys(activityBody(draft, 'create'), entity.primaryId);
	if (CREATED_BY_POST.has(draft.kind)) {
		return {
			operation: {
				method: 'POST',
				url: client.url(entity.entitySet),
				body: { ...body, [entity.primaryId]: id },
			},
			known,
		};
	}
	return {
		operation: {
			method: 'PATCH',
			url: client.url(`${entity.entitySet}(${id})`),
			headers: { 'If-None-Match': '*' },
			body,
		},
		known,
	};
}

/**
 * Creates in ONE $batch, one change set each. Every create carries its own id, so the batch
 * is idempotent: after a 500, a reset or a timeout the transport simply sends it again, and
 * an activity already stored answers "exists" (success, `created: false`) — it is never
 * updated, so a user's edits stay.
 */
export async function createActivities(
	client: DynamicsClient,
	drafts: readonly ActivityDraft[],
): Promise<WriteResult[]> {
	const plans = drafts.map((draft) => safeProblem(draft) ?? createPlan(client, draft));
	return await sendWrites(client, plans, 'POST $batch (create activities)');
}

/**
 * The port's lookup, in one $batch: per draft a GET of its deterministic id and, for
 * activities written before ids were deterministic, the key filter on its target. Dataverse
 * reads are immediately consistent, so "not found" is certain.
 */
export async function findActivitiesByKey(
	client: DynamicsClient,
	drafts: readonly ActivityDraft[],
): Promise<KeyLookupResult[]> {
	if (drafts.length === 0) return [];
	const label = 'POST $batch (find activities by key)';
	const groups: BatchGroup[] = drafts.flatMap((draft): BatchGroup[] => {
		const entity = activityEntity(draft.kind);
		const byId = `${entity.entitySet}(${activityId(draft)})?$select=${entity.primaryId}`;
		return [
			{ kind: 'read', operation: { method: 'GET', url: client.url(byId) } },
			{ kind: 'read', operation: { method: 'GET', url: client.url(keyQuery(draft)) } },
		];
	});
	const responses = await client.batch(groups, { label, idempotent: true });
	return drafts.map((draft, index): KeyLookupResult => {
		const byId = responses[2 * index]?.[0];
		if (byId?.status === 200) return { status: 'found', id: activityId(draft) };
		if (byId?.status !== 404) throw batchPartError(label, byId?.status, byId?.body ?? '');
		const byKey = responses[2 * index + 1]?.[0];
		if (!byKey || byKey.status >= 400)
			throw batchPartError(label, byKey?.status, byKey?.body ?? '');
		const row = collectionRows(byKey.body)[0];
		const primaryId = activityEntity(draft.kind).primaryId;
		return row && carriesKey(draft.kind, row, draft.key)
			? { status: 'found', id: String(row[primaryId]) }
			: { status: 'absent' };
	});
}

/** The key filter for a draft, narrowed to its own target (the same key is written once per regarding record). */
function keyQuery(draft: ActivityDraft): string {
	const entity = activityEntity(draft.kind);
	const keyColumn = draft.kind === 'note' ? 'notetext' : 'subcategory';
	const target =
		draft.targets.length === 1 && isGuid(draft.targets[0].id) ? draft.targets[0].id : undefined;
	const filter = target
		? allOf([
				keyFilter(draft.kind, draft.key),
				eqGuid(regardingColumn(draft.kind), guidLiteral(target)),
			])
		: keyFilter(draft.kind, draft.key);
	return queryPath(entity.entitySet, { select: [entity.primaryId, keyColumn], filter, top: 1 });
}

function keyFilter(kind: ActivityKind, key: string): string {
	return kind === 'note'
		? contains('notetext', noteKeyMarker(key))
		: eq('subcategory', storedKey(key));
}

function carriesKey(kind: ActivityKind, row: Record<string, unknown>, key: string): boolean {
	if (kind === 'note')
		return typeof row.notetext === 'string' && row.notetext.includes(noteKeyMarker(key));
	return row.subcategory === storedKey(key);
}

export async function updateActivities(
	client: DynamicsClient,
	updates: readonly ActivityUpdate[],
): Promise<WriteResult[]> {
	const plans = updates.map(({ id, draft }) => {
		if (!isGuid(id))
			return `Activity id "${id.slice(0, 60)}" is not a Dynamics 365 record id (GUID)`;
		const problem = safeProblem(draft);
		if (problem) return problem;
		const entity = activityEntity(draft.kind);
		return {
			operation: {
				method: 'PATCH' as const,
				url: client.url(`${entity.entitySet}(${guidLiteral(id)})`),
				headers: { 'If-Match': '*' },
				body: activityBody(draft, 'update'),
			},
			known: { id: guidLiteral(id), created: false, primaryId: entity.primaryId },
		};
	});
	return await sendWrites(client, plans, 'POST $batch (update activities)');
}

/** draftProblem, with unexpected validation errors (bad dates) reported as the item's reason. */
function safeProblem(draft: ActivityDraft): string | undefined {
	try {
		const problem = draftProblem(draft);
		if (problem) return problem;
		activityBody(draft, 'create');
		return undefined;
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/** The $filter for a meeting at a start time (± tolerance) with a contact, or undefined when not applicable. */
export function meetingTimeFilter(lookup: ActivityLookup): string | undefined {
	if (lookup.kind !== 'meeting' || !lookup.startAt || !lookup.contactId) return undefined;
	const start = Date.parse(lookup.startAt);
	if (Number.isNaN(start))
		throw new Error(`findActivity: startAt "${lookup.startAt.slice(0, 40)}" is not a timestamp`);
	const tolerance = (lookup.toleranceMinutes ?? 0) * 60_000;
	const contact = guidLiteral(lookup.contactId);
	return allOf([
		`scheduledstart ge ${dateTimeLiteral(new Date(start - tolerance).toISOString())}`,
		`scheduledstart le ${dateTimeLiteral(new Date(start + tolerance).toISOString())}`,
		anyOf([
			eqGuid('_regardingobjectid_value', contact),
			`appointment_activity_parties/any(p:p/_partyid_value eq ${contact})`,
		]),
	]);
}

/** By key first (exact, stored with the activity); a meeting then by start time on the same contact, closest first. */
export async function findActivity(
	client: DynamicsClient,
	lookup: ActivityLookup,
): Promise<CrmRef | undefined> {
	if (lookup.key) {
		const [row] = await queryActivities(client, lookup.kind, keyFilter(lookup.kind, lookup.key), 1);
		if (row) return activityRef(lookup.kind, row, 'key');
	}
	const timeFilter = meetingTimeFilter(lookup);
	if (!timeFilter) return undefined;
	const rows = await queryActivities(client, lookup.kind, timeFilter, TIME_CANDIDATES);
	const target = Date.parse(lookup.startAt as string);
	const distance = (row: Record<string, unknown>) =>
		Math.abs(Date.parse(String(row.scheduledstart)) - target);
	const closest = [...rows].sort((a, b) => distance(a) - distance(b))[0];
	return closest ? activityRef(lookup.kind, closest, 'time') : undefined;
}

/** Meetings in the window considered when picking the closest start. */
const TIME_CANDIDATES = 10;

async function queryActivities(
	client: DynamicsClient,
	kind: ActivityKind,
	filter: string,
	top: number,
): Promise<Array<Record<string, unknown>>> {
	const entity = activityEntity(kind);
	const select = [entity.primaryId, 'subject', 'createdon', 'modifiedon', regardingColumn(kind)];
	if (kind === 'meeting') select.push('scheduledstart', 'scheduledend');
	const path = queryPath(entity.entitySet, {
		select,
		filter,
		orderBy: [{ field: 'createdon', desc: true }],
		top,
	});
	const page = await client.getJson<{ value?: Array<Record<string, unknown>> }>(
		path,
		`GET ${entity.entitySet} (find activity)`,
		{
			Prefer: PREFER_ANNOTATIONS,
		},
	);
	return page.value ?? [];
}

function regardingColumn(kind: ActivityKind): string {
	return kind === 'note' ? '_objectid_value' : '_regardingobjectid_value';
}

/**
 * CrmRef kinds are record kinds: an activity reports the kind of the record it is about
 * (from the lookup's logical-name annotation), its table in `objectType` and its activity
 * kind in `properties.activityKind` — the same convention as the HubSpot provider.
 */
function activityRef(kind: ActivityKind, row: Record<string, unknown>, matchedBy: string): CrmRef {
	const entity = activityEntity(kind);
	const regardingType = row[`${regardingColumn(kind)}@Microsoft.Dynamics.CRM.lookuplogicalname`];
	const ref: CrmRef = {
		crm: 'dynamics',
		kind:
			(typeof regardingType === 'string' ? LOGICAL_TO_KIND[regardingType] : undefined) ?? 'contact',
		objectType: ACTIVITY_ENTITY[kind],
		id: String(row[entity.primaryId]),
		matchedBy,
		properties: { ...plainProperties(row), activityKind: kind },
	};
	if (typeof row.subject === 'string') ref.name = row.subject;
	if (typeof row.createdon === 'string') ref.createdAt = row.createdon;
	if (typeof row.modifiedon === 'string') ref.updatedAt = row.modifiedon;
	return ref;
}
