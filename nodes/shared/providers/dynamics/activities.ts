/**
 * createActivities / updateActivities / findActivity. Dynamics activities have a single
 * regarding record (a note a single object), so every draft carries at most one target —
 * the node writes one activity per target — and a whole batch of drafts goes in ONE $batch,
 * one change set each.
 */
import type { ActivityDraft, ActivityKind, CrmRef, ObjectKind } from '../../model';
import { CrmRequestError } from '../../transport/errors';
import type { ActivityLookup, ActivityUpdate, KeyLookupResult, WriteResult } from '../CrmProvider';
import type { BatchGroup } from './batch';
import type { DynamicsClient } from './client';
import { batchPartError } from './errors';
import { activityBody, activityEntity, draftProblem, noteKeyMarker, storedKey } from './activityBodies';
import { ACTIVITY_ENTITY } from './entities';
import { PREFER_ANNOTATIONS } from './http';
import { collectionRows, plainProperties } from './rows';
import { allOf, anyOf, contains, dateTimeLiteral, eq, eqGuid, guidLiteral, isGuid, queryPath } from './odata';
import { sendWrites } from './records';

const LOGICAL_TO_KIND: Record<string, ObjectKind> = {
	contact: 'contact',
	account: 'company',
	opportunity: 'deal',
	lead: 'lead',
};

export async function createDynamicsActivities(client: DynamicsClient, drafts: readonly ActivityDraft[]): Promise<WriteResult[]> {
	const plans = drafts.map((draft) => {
		const problem = safeProblem(draft);
		if (problem) return problem;
		const entity = activityEntity(draft.kind);
		return {
			operation: { method: 'POST' as const, url: client.url(entity.entitySet), body: activityBody(draft, 'create') },
			known: { created: true, primaryId: entity.primaryId },
		};
	});
	const label = 'POST $batch (create activities)';
	const outcome = await sendWrites(client, plans, label).then(
		(results) => ({ results }),
		(error: unknown) => ({ error }),
	);
	if ('results' in outcome) return outcome.results;
	const ambiguous = outcome.error instanceof CrmRequestError && outcome.error.kind === 'ambiguous';
	// Any other failure is the transport's final CrmRequestError: passed on unchanged.
	if (!ambiguous) throw outcome.error;
	return await afterAmbiguousCreate(client, drafts, plans, label, (outcome.error as CrmRequestError).timedOut === true);
}

/**
 * The create $batch failed after it may have reached Dataverse (timeout, reset, 500). Dataverse
 * reads are immediately consistent, so the draft keys tell exactly what was written: nothing ⇒
 * send once more; some ⇒ those succeeded and the rest are reported, never written twice.
 */
async function afterAmbiguousCreate(
	client: DynamicsClient,
	drafts: readonly ActivityDraft[],
	plans: Parameters<typeof sendWrites>[1],
	label: string,
	timedOut: boolean,
): Promise<WriteResult[]> {
	const sendable = drafts.map((draft, index) => ({ draft, index })).filter(({ index }) => typeof plans[index] !== 'string');
	const foundBySendable = await findActivitiesByKey(
		client,
		sendable.map(({ draft }) => draft),
	);
	const found = new Map([...foundBySendable].map(([position, id]) => [sendable[position].index, id]));
	// After a 500 or a dropped connection Dataverse has finished: nothing found ⇒ send again.
	// After a timeout it may still be writing, so nothing is sent twice.
	if (found.size === 0 && !timedOut) return await sendWrites(client, plans, label);
	return drafts.map((_, index): WriteResult => {
		const plan = plans[index];
		if (typeof plan === 'string') return { ok: false, error: { message: plan, code: 'INVALID_INPUT' } };
		const id = found.get(index);
		if (id) return { ok: true, id, created: true };
		return {
			ok: false,
			error: timedOut
				? {
						message: 'Dynamics 365 did not answer in time and this activity was not found afterwards, but Dataverse may still be writing it; it was not re-sent, to avoid a duplicate',
						code: 'UNKNOWN_OUTCOME',
						uncertain: true,
					}
				: { message: 'The create batch lost its answer and this activity was not written; it is written on the next delivery', code: 'NOT_WRITTEN' },
		};
	});
}

/** Activity id per draft position, for the drafts that exist — one $batch of GETs, confirmed client-side. */
export async function findActivitiesByKey(client: DynamicsClient, drafts: readonly ActivityDraft[]): Promise<Map<number, string>> {
	const groups: BatchGroup[] = drafts.map((draft) => {
		const entity = activityEntity(draft.kind);
		const keyColumn = draft.kind === 'note' ? 'notetext' : 'subcategory';
		// The same key is written once per regarding record: narrow to the draft's own target.
		const target = draft.targets.length === 1 && isGuid(draft.targets[0].id) ? draft.targets[0].id : undefined;
		const filter = target ? allOf([keyFilter(draft.kind, draft.key), eqGuid(regardingColumn(draft.kind), guidLiteral(target))]) : keyFilter(draft.kind, draft.key);
		const path = queryPath(entity.entitySet, { select: [entity.primaryId, keyColumn], filter, top: 1 });
		return { kind: 'read', operation: { method: 'GET', url: client.url(path) } };
	});
	const found = new Map<number, string>();
	if (groups.length === 0) return found;
	const label = 'POST $batch (find activities by key)';
	const responses = await client.batch(groups, { label, idempotent: true });
	drafts.forEach((draft, index) => {
		const part = responses[index]?.[0];
		if (!part || part.status >= 400) throw batchPartError(label, part?.status, part?.body ?? '');
		const row = collectionRows(part.body)[0];
		const entity = activityEntity(draft.kind);
		if (row && carriesKey(draft.kind, row, draft.key)) found.set(index, String(row[entity.primaryId]));
	});
	return found;
}

/** The port's lookup: Dataverse reads are immediately consistent, so "not found" is certain. */
export async function findDynamicsActivitiesByKey(client: DynamicsClient, drafts: readonly ActivityDraft[]): Promise<KeyLookupResult[]> {
	const found = await findActivitiesByKey(client, drafts);
	return drafts.map((_, index) => {
		const id = found.get(index);
		return id ? { status: 'found', id } : { status: 'absent' };
	});
}

function keyFilter(kind: ActivityKind, key: string): string {
	return kind === 'note' ? contains('notetext', noteKeyMarker(key)) : eq('subcategory', storedKey(key));
}

function carriesKey(kind: ActivityKind, row: Record<string, unknown>, key: string): boolean {
	if (kind === 'note') return typeof row.notetext === 'string' && row.notetext.includes(noteKeyMarker(key));
	return row.subcategory === storedKey(key);
}

export async function updateDynamicsActivities(client: DynamicsClient, updates: readonly ActivityUpdate[]): Promise<WriteResult[]> {
	const plans = updates.map(({ id, draft }) => {
		if (!isGuid(id)) return `Activity id "${id.slice(0, 60)}" is not a Dataverse GUID`;
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
	if (Number.isNaN(start)) throw new Error(`findActivity: startAt "${lookup.startAt.slice(0, 40)}" is not a timestamp`);
	const tolerance = (lookup.toleranceMinutes ?? 0) * 60_000;
	const contact = guidLiteral(lookup.contactId);
	return allOf([
		`scheduledstart ge ${dateTimeLiteral(new Date(start - tolerance).toISOString())}`,
		`scheduledstart le ${dateTimeLiteral(new Date(start + tolerance).toISOString())}`,
		anyOf([eqGuid('_regardingobjectid_value', contact), `appointment_activity_parties/any(p:p/_partyid_value eq ${contact})`]),
	]);
}

/** By key first (exact, stored with the activity); a meeting then by start time on the same contact, closest first. */
export async function findDynamicsActivity(client: DynamicsClient, lookup: ActivityLookup): Promise<CrmRef | undefined> {
	if (lookup.key) {
		const [row] = await queryActivities(client, lookup.kind, keyFilter(lookup.kind, lookup.key), 1);
		if (row) return activityRef(lookup.kind, row, 'key');
	}
	const timeFilter = meetingTimeFilter(lookup);
	if (!timeFilter) return undefined;
	const rows = await queryActivities(client, lookup.kind, timeFilter, TIME_CANDIDATES);
	const target = Date.parse(lookup.startAt as string);
	const distance = (row: Record<string, unknown>) => Math.abs(Date.parse(String(row.scheduledstart)) - target);
	const closest = [...rows].sort((a, b) => distance(a) - distance(b))[0];
	return closest ? activityRef(lookup.kind, closest, 'time') : undefined;
}

/** Meetings in the window considered when picking the closest start. */
const TIME_CANDIDATES = 10;

async function queryActivities(client: DynamicsClient, kind: ActivityKind, filter: string, top: number): Promise<Array<Record<string, unknown>>> {
	const entity = activityEntity(kind);
	const select = [entity.primaryId, 'subject', 'createdon', 'modifiedon', regardingColumn(kind)];
	if (kind === 'meeting') select.push('scheduledstart', 'scheduledend');
	const path = queryPath(entity.entitySet, { select, filter, orderBy: [{ field: 'createdon', desc: true }], top });
	const page = await client.getJson<{ value?: Array<Record<string, unknown>> }>(path, `GET ${entity.entitySet} (find activity)`, {
		Prefer: PREFER_ANNOTATIONS,
	});
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
		kind: (typeof regardingType === 'string' ? LOGICAL_TO_KIND[regardingType] : undefined) ?? 'contact',
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
