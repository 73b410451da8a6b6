/**
 * createActivities / updateActivities / findActivity. Dynamics activities have a single
 * regarding record (a note a single object), so every draft carries at most one target —
 * the node writes one activity per target — and a whole batch of drafts goes in ONE $batch,
 * one change set each.
 */
import type { ActivityDraft, CrmRef, ObjectKind } from '../../model';
import type { ActivityLookup, ActivityUpdate, WriteResult } from '../CrmProvider';
import type { DynamicsClient } from './client';
import { activityBody, activityEntity, draftProblem, noteKeyMarker, storedKey } from './activityBodies';
import { ACTIVITY_ENTITY } from './entities';
import { PREFER_ANNOTATIONS } from './http';
import { plainProperties } from './matching';
import { allOf, anyOf, contains, dateTimeLiteral, eq, eqGuid, guidLiteral, isGuid, queryPath } from './odata';
import { sendWrites } from './records';

const DEFAULT_TOLERANCE_MINUTES = 5;

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
	return await sendWrites(client, plans, 'POST $batch (create activities)');
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

/** The $filter findActivity sends, or undefined when the lookup has nothing Dataverse can search. */
export function activityLookupFilter(lookup: ActivityLookup): string | undefined {
	if (lookup.key) {
		return lookup.kind === 'note' ? contains('notetext', noteKeyMarker(lookup.key)) : eq('subcategory', storedKey(lookup.key));
	}
	if (lookup.kind === 'meeting' && lookup.startAt && lookup.contactId) {
		const tolerance = (lookup.toleranceMinutes ?? DEFAULT_TOLERANCE_MINUTES) * 60_000;
		const start = Date.parse(lookup.startAt);
		if (Number.isNaN(start)) throw new Error(`startAt "${lookup.startAt.slice(0, 40)}" is not a timestamp`);
		const from = dateTimeLiteral(new Date(start - tolerance).toISOString());
		const to = dateTimeLiteral(new Date(start + tolerance).toISOString());
		const contact = guidLiteral(lookup.contactId);
		return allOf([
			`scheduledstart ge ${from}`,
			`scheduledstart le ${to}`,
			anyOf([eqGuid('_regardingobjectid_value', contact), `appointment_activity_parties/any(p:p/_partyid_value eq ${contact})`]),
		]);
	}
	return undefined;
}

export async function findDynamicsActivity(client: DynamicsClient, lookup: ActivityLookup): Promise<CrmRef | undefined> {
	const filter = activityLookupFilter(lookup);
	if (!filter) return undefined;
	const entity = activityEntity(lookup.kind);
	const regarding = lookup.kind === 'note' ? '_objectid_value' : '_regardingobjectid_value';
	const select = [entity.primaryId, 'subject', 'createdon', 'modifiedon', regarding];
	if (lookup.kind === 'meeting') select.push('scheduledstart', 'scheduledend');
	const path = queryPath(entity.entitySet, { select, filter, orderBy: [{ field: 'createdon', desc: true }], top: 1 });
	const page = await client.getJson<{ value?: Array<Record<string, unknown>> }>(path, `GET ${entity.entitySet} (find activity)`, {
		Prefer: PREFER_ANNOTATIONS,
	});
	const row = page.value?.[0];
	if (!row) return undefined;
	const regardingType = row[`${regarding}@Microsoft.Dynamics.CRM.lookuplogicalname`];
	const ref: CrmRef = {
		crm: 'dynamics',
		// CrmRef kinds are record kinds: an activity reports the kind of the record it is about.
		kind: (typeof regardingType === 'string' ? LOGICAL_TO_KIND[regardingType] : undefined) ?? 'contact',
		objectType: ACTIVITY_ENTITY[lookup.kind],
		id: String(row[entity.primaryId]),
		properties: plainProperties(row),
	};
	if (typeof row.subject === 'string') ref.name = row.subject;
	if (typeof row.createdon === 'string') ref.createdAt = row.createdon;
	if (typeof row.modifiedon === 'string') ref.updatedAt = row.modifiedon;
	return ref;
}
