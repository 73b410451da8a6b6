/**
 * Talks to the provider for one poll of a list's membership: reads pages of the current scan
 * (see logic/segmentMembers.ts), reads the added members' records in one batch call per page
 * and object type, and ends the scan after its last page. At most one scan ends per poll, so
 * a member added and removed between two polls is simply not seen; nothing is emitted twice.
 * Nothing here touches the node's static data: the caller stores the returned state only
 * when the whole poll succeeded, so a poll that fails midway is repeated from the old state.
 */
import type { CrmProvider, RecordData } from '../shared/providers/CrmProvider';
import {
	finishScan,
	takeMembersPage,
	type FirstScan,
	type MembershipState,
	type SegmentMember,
} from './logic/segmentMembers';

export interface MembersRequest {
	segmentId: string;
	/** The object the trigger watches: its extra fields are read for members of that object. */
	objectType: string;
	properties: string[];
	/** The standard person fields, for members of another object (a campaign's leads). */
	standardProperties: string[];
	pageSize: number;
}

export interface MembershipChange {
	change: 'added' | 'removed';
	member: SegmentMember;
	/** The member's record, for added members (absent when it could not be read any more). */
	record?: RecordData;
}

export interface CollectedMembers {
	changes: MembershipChange[];
	state: MembershipState;
	/** A scan ended in this poll. */
	scanFinished: boolean;
}

export interface MemberLimits {
	maxRecords: number;
	/** True once the poll should stop fetching more pages. */
	outOfTime: () => boolean;
}

function requireSegments(provider: CrmProvider): NonNullable<CrmProvider['listSegmentMembers']> {
	const list = provider.listSegmentMembers?.bind(provider);
	if (!list) throw new Error(`${provider.profile.displayName} has no lists or segments to watch`);
	return list;
}

/** Reads the records of the added members: one batch call per object type. */
async function withRecords(
	provider: CrmProvider,
	request: MembersRequest,
	added: SegmentMember[],
): Promise<MembershipChange[]> {
	const byType = new Map<string, string[]>();
	for (const member of added)
		byType.set(member.objectType, [...(byType.get(member.objectType) ?? []), member.id]);
	const records = new Map<string, RecordData>();
	for (const [objectType, ids] of byType) {
		const properties =
			objectType === request.objectType ? request.properties : request.standardProperties;
		const read = await provider.getRecords(objectType, ids, properties);
		for (const record of read) if (record) records.set(`${objectType} ${record.id}`, record);
	}
	return added.map((member) => {
		const record = records.get(`${member.objectType} ${member.id}`);
		return record ? { change: 'added', member, record } : { change: 'added', member };
	});
}

export async function collectMembershipChanges(
	provider: CrmProvider,
	request: MembersRequest,
	start: MembershipState,
	firstScan: FirstScan,
	limits: MemberLimits,
): Promise<CollectedMembers> {
	const listMembers = requireSegments(provider);
	let state = start;
	const changes: MembershipChange[] = [];
	for (;;) {
		const page = await listMembers({
			segmentId: request.segmentId,
			objectType: request.objectType,
			cursor: state.scan?.pageCursor,
			pageSize: request.pageSize,
		});
		const step = takeMembersPage(state, page.members, page.nextCursor, firstScan);
		state = step.state;
		if (step.added.length > 0) changes.push(...(await withRecords(provider, request, step.added)));
		if (page.nextCursor === undefined) {
			const finished = finishScan(state);
			for (const member of finished.removed) changes.push({ change: 'removed', member });
			return { changes, state: finished.state, scanFinished: true };
		}
		// The scan's position is kept, so stopping between any two pages loses nothing.
		if (changes.length >= limits.maxRecords || limits.outOfTime())
			return { changes, state, scanFinished: false };
	}
}

/** A few current members for a manual test; the stored state is not touched. */
export async function sampleMembers(
	provider: CrmProvider,
	request: MembersRequest,
	size: number,
): Promise<MembershipChange[]> {
	const page = await requireSegments(provider)({
		segmentId: request.segmentId,
		objectType: request.objectType,
		pageSize: size,
	});
	return await withRecords(provider, request, page.members.slice(0, size));
}
