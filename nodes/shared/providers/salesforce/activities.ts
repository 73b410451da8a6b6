/**
 * Notes, Events, Tasks and call logs, all through sObject Collections:
 * - Tasks, call-log Tasks and Events of a batch go out together (≤200 per call);
 * - notes as ContentNote (≤200 per call) then one ContentDocumentLink collection for
 *   all links (note × target, ShareType V); or, with noteStyle 'legacyNote', one Note
 *   (ParentId) per target.
 * Creates are verified after an ambiguous failure: Tasks by CallObject, Events by start
 * time and their Ref line, so the transport never re-sends something that was written.
 */
import type { ActivityLookup, ActivityUpdate, KeyLookupResult, WriteResult } from '../CrmProvider';
import type { ActivityDraft, ActivityKind, CrmRef } from '../../model';
import type { SalesforceApi, SObjectRecord } from './api';
import {
	callFields,
	callObjectFor,
	carriesRef,
	contentNoteFields,
	eventFields,
	legacyNoteFields,
	taskFields,
} from './activityRecords';
import { createRecords, updateRecords } from './collections';
import type { NewRecord, RecordUpdate } from './collections';
import { eventsInWindowSoql, tasksByKeySoql } from './soql';

export type NoteStyle = 'contentNote' | 'legacyNote';

const MINUTE_MS = 60_000;
const VERIFY_TOLERANCE_MS = MINUTE_MS;
const DEFAULT_LOOKUP_TOLERANCE_MINUTES = 5;

function failed(message: string): WriteResult {
	return { ok: false, error: { message } };
}

function describeFailure(result: WriteResult): string {
	return result.ok ? '' : result.error.message;
}

function activityRecord(draft: ActivityDraft): NewRecord {
	switch (draft.kind) {
		case 'meeting':
			return { type: 'Event', fields: eventFields(draft) };
		case 'call':
			return { type: 'Task', fields: callFields(draft) };
		case 'task':
			return { type: 'Task', fields: taskFields(draft) };
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
		const callObjects = slice.flatMap((record) => (record.type === 'Task' ? [String(record.fields.CallObject)] : []));
		const starts = slice.flatMap((record) => (record.type === 'Event' ? [Date.parse(String(record.fields.StartDateTime))] : []));
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
			if (record.type === 'Task') return tasks.find((task) => task.CallObject === record.fields.CallObject)?.Id;
			const key = refKeyOf(record.fields.Description);
			const start = Date.parse(String(record.fields.StartDateTime));
			return events.find(
				(event) => key !== undefined && carriesRef(event.Description, key) && Date.parse(String(event.StartDateTime)) === start,
			)?.Id;
		});
	};
}

async function createTasksAndEvents(api: SalesforceApi, drafts: ActivityDraft[]): Promise<WriteResult[]> {
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

function linkTargets(draft: ActivityDraft): CrmRef[] {
	const seen = new Set<string>();
	return draft.targets.filter((target) => (seen.has(target.id) ? false : (seen.add(target.id), true)));
}

async function createContentNotes(api: SalesforceApi, drafts: ActivityDraft[]): Promise<WriteResult[]> {
	const results: WriteResult[] = new Array<WriteResult>(drafts.length);
	const withTargets = drafts.flatMap((draft, i) => {
		if (linkTargets(draft).length > 0) return [{ draft, i }];
		results[i] = failed('A note needs at least one target record to be attached to');
		return [];
	});
	const notes = await createRecords(
		api,
		withTargets.map(({ draft }) => ({ type: 'ContentNote', fields: contentNoteFields(draft) })),
	);
	// ContentNote ids are ContentDocument ids: link each note to each of its targets.
	const links: Array<{ draftIndex: number; noteId: string; targetId: string }> = [];
	notes.forEach((note, j) => {
		const { draft, i } = withTargets[j];
		if (!note.ok) {
			results[i] = note;
			return;
		}
		for (const target of linkTargets(draft)) links.push({ draftIndex: i, noteId: note.id, targetId: target.id });
	});
	const linked = await createRecords(
		api,
		links.map((link) => ({
			type: 'ContentDocumentLink',
			fields: { ContentDocumentId: link.noteId, LinkedEntityId: link.targetId, ShareType: 'V' },
		})),
	);
	notes.forEach((note, j) => {
		if (!note.ok) return;
		const { i } = withTargets[j];
		const problems = links
			.map((link, k) => ({ link, result: linked[k] }))
			.filter(({ link, result }) => link.draftIndex === i && !result.ok)
			.map(({ link, result }) => `${link.targetId}: ${describeFailure(result)}`);
		results[i] = problems.length
			? failed(`Note ${note.id} was created but could not be attached to ${problems.join('; ')}`)
			: { ok: true, id: note.id, created: true };
	});
	return results;
}

async function createLegacyNotes(api: SalesforceApi, drafts: ActivityDraft[]): Promise<WriteResult[]> {
	const records: NewRecord[] = [];
	const owners: number[] = [];
	drafts.forEach((draft, i) => {
		for (const target of linkTargets(draft)) {
			records.push({ type: 'Note', fields: legacyNoteFields(draft, target.id) });
			owners.push(i);
		}
	});
	const created = await createRecords(api, records);
	return drafts.map((_, i) => {
		const mine = created.filter((_result, k) => owners[k] === i);
		if (mine.length === 0) return failed('A note needs at least one target record to be attached to');
		const problems = mine.filter((result) => !result.ok).map(describeFailure);
		const first = mine.find((result) => result.ok);
		if (problems.length === 0 && first?.ok) return { ok: true, id: first.id, created: true };
		return failed(problems.join('; '));
	});
}

export async function createSalesforceActivities(
	api: SalesforceApi,
	drafts: ActivityDraft[],
	noteStyle: NoteStyle,
): Promise<WriteResult[]> {
	const results: WriteResult[] = new Array<WriteResult>(drafts.length);
	const notes = drafts.map((draft, i) => ({ draft, i })).filter(({ draft }) => draft.kind === 'note');
	const others = drafts.map((draft, i) => ({ draft, i })).filter(({ draft }) => draft.kind !== 'note');
	const createNotes = noteStyle === 'legacyNote' ? createLegacyNotes : createContentNotes;
	const [noteResults, otherResults] = await Promise.all([
		notes.length ? createNotes(api, notes.map(({ draft }) => draft)) : [],
		others.length ? createTasksAndEvents(api, others.map(({ draft }) => draft)) : [],
	]);
	notes.forEach(({ i }, j) => (results[i] = noteResults[j]));
	others.forEach(({ i }, j) => (results[i] = otherResults[j]));
	return results;
}

function updateRecordFor(update: ActivityUpdate, noteStyle: NoteStyle): RecordUpdate {
	const { draft, id } = update;
	if (draft.kind === 'note') {
		if (noteStyle === 'legacyNote') {
			const { ParentId: _parent, ...fields } = legacyNoteFields(draft, '');
			return { type: 'Note', id, fields };
		}
		return { type: 'ContentNote', id, fields: contentNoteFields(draft) };
	}
	return { id, ...activityRecord(draft) };
}

export async function updateSalesforceActivities(
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
function activityRef(kind: ActivityKind, objectType: 'Task' | 'Event', record: SObjectRecord, matchedBy: string): CrmRef {
	const { attributes: _attributes, ...fields } = record;
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

async function findEvent(api: SalesforceApi, lookup: ActivityLookup): Promise<CrmRef | undefined> {
	const key = lookup.key;
	if (!lookup.startAt) return undefined;
	const start = Date.parse(lookup.startAt);
	if (Number.isNaN(start)) throw new Error(`"${lookup.startAt}" is not a valid start time`);
	const toleranceMs = (lookup.toleranceMinutes ?? DEFAULT_LOOKUP_TOLERANCE_MINUTES) * MINUTE_MS;
	const soql = eventsInWindowSoql(
		new Date(start - toleranceMs).toISOString(),
		new Date(start + toleranceMs).toISOString(),
		lookup.contactId,
	);
	const events = await api.query<SObjectRecord>(soql);
	const candidates = key ? events.filter((event) => carriesRef(event.Description, key)) : events;
	const closest = candidates.sort(
		(a, b) => Math.abs(Date.parse(String(a.StartDateTime)) - start) - Math.abs(Date.parse(String(b.StartDateTime)) - start),
	)[0];
	return closest ? activityRef('meeting', 'Event', closest, key ? 'key' : 'startTime') : undefined;
}

/**
 * Tasks and call logs by key (CallObject); Events by start time ± tolerance (default 5
 * minutes), optionally on one contact/lead (WhoId), confirmed by the Ref line when a key
 * is given. Notes cannot be looked up (their text is not queryable): returns undefined.
 */
export async function findSalesforceActivity(api: SalesforceApi, lookup: ActivityLookup): Promise<CrmRef | undefined> {
	if (lookup.kind === 'meeting') return findEvent(api, lookup);
	if (lookup.kind === 'note') return undefined;
	const key = lookup.key ?? lookup.conversationId;
	if (!key) return undefined;
	const tasks = await api.query<SObjectRecord>(tasksByKeySoql([callObjectFor(key)]));
	const match = tasks.find((task) => task.CallObject === callObjectFor(key));
	return match ? activityRef(lookup.kind, 'Task', match, 'key') : undefined;
}

/**
 * Whether each draft's activity exists, by queries that see a write at once (SOQL, not the
 * SOSL search index): Tasks and call logs by CallObject, Events by start time and their Ref
 * line. A note's text cannot be filtered in SOQL, so a note is reported as unknown.
 */
export async function findSalesforceActivitiesByKey(api: SalesforceApi, drafts: ActivityDraft[]): Promise<KeyLookupResult[]> {
	const records: NewRecord[] = [];
	const positions: number[] = [];
	const results: KeyLookupResult[] = drafts.map((draft) =>
		draft.kind === 'note'
			? { status: 'unknown', reason: 'Salesforce cannot look a note up by its content' }
			: { status: 'absent' },
	);
	drafts.forEach((draft, index) => {
		if (draft.kind === 'note') return;
		records.push(activityRecord(draft));
		positions.push(index);
	});
	if (records.length === 0) return results;
	const found = await activityVerifier(api)(records);
	found.forEach((id, j) => {
		if (id) results[positions[j]] = { status: 'found', id };
	});
	return results;
}
