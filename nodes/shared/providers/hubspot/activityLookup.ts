/**
 * The port's batched activity lookup. Per engagement type, one OR'ed filter group per key
 * list (exact keys in one IN filter, marker keys one token each) and one per contact and
 * meeting time window (`hs_meeting_start_time` BETWEEN, `associations.contact` EQ),
 * packed into as few search requests as HubSpot's limits allow (5 groups, 25 filters).
 * Search results carry no associations: a hit's contact is the one whose window in the
 * same request contains its start; a hit inside the windows of several contacts has its
 * contacts read once for the whole batch (v4 association batch read).
 */
import {
	lookupWindow,
	matchActivityLookups,
	matchesByTime,
	type ActivityCandidate,
} from '../../logic/activityLookupMatch';
import type { ActivityKind, CrmRef } from '../../model';
import type { ActivityLookup } from '../CrmProvider';
import { chunk } from '../batch';
import { ACTIVITY_KEY_STORES, carriesKey, keyFilter } from './activityKey';
import { ENGAGEMENT_OBJECT } from './associationTypes';
import type { HubSpotObject, SearchBody } from './client';
import { MAX_FILTER_GROUPS, MAX_FILTERS_TOTAL, MAX_IN_VALUES, searchAllPages } from './search';
import type { HubSpotSession } from './session';

type FilterGroup = SearchBody['filterGroups'][number];

/** A filter group and, for a time group, the contact and window it confines hits to. */
interface PlannedGroup {
	group: FilterGroup;
	time?: { contactId: string; from: number; to: number };
}

const START_PROPERTY = 'hs_meeting_start_time';
const ASSOCIATION_READ_LIMIT = 1000;

const LOOKUP_PROPERTIES: Record<ActivityKind, string[]> = {
	note: ['hs_note_body', 'hs_timestamp'],
	meeting: ['hs_meeting_title', START_PROPERTY, 'hs_meeting_external_url'],
	task: ['hs_task_subject', 'hs_task_body', 'hs_timestamp'],
	call: ['hs_call_title', 'hs_call_external_id', 'hs_timestamp'],
	chat: ['hs_communication_body', 'hs_timestamp'],
};

/** HubSpot returns datetimes as ISO strings, older portals sometimes as epoch ms. */
function millis(value: string | null | undefined): number {
	if (!value) return Number.NaN;
	return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

/** HubSpot wants lower-case values in an IN filter on a string property (it then ignores case). */
function keyGroups(kind: ActivityKind, keys: string[]): PlannedGroup[] {
	if (ACTIVITY_KEY_STORES[kind].mode === 'exact')
		return chunk([...new Set(keys.map((key) => key.toLowerCase()))], MAX_IN_VALUES).map(
			(values) => ({
				group: {
					filters: [{ propertyName: ACTIVITY_KEY_STORES[kind].property, operator: 'IN', values }],
				},
			}),
		);
	return keys.map((key) => ({ group: { filters: [keyFilter(kind, key)] } }));
}

/** Widest start span one contact's merged group covers (its meetings in it are fetched). */
const MAX_GROUP_SPAN_MS = 24 * 60 * 60_000;

/**
 * One group per contact and day: the windows of one contact's lookups within 24 hours
 * share a group (one BETWEEN over them), so a batch of one person's calls costs one group;
 * what the span fetches between the windows is dropped by the matcher.
 */
export function meetingTimeGroups(lookups: readonly ActivityLookup[]): PlannedGroup[] {
	const byContact = new Map<string, Array<{ from: number; to: number }>>();
	for (const lookup of lookups) {
		if (lookup.kind !== 'meeting' || !matchesByTime(lookup)) continue;
		const window = lookupWindow(lookup);
		if (!window) continue;
		const contactId = lookup.contactId as string;
		byContact.set(contactId, [...(byContact.get(contactId) ?? []), window]);
	}
	const groups: PlannedGroup[] = [];
	for (const [contactId, windows] of byContact) {
		const merged: Array<{ from: number; to: number }> = [];
		for (const window of [...windows].sort((a, b) => a.from - b.from)) {
			const last = merged[merged.length - 1];
			if (last && window.to - last.from <= MAX_GROUP_SPAN_MS)
				last.to = Math.max(last.to, window.to);
			else merged.push({ ...window });
		}
		for (const { from, to } of merged)
			groups.push({
				time: { contactId, from, to },
				group: {
					filters: [
						{
							propertyName: START_PROPERTY,
							operator: 'BETWEEN',
							value: String(from),
							highValue: String(to),
						},
						{ propertyName: 'associations.contact', operator: 'EQ', value: contactId },
					],
				},
			});
	}
	return groups;
}

/** Consecutive requests of at most 5 groups and 25 filters. */
export function packGroups(groups: readonly PlannedGroup[]): PlannedGroup[][] {
	const requests: PlannedGroup[][] = [];
	let current: PlannedGroup[] = [];
	let filters = 0;
	for (const planned of groups) {
		const size = planned.group.filters.length;
		if (
			current.length &&
			(current.length >= MAX_FILTER_GROUPS || filters + size > MAX_FILTERS_TOTAL)
		) {
			requests.push(current);
			current = [];
			filters = 0;
		}
		current.push(planned);
		filters += size;
	}
	if (current.length) requests.push(current);
	return requests;
}

interface Hit {
	object: HubSpotObject;
	contactIds: Set<string>;
	/**
	 * Its contact cannot be told from its request (inside several contacts' windows, or its
	 * key differs in case only): its contacts are read.
	 */
	ambiguous: boolean;
}

async function searchKind(
	session: HubSpotSession,
	kind: ActivityKind,
	lookups: readonly ActivityLookup[],
): Promise<Map<string, Hit>> {
	const keys = [...new Set(lookups.flatMap((lookup) => (lookup.key ? [lookup.key] : [])))];
	const groups = [
		...keyGroups(kind, keys),
		...(kind === 'meeting' ? meetingTimeGroups(lookups) : []),
	];
	const lowerKeys = new Set(keys.map((key) => key.toLowerCase()));
	const hits = new Map<string, Hit>();
	for (const request of packGroups(groups)) {
		const found = await searchAllPages(session, ENGAGEMENT_OBJECT[kind], {
			filterGroups: request.map((planned) => planned.group),
			properties: LOOKUP_PROPERTIES[kind],
		});
		for (const object of found) {
			const hit = hits.get(object.id) ?? { object, contactIds: new Set(), ambiguous: false };
			hits.set(object.id, hit);
			if (keys.some((key) => carriesKey(kind, object.properties, key))) continue;
			// A key differing only in case came through the key filter, not a window: its
			// contacts are read rather than guessed from the windows.
			const store = ACTIVITY_KEY_STORES[kind];
			const stored = store.mode === 'exact' ? object.properties[store.property] : undefined;
			if (stored && lowerKeys.has(stored.toLowerCase())) {
				hit.ambiguous = true;
				continue;
			}
			const start = millis(object.properties[START_PROPERTY]);
			const contacts = new Set(
				request
					.filter(({ time }) => time && start >= time.from && start <= time.to)
					.map(({ time }) => time?.contactId as string),
			);
			if (contacts.size === 1) for (const id of contacts) hit.contactIds.add(id);
			else if (contacts.size > 1) hit.ambiguous = true;
		}
	}
	return hits;
}

/** The contacts of the hits no window could attribute, one v4 read per 1000 hits. */
async function readContacts(session: HubSpotSession, kind: ActivityKind, hits: Hit[]) {
	const fromType = ENGAGEMENT_OBJECT[kind];
	for (const slice of chunk(hits, ASSOCIATION_READ_LIMIT)) {
		const links = await session.send(
			`POST /crm/v4/associations/${fromType}/contacts/batch/read`,
			true,
			(api) =>
				api.readAssociations(
					fromType,
					'contacts',
					slice.map((hit) => hit.object.id),
				),
		);
		const byId = new Map(slice.map((hit) => [hit.object.id, hit]));
		for (const link of links)
			for (const id of link.toIds) byId.get(link.fromId)?.contactIds.add(id);
	}
}

/**
 * CrmRef has no activity kinds, so an engagement is returned with the kind of the record
 * it was looked up through (`contact`) and its real type in `objectType` + `properties.activityKind`.
 */
function activityRef(kind: ActivityKind, object: HubSpotObject, matchedBy: string): CrmRef {
	return {
		crm: 'hubspot',
		kind: 'contact',
		objectType: ENGAGEMENT_OBJECT[kind],
		id: object.id,
		matchedBy,
		createdAt: object.createdAt,
		updatedAt: object.updatedAt,
		properties: { ...object.properties, activityKind: kind },
	};
}

export async function findActivities(
	session: HubSpotSession,
	lookups: ActivityLookup[],
): Promise<Array<CrmRef | undefined>> {
	const out: Array<CrmRef | undefined> = lookups.map(() => undefined);
	const byKind = new Map<ActivityKind, number[]>();
	lookups.forEach((lookup, index) => {
		lookupWindow(lookup); // a bad start time fails the batch before any request
		byKind.set(lookup.kind, [...(byKind.get(lookup.kind) ?? []), index]);
	});
	for (const [kind, indexes] of byKind) {
		const own = indexes.map((index) => lookups[index]);
		const hits = [...(await searchKind(session, kind, own)).values()];
		const unattributed = hits.filter((hit) => hit.ambiguous);
		if (unattributed.length) await readContacts(session, kind, unattributed);
		const candidates: ActivityCandidate[] = hits.map((hit) => ({
			kind,
			key: own.find((lookup) => lookup.key && carriesKey(kind, hit.object.properties, lookup.key))
				?.key,
			startMs: kind === 'meeting' ? millis(hit.object.properties[START_PROPERTY]) : undefined,
			contactIds: [...hit.contactIds],
		}));
		matchActivityLookups(own, candidates).forEach((match, j) => {
			if (match) out[indexes[j]] = activityRef(kind, hits[match.candidate].object, match.matchedBy);
		});
	}
	return out;
}
