/**
 * A source timeline activity → the completed task CRM Timeline Sync writes in the target CRM,
 * and the decisions before it (pure): whether the activity is copied at all, which e-mail
 * addresses find its person's counterpart, which matched record the task is about, and which
 * task type it gets.
 */
import { fitText, sanitizeText, singleLine } from '../../shared/logic/text';
import { timelineKey } from '../../shared/logic/timelineKeys';
import type {
	ActivityDraft,
	CrmRef,
	MatchSet,
	TimelineActivity,
	TimelineType,
} from '../../shared/model';

/** The task type chosen per source activity type (a value of the target's list). */
export type TaskTypes = Partial<Record<TimelineType, string>>;

/** What the task is about besides its person. */
export type RelatedRecord = 'none' | 'company' | 'deal';

/** Words for subjects and detail lines. */
const TYPE_NAMES: Record<TimelineType, string> = {
	call: 'Call',
	meeting: 'Meeting',
	note: 'Note',
	email: 'Email',
	task: 'Task',
};

const SUBJECT_MAX = 255;

export type CopyDecision = { copy: true; emails: string[] } | { copy: false; reason: string };

/** Whether an activity is copied, and the addresses its counterpart is looked up by (contacts first). */
export function copyDecision(
	activity: TimelineActivity,
	types: readonly TimelineType[],
): CopyDecision {
	if (activity.copiedByPack)
		return {
			copy: false,
			reason:
				'it is a copy CRM Timeline Sync wrote from the other CRM; copies are never copied back',
		};
	if (!types.includes(activity.type))
		return {
			copy: false,
			reason: `${TYPE_NAMES[activity.type].toLowerCase()}s are not copied in this direction (${types.join(', ')} are)`,
		};
	const ordered = [
		...activity.people.filter((person) => person.kind === 'contact'),
		...activity.people.filter((person) => person.kind === 'lead'),
	];
	const emails = [
		...new Set(
			ordered.flatMap((person) =>
				person.email && person.email.includes('@') ? [person.email.trim().toLowerCase()] : [],
			),
		),
	];
	if (emails.length === 0)
		return {
			copy: false,
			reason:
				activity.people.length === 0
					? 'the activity is not associated with any contact'
					: 'none of its contacts has an e-mail address to find the counterpart by',
		};
	return { copy: true, emails };
}

function emailOf(ref: CrmRef, emailField: string): string | undefined {
	const value = ref.properties?.[emailField];
	return typeof value === 'string' ? value.trim().toLowerCase() : undefined;
}

/**
 * The counterpart among the matches: a contact before a lead (a lead is often a person not yet
 * qualified), and among each, the one whose address comes first in the activity's order.
 */
export function counterpartOf(
	matches: MatchSet,
	emails: readonly string[],
	emailField: string,
): CrmRef | undefined {
	const rank = (ref: CrmRef): number => {
		const index = emails.indexOf(emailOf(ref, emailField) ?? '');
		return index === -1 ? emails.length : index;
	};
	const best = (refs: readonly CrmRef[]): CrmRef | undefined =>
		[...refs].sort((a, b) => rank(a) - rank(b))[0];
	return best(matches.contact) ?? best(matches.lead);
}

function time(value: string | undefined): number {
	const parsed = Date.parse(value ?? '');
	return Number.isNaN(parsed) ? 0 : parsed;
}

/** The company of the counterpart (not one matched by domain alone), or its newest open deal. */
export function relatedOf(
	matches: MatchSet,
	person: CrmRef,
	related: RelatedRecord,
): CrmRef | undefined {
	if (related === 'none' || person.kind === 'lead') return undefined;
	if (related === 'company')
		return matches.company.find((company) => company.matchedBy === 'association');
	return [...matches.deal]
		.filter((deal) => deal.isOpen !== false)
		.sort((a, b) => time(b.updatedAt ?? b.createdAt) - time(a.updatedAt ?? a.createdAt))[0];
}

/** YYYY-MM-DD of an ISO time, in UTC (the day the activity happened where it was stored). */
export function dayOf(iso: string | undefined): string | undefined {
	if (!iso) return undefined;
	const millis = Date.parse(iso);
	return Number.isNaN(millis) ? undefined : new Date(millis).toISOString().slice(0, 10);
}

function minutes(durationMs: number): string {
	const total = Math.round(durationMs / 1000);
	const m = Math.floor(total / 60);
	const s = total % 60;
	return s === 0 ? `${m} min` : `${m} min ${s} s`;
}

/** Readable lines for what a task has no field for, kept whole under the body. */
export function detailLines(activity: TimelineActivity): string[] {
	const lines: string[] = [];
	if (activity.direction)
		lines.push(`Direction: ${activity.direction === 'inbound' ? 'Inbound' : 'Outbound'}`);
	if (activity.durationMs !== undefined && activity.durationMs > 0)
		lines.push(`Duration: ${minutes(activity.durationMs)}`);
	if (activity.status) lines.push(`Status: ${activity.status}`);
	return lines;
}

/** Subject: the activity's own, else its type and the first words of its body. */
export function subjectOf(activity: TimelineActivity): string {
	const own = singleLine(activity.subject ?? '', SUBJECT_MAX);
	if (own !== '') return own;
	const name = TYPE_NAMES[activity.type];
	const firstLine = singleLine(activity.body.split('\n').find((line) => line.trim()) ?? '', 80);
	return firstLine === '' ? name : singleLine(`${name}: ${firstLine}`, SUBJECT_MAX);
}

export interface TaskDraftInput {
	activity: TimelineActivity;
	taskTypes: TaskTypes;
	person: CrmRef;
	related?: CrmRef;
	/** The target's value for a completed task. */
	completedStatus: string;
	/** The longest description the target stores: the body is cut, the detail lines stay. */
	descriptionLimit: number;
}

/** The completed task: keyed by the source activity, dated the day it happened. */
export function taskDraftOf(input: TaskDraftInput): ActivityDraft {
	const { activity, taskTypes, person, related, completedStatus, descriptionLimit } = input;
	const lines = detailLines(activity).join('\n');
	const text = sanitizeText(activity.body).trim();
	const body =
		text === ''
			? lines
			: fitText(text, descriptionLimit, { suffix: lines === '' ? '' : `\n\n${lines}` }).text;
	const draft: ActivityDraft = {
		key: timelineKey(activity),
		kind: 'task',
		conversationId: `${activity.crm}:${activity.type}:${activity.id}`,
		subject: subjectOf(activity),
		body,
		status: completedStatus,
		targets: related ? [person, related] : [person],
	};
	const day = dayOf(activity.occurredAt);
	if (activity.occurredAt && day) {
		draft.dueAt = new Date(Date.parse(activity.occurredAt)).toISOString();
		draft.dueDate = day;
	}
	const type = taskTypes[activity.type]?.trim();
	if (type) draft.activityType = type;
	return draft;
}
