/**
 * The provider-neutral data model. Every node validates its input against these
 * schemas and every provider translates to and from these types, so a node never
 * needs to know which CRM it is talking to.
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

export const ACTIVITY_KINDS = ['note', 'meeting', 'task', 'call'] as const;
export const ActivityKindSchema = z.enum(ACTIVITY_KINDS);
export type ActivityKind = z.infer<typeof ActivityKindSchema>;

/** ISO-8601 timestamp with an offset or Z, e.g. 2026-11-21T09:30:00Z. */
const isoDateTime = z.string().datetime({ offset: true });

/*
 * Input text is sanitised as it is read (see logic/text.ts), so nothing downstream — a CRM
 * write or a lookup — ever sees NUL, bidi overrides or lone surrogates.
 */

/** Text that is always there: sanitised, otherwise as given. */
const cleanText = z.preprocess((value) => (typeof value === 'string' ? sanitizeText(value) : value), z.string());

/** Optional text: sanitised and trimmed; blank or null means absent; a number becomes its text. */
function optionalText<T extends z.ZodTypeAny = z.ZodString>(inner?: T) {
	return z.preprocess((value) => {
		if (value === null) return undefined;
		if (typeof value === 'number' && Number.isFinite(value)) return String(value);
		return typeof value === 'string' ? presentText(value) : value;
	}, (inner ?? z.string()).optional());
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
	(value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : typeof value === 'string' ? sanitizeText(value).trim() : value),
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

export const PrioritySchema = z.enum(['low', 'normal', 'high']);
export type Priority = z.infer<typeof PrioritySchema>;

/**
 * One activity to write (note, meeting, task or call log), neutral across CRMs.
 * `key` is stable for the same conversation + kind + content slot, so a replay can be
 * recognised (processed-items store) and an ambiguous create can be verified.
 */
export const ActivityDraftSchema = z.object({
	key: z.string().min(1),
	kind: ActivityKindSchema,
	conversationId: z.string().optional(),
	subject: z.string().optional(),
	/** Plain text; providers escape/convert it for their storage format. */
	body: z.string().default(''),
	startAt: isoDateTime.optional(),
	endAt: isoDateTime.optional(),
	/** Tasks: when the task is due (date-only YYYY-MM-DD or timestamp). */
	dueAt: z.string().optional(),
	/** Tasks: the due day in the user's timezone, for CRMs that store a date only; else the date of `dueAt`. */
	dueDate: z.string().optional(),
	durationSeconds: z.number().int().nonnegative().optional(),
	direction: z.enum(['inbound', 'outbound']).optional(),
	priority: PrioritySchema.optional(),
	status: z.string().optional(),
	ownerId: z.string().optional(),
	fromNumber: z.string().optional(),
	toNumber: z.string().optional(),
	/** HubSpot meeting type (hs_activity_type) and similar CRM-specific picklist values. */
	activityType: z.string().optional(),
	outcome: z.string().optional(),
	/** Records the activity is associated with / regarding. */
	targets: z.array(CrmRefSchema).default([]),
	/** Extra native properties, written as given (already validated by the caller). */
	nativeProperties: z.record(z.unknown()).optional(),
});
export type ActivityDraft = z.infer<typeof ActivityDraftSchema>;

export const UPDATE_MODES = ['overwrite', 'fillIfEmpty', 'merge', 'aiMerge'] as const;
export const UpdateModeSchema = z.enum(UPDATE_MODES);
export type UpdateMode = z.infer<typeof UpdateModeSchema>;

export const FIELD_TYPES = ['string', 'number', 'boolean', 'date', 'datetime', 'enum', 'multiEnum'] as const;
export const FieldTypeSchema = z.enum(FIELD_TYPES);
export type FieldType = z.infer<typeof FieldTypeSchema>;

export const FieldMappingSchema = z.object({
	field: z.string().min(1),
	value: z.unknown(),
	mode: UpdateModeSchema.default('overwrite'),
	type: FieldTypeSchema.default('string'),
});
export type FieldMapping = z.infer<typeof FieldMappingSchema>;

export const FieldChangeSchema = z.object({
	field: z.string(),
	before: z.unknown(),
	after: z.unknown(),
	mode: UpdateModeSchema,
	applied: z.boolean(),
	reason: z.string().optional(),
});
export type FieldChange = z.infer<typeof FieldChangeSchema>;

export const SYNC_STATUSES = ['success', 'failed', 'pending', 'skipped'] as const;
export const SyncLogSchema = z.object({
	at: isoDateTime,
	crm: CrmNameSchema,
	/** e.g. create-lead, update-contact, add-note, create-task, log-call, link. */
	operation: z.string().min(1),
	target: z.object({ type: z.string(), id: z.string().optional() }).optional(),
	status: z.enum(SYNC_STATUSES),
	reason: z.string().optional(),
	apiCalls: z.number().int().nonnegative(),
});
export type SyncLog = z.infer<typeof SyncLogSchema>;

/** Formats zod issues as `field.path: message` lines for error descriptions. */
export function describeIssues(error: z.ZodError): string {
	return error.issues
		.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
		.join('; ');
}
