/**
 * createActivities / updateActivities / findActivities / findActivitiesByKey. Dynamics activities have a single
 * regarding record (a note a single object), so every draft carries at most one target —
 * the node writes one activity per target — and a whole batch of drafts goes in ONE $batch,
 * one change set each. Each activity the pack creates gets a deterministic id (activityIds.ts),
 * which makes creates idempotent in Dataverse itself.
 */
import {
	lookupWindow,
	matchActivityLookups,
	matchesByTime,
	type ActivityCandidate,
} from '../../logic/activityLookupMatch';
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

/** The $filter for a meeting in a lookup's start window with its contact, or undefined when not applicable. */
export function meetingTimeFilter(lookup: ActivityLookup): string | undefined {
	if (lookup.kind !== 'meeting' || !matchesByTime(lookup)) return undefined;
	const window = lookupWindow(lookup);
	if (!window) return undefined;
	const contact = guidLiteral(lookup.contactId as string);
	return allOf([
		`scheduledstart ge ${dateTimeLiteral(new Date(window.from).toISOString())}`,
		`scheduledstart le ${dateTimeLiteral(new Date(window.to).toISOString())}`,
		anyOf([
			eqGuid('_regardingobjectid_value', contact),
			`appointment_activity_parties/any(p:p/_partyid_value eq ${contact})`,
		]),
	]);
}

/** Rows per part considered (newest first): a key is written once per record, a window holds few meetings. */
const LOOKUP_TOP = 10;

type LookupPart = { lookup: number; by: 'key' | 'time' };

/**
 * The port's batched lookup, in ONE $batch: per lookup a GET by its key and, for a meeting
 * with a start and a contact, a GET of that contact's meetings in the start window. Each
 * part answers for one lookup, so a row from a time part is known to be with that contact;
 * the pure matcher then hands out each activity once.
 */
export async function findActivities(
	client: DynamicsClient,
	lookups: readonly ActivityLookup[],
): Promise<Array<CrmRef | undefined>> {
	const parts: LookupPart[] = [];
	const groups: BatchGroup[] = [];
	const get = (kind: ActivityKind, filter: string, part: LookupPart) => {
		parts.push(part);
		const path = activityQuery(kind, filter, LOOKUP_TOP);
		groups.push({
			kind: 'read',
			operation: { method: 'GET', url: client.url(path), headers: { Prefer: PREFER_ANNOTATIONS } },
		});
	};
	lookups.forEach((lookup, index) => {
		if (lookup.key)
			get(lookup.kind, keyFilter(lookup.kind, lookup.key), { lookup: index, by: 'key' });
		const time = meetingTimeFilter(lookup);
		if (time) get(lookup.kind, time, { lookup: index, by: 'time' });
	});
	if (groups.length === 0) return lookups.map(() => undefined);
	const label = 'POST $batch (find activities)';
	const responses = await client.batch(groups, { label, idempotent: true });
	const rows = new Map<
		string,
		{ kind: ActivityKind; row: Record<string, unknown>; contacts: Set<string> }
	>();
	parts.forEach((part, p) => {
		const response = responses[p]?.[0];
		if (!response || response.status >= 400)
			throw batchPartError(label, response?.status, response?.body ?? '');
		const lookup = lookups[part.lookup];
		const primaryId = activityEntity(lookup.kind).primaryId;
		for (const row of collectionRows(response.body)) {
			const id = `${lookup.kind}:${String(row[primaryId])}`;
			const entry = rows.get(id) ?? { kind: lookup.kind, row, contacts: new Set<string>() };
			rows.set(id, entry);
			if (part.by === 'time') entry.contacts.add(lookup.contactId as string);
		}
	});
	const found = [...rows.values()];
	const candidates: ActivityCandidate[] = found.map(({ kind, row, contacts }) => ({
		kind,
		key: lookups.find(
			(lookup) => lookup.kind === kind && lookup.key && carriesKey(kind, row, lookup.key),
		)?.key,
		startMs: typeof row.scheduledstart === 'string' ? Date.parse(row.scheduledstart) : undefined,
		contactIds: [...contacts],
	}));
	return matchActivityLookups(lookups, candidates).map((match, index) =>
		match
			? activityRef(lookups[index].kind, found[match.candidate].row, match.matchedBy)
			: undefined,
	);
}

function activityQuery(kind: ActivityKind, filter: string, top: number): string {
	const entity = activityEntity(kind);
	const select = [entity.primaryId, 'subject', 'createdon', 'modifiedon', regardingColumn(kind)];
	select.push(kind === 'note' ? 'notetext' : 'subcategory');
	if (kind === 'meeting') select.push('scheduledstart', 'scheduledend');
	return queryPath(entity.entitySet, {
		select,
		filter,
		orderBy: [{ field: 'createdon', desc: true }],
		top,
	});
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
