/**
 * Finds each item's CRM record and its current values with one provider call per step for
 * the whole batch: getRecords for ids; for phone/email keys one findMatches over every
 * person kind asked for (contact and lead at once where the CRM has leads), then one
 * getRecords per object type. A key the search does not find yet but this node created
 * recently is read back by its remembered id and used only while it still holds the key.
 * An item with a known record id (stored from an earlier write) is read by that id first:
 * found, it needs no search at all; gone, it is searched by its key like the others.
 */
import type { CrmName, ObjectKind } from '../shared/model';
import type { CrmProvider, RecordData } from '../shared/providers/CrmProvider';
import type { CreatedRecord } from './createdRecords';
import {
	decideKnownRecord,
	type KnownRecordRef,
	type KnownRecordStatus,
} from './logic/knownRecord';
import { lookupFields, matchQuery, recordHoldsKey, type MatchKey } from './matchKeys';

export interface LookupObject {
	kind: ObjectKind;
	objectType: string;
	/** Fields to read for planning. */
	properties: string[];
}

export interface Located {
	record?: RecordData;
	/** The kind of the record found. */
	kind?: ObjectKind;
	/** How many records of that kind matched the key (the newest one is updated). */
	matchCount: number;
	/** Found by the remembered id of a record this node created, not by the CRM's search. */
	remembered: boolean;
	/** Set when the item came with a known record id: used, or stale (then matched by key). */
	known?: KnownRecordStatus;
}

interface Candidate {
	kind: ObjectKind;
	id: string;
	matchCount: number;
	remembered: boolean;
}

export interface LocateRequest {
	crm: CrmName;
	/** Person kinds in order of preference: the first kind with a match wins. */
	objects: LookupObject[];
	keys: MatchKey[];
	/** The record this node created for a key's identity, if it remembers one. */
	recall: (key: MatchKey) => CreatedRecord | undefined;
	/** Per key (aligned): the record id stored from an earlier write, when the item has one. */
	known?: Array<KnownRecordRef | undefined>;
}

const MISSING: Located = { matchCount: 0, remembered: false };

export async function locateRecords(
	provider: CrmProvider,
	request: LocateRequest,
): Promise<Located[]> {
	const { keys, objects } = request;
	if (keys.length === 0) return [];
	const [primary] = objects;
	if (keys[0].by === 'id') {
		const records = await provider.getRecords(
			primary.objectType,
			keys.map((key) => key.value),
			primary.properties,
		);
		return records.map((record) =>
			record ? { record, kind: primary.kind, matchCount: 1, remembered: false } : MISSING,
		);
	}
	const knownRecords = await readKnown(provider, request);
	const known = keys.map((_, index) => {
		const ref = request.known?.[index];
		return ref
			? decideKnownRecord(ref, (kind) => knownRecords.get(`${kind}:${ref.id}`)?.id)
			: undefined;
	});
	const rest = keys.flatMap((_, index) => (known[index]?.status === 'used' ? [] : [index]));
	const searched = await locateByKey(provider, {
		...request,
		keys: rest.map((index) => keys[index]),
	});
	const located: Located[] = keys.map((_, index) => {
		const status = known[index];
		if (status?.status !== 'used') return MISSING;
		const record = knownRecords.get(`${status.kind}:${request.known?.[index]?.id ?? ''}`);
		return { record, kind: status.kind, matchCount: 1, remembered: false, known: status };
	});
	rest.forEach((index, i) => {
		const status = known[index];
		located[index] = status ? { ...searched[i], known: status } : searched[i];
	});
	return located;
}

/** The known ids read back, one getRecords per object type asked for; keyed by `kind:id`. */
async function readKnown(
	provider: CrmProvider,
	request: LocateRequest,
): Promise<Map<string, RecordData>> {
	const found = new Map<string, RecordData>();
	const refs = (request.known ?? []).filter(
		(ref): ref is KnownRecordRef => ref !== undefined && !ref.invalid,
	);
	for (const object of request.objects) {
		const ids = [
			...new Set(refs.filter((ref) => ref.kinds.includes(object.kind)).map((ref) => ref.id)),
		];
		if (ids.length === 0) continue;
		const records = await provider.getRecords(object.objectType, ids, object.properties);
		ids.forEach((id, i) => {
			const record = records[i];
			if (record) found.set(`${object.kind}:${id}`, record);
		});
	}
	return found;
}

/** Phone/email keys: one search for the batch, then the records read by id. */
async function locateByKey(provider: CrmProvider, request: LocateRequest): Promise<Located[]> {
	const { keys, objects } = request;
	if (keys.length === 0) return [];
	const kinds = objects.map((object) => object.kind);
	const matches = await provider.findMatches(keys.map(matchQuery), {
		kinds,
		openDealsOnly: false,
		maxPerKind: 5,
	});
	const candidates = keys.map((key, index): Candidate | undefined => {
		const set = matches[index];
		const kind = kinds.find((k) => (set?.[k].length ?? 0) > 0);
		if (set && kind)
			return { kind, id: set[kind][0].id, matchCount: set[kind].length, remembered: false };
		const remembered = request.recall(key);
		if (remembered && kinds.includes(remembered.kind))
			return { kind: remembered.kind, id: remembered.id, matchCount: 1, remembered: true };
		return undefined;
	});
	const records = await readCandidates(provider, request, candidates);
	return candidates.map((candidate, index) => {
		const record = candidate ? records.get(`${candidate.kind}:${candidate.id}`) : undefined;
		if (!candidate || !record) return MISSING;
		// A remembered record whose key was changed since is someone else now: not trusted.
		if (candidate.remembered && !recordHoldsKey(request.crm, keys[index], record.properties))
			return MISSING;
		return {
			record,
			kind: candidate.kind,
			matchCount: candidate.matchCount,
			remembered: candidate.remembered,
		};
	});
}

/** One getRecords per object type; records keyed by `kind:id`. */
async function readCandidates(
	provider: CrmProvider,
	request: LocateRequest,
	candidates: Array<Candidate | undefined>,
): Promise<Map<string, RecordData>> {
	const found = new Map<string, RecordData>();
	for (const object of request.objects) {
		const mine = candidates.filter((c): c is Candidate => c?.kind === object.kind);
		const ids = [...new Set(mine.map((c) => c.id))];
		if (ids.length === 0) continue;
		// Remembered records are checked against their key, so those fields are read too.
		const keyFields = mine.some((c) => c.remembered)
			? [...lookupFields(request.crm, 'phone'), ...lookupFields(request.crm, 'email')]
			: [];
		const properties = [...new Set([...object.properties, ...keyFields])];
		const records = await provider.getRecords(object.objectType, ids, properties);
		// Results are aligned with the ids asked for (whatever casing the CRM answers with).
		ids.forEach((id, i) => {
			const record = records[i];
			if (record) found.set(`${object.kind}:${id}`, record);
		});
	}
	return found;
}
