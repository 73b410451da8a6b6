/**
 * Finds engagements by their idempotency key without HubSpot's search, which indexes new
 * records seconds (updates up to a minute) after they are written. An engagement created by
 * the pack is associated with its targets in the same request, and associations are readable
 * at once: read the target's associated engagements (v4 batch read, not on the search limit),
 * then the engagements themselves (batch read), and confirm the key client-side.
 * A draft without targets can only be found by search: a miss there proves nothing.
 */
import type { ActivityDraft, ActivityKind } from '../../model';
import type { KeyLookupResult } from '../CrmProvider';
import { chunk } from '../batch';
import { ACTIVITY_KEY_STORES, carriesKey } from './activityKey';
import { ENGAGEMENT_OBJECT, RECORD_OBJECT } from './associationTypes';
import type { HubSpotObject } from './client';
import { BATCH_LIMIT } from './records';
import type { HubSpotSession } from './session';

/** Inputs per v4 association batch read. */
const ASSOCIATION_READ_LIMIT = 1000;

interface Probe {
	index: number;
	kind: ActivityKind;
	key: string;
	/** HubSpot object type and id of the record the engagement must be associated with. */
	fromType: string;
	fromId: string;
}

function probeOf(draft: ActivityDraft, index: number): Probe | undefined {
	for (const target of draft.targets) {
		const fromType = RECORD_OBJECT[target.kind];
		if (fromType) return { index, kind: draft.kind, key: draft.key, fromType, fromId: target.id };
	}
	return undefined;
}

export async function findActivitiesByKey(
	session: HubSpotSession,
	drafts: ActivityDraft[],
	searchByKeys: (kind: ActivityKind, keys: string[]) => Promise<Map<string, HubSpotObject>>,
): Promise<KeyLookupResult[]> {
	const results: KeyLookupResult[] = drafts.map(() => ({ status: 'absent' }));
	const probes: Probe[] = [];
	const unassociated: number[] = [];
	drafts.forEach((draft, index) => {
		const probe = probeOf(draft, index);
		if (probe) probes.push(probe);
		else unassociated.push(index);
	});

	// One association read per (record type → engagement type) for all probes of the batch.
	const groups = new Map<string, Probe[]>();
	for (const probe of probes) {
		const group = `${probe.fromType}>${ENGAGEMENT_OBJECT[probe.kind]}`;
		groups.set(group, [...(groups.get(group) ?? []), probe]);
	}
	for (const group of groups.values()) {
		const { fromType, kind } = group[0];
		const toType = ENGAGEMENT_OBJECT[kind];
		const linked = new Map<string, { ids: string[]; more: boolean }>();
		for (const ids of chunk(
			[...new Set(group.map((probe) => probe.fromId))],
			ASSOCIATION_READ_LIMIT,
		)) {
			const links = await session.send(
				`POST /crm/v4/associations/${fromType}/${toType}/batch/read`,
				true,
				(api) => api.readAssociations(fromType, toType, ids),
			);
			for (const link of links)
				linked.set(link.fromId, { ids: link.toIds, more: link.more === true });
		}
		const engagementIds = [...new Set([...linked.values()].flatMap((entry) => entry.ids))];
		const engagements = await readEngagements(session, kind, engagementIds);
		for (const probe of group) {
			const entry = linked.get(probe.fromId);
			const hit = entry?.ids
				.map((id) => engagements.get(id))
				.find((object) => object && carriesKey(kind, object.properties, probe.key));
			if (hit) results[probe.index] = { status: 'found', id: hit.id };
			else if (entry?.more)
				results[probe.index] = {
					status: 'unknown',
					reason: `the ${fromType} record has more associated ${toType} than one read returns`,
				};
		}
	}

	// Without a record to start from, only the lagging search index can find it.
	const byKind = new Map<ActivityKind, number[]>();
	for (const index of unassociated)
		byKind.set(drafts[index].kind, [...(byKind.get(drafts[index].kind) ?? []), index]);
	for (const [kind, indexes] of byKind) {
		const found = await searchByKeys(
			kind,
			indexes.map((index) => drafts[index].key),
		);
		for (const index of indexes) {
			const hit = found.get(drafts[index].key);
			results[index] = hit
				? { status: 'found', id: hit.id }
				: {
						status: 'unknown',
						reason: `a ${kind} without associated records can only be found by HubSpot's search, which lags behind new records`,
					};
		}
	}
	return results;
}

/** The engagements' key properties, ≤100 ids per batch read. */
async function readEngagements(
	session: HubSpotSession,
	kind: ActivityKind,
	ids: string[],
): Promise<Map<string, HubSpotObject>> {
	const objectType = ENGAGEMENT_OBJECT[kind];
	const property = ACTIVITY_KEY_STORES[kind].property;
	const found = new Map<string, HubSpotObject>();
	for (const slice of chunk(ids, BATCH_LIMIT)) {
		const response = await session.send(
			`POST /crm/v3/objects/${objectType}/batch/read`,
			true,
			(api) => api.batchRead(objectType, slice, [property]),
		);
		for (const object of response.results) found.set(object.id, object);
	}
	return found;
}
