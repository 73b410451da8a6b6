/**
 * The provider-neutral data model. Nodes validate their input with the zod schemas here
 * (conversations, CRM Link's matches); every provider translates to and from these types, so
 * a node never needs to know which CRM it is talking to.
 */
import { z } from 'zod';

import { presentText, sanitizeText } from './logic/text';

export const CRM_NAMES = ['hubspot', 'salesforce', 'dynamics', 'autochat'] as const;
export const CrmNameSchema = z.enum(CRM_NAMES);
export type CrmName = z.infer<typeof CrmNameSchema>;

/** Neutral record kinds. autoch.at CRM "clients" are contacts. */
export const OBJECT_KINDS = ['contact', 'company', 'deal', 'lead'] as const;
export const ObjectKindSchema = z.enum(OBJECT_KINDS);
export type ObjectKind = z.infer<typeof ObjectKindSchema>;

/**
 * Timeline activity types: what CRM Sync Trigger's "Timeline Activities" lists and CRM
 * Timeline Sync copies. Not record kinds — they are never matched, merged or synced as records.
 */
export const TIMELINE_TYPES = ['call', 'meeting', 'note', 'email', 'task'] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

/** A person an activity is about, with the e-mail its counterpart is found by in another CRM. */
export interface TimelinePerson {
	id: string;
	kind: 'contact' | 'lead';
	email?: string;
}

/** One timeline activity, neutral across CRMs (the trigger's `activity` output). */
export interface TimelineActivity {
	crm: CrmName;
	type: TimelineType;
	/** The activity's id and object in its CRM. */
	id: string;
	objectType: string;
	subject?: string;
	/** Plain text (HTML bodies are converted). */
	body: string;
	/** ISO-8601; when the activity happened (its activity date, else its creation). */
	occurredAt?: string;
	direction?: 'inbound' | 'outbound';
	durationMs?: number;
	/** The CRM's own status value (call status, task status, email send status). */
	status?: string;
	contactIds: string[];
	/** Leads, where the CRM has them apart from contacts. */
	leadIds: string[];
	companyIds: string[];
	dealIds: string[];
	/** The contacts and leads with their e-mail addresses. */
	people: TimelinePerson[];
	/** The activity is itself a copy CRM Timeline Sync wrote (never copied back). */
	copiedByPack: boolean;
}

/** `chat`: a logged message conversation (WhatsApp, LinkedIn, SMS). */
export type ActivityKind = 'note' | 'meeting' | 'task' | 'call' | 'chat';

export const CHAT_CHANNELS = ['WHATS_APP', 'LINKEDIN_MESSAGE', 'SMS'] as const;
export type ChatChannel = (typeof CHAT_CHANNELS)[number];

/** ISO-8601 timestamp with an offset or Z, e.g. 2026-11-21T09:30:00Z. */
const isoDateTime = z.string().datetime({ offset: true });

/*
 * Input text is sanitised as it is read (see logic/text.ts), so nothing downstream — a CRM
 * write or a lookup — ever sees NUL, bidi overrides or lone surrogates.
 */

/** Text that is always there: sanitised, otherwise as given. */
const cleanText = z.preprocess(
	(value) => (typeof value === 'string' ? sanitizeText(value) : value),
	z.string(),
);

/** Optional text: sanitised and trimmed; blank or null means absent; a number becomes its text. */
function optionalText<T extends z.ZodTypeAny = z.ZodString>(inner?: T) {
	return z.preprocess(
		(value) => {
			if (value === null) return undefined;
			if (typeof value === 'number' && Number.isFinite(value)) return String(value);
			return typeof value === 'string' ? presentText(value) : value;
		},
		(inner ?? z.string()).optional(),
	);
}

/**
 * A participant's values are only read to match CRM records, so a malformed email or phone
 * does not make the item invalid: CRM Link reports it as a warning for that participant.
 */
export const ParticipantSchema = z
	.object({
		name: optionalText(),
		email: optionalText(),
		phone: optionalText(),
		internal: z.boolean().default(false),
	})
	.passthrough();
export type Participant = z.infer<typeof ParticipantSchema>;

export const ActionItemSchema = z
	.object({
		text: cleanText.pipe(z.string().trim().min(1)),
		ownerEmail: optionalText(z.string().email()),
		/** Date-only (YYYY-MM-DD) or a full timestamp. */
		due: optionalText(),
	})
	.passthrough();
export type ActionItem = z.infer<typeof ActionItemSchema>;

export const DealInsightSchema = z.object({ label: cleanText, value: cleanText }).passthrough();
export type DealInsight = z.infer<typeof DealInsightSchema>;

/** A conversation id: text, or a number (some platforms send numeric ids) as its decimal text. */
const conversationId = z.preprocess(
	(value) =>
		typeof value === 'number' && Number.isFinite(value)
			? String(value)
			: typeof value === 'string'
				? sanitizeText(value).trim()
				: value,
	z.string().min(1, 'must not be empty'),
);

export const ConversationSchema = z
	.object({
		id: conversationId,
		startedAt: isoDateTime,
		endedAt: isoDateTime.optional(),
		direction: z.enum(['inbound', 'outbound']).optional(),
		participants: z.array(ParticipantSchema).min(1),
		summary: optionalText(),
		actionItems: z.array(ActionItemSchema).default([]),
		dealInsights: z.union([z.array(DealInsightSchema), cleanText]).optional(),
		/** Where it took place (WhatsApp, SMS, web chat, voice …): named in the note subject. */
		channel: optionalText(),
	})
	.passthrough();
export type Conversation = z.infer<typeof ConversationSchema>;

/** A pointer to one CRM record, with just enough context to route and associate. */
export const CrmRefSchema = z.object({
	crm: CrmNameSchema,
	kind: ObjectKindSchema,
	/** The CRM's own object name: `contacts`, `Contact`, `contact`, `client`, ... */
	objectType: z.string().min(1),
	id: z.string().min(1),
	name: z.string().optional(),
	ownerId: z.string().optional(),
	/** Why it matched: `phone`, `email`, `domain`, `association`. */
	matchedBy: z.string().optional(),
	/** Deals/opportunities: open or closed; used for open-only selection. */
	isOpen: z.boolean().optional(),
	createdAt: z.string().optional(),
	updatedAt: z.string().optional(),
	properties: z.record(z.unknown()).optional(),
});
export type CrmRef = z.infer<typeof CrmRefSchema>;

export const MatchSetSchema = z.object({
	contact: z.array(CrmRefSchema),
	company: z.array(CrmRefSchema),
	deal: z.array(CrmRefSchema),
	lead: z.array(CrmRefSchema),
});
export type MatchSet = z.infer<typeof MatchSetSchema>;

export function emptyMatchSet(): MatchSet {
	return { contact: [], company: [], deal: [], lead: [] };
}

export type Priority = 'low' | 'normal' | 'high';

/**
 * One activity to write (note, meeting, task or call log), neutral across CRMs.
 * `key` is stable for the same conversation + kind + content slot, so a replay can be
 * recognised (processed-items store) and an ambiguous create can be verified.
 */
export interface ActivityDraft {
	key: string;
	kind: ActivityKind;
	conversationId?: string;
	subject?: string;
	/** Plain text; providers escape/convert it for their storage format. */
	body: string;
	/** ISO-8601 timestamps with an offset or Z. */
	startAt?: string;
	endAt?: string;
	/** Tasks: when the task is due (date-only YYYY-MM-DD or timestamp). */
	dueAt?: string;
	/** Tasks: the due day in the user's timezone, for CRMs that store a date only; else the date of `dueAt`. */
	dueDate?: string;
	durationSeconds?: number;
	direction?: 'inbound' | 'outbound';
	priority?: Priority;
	status?: string;
	ownerId?: string;
	fromNumber?: string;
	toNumber?: string;
	/**
	 * A meeting type from the CRM's own list (HubSpot `hs_activity_type`), where its profile has
	 * meeting details; for tasks, the task type (Salesforce Task `Type`, HubSpot `hs_task_type`).
	 */
	activityType?: string;
	/**
	 * Meetings: the meeting outcome. Calls: the disposition, stored as the CRM's profile says
	 * (`callLog.outcome`): an id from the CRM's own list (HubSpot), a text field, or a description line.
	 */
	outcome?: string;
	/** Chats: the messaging channel. */
	channel?: ChatChannel;
	/** Calls: where the recording can be heard (http or https). */
	recordingUrl?: string;
	/**
	 * Further native fields of the activity (the CRM's own field names, values typed as the field), from the
	 * node's Additional Activity Fields. The pack's own fields (key, links, times) take precedence.
	 */
	extraFields?: Record<string, string | number | boolean>;
	/** Records the activity is associated with / regarding. */
	targets: CrmRef[];
}

export const UPDATE_MODES = [
	'overwrite',
	'fillIfEmpty',
	'merge',
	'aiMerge',
	'advanceOnly',
] as const;
export type UpdateMode = (typeof UPDATE_MODES)[number];

export const FIELD_TYPES = [
	'string',
	'number',
	'boolean',
	'date',
	'datetime',
	'enum',
	'multiEnum',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** What Field Merge did (or would do) with one field: the item's `crm.fieldChanges` entries. */
export interface FieldChange {
	field: string;
	before: unknown;
	after: unknown;
	mode: UpdateMode;
	applied: boolean;
	reason?: string;
}

/** One sync-log entry: what was done in which CRM and how it ended. */
export interface SyncLog {
	/** ISO-8601 timestamp. */
	at: string;
	crm: CrmName;
	/** e.g. create-lead, update-contact, add-note, create-task, log-call, link. */
	operation: string;
	target?: { type: string; id?: string };
	status: 'success' | 'failed' | 'pending' | 'skipped';
	reason?: string;
	apiCalls: number;
}

/** Formats zod issues as `field.path: message` lines for error descriptions. */
export function describeIssues(error: z.ZodError): string {
	return error.issues
		.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
		.join('; ');
}
