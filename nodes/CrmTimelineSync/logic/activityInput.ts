/**
 * Reads an item's `activity` (CRM Sync Trigger's "Timeline Activities" output) and checks it:
 * an unusable one fails its item naming the field, never the batch.
 */
import { z } from 'zod';

import {
	CrmNameSchema,
	describeIssues,
	TIMELINE_TYPES,
	type TimelineActivity,
} from '../../shared/model';
import { sanitizeText } from '../../shared/logic/text';

const id = z.preprocess(
	(value) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value),
	z.string().trim().min(1, 'must not be empty'),
);

const optionalText = z.preprocess(
	(value) => (value === null || value === '' ? undefined : value),
	z.string().optional(),
);

const ActivitySchema = z.object({
	crm: CrmNameSchema,
	type: z.enum(TIMELINE_TYPES),
	id,
	objectType: z.string().default(''),
	subject: optionalText,
	body: z.preprocess((value) => (value === null || value === undefined ? '' : value), z.string()),
	occurredAt: z.preprocess(
		(value) => (value === null || value === '' ? undefined : value),
		z
			.string()
			.refine((value) => !Number.isNaN(Date.parse(value)), 'must be a date and time')
			.optional(),
	),
	direction: z.preprocess(
		(value) => (value === null ? undefined : value),
		z.enum(['inbound', 'outbound']).optional(),
	),
	durationMs: z.preprocess(
		(value) => (value === null ? undefined : value),
		z.number().nonnegative().optional(),
	),
	status: optionalText,
	contactIds: z.array(id).default([]),
	leadIds: z.array(id).default([]),
	companyIds: z.array(id).default([]),
	dealIds: z.array(id).default([]),
	people: z
		.array(
			z.object({
				id,
				kind: z.enum(['contact', 'lead']),
				email: optionalText,
			}),
		)
		.default([]),
	copiedByPack: z.boolean().default(false),
});

export type ActivityRead =
	{ ok: true; activity: TimelineActivity } | { ok: false; message: string };

export function readActivity(json: Record<string, unknown>): ActivityRead {
	if (json.activity === undefined || json.activity === null)
		return {
			ok: false,
			message:
				'field "activity" is missing: connect a CRM Sync Trigger watching "Timeline Activities"',
		};
	const parsed = ActivitySchema.safeParse(json.activity);
	if (!parsed.success)
		return {
			ok: false,
			message: `field "activity": ${describeIssues(parsed.error)
				.split('; ')
				.map((issue) => `activity.${issue}`)
				.join('; ')}`,
		};
	const value = parsed.data;
	const activity: TimelineActivity = {
		...value,
		body: sanitizeText(value.body),
		people: value.people.map((person) =>
			person.email === undefined
				? { id: person.id, kind: person.kind }
				: { id: person.id, kind: person.kind, email: person.email },
		),
	};
	if (value.subject !== undefined) activity.subject = sanitizeText(value.subject);
	return { ok: true, activity };
}
