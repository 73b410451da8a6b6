/**
 * Conversation notes, calls and meetings as client activities (ASSUMED endpoint, see
 * endpoints.ts). Each activity belongs to exactly one client and carries the draft's key
 * as `external_id`, which is how an ambiguous create is verified and how findActivities
 * finds it again. autoch.at offers no way to update an activity.
 */
import { fitText, sanitizeText, singleLine } from '../../logic/text';
import { AUTOCHAT_TEXT_LIMITS } from './profile';
import type { ActivityDraft, ActivityKind, CrmRef } from '../../model';
import type { ActivityLookup, ActivityUpdate, KeyLookupResult, WriteResult } from '../CrmProvider';
import {
	lookupWindow,
	matchActivityLookups,
	type ActivityCandidate,
} from '../../logic/activityLookupMatch';
import type { AutochatApi } from './api';
import {
	autochatEndpoints,
	readList,
	readRecord,
	type ActivityBody,
	type AutochatActivityRecord,
	type AutochatActivityType,
} from './endpoints';
import { CLIENT_OBJECT_TYPE } from './objectType';
import { runEach } from './runEach';

export const AUTOCHAT_ACTIVITY_KINDS: readonly AutochatActivityType[] = ['note', 'call', 'meeting'];
export const ACTIVITY_OBJECT_TYPE = 'activity';

/** Upper bound on activity pages read for one lookup, so a huge history cannot loop forever. */
const MAX_ACTIVITY_PAGES = 50;

const isAutochatKind = (kind: ActivityKind): kind is AutochatActivityType =>
	(AUTOCHAT_ACTIVITY_KINDS as readonly string[]).includes(kind);

/** The client ids among the draft's targets (kind contact or objectType client). */
function clientTargets(draft: ActivityDraft): string[] {
	const ids = draft.targets
		.filter(
			(target) =>
				target.crm === 'autochat' &&
				(target.objectType === CLIENT_OBJECT_TYPE || target.kind === 'contact'),
		)
		.map((target) => target.id);
	return [...new Set(ids)];
}

function metadataOf(draft: ActivityDraft): Record<string, unknown> | undefined {
	const entries = Object.entries({
		conversation_id: draft.conversationId,
		ended_at: draft.endAt,
		duration_seconds: draft.durationSeconds,
		direction: draft.direction,
		from_number: draft.fromNumber,
		to_number: draft.toNumber,
		outcome: draft.outcome,
		recording_url: draft.recordingUrl,
	}).filter(([, value]) => value !== undefined);
	return entries.length ? Object.fromEntries(entries) : undefined;
}

/** Body and subject are sanitised plain text, fitted to the (assumed) AUTOCHAT_TEXT_LIMITS. */
export function activityBody(
	draft: ActivityDraft & { kind: AutochatActivityType },
	nowIso: () => string,
): ActivityBody {
	const subject =
		draft.subject === undefined
			? undefined
			: singleLine(draft.subject, AUTOCHAT_TEXT_LIMITS.activitySubject);
	const text = sanitizeText(draft.body);
	const body: ActivityBody = {
		type: draft.kind,
		// The API requires a body; a meeting or call with only a title stores the title there.
		body:
			text.trim() !== '' ? fitText(text, AUTOCHAT_TEXT_LIMITS.activityBody).text : (subject ?? ''),
		occurred_at: draft.startAt ?? nowIso(),
		external_id: draft.key,
	};
	if (subject !== undefined) body.subject = subject;
	const metadata = metadataOf(draft);
	if (metadata) body.metadata = metadata;
	return body;
}

/** Every activity of one client, following the cursor if the API pages. */
export async function listActivities(
	api: AutochatApi,
	clientId: string,
): Promise<AutochatActivityRecord[]> {
	const all: AutochatActivityRecord[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < MAX_ACTIVITY_PAGES; page++) {
		const request = autochatEndpoints.listActivities(clientId, cursor);
		const result = await api.send(
			request,
			(body) => readList<AutochatActivityRecord>(body, request.label),
			{ idempotent: true },
		);
		all.push(...result.items);
		cursor = result.nextCursor;
		if (!cursor) break;
	}
	return all;
}

async function findByKey(
	api: AutochatApi,
	clientId: string,
	key: string,
): Promise<AutochatActivityRecord | undefined> {
	return (await listActivities(api, clientId)).find((activity) => activity.external_id === key);
}

function failure(message: string, code: string): WriteResult {
	return { ok: false, error: { message, code } };
}

async function createOne(
	api: AutochatApi,
	draft: ActivityDraft,
	nowIso: () => string,
): Promise<WriteResult> {
	const kind = draft.kind;
	if (!isAutochatKind(kind))
		return failure(
			`autoch.at CRM cannot store a ${kind} activity (only ${AUTOCHAT_ACTIVITY_KINDS.join(', ')})`,
			'UNSUPPORTED',
		);
	const clients = clientTargets(draft);
	if (clients.length !== 1) {
		return failure(
			`An autoch.at CRM activity belongs to exactly one client; this ${kind} has ${clients.length} client targets`,
			clients.length === 0 ? 'MISSING_TARGET' : 'TOO_MANY_TARGETS',
		);
	}
	const clientId = clients[0];
	const request = autochatEndpoints.createActivity(
		clientId,
		activityBody({ ...draft, kind }, nowIso),
	);
	const created = (id: string): WriteResult => ({ ok: true, id, created: true });
	return api.send<WriteResult>(
		request,
		(body) => created(readRecord<AutochatActivityRecord>(body, request.label).id),
		{
			idempotent: false,
			// After a lost answer the activity may exist: look for our key before trying again.
			verify: async () => {
				const existing = await findByKey(api, clientId, draft.key);
				return existing
					? { status: 'done' as const, value: created(existing.id) }
					: { status: 'not-done' as const };
			},
		},
	);
}

/**
 * Each draft's activity by its key, from its one client's activity list (reads are
 * consistent). Drafts of the same client share one listing.
 */
export async function findActivitiesByKey(
	api: AutochatApi,
	drafts: ActivityDraft[],
): Promise<KeyLookupResult[]> {
	const clientOf = (draft: ActivityDraft): string | undefined => {
		const clients = clientTargets(draft);
		return clients.length === 1 && isAutochatKind(draft.kind) ? clients[0] : undefined;
	};
	const byClient = new Map<string, Map<string, string>>();
	for (const clientId of new Set(drafts.map(clientOf))) {
		if (clientId === undefined) continue;
		const activities = await listActivities(api, clientId);
		byClient.set(
			clientId,
			new Map(activities.filter((a) => a.external_id).map((a) => [String(a.external_id), a.id])),
		);
	}
	return drafts.map((draft): KeyLookupResult => {
		const clientId = clientOf(draft);
		const id = clientId === undefined ? undefined : byClient.get(clientId)?.get(draft.key);
		return id ? { status: 'found', id } : { status: 'absent' };
	});
}

export function createActivities(
	api: AutochatApi,
	drafts: ActivityDraft[],
	nowIso: () => string,
): Promise<WriteResult[]> {
	return runEach(drafts, (draft) => createOne(api, draft, nowIso));
}

/** autoch.at has no way to change an activity: corrected content is reported, never dropped silently. */
export async function updateActivities(updates: ActivityUpdate[]): Promise<WriteResult[]> {
	return updates.map(({ id }) =>
		failure(
			`autoch.at CRM cannot update an activity, so the corrected content was not written: activity ${id} keeps the content written first. Change it in autoch.at CRM if the correction matters.`,
			'UNSUPPORTED',
		),
	);
}

function activityRef(
	activity: AutochatActivityRecord,
	kind: ActivityKind,
	matchedBy: string,
): CrmRef {
	return {
		crm: 'autochat',
		// CrmRef has no activity kinds: the record kind it was looked up through, the real type in properties.
		kind: 'contact',
		objectType: ACTIVITY_OBJECT_TYPE,
		id: activity.id,
		matchedBy,
		createdAt: activity.created_at,
		properties: { ...activity, activityKind: kind },
	};
}

/**
 * The port's batched lookup. autoch.at lists activities per client only, so the batch
 * costs one listing per distinct contact (not per lookup); every activity listed for a
 * contact is with that contact, and the pure matcher hands each one out once.
 */
export async function findActivities(
	api: AutochatApi,
	lookups: readonly ActivityLookup[],
): Promise<Array<CrmRef | undefined>> {
	lookups.forEach((lookup, index) => {
		if (!lookup.contactId)
			throw new Error(
				`autoch.at CRM activity lookup ${index + 1} needs contactId: activities can only be listed per client`,
			);
		lookupWindow(lookup); // a bad start time fails the batch before any request
	});
	const contacts = [
		...new Set(
			lookups.flatMap((lookup) =>
				isAutochatKind(lookup.kind) ? [lookup.contactId as string] : [],
			),
		),
	];
	const found: Array<{ activity: AutochatActivityRecord; kind: ActivityKind; contactId: string }> =
		[];
	for (const contactId of contacts)
		for (const activity of await listActivities(api, contactId))
			if (isAutochatKind(activity.type as ActivityKind))
				found.push({ activity, kind: activity.type as ActivityKind, contactId });
	const candidates: ActivityCandidate[] = found.map(({ activity, kind, contactId }) => {
		const conversationId = activity.metadata?.conversation_id;
		return {
			kind,
			key: activity.external_id ?? undefined,
			conversationId: typeof conversationId === 'string' ? conversationId : undefined,
			startMs: Date.parse(String(activity.occurred_at ?? '')),
			contactIds: [contactId],
		};
	});
	// Activities belong to one client: a lookup only matches what its own client holds.
	return matchActivityLookups(lookups, candidates, { sameContactOnly: true }).map((match, index) =>
		match
			? activityRef(found[match.candidate].activity, lookups[index].kind, match.matchedBy)
			: undefined,
	);
}
