/**
 * Notes, Events, Tasks and call logs:
 * - Tasks, call-log Tasks and Events of a batch go out together through sObject
 *   Collections (≤200 per call);
 * - notes through Composite Graph, one all-or-nothing graph per note (notes.ts): a
 *   ContentNote with one ContentDocumentLink per target, or one legacy Note per target;
 * - a batch with notes AND Tasks/Events (the Note Router with its action-item tasks) sends
 *   each Task/Event as a one-node graph of the notes' request when that takes fewer calls
 *   than a graph request plus a collection call.
 * Creates are verified after an ambiguous failure by consistent lookups — Tasks by
 * CallObject, Events by start time and their Ref line, notes through their targets' links
 * and their Ref line — so the transport never re-sends something that was written.
 */
import type { ActivityLookup, ActivityUpdate, KeyLookupResult, WriteResult } from '../CrmProvider';
import type { ActivityDraft, ActivityKind, CrmRef } from '../../model';
import {
	lookupWindow,
	matchActivityLookups,
	matchesByTime,
	type ActivityCandidate,
} from '../../logic/activityLookupMatch';
import { withoutKeys } from '../../logic/withoutKeys';
import type { SalesforceApi, SObjectRecord } from './api';
import {
	callFields,
	callObjectFor,
	chatFields,
	carriesRef,
	contentNoteFields,
	eventFields,
	legacyNoteFields,
	taskFields,
} from './activityRecords';
import { chunk } from '../batch';
import { COLLECTION_LIMIT, createRecords, updateRecords } from './collections';
import type { NewRecord, RecordUpdate } from './collections';
import { fewerRequestsTogether, writeGraphs, type PlannedGraph } from './graph';
import {
	createNotes,
	findNotes,
	linkTargets,
	noteGraph,
	sobjectUrl,
	type NoteStyle,
} from './notes';
import { assertObjectName, eventsInWindowSoql, eventsInWindowsSoql, tasksByKeySoql } from './soql';

export type { NoteStyle } from './notes';

const MINUTE_MS = 60_000;
const VERIFY_TOLERANCE_MS = MINUTE_MS;
const DEFAULT_LOOKUP_TOLERANCE_MINUTES = 5;

function failed(message: string): WriteResult {
	return { ok: false, error: { message } };
}

function activityRecord(draft: ActivityDraft): NewRecord {
	switch (draft.kind) {
		case 'meeting':
			return { type: 'Event', fields: eventFields(draft) };
		case 'call':
			return { type: 'Task', fields: callFields(draft) };
		case 'task':
			return { type: 'Task', fields: taskFields(draft) };
		case 'chat':
			return { type: 'Task', fields: chatFields(draft) };
		default:
			throw new Error(`${draft.kind} is not a Task or Event`);
	}
}

function refKeyOf(description: unknown): string | undefined {
	if (typeof description !== 'string') return undefined;
	const match = /(?:^|\n)Ref: (.+)$/.exec(description.trimEnd());
	return match?.[1];
}

/** Finds records a Task/Event create with a lost answer may have written (SOQL reads are consistent), aligned with the slice. */
function activityVerifier(api: SalesforceApi) {
	return async (slice: NewRecord[]): Promise<Array<string | undefined>> => {
		const callObjects = slice.flatMap((record) =>
			record.type === 'Task' ? [String(record.fields.CallObject)] : [],
		);
		const starts = slice.flatMap((record) =>
			record.type === 'Event' ? [Date.parse(String(record.fields.StartDateTime))] : [],
		);
		const [tasks, events] = await Promise.all([
			callObjects.length ? api.query<SObjectRecord>(tasksByKeySoql(callObjects)) : [],
			starts.length
				? api.query<SObjectRecord>(
						eventsInWindowSoql(
							new Date(Math.min(...starts) - VERIFY_TOLERANCE_MS).toISOString(),
							new Date(Math.max(...starts) + VERIFY_TOLERANCE_MS).toISOString(),
						),
					)
				: [],
		]);
		return slice.map((record) => {
			if (record.type === 'Task')
				return tasks.find((task) => task.CallObject === record.fields.CallObject)?.Id;
			const key = refKeyOf(record.fields.Description);
			const start = Date.parse(String(record.fields.StartDateTime));
			return events.find(
				(event) =>
					key !== undefined &&
					carriesRef(event.Description, key) &&
					Date.parse(String(event.StartDateTime)) === start,
			)?.Id;
		});
	};
}

async function createTasksAndEvents(
	api: SalesforceApi,
	drafts: ActivityDraft[],
): Promise<WriteResult[]> {
	const results: WriteResult[] = new Array<WriteResult>(drafts.length);
	const records: NewRecord[] = [];
	const positions: number[] = [];
	drafts.forEach((draft, i) => {
		try {
			records.push(activityRecord(draft));
			positions.push(i);
		} catch (error) {
			results[i] = failed(error instanceof Error ? error.message : String(error));
		}
	});
	const created = await createRecords(api, records, activityVerifier(api));
	created.forEach((result, j) => {
		results[positions[j]] = result;
	});
	return results;
}

export async function createActivities(
	api: SalesforceApi,
	drafts: ActivityDraft[],
	noteStyle: NoteStyle,
): Promise<WriteResult[]> {
	const results: WriteResult[] = new Array<WriteResult>(drafts.length);
	const notes = drafts
		.map((draft, i) => ({ draft, i }))
		.filter(({ draft }) => draft.kind === 'note');
	const others = drafts
		.map((draft, i) => ({ draft, i }))
		.filter(({ draft }) => draft.kind !== 'note');
	if (notes.length && others.length) {
		const noteSizes = notes.map(
			({ draft }) => noteGraph(draft, 0, noteStyle, api.apiVersion).graph.compositeRequest.length,
		);
		if (fewerRequestsTogether(noteSizes, others.length, COLLECTION_LIMIT))
			return await createInGraphs(api, drafts, noteStyle);
	}
	const [noteResults, otherResults] = await Promise.all([
		notes.length
			? createNotes(
					api,
					notes.map(({ draft }) => draft),
					noteStyle,
				)
			: [],
		others.length
			? createTasksAndEvents(
					api,
					others.map(({ draft }) => draft),
				)
			: [],
	]);
	notes.forEach(({ i }, j) => (results[i] = noteResults[j]));
	others.forEach(({ i }, j) => (results[i] = otherResults[j]));
	return results;
}

/** What one graph of a mixed request writes, for looking it up after a lost answer. */
type GraphWrite = { note: ActivityDraft } | { record: NewRecord };

/** A Task or Event as a graph of its own: stored or refused alone, like in a collection. */
function recordGraph(record: NewRecord, index: number, apiVersion: string): PlannedGraph {
	const referenceId = `record${index}`;
	return {
		graph: {
			graphId: `g${index}`,
			compositeRequest: [
				{
					method: 'POST',
					url: sobjectUrl(apiVersion, assertObjectName(record.type)),
					referenceId,
					body: record.fields,
				},
			],
		},
		primary: referenceId,
		labels: { [referenceId]: `the ${record.type}` },
	};
}

/**
 * Notes and Tasks/Events in the same Composite Graph request(s): each note its graph (note
 * and links together), each Task/Event a graph of one node. A lost answer is settled by the
 * same consistent lookups as on the separate paths (note links + Ref line, Task CallObject,
 * Event start + Ref line).
 */
async function createInGraphs(
	api: SalesforceApi,
	drafts: ActivityDraft[],
	noteStyle: NoteStyle,
): Promise<WriteResult[]> {
	const results = new Array<WriteResult>(drafts.length);
	const planned: PlannedGraph[] = [];
	const positions: number[] = [];
	const writes = new Map<PlannedGraph, GraphWrite>();
	drafts.forEach((draft, i) => {
		if (draft.kind === 'note') {
			if (linkTargets(draft).length === 0) {
				results[i] = failed('A note needs at least one target record to be attached to');
				return;
			}
			const graph = noteGraph(draft, i, noteStyle, api.apiVersion);
			writes.set(graph, { note: draft });
			planned.push(graph);
			positions.push(i);
			return;
		}
		try {
			const record = activityRecord(draft);
			const graph = recordGraph(record, i, api.apiVersion);
			writes.set(graph, { record });
			planned.push(graph);
			positions.push(i);
		} catch (error) {
			results[i] = failed(error instanceof Error ? error.message : String(error));
		}
	});
	const verifyRecords = activityVerifier(api);
	const written = await writeGraphs(api, planned, async (graphs) => {
		const kinds = graphs.map((graph) => writes.get(graph) as GraphWrite);
		const noteDrafts = kinds.flatMap((write) => ('note' in write ? [write.note] : []));
		const records = kinds.flatMap((write) => ('record' in write ? [write.record] : []));
		const [notesFound, recordIds] = await Promise.all([
			noteDrafts.length ? findNotes(api, noteDrafts, noteStyle) : [],
			records.length ? verifyRecords(records) : [],
		]);
		let note = 0;
		let record = 0;
		return kinds.map((write): KeyLookupResult => {
			if ('note' in write) return notesFound[note++];
			const id = recordIds[record++];
			return id ? { status: 'found', id } : { status: 'absent' };
		});
	});
	written.forEach((result, j) => (results[positions[j]] = result));
	return results;
}

function updateRecordFor(update: ActivityUpdate, noteStyle: NoteStyle): RecordUpdate {
	const { draft, id } = update;
	if (draft.kind === 'note') {
		if (noteStyle === 'legacyNote') {
			const fields = withoutKeys(legacyNoteFields(draft, ''), 'ParentId');
			return { type: 'Note', id, fields };
		}
		return { type: 'ContentNote', id, fields: contentNoteFields(draft) };
	}
	const record = activityRecord(draft);
	// TaskSubtype can be set on create only.
	return record.type === 'Task'
		? { id, type: 'Task', fields: withoutKeys(record.fields, 'TaskSubtype') }
		: { id, ...record };
}

export async function updateActivities(
	api: SalesforceApi,
	updates: ActivityUpdate[],
	noteStyle: NoteStyle,
): Promise<WriteResult[]> {
	const results: WriteResult[] = new Array<WriteResult>(updates.length);
	const records: RecordUpdate[] = [];
	const positions: number[] = [];
	updates.forEach((update, i) => {
		try {
			records.push(updateRecordFor(update, noteStyle));
			positions.push(i);
		} catch (error) {
			results[i] = failed(error instanceof Error ? error.message : String(error));
		}
	});
	const updated = await updateRecords(api, records);
	updated.forEach((result, j) => (results[positions[j]] = result));
	return results;
}

/**
 * CrmRef has no activity kinds: like the HubSpot provider, an activity comes back with
 * kind `contact`, its real object in `objectType` and its kind in `properties.activityKind`.
 */
function activityRef(
	kind: ActivityKind,
	objectType: 'Task' | 'Event',
	record: SObjectRecord,
	matchedBy: string,
): CrmRef {
	const fields = withoutKeys(record, 'attributes');
	const ref: CrmRef = {
		crm: 'salesforce',
		kind: 'contact',
		objectType,
		id: record.Id,
		matchedBy,
		properties: { ...fields, activityKind: kind },
	};
	if (typeof record.Subject === 'string') ref.name = record.Subject;
	if (typeof record.OwnerId === 'string') ref.ownerId = record.OwnerId;
	if (typeof record.CreatedDate === 'string') ref.createdAt = record.CreatedDate;
	if (typeof record.LastModifiedDate === 'string') ref.updatedAt = record.LastModifiedDate;
	return ref;
}

/** (Who, window) pairs per query, well inside SOQL's statement length limit. */
const WINDOWS_PER_QUERY = 200;

/**
 * The port's batched lookup: ONE SOQL for all Events (each lookup's start window on its
 * contact/lead, confirmed by the Ref line when a key is given) and ONE for all Tasks and
 * call logs (CallObject IN the keys). Notes are found by findActivitiesByKey (it needs the
 * note's title and targets); here they find nothing. Start tolerance defaults to 5 minutes.
 */
export async function findActivities(
	api: SalesforceApi,
	lookups: readonly ActivityLookup[],
): Promise<Array<CrmRef | undefined>> {
	const criteria = lookups.map((lookup) => ({
		...lookup,
		toleranceMinutes: lookup.toleranceMinutes ?? DEFAULT_LOOKUP_TOLERANCE_MINUTES,
		// A Task is keyed by its CallObject: the key, else the conversation.
		key: lookup.kind === 'meeting' ? lookup.key : (lookup.key ?? lookup.conversationId),
		conversationId: lookup.kind === 'meeting' ? lookup.conversationId : undefined,
	}));
	const windows = criteria.flatMap((lookup) => {
		if (lookup.kind !== 'meeting' || !matchesByTime(lookup)) return [];
		const window = lookupWindow(lookup);
		if (!window) return [];
		return [
			{
				from: new Date(window.from).toISOString(),
				to: new Date(window.to).toISOString(),
				whoId: lookup.contactId as string,
			},
		];
	});
	const taskKeys = [
		...new Set(
			criteria.flatMap((lookup) =>
				lookup.kind !== 'meeting' && lookup.kind !== 'note' && lookup.key
					? [callObjectFor(lookup.key)]
					: [],
			),
		),
	];
	const [events, tasks] = await Promise.all([
		Promise.all(
			chunk(windows, WINDOWS_PER_QUERY).map((slice) =>
				api.query<SObjectRecord>(eventsInWindowsSoql(slice)),
			),
		).then((pages) => pages.flat()),
		taskKeys.length ? api.query<SObjectRecord>(tasksByKeySoql(taskKeys)) : [],
	]);
	const found: Array<{
		candidate: ActivityCandidate;
		record: SObjectRecord;
		objectType: 'Task' | 'Event';
	}> = events.map((record) => ({
		record,
		objectType: 'Event',
		candidate: {
			kind: 'meeting',
			key: criteria.find(
				(lookup) =>
					lookup.kind === 'meeting' && lookup.key && carriesRef(record.Description, lookup.key),
			)?.key,
			startMs: Date.parse(String(record.StartDateTime)),
			contactIds: typeof record.WhoId === 'string' ? [record.WhoId] : [],
		},
	}));
	// A Task answers every non-meeting lookup whose key is its CallObject.
	for (const record of tasks)
		for (const lookup of criteria)
			if (
				lookup.kind !== 'meeting' &&
				lookup.key &&
				record.CallObject === callObjectFor(lookup.key)
			)
				found.push({
					record,
					objectType: 'Task',
					candidate: { kind: lookup.kind, key: lookup.key, contactIds: [] },
				});
	const candidates = found.map((entry) => entry.candidate);
	return matchActivityLookups(criteria, candidates).map((match, index) => {
		if (!match) return undefined;
		const { record, objectType } = found[match.candidate];
		return activityRef(lookups[index].kind, objectType, record, match.matchedBy);
	});
}

/**
 * Whether each draft's activity exists, by queries that see a write at once (SOQL, not the
 * SOSL search index): Tasks and call logs by CallObject, Events by start time and their Ref
 * line, notes through their targets' links (or legacy Notes) and their Ref line.
 */
export async function findActivitiesByKey(
	api: SalesforceApi,
	drafts: ActivityDraft[],
	noteStyle: NoteStyle,
): Promise<KeyLookupResult[]> {
	const results: KeyLookupResult[] = drafts.map(() => ({ status: 'absent' }));
	const notes = drafts.flatMap((draft, index) => (draft.kind === 'note' ? [index] : []));
	const records: NewRecord[] = [];
	const positions: number[] = [];
	drafts.forEach((draft, index) => {
		if (draft.kind === 'note') return;
		records.push(activityRecord(draft));
		positions.push(index);
	});
	const [foundNotes, foundOthers] = await Promise.all([
		notes.length
			? findNotes(
					api,
					notes.map((index) => drafts[index]),
					noteStyle,
				)
			: [],
		records.length ? activityVerifier(api)(records) : [],
	]);
	foundNotes.forEach((result, j) => (results[notes[j]] = result));
	foundOthers.forEach((id, j) => {
		if (id) results[positions[j]] = { status: 'found', id };
	});
	return results;
}
