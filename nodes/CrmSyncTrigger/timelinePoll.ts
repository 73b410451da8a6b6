/**
 * The trigger's "Timeline Activities" object: one listing per activity object (HubSpot calls,
 * meetings, notes, emails; Salesforce Tasks), each with its own poll cursor, then one read of
 * the people's e-mail addresses for the whole poll. Every activity comes out once per change,
 * as the neutral `activity` CRM Timeline Sync takes.
 */
import {
	NodeOperationError,
	type IDataObject,
	type INodeExecutionData,
	type IPollFunctions,
} from 'n8n-workflow';

import type { CrmName, ObjectKind, TimelineType } from '../shared/model';
import { shareCalls, syncLog } from '../shared/node/syncLog';
import type { CrmProvider, RecordData } from '../shared/providers/CrmProvider';
import type { TimelineFacts, TimelineObjectFacts } from '../shared/providers/profile';
import { profileOf } from '../shared/providers/profiles';
import { collectChanges, collectSample, type ListingRequest } from './collect';
import { readCursor, startCursor, type PollCursor } from './logic/pollCursor';
import { changeEvent } from './logic/recordNormalize';
import { normalizeActivity, timelinePropertiesToRead } from './logic/timelineNormalize';
import type { SyncTriggerSettings } from './settings';

/** The Object value that selects timeline activities (not a record kind). */
export const TIMELINE_OBJECT = 'timelineActivities';

/** What the trigger keeps for timeline polls in the node's static data. */
export interface TimelineTriggerState {
	scope?: string;
	/** One cursor per activity object. */
	timelineCursors?: Record<string, PollCursor>;
}

interface Listed {
	facts: TimelineObjectFacts;
	records: RecordData[];
	listedFrom: PollCursor;
}

export interface TimelinePoll {
	crm: CrmName;
	provider: CrmProvider;
	settings: SyncTriggerSettings;
	scope: string;
	state: TimelineTriggerState;
	startedAt: number;
	outOfTime: () => boolean;
}

export function timelineFactsOf(ctx: IPollFunctions, crm: CrmName): TimelineFacts {
	const facts = profileOf(crm).timeline;
	if (!facts)
		throw new NodeOperationError(
			ctx.getNode(),
			`Parameter "Object": ${profileOf(crm).displayName} has no timeline activities the trigger can list`,
		);
	return facts;
}

/** The activity objects the "Activity Types" parameter keeps (all when it names none). */
function chosenObjects(ctx: IPollFunctions, facts: TimelineFacts): TimelineObjectFacts[] {
	const raw = ctx.getNodeParameter('timelineTypes', []) as unknown;
	const chosen = Array.isArray(raw) ? raw.filter((value) => typeof value === 'string') : [];
	if (chosen.length === 0) return [...facts.objects];
	const known = facts.objects.map((object) => object.objectType);
	const unknown = chosen.filter((value) => !known.includes(value));
	if (unknown.length > 0)
		throw new NodeOperationError(
			ctx.getNode(),
			`Parameter "Activity Types": "${unknown.join('", "')}" is not one of ${known.join(', ')}`,
		);
	return facts.objects.filter((object) => chosen.includes(object.objectType));
}

function requestFor(
	object: TimelineObjectFacts,
	facts: TimelineFacts,
	settings: SyncTriggerSettings,
	records: boolean,
): ListingRequest {
	// Contacts always (the person an activity is about); companies and deals when asked.
	const associationKinds: ObjectKind[] = records ? ['contact', 'company', 'deal'] : ['contact'];
	return {
		objectType: object.objectType,
		properties: timelinePropertiesToRead(object, facts.links),
		pageSize: settings.pageSize,
		...(facts.links.by === 'associations' ? { associations: true, associationKinds } : {}),
	};
}

/** Whether companies and deals are read too, where they cost association reads. */
function withRecords(ctx: IPollFunctions, facts: TimelineFacts): boolean {
	return (
		facts.links.by === 'associations' && ctx.getNodeParameter('timelineRecords', false) === true
	);
}

/** The e-mail address of every contact and lead the listed activities name: one read per person object. */
async function emailsOf(
	crm: CrmName,
	provider: CrmProvider,
	facts: TimelineFacts,
	listed: Listed[],
): Promise<Map<string, string>> {
	const profile = profileOf(crm);
	const byKind = new Map<'contact' | 'lead', Set<string>>([
		['contact', new Set()],
		['lead', new Set()],
	]);
	for (const { facts: object, records } of listed)
		for (const record of records) {
			const activity = normalizeActivity(crm, record, object, facts.links, new Map());
			for (const person of activity.people) byKind.get(person.kind)?.add(person.id);
		}
	const emails = new Map<string, string>();
	const emailField = profile.contactFields.email;
	await Promise.all(
		[...byKind].map(async ([kind, ids]) => {
			const objectType = profile.objects[kind]?.objectType;
			if (!objectType || ids.size === 0) return;
			const records = await provider.getRecords(objectType, [...ids], [emailField]);
			for (const record of records) {
				const email = record?.properties[emailField];
				if (record && typeof email === 'string' && email.trim() !== '')
					emails.set(record.id, email.trim().toLowerCase());
			}
		}),
	);
	return emails;
}

function toItems(
	crm: CrmName,
	facts: TimelineFacts,
	listed: Listed[],
	emails: ReadonlyMap<string, string>,
	apiCalls: number,
	reason?: string,
): INodeExecutionData[] {
	const all = listed.flatMap(({ facts: object, records, listedFrom }) =>
		records.map((record) => ({ object, record, listedFrom })),
	);
	const calls = shareCalls(apiCalls, all.length);
	return all.map(({ object, record, listedFrom }, index) => {
		const activity = normalizeActivity(crm, record, object, facts.links, emails);
		const entry = syncLog(crm, 'poll', 'success', {
			apiCalls: calls[index],
			target: { type: record.objectType, id: record.id },
			reason,
		});
		const json = {
			crm,
			objectType: record.objectType,
			kind: 'timeline',
			id: record.id,
			event: changeEvent(record, listedFrom),
			updatedAt: record.updatedAt ?? null,
			activity,
			syncLog: [entry],
		};
		return { json: json as unknown as IDataObject };
	});
}

/** A manual test: a recent sample of each activity object; no cursor moves. */
async function sample(
	poll: TimelinePoll,
	facts: TimelineFacts,
	objects: TimelineObjectFacts[],
	withCompaniesAndDeals: boolean,
): Promise<INodeExecutionData[][] | null> {
	const { crm, provider, settings, startedAt } = poll;
	const listedFrom = { since: new Date(startedAt - 24 * 3_600_000).toISOString(), seenAtSince: [] };
	const listed: Listed[] = [];
	for (const object of objects) {
		const records = await collectSample(
			provider,
			requestFor(object, facts, settings, withCompaniesAndDeals),
			startedAt,
			settings.sampleSize,
		);
		listed.push({ facts: object, records, listedFrom });
	}
	if (listed.every((entry) => entry.records.length === 0)) return null;
	const emails = await emailsOf(crm, provider, facts, listed);
	return [
		toItems(
			crm,
			facts,
			listed,
			emails,
			provider.usage().calls,
			'manual test: a recent sample, the cursor was not moved',
		),
	];
}

export async function pollTimeline(
	ctx: IPollFunctions,
	poll: TimelinePoll,
): Promise<INodeExecutionData[][] | null> {
	const { crm, provider, settings, scope, state, startedAt, outOfTime } = poll;
	const facts = timelineFactsOf(ctx, crm);
	const objects = chosenObjects(ctx, facts);
	const records = withRecords(ctx, facts);
	if (ctx.getMode() === 'manual') return await sample(poll, facts, objects, records);

	const stored = state.scope === scope ? (state.timelineCursors ?? {}) : {};
	const cursors: Record<string, PollCursor> = {};
	const listed: Listed[] = [];
	let emitted = 0;
	for (const object of objects) {
		const start = readCursor(stored[object.objectType]) ?? startCursor(settings.firstPollStart);
		// Once the record cap is reached, the remaining objects wait for the next poll.
		if (emitted >= settings.maxRecords || (emitted > 0 && outOfTime())) {
			cursors[object.objectType] = start;
			continue;
		}
		const request = requestFor(object, facts, settings, records);
		const collected = await collectChanges(provider, request, start, {
			maxRecords: settings.maxRecords - emitted,
			settledUntil: startedAt - settings.settleSeconds * 1000,
			outOfTime,
		});
		cursors[object.objectType] = collected.cursor;
		emitted += collected.records.length;
		listed.push({ facts: object, records: collected.records, listedFrom: start });
	}
	const emails = emitted > 0 ? await emailsOf(crm, provider, facts, listed) : new Map();
	// Mutate the object n8n handed out: that is what it stores after the poll.
	state.scope = scope;
	state.timelineCursors = cursors;
	if (emitted === 0) return null;
	return [toItems(crm, facts, listed, emails, provider.usage().calls)];
}

/** The activity objects a CRM's timeline offers, for the "Activity Types" drop-down. */
export function timelineTypeOptions(
	crm: CrmName,
): Array<{ name: string; value: string; description: string }> {
	const facts = profileOf(crm).timeline;
	const names: Record<TimelineType, string> = {
		call: 'Calls',
		meeting: 'Meetings',
		note: 'Notes',
		email: 'Emails',
		task: 'Tasks',
	};
	return (facts?.objects ?? []).map((object) => ({
		name: names[object.type],
		value: object.objectType,
		description: `${profileOf(crm).displayName} ${object.objectType}`,
	}));
}
