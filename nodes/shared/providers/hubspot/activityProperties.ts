/**
 * ActivityDraft → HubSpot engagement properties and inline v4 associations.
 * Bodies are sanitised, escaped to HTML and fitted with their key marker line to HubSpot's
 * property value limit; titles and numbers are sanitised single lines.
 */
import { fitText, sanitizeText, singleLine } from '../../logic/text';
import { HUBSPOT_TEXT_LIMITS } from './profile';
import type { ActivityDraft } from '../../model';
import { engagementAssociationTypeId } from './associationTypes';
import { ACTIVITY_KEY_STORES, keyProperties, markerLine } from './activityKey';
import type { InlineAssociation } from './client';
import { plainTextToHtml } from './html';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A date-only due date becomes noon UTC of that date: HubSpot stores a datetime and shows
 * it in each user's time zone, and noon UTC is the same calendar day from UTC−11 to UTC+11.
 */
function dueTimestamp(due: string): string {
	return DATE_ONLY.test(due) ? `${due}T12:00:00.000Z` : due;
}

function addSeconds(iso: string, seconds: number): string {
	return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}

const TASK_PRIORITY = { low: 'LOW', normal: 'MEDIUM', high: 'HIGH' } as const;

/** `no show` → `NO_SHOW`, `completed` → `COMPLETED`. */
function enumValue(value: string): string {
	return value
		.trim()
		.toUpperCase()
		.replace(/[\s-]+/g, '_');
}

/** The stored HTML body: escaped text, cut to fit together with the marker line. */
export function engagementBody(draft: ActivityDraft): string {
	const suffix = ACTIVITY_KEY_STORES[draft.kind].mode === 'marker' ? markerLine(draft.key) : '';
	return fitText(sanitizeText(draft.body), HUBSPOT_TEXT_LIMITS.propertyValue, {
		render: plainTextToHtml,
		suffix,
	}).text;
}

/** A title or other one-line text property. */
function line(value: string | undefined): string | undefined {
	return value === undefined ? undefined : singleLine(value, HUBSPOT_TEXT_LIMITS.propertyValue);
}

function compact(properties: Record<string, string | undefined>): Record<string, string> {
	const result: Record<string, string> = {};
	for (const [name, value] of Object.entries(properties))
		if (value !== undefined) result[name] = value;
	return result;
}

/**
 * The properties to write for a draft. On create, required values get defaults (`nowIso`
 * for timestamps, NOT_STARTED / COMPLETED / TODO); on update only what the draft states is
 * written, so an update never resets, say, a completed task to NOT_STARTED.
 */
export function engagementProperties(
	draft: ActivityDraft,
	nowIso: string,
	mode: 'create' | 'update' = 'create',
): Record<string, string> {
	const creating = mode === 'create';
	const timestamp = draft.startAt ?? (creating ? nowIso : undefined);
	const orDefault = (value: string | undefined, fallback: string): string | undefined =>
		value ?? (creating ? fallback : undefined);
	let properties: Record<string, string | undefined>;
	switch (draft.kind) {
		case 'note':
			properties = { hs_note_body: engagementBody(draft), hs_timestamp: timestamp };
			break;
		case 'meeting': {
			const end =
				draft.endAt ??
				(timestamp !== undefined && draft.durationSeconds !== undefined
					? addSeconds(timestamp, draft.durationSeconds)
					: timestamp);
			properties = {
				hs_meeting_title: line(draft.subject),
				hs_meeting_body: engagementBody(draft),
				hs_meeting_start_time: timestamp,
				hs_meeting_end_time: end,
				hs_timestamp: timestamp,
				hs_activity_type: draft.activityType,
				hs_meeting_outcome: draft.outcome ? enumValue(draft.outcome) : undefined,
			};
			break;
		}
		case 'task':
			properties = {
				hs_task_subject: line(draft.subject),
				hs_task_body: engagementBody(draft),
				hs_task_status: orDefault(
					draft.status ? enumValue(draft.status) : undefined,
					'NOT_STARTED',
				),
				hs_task_priority: draft.priority ? TASK_PRIORITY[draft.priority] : undefined,
				hs_task_type: orDefault(
					draft.activityType ? enumValue(draft.activityType) : undefined,
					'TODO',
				),
				hs_timestamp: draft.dueAt ? dueTimestamp(draft.dueAt) : timestamp,
			};
			break;
		case 'call':
			properties = {
				hs_call_title: line(draft.subject),
				hs_call_body: engagementBody(draft),
				hs_call_duration:
					draft.durationSeconds !== undefined ? String(draft.durationSeconds * 1000) : undefined,
				hs_call_direction: draft.direction ? draft.direction.toUpperCase() : undefined,
				hs_call_from_number: line(draft.fromNumber),
				hs_call_to_number: line(draft.toNumber),
				hs_call_status: orDefault(draft.status ? enumValue(draft.status) : undefined, 'COMPLETED'),
				// The id of one of the portal's call outcomes (the node resolves labels).
				hs_call_disposition: draft.outcome,
				hs_call_recording_url: line(draft.recordingUrl),
				hs_timestamp: timestamp,
			};
			break;
		case 'chat':
			// `logged_from: CRM` is what the API requires for a message logged by an integration.
			properties = {
				hs_communication_channel_type: draft.channel,
				hs_communication_logged_from: creating ? 'CRM' : undefined,
				hs_communication_body: engagementBody(draft),
				hs_timestamp: timestamp,
			};
			break;
	}
	// Additional fields from the node go underneath: what the pack sets itself wins.
	const extra: Record<string, string> = {};
	if (draft.kind === 'call')
		for (const [name, value] of Object.entries(draft.extraFields ?? {}))
			extra[name] = String(value);
	return {
		...extra,
		...compact(properties),
		...keyProperties(draft.kind, draft.key),
		...(draft.ownerId ? { hubspot_owner_id: draft.ownerId } : {}),
	};
}

export type AssociationsResult =
	{ ok: true; associations: InlineAssociation[] } | { ok: false; message: string };

/** Inline associations for every target; a target HubSpot cannot associate is an input error. */
export function inlineAssociations(draft: ActivityDraft): AssociationsResult {
	const associations: InlineAssociation[] = [];
	const seen = new Set<string>();
	for (const target of draft.targets) {
		if (target.crm !== 'hubspot') {
			return {
				ok: false,
				message: `target ${target.kind} ${target.id} belongs to ${target.crm}, not HubSpot`,
			};
		}
		const typeId = engagementAssociationTypeId(draft.kind, target.kind);
		if (typeId === undefined) {
			return {
				ok: false,
				message: `a HubSpot ${draft.kind} cannot be associated with a ${target.kind}`,
			};
		}
		const unique = `${typeId}:${target.id}`;
		if (seen.has(unique)) continue;
		seen.add(unique);
		associations.push({
			to: { id: target.id },
			types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId }],
		});
	}
	return { ok: true, associations };
}
