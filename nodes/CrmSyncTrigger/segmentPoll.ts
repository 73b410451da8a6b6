/**
 * One poll of the CRM Sync Trigger in list mode: membership changes of the chosen list since
 * the last poll, as items marked `change: 'added'` (with the member's fields) or
 * `change: 'removed'` (id and object only: the record may be gone). A manual test returns a
 * few current members and leaves the stored member set alone.
 */
import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import type { CrmName } from '../shared/model';
import { shareCalls, syncLog } from '../shared/node/syncLog';
import type { CrmProvider } from '../shared/providers/CrmProvider';
import {
	collectMembershipChanges,
	sampleMembers,
	type MemberLimits,
	type MembersRequest,
	type MembershipChange,
} from './collectMembers';
import { normalizeContact, propertiesToRead, type ContactFieldMap } from './logic/contactNormalize';
import {
	emptyMembership,
	memberCount,
	readMembership,
	type MembershipState,
} from './logic/segmentMembers';
import type { SegmentSettings, SyncTriggerSettings } from './settings';
import { attributeFields, attributesOf, type AttributePlan } from './attributes';

/** What list mode keeps in the node's workflow static data. */
export interface SegmentTriggerState {
	/** CRM + object + list + first-poll mode + start-over key the member set belongs to. */
	segmentScope?: string;
	membership?: MembershipState;
}

function scopeOf(crm: CrmName, settings: SyncTriggerSettings, segment: SegmentSettings): string {
	return JSON.stringify([
		crm,
		settings.objectType,
		segment.segmentId,
		segment.firstPoll,
		settings.startOverKey,
	]);
}

function toItems(
	crm: CrmName,
	changes: MembershipChange[],
	map: ContactFieldMap,
	plan: AttributePlan,
	settings: SyncTriggerSettings,
	segmentId: string,
	apiCalls: number,
	reason?: string,
): INodeExecutionData[] {
	const calls = shareCalls(apiCalls, changes.length);
	return changes.map((change, index) => {
		const entry = syncLog(crm, 'poll', 'success', {
			apiCalls: calls[index],
			target: { type: change.member.objectType, id: change.member.id },
			reason,
		});
		const base = change.record
			? {
					...(normalizeContact(change.record, map, {
						defaultCountry: settings.defaultCountry,
						extraFields: settings.extraFields,
					}) as unknown as IDataObject),
					...attributesOf(change.record, plan),
				}
			: { crmId: change.member.id, objectType: change.member.objectType };
		return { json: { ...base, change: change.change, segmentId, syncLog: [entry] } };
	});
}

export interface SegmentPollInput {
	crm: CrmName;
	provider: CrmProvider;
	settings: SyncTriggerSettings;
	segment: SegmentSettings;
	map: ContactFieldMap;
	plan: AttributePlan;
	limits: MemberLimits;
}

export async function pollSegment(
	ctx: IPollFunctions,
	input: SegmentPollInput,
): Promise<INodeExecutionData[][] | null> {
	const { crm, provider, settings, segment, map, plan } = input;
	const request: MembersRequest = {
		segmentId: segment.segmentId,
		objectType: settings.objectType,
		properties: propertiesToRead(map, [...settings.extraFields, ...attributeFields(plan)]),
		standardProperties: propertiesToRead(map),
		pageSize: settings.pageSize,
	};
	const state = ctx.getWorkflowStaticData('node') as SegmentTriggerState;
	const scope = scopeOf(crm, settings, segment);
	const stored = state.segmentScope === scope ? readMembership(state.membership) : undefined;

	if (ctx.getMode() === 'manual') {
		const sample = await sampleMembers(provider, request, settings.sampleSize);
		if (sample.length === 0) return null;
		const standing = stored
			? { membersKnown: memberCount(stored), scanInProgress: stored.scan !== undefined }
			: { membersKnown: 0, startsOver: true };
		const items = toItems(
			crm,
			sample,
			map,
			plan,
			settings,
			segment.segmentId,
			provider.usage().calls,
			'manual test: current members, the stored member set was not changed',
		);
		return [items.map((item) => ({ json: { ...item.json, pollState: standing } }))];
	}

	const collected = await collectMembershipChanges(
		provider,
		request,
		stored ?? emptyMembership(),
		segment.firstPoll === 'everything' ? 'emitAll' : 'baseline',
		input.limits,
	);
	// Only now, after every call succeeded: mutate the object n8n stores after the poll.
	state.segmentScope = scope;
	state.membership = collected.state;
	if (collected.changes.length === 0) return null;
	return [
		toItems(crm, collected.changes, map, plan, settings, segment.segmentId, provider.usage().calls),
	];
}
