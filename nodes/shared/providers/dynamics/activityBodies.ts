/**
 * Neutral ActivityDraft → Dataverse activity body (annotation, phonecall, task, appointment).
 *
 * Text: `notetext` and activity `description` are shown as rich text by the apps, so the
 * draft's text is sanitised and stored as escaped HTML (nothing in it can become markup);
 * subjects are sanitised single lines. Every text is fitted, key marker included, to its
 * column's MaxLength (DYNAMICS_TEXT_LIMITS).
 *
 * Where the draft key lives (so findActivities can find a replayed write):
 * - phonecall / task / appointment: `subcategory` — a plain single-line text column inherited
 *   from activitypointer (250 chars), filterable with `eq`, not shown on the default forms and
 *   unused by the platform. `activityadditionalparams` is documented "for internal use only",
 *   and a `subject`/`description` marker would be visible to users and editable.
 * - annotation (notes have no spare column): a last line `[crm-sync:<key>]` in `notetext`,
 *   found with `contains(notetext, ...)`.
 * Keys longer than the column allows are stored as `sha256:<hex>` of the key.
 */
import { createHash } from 'node:crypto';

import { escapeHtml, plainTextToHtml } from '../../logic/html';
import { fitText, sanitizeText, singleLine } from '../../logic/text';
import { callDetailLines } from '../../logic/callDetailLines';
import { channelLine } from '../../logic/chatChannels';
import { DYNAMICS_PROFILE, DYNAMICS_TEXT_LIMITS } from './profile';
import type { ActivityDraft, ActivityKind, CrmRef } from '../../model';
import { ACTIVITY_ENTITY, entityForRef, KNOWN_ENTITIES, type EntityInfo } from './entities';
import { guidLiteral, isGuid } from './odata';

/** An activity `description`: escaped HTML, cut visibly to the column instead of failing the write. */
export function activityDescription(text: string): string {
	return fitText(sanitizeText(text), DYNAMICS_TEXT_LIMITS.activityDescription, {
		render: plainTextToHtml,
	}).text;
}

/**
 * A phone call's `description`: the notes, then what the table has no column for — both
 * numbers (`phonenumber` holds only the other party's), the recording and the outcome — as
 * fixed readable lines that stay whole when the notes are cut.
 */
export function callDescription(draft: ActivityDraft): string | undefined {
	const { numbers, recording } = DYNAMICS_PROFILE.callLog.inDescription;
	const lines = callDetailLines(draft, { numbers, recording, outcome: true });
	if (lines.length === 0) return draft.body ? activityDescription(draft.body) : undefined;
	const suffix = `<p>${lines.map(escapeHtml).join('<br>')}</p>`;
	return fitText(sanitizeText(draft.body), DYNAMICS_TEXT_LIMITS.activityDescription, {
		render: plainTextToHtml,
		suffix,
	}).text;
}

const DEFAULT_MEETING_MINUTES = 30;

/** Activity party roles (activityparty.participationtypemask). */
const PARTY = { from: 1, to: 2, requiredAttendee: 5, organizer: 7 } as const;

/** Navigation property suffix of the "regarding" lookup per activity table. */
const REGARDING_SUFFIX: Record<Exclude<ActivityKind, 'note'>, string> = {
	call: 'phonecall',
	task: 'task',
	meeting: 'appointment',
	chat: 'task',
};

export function activityEntity(kind: ActivityKind): EntityInfo {
	return KNOWN_ENTITIES[ACTIVITY_ENTITY[kind]] as EntityInfo;
}

/** The value written to `subcategory` for a draft key. */
export function storedKey(key: string): string {
	if (key.length <= DYNAMICS_TEXT_LIMITS.subcategory) return key;
	return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * The marker a note carries for its key, as it appears in the stored (HTML) notetext:
 * lookups search for exactly this text. Keys the pack makes need no escaping.
 */
export function noteKeyMarker(key: string): string {
	return `[crm-sync:${escapeHtml(storedKey(key))}]`;
}

/** `/contacts(<id>)` for an @odata.bind value. */
function bindPath(entity: EntityInfo, id: string): string {
	return `/${entity.entitySet}(${guidLiteral(id)})`;
}

/** The single-valued navigation property that sets "regarding" (or a note's object). */
export function regardingProperty(kind: ActivityKind, target: CrmRef): string {
	const entity = entityForRef(target);
	return kind === 'note'
		? `objectid_${entity.logicalName}`
		: `regardingobjectid_${entity.logicalName}_${REGARDING_SUFFIX[kind]}`;
}

function firstLine(text: string): string {
	return text.split('\n').find((line) => line.trim() !== '') ?? '';
}

function subjectOf(draft: ActivityDraft, fallback: string, limit: number): string {
	const line = (text: string | undefined) => singleLine(text ?? '', limit);
	return line(draft.subject) || line(firstLine(sanitizeText(draft.body))) || fallback;
}

/** Date-only due dates become noon UTC, which stays the same calendar day from UTC−11 to UTC+11. */
export function dueDateTime(due: string): string {
	if (/^\d{4}-\d{2}-\d{2}$/.test(due)) return `${due}T12:00:00Z`;
	const time = Date.parse(due);
	if (Number.isNaN(time)) throw new Error(`due date "${due.slice(0, 40)}" is not a date`);
	return new Date(time).toISOString();
}

const PRIORITY_CODE = { low: 0, normal: 1, high: 2 } as const;

/** Checks a draft can be written to Dataverse; returns a reason when it cannot. */
export function draftProblem(draft: ActivityDraft): string | undefined {
	if (draft.targets.length > 1) {
		return `A Dynamics 365 ${ACTIVITY_ENTITY[draft.kind]} has a single regarding record; got ${draft.targets.length} targets (write one activity per target)`;
	}
	if (draft.kind === 'note' && draft.targets.length === 0)
		return 'A Dynamics 365 note needs the record it belongs to (one target)';
	for (const target of draft.targets) {
		if (target.crm !== 'dynamics')
			return `Target ${target.id} belongs to ${target.crm}, not Dynamics 365`;
		if (!isGuid(target.id))
			return `Target id "${target.id.slice(0, 60)}" is not a Dynamics 365 record id (GUID)`;
	}
	if (draft.ownerId !== undefined && !isGuid(draft.ownerId))
		return `Owner id "${draft.ownerId.slice(0, 60)}" is not a Dynamics 365 record id (GUID)`;
	if (draft.kind === 'meeting' && !draft.startAt)
		return 'A meeting (appointment) needs a start time';
	return undefined;
}

/**
 * A note's `notetext`: the escaped text, then the key marker as its own last paragraph,
 * fitted together to the column so a long note is cut visibly and stays findable.
 */
export function noteText(draft: ActivityDraft): string {
	const marker = `<p>${noteKeyMarker(draft.key)}</p>`;
	return fitText(sanitizeText(draft.body), DYNAMICS_TEXT_LIMITS.noteText, {
		render: plainTextToHtml,
		suffix: marker,
	}).text;
}

function meetingEnd(draft: ActivityDraft, start: string): string {
	if (draft.endAt) return new Date(Date.parse(draft.endAt)).toISOString();
	const seconds = draft.durationSeconds ?? DEFAULT_MEETING_MINUTES * 60;
	return new Date(Date.parse(start) + seconds * 1000).toISOString();
}

/** Parties of a call or meeting: the target person (contact/lead) and the owner when known. */
function parties(draft: ActivityDraft): Array<Record<string, unknown>> {
	const list: Array<Record<string, unknown>> = [];
	const person = draft.targets.find(
		(target) => target.kind === 'contact' || target.kind === 'lead',
	);
	const personParty = (mask: number): Record<string, unknown> | undefined => {
		if (!person) return undefined;
		const entity = entityForRef(person);
		return {
			[`partyid_${entity.logicalName}@odata.bind`]: bindPath(entity, person.id),
			participationtypemask: mask,
		};
	};
	const ownerParty = (mask: number): Record<string, unknown> | undefined =>
		draft.ownerId
			? {
					'partyid_systemuser@odata.bind': `/systemusers(${guidLiteral(draft.ownerId)})`,
					participationtypemask: mask,
				}
			: undefined;
	if (draft.kind === 'call') {
		const inbound = draft.direction === 'inbound';
		list.push(
			...[
				personParty(inbound ? PARTY.from : PARTY.to),
				ownerParty(inbound ? PARTY.to : PARTY.from),
			].filter(isParty),
		);
	} else if (draft.kind === 'meeting') {
		list.push(
			...[personParty(PARTY.requiredAttendee), ownerParty(PARTY.organizer)].filter(isParty),
		);
	}
	return list;
}

function isParty(value: Record<string, unknown> | undefined): value is Record<string, unknown> {
	return value !== undefined;
}

/**
 * The JSON body for a create (`mode: 'create'`) or an update. Updates leave activity parties
 * alone: writing the collection would replace the parties users may have edited.
 */
export function activityBody(
	draft: ActivityDraft,
	mode: 'create' | 'update',
): Record<string, unknown> {
	const body: Record<string, unknown> = {};
	const target = draft.targets[0];
	if (target) {
		const entity = entityForRef(target);
		body[`${regardingProperty(draft.kind, target)}@odata.bind`] = bindPath(entity, target.id);
	}
	if (draft.ownerId) body['ownerid@odata.bind'] = `/systemusers(${guidLiteral(draft.ownerId)})`;

	switch (draft.kind) {
		case 'note':
			body.subject = subjectOf(draft, 'Call summary', DYNAMICS_TEXT_LIMITS.noteSubject);
			body.notetext = noteText(draft);
			break;
		case 'call': {
			body.subject = subjectOf(draft, 'Call', DYNAMICS_TEXT_LIMITS.activitySubject);
			const description = callDescription(draft);
			if (description !== undefined) body.description = description;
			body.subcategory = storedKey(draft.key);
			if (draft.direction) body.directioncode = draft.direction === 'outbound';
			if (draft.durationSeconds !== undefined)
				body.actualdurationminutes = Math.ceil(draft.durationSeconds / 60);
			{
				const number =
					draft.direction === 'inbound'
						? (draft.fromNumber ?? draft.toNumber)
						: (draft.toNumber ?? draft.fromNumber);
				if (number) body.phonenumber = singleLine(number, DYNAMICS_TEXT_LIMITS.phoneNumber);
			}
			if (draft.startAt) body.actualstart = new Date(Date.parse(draft.startAt)).toISOString();
			if (draft.endAt) body.actualend = new Date(Date.parse(draft.endAt)).toISOString();
			break;
		}
		case 'chat': {
			// Marked 100 % complete but left open: a closed activity can no longer be corrected.
			body.subject = subjectOf(draft, 'Chat', DYNAMICS_TEXT_LIMITS.activitySubject);
			body.description = fitText(
				sanitizeText(draft.body),
				DYNAMICS_TEXT_LIMITS.activityDescription,
				{
					render: plainTextToHtml,
					suffix: `<p>${escapeHtml(channelLine(draft.channel) ?? 'Channel: chat')}</p>`,
				},
			).text;
			body.subcategory = storedKey(draft.key);
			body.percentcomplete = 100;
			if (draft.startAt) body.actualstart = new Date(Date.parse(draft.startAt)).toISOString();
			if (draft.endAt) body.actualend = new Date(Date.parse(draft.endAt)).toISOString();
			break;
		}
		case 'task':
			body.subject = subjectOf(draft, 'Follow-up', DYNAMICS_TEXT_LIMITS.activitySubject);
			if (draft.body) body.description = activityDescription(draft.body);
			body.subcategory = storedKey(draft.key);
			if (draft.dueAt) body.scheduledend = dueDateTime(draft.dueAt);
			if (draft.priority) body.prioritycode = PRIORITY_CODE[draft.priority];
			if (draft.activityType)
				body.category = singleLine(draft.activityType, DYNAMICS_PROFILE.timelineTask.typeMaxLength);
			// A task logged as done (a copied activity): 100 % complete but left open, like chats,
			// because a closed activity can no longer be corrected.
			if (draft.status) body.percentcomplete = 100;
			break;
		case 'meeting': {
			const start = new Date(Date.parse(draft.startAt as string)).toISOString();
			body.subject = subjectOf(draft, 'Meeting', DYNAMICS_TEXT_LIMITS.activitySubject);
			if (draft.body) body.description = activityDescription(draft.body);
			body.subcategory = storedKey(draft.key);
			body.scheduledstart = start;
			body.scheduledend = meetingEnd(draft, start);
			break;
		}
	}
	// Additional fields from the node go underneath: what the pack sets itself wins.
	if (draft.kind === 'call' && draft.extraFields) {
		for (const [name, value] of Object.entries(draft.extraFields))
			if (!(name in body)) body[name] = value;
	}
	if (mode === 'create') {
		const list = parties(draft);
		if (list.length > 0) body[`${ACTIVITY_ENTITY[draft.kind]}_activity_parties`] = list;
	}
	return body;
}
