/**
 * ActivityDraft → Salesforce record fields (pure). Where the draft key lives, so
 * findActivities can find a write again:
 * - Tasks (call logs and action items): `CallObject` (255 chars, filterable in SOQL).
 *   Keys from logic/activityKeys are ≤120 chars and embed the conversation id, so a call
 *   log's CallObject identifies its conversation; longer keys are hashed to fit.
 * - Events: no free filterable text field exists, so the key is a `Ref: <key>` line at the
 *   end of Description; it is found by the event's start-time window and confirmed
 *   client-side against that line.
 * - Notes: a `Ref: <key>` line at the end of the note; a note is found through its
 *   targets' links and title (SOQL), then confirmed by that line (notes.ts).
 *
 * Text: Subject/Title are sanitised single lines; Task/Event Description and the legacy
 * Note Body are plain text; ContentNote Content is escaped HTML. Every text is fitted, Ref
 * line included, to its field's length (SALESFORCE_TEXT_LIMITS), cut visibly when too long.
 */
import { createHash } from 'node:crypto';

import { escapeHtml } from '../../logic/html';
import { fitText, sanitizeText, singleLine } from '../../logic/text';
import { callDetailLines } from '../../logic/callDetailLines';
import { channelLine } from '../../logic/chatChannels';
import { SALESFORCE_PROFILE, SALESFORCE_TEXT_LIMITS as LIMITS } from './profile';
import type { ActivityDraft, Priority } from '../../model';
import { enforceLeadRule, resolveWhoWhat } from './events';

const DEFAULT_MEETING_MS = 30 * 60 * 1000;

const PRIORITY: Record<Priority, string> = { high: 'High', normal: 'Normal', low: 'Low' };

/** The CallObject value for a key: the key itself, or a hash when it would not fit. */
export function callObjectFor(key: string): string {
	return key.length <= LIMITS.callObject
		? key
		: `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

/** A plain-text field: sanitised and cut visibly to `max`. */
function plainText(text: string, max: number): string {
	return fitText(sanitizeText(text), max).text;
}

export function refLine(key: string): string {
	return `Ref: ${key}`;
}

export function carriesRef(text: unknown, key: string): boolean {
	return (
		typeof text === 'string' && text.split(/\r?\n/).some((line) => line.trim() === refLine(key))
	);
}

/** Plain body plus the Ref line, cut so the Ref line always survives the field limit. */
function withRef(body: string, key: string, max: number): string {
	const ref = refLine(key);
	const text = sanitizeText(body);
	return text.trim() === '' ? ref : fitText(text, max, { suffix: `\n\n${ref}` }).text;
}

/** A sanitised one-line Subject/Title, or the fallback when nothing is left. */
function subjectLine(subject: string | undefined, fallback: string, max: number): string {
	return singleLine(subject ?? '', max) || fallback;
}

/** YYYY-MM-DD as written: a due date of 2026-12-01T23:00-05:00 means the 1st where it was set. */
export function dateOnly(value: string | undefined): string | undefined {
	if (!value) return undefined;
	const match = /^(\d{4}-\d{2}-\d{2})/.exec(value.trim());
	return match ? match[1] : undefined;
}

function defined(fields: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

/** The set fields, with the Who/What rule applied. */
function finish(fields: Record<string, unknown>): Record<string, unknown> {
	return enforceLeadRule(defined(fields));
}

function whoWhat(draft: ActivityDraft) {
	const { WhoId, WhatId } = resolveWhoWhat(draft.targets);
	return { WhoId, WhatId };
}

export function taskFields(draft: ActivityDraft): Record<string, unknown> {
	return finish({
		Subject: subjectLine(draft.subject, 'Follow up', LIMITS.subject),
		Description: plainText(draft.body, LIMITS.description),
		ActivityDate: dateOnly(draft.dueDate ?? draft.dueAt),
		Status: draft.status || 'Not Started',
		Priority: PRIORITY[draft.priority ?? 'normal'],
		// A value of the org's Task Type picklist, where the node chose one.
		Type: draft.activityType ? singleLine(draft.activityType, LIMITS.taskType) : undefined,
		OwnerId: draft.ownerId,
		CallObject: callObjectFor(draft.key),
		...whoWhat(draft),
	});
}

/**
 * A call Task's Description: the notes, then the details a Task has no field for — the
 * from/to numbers and the recording, as fixed readable lines — kept whole when the notes are cut.
 */
export function callDescription(draft: ActivityDraft): string {
	const { numbers, recording } = SALESFORCE_PROFILE.callLog.inDescription;
	const lines = callDetailLines(draft, { numbers, recording, outcome: false });
	const text = sanitizeText(draft.body);
	if (lines.length === 0) return plainText(text, LIMITS.description);
	const suffix = lines.join('\n');
	return text.trim() === ''
		? suffix
		: fitText(text, LIMITS.description, { suffix: `\n\n${suffix}` }).text;
}

/**
 * A call-log Task. Additional fields from the node go underneath: a field the pack sets
 * itself wins, one it leaves empty (e.g. CallType without a direction) keeps the given value.
 */
export function callFields(draft: ActivityDraft): Record<string, unknown> {
	return enforceLeadRule({
		...(draft.extraFields ?? {}),
		...defined(ownCallFields(draft)),
	});
}

function ownCallFields(draft: ActivityDraft): Record<string, unknown> {
	return {
		Subject: subjectLine(draft.subject, 'Call', LIMITS.subject),
		Description: callDescription(draft),
		CallDisposition: draft.outcome
			? singleLine(draft.outcome, SALESFORCE_PROFILE.callLog.outcome.maxLength)
			: undefined,
		TaskSubtype: 'Call',
		CallDurationInSeconds: draft.durationSeconds,
		CallType:
			draft.direction === 'inbound'
				? 'Inbound'
				: draft.direction === 'outbound'
					? 'Outbound'
					: undefined,
		CallObject: callObjectFor(draft.key),
		Status: 'Completed',
		ActivityDate: dateOnly(draft.startAt),
		OwnerId: draft.ownerId,
		...whoWhat(draft),
	};
}

/**
 * A chat (WhatsApp, LinkedIn, SMS) as a completed Task of subtype Task: Salesforce has no
 * standard messaging activity on every org (Messaging Sessions need Digital Engagement), and
 * the `LinkedIn` subtype belongs to Sales Navigator. The channel is a fixed last line of the
 * Description; the key lives in CallObject like every Task the pack writes.
 */
export function chatFields(draft: ActivityDraft): Record<string, unknown> {
	const channel = channelLine(draft.channel) ?? 'Channel: chat';
	const text = sanitizeText(draft.body);
	return finish({
		Subject: subjectLine(draft.subject, 'Chat', LIMITS.subject),
		Description:
			text.trim() === ''
				? channel
				: fitText(text, LIMITS.description, { suffix: `\n\n${channel}` }).text,
		TaskSubtype: 'Task',
		Status: 'Completed',
		ActivityDate: dateOnly(draft.startAt),
		OwnerId: draft.ownerId,
		CallObject: callObjectFor(draft.key),
		...whoWhat(draft),
	});
}

export function eventEnd(draft: ActivityDraft): string | undefined {
	if (draft.endAt) return draft.endAt;
	if (!draft.startAt) return undefined;
	const lengthMs = draft.durationSeconds ? draft.durationSeconds * 1000 : DEFAULT_MEETING_MS;
	return new Date(Date.parse(draft.startAt) + lengthMs).toISOString();
}

export function eventFields(draft: ActivityDraft): Record<string, unknown> {
	if (!draft.startAt) throw new Error('A Salesforce Event needs a start time (startAt)');
	return finish({
		Subject: subjectLine(draft.subject, 'Meeting', LIMITS.subject),
		StartDateTime: draft.startAt,
		EndDateTime: eventEnd(draft),
		Description: withRef(draft.body, draft.key, LIMITS.description),
		OwnerId: draft.ownerId,
		...whoWhat(draft),
	});
}

/** ContentNote Content is HTML: one escaped paragraph per line, the Ref line last. */
export function noteHtml(body: string, key: string): string {
	const text = sanitizeText(body);
	const ref = `<p>${escapeHtml(refLine(key))}</p>`;
	if (text.trim() === '') return ref;
	const render = (plain: string) =>
		plain
			.split(/\r?\n/)
			.map((line) => `<p>${escapeHtml(line)}</p>`)
			.join('');
	return fitText(text, LIMITS.contentNote, { render, suffix: `<p></p>${ref}` }).text;
}

export function contentNoteFields(draft: ActivityDraft): Record<string, unknown> {
	return {
		Title: subjectLine(draft.subject, 'Call note', LIMITS.contentNoteTitle),
		Content: Buffer.from(noteHtml(draft.body, draft.key), 'utf8').toString('base64'),
	};
}

export function legacyNoteFields(draft: ActivityDraft, parentId: string): Record<string, unknown> {
	return {
		ParentId: parentId,
		Title: subjectLine(draft.subject, 'Call note', LIMITS.legacyNoteTitle),
		Body: withRef(draft.body, draft.key, LIMITS.legacyNoteBody),
	};
}
