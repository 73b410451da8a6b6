/**
 * ActivityDraft → Salesforce record fields (pure). Where the draft key lives, so
 * findActivity can find a write again:
 * - Tasks (call logs and action items): `CallObject` (255 chars, filterable in SOQL).
 *   Keys from logic/activityKeys are ≤120 chars and embed the conversation id, so a call
 *   log's CallObject identifies its conversation; longer keys are hashed to fit.
 * - Events: no free filterable text field exists, so the key is a `Ref: <key>` line at the
 *   end of Description; it is found by the event's start-time window and confirmed
 *   client-side against that line.
 * - Notes: a `Ref: <key>` line at the end of the note; a note is found through its
 *   targets' links and title (SOQL), then confirmed by that line (notes.ts).
 */
import { createHash } from 'node:crypto';
import type { ActivityDraft, Priority } from '../../model';
import { enforceLeadRule, resolveWhoWhat } from './events';

const SUBJECT_MAX = 255;
const DESCRIPTION_MAX = 32_000;
const CALL_OBJECT_MAX = 255;
const NOTE_TITLE_MAX = 255;
const LEGACY_NOTE_TITLE_MAX = 80;
const DEFAULT_MEETING_MS = 30 * 60 * 1000;

const PRIORITY: Record<Priority, string> = { high: 'High', normal: 'Normal', low: 'Low' };

export function truncate(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The CallObject value for a key: the key itself, or a hash when it would not fit. */
export function callObjectFor(key: string): string {
	return key.length <= CALL_OBJECT_MAX ? key : `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

export function refLine(key: string): string {
	return `Ref: ${key}`;
}

export function carriesRef(text: unknown, key: string): boolean {
	return typeof text === 'string' && text.split(/\r?\n/).some((line) => line.trim() === refLine(key));
}

/** Body plus the Ref line, cut so the Ref line always survives the field limit. */
function withRef(body: string, key: string, max: number): string {
	const ref = refLine(key);
	const room = max - ref.length - 2;
	const text = body.trim() === '' ? '' : `${truncate(body, room)}\n\n`;
	return `${text}${ref}`;
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

/** Native properties first so they can add fields, then ours, then the Who/What rule on the result. */
function finish(draft: ActivityDraft, fields: Record<string, unknown>): Record<string, unknown> {
	return enforceLeadRule(defined({ ...(draft.nativeProperties ?? {}), ...fields }));
}

function whoWhat(draft: ActivityDraft) {
	const { WhoId, WhatId } = resolveWhoWhat(draft.targets);
	return { WhoId, WhatId };
}

export function taskFields(draft: ActivityDraft): Record<string, unknown> {
	return finish(draft, {
		Subject: truncate(draft.subject || 'Follow up', SUBJECT_MAX),
		Description: truncate(draft.body, DESCRIPTION_MAX),
		ActivityDate: dateOnly(draft.dueAt),
		Status: draft.status || 'Not Started',
		Priority: PRIORITY[draft.priority ?? 'normal'],
		OwnerId: draft.ownerId,
		CallObject: callObjectFor(draft.key),
		...whoWhat(draft),
	});
}

export function callFields(draft: ActivityDraft): Record<string, unknown> {
	return finish(draft, {
		Subject: truncate(draft.subject || 'Call', SUBJECT_MAX),
		Description: truncate(draft.body, DESCRIPTION_MAX),
		TaskSubtype: 'Call',
		CallDurationInSeconds: draft.durationSeconds,
		CallType: draft.direction === 'inbound' ? 'Inbound' : draft.direction === 'outbound' ? 'Outbound' : undefined,
		CallObject: callObjectFor(draft.key),
		Status: 'Completed',
		ActivityDate: dateOnly(draft.startAt),
		OwnerId: draft.ownerId,
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
	return finish(draft, {
		Subject: truncate(draft.subject || 'Meeting', SUBJECT_MAX),
		StartDateTime: draft.startAt,
		EndDateTime: eventEnd(draft),
		Description: withRef(draft.body, draft.key, DESCRIPTION_MAX),
		OwnerId: draft.ownerId,
		...whoWhat(draft),
	});
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

/** ContentNote Content is HTML: escape the text, one paragraph per line, base64 for the API. */
export function noteHtml(body: string, key: string): string {
	const lines = withRef(body, key, Number.MAX_SAFE_INTEGER).split(/\r?\n/);
	return lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('');
}

export function contentNoteFields(draft: ActivityDraft): Record<string, unknown> {
	return {
		Title: truncate(draft.subject || 'Call note', NOTE_TITLE_MAX),
		Content: Buffer.from(noteHtml(draft.body, draft.key), 'utf8').toString('base64'),
	};
}

export function legacyNoteFields(draft: ActivityDraft, parentId: string): Record<string, unknown> {
	return {
		ParentId: parentId,
		Title: truncate(draft.subject || 'Call note', LEGACY_NOTE_TITLE_MAX),
		Body: withRef(draft.body, draft.key, DESCRIPTION_MAX),
	};
}
