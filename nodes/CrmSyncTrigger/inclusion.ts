/**
 * "Only Records in List/Segment" (an inclusion list, as in HubSpot's native Salesforce
 * integration): changed records are kept only while they are members of the chosen list,
 * campaign, list view, marketing list or view. The membership is read in full (key-ordered
 * pages) only when a poll found changes, so an idle poll costs nothing more.
 */
import type { CrmProvider, RecordData } from '../shared/providers/CrmProvider';

/** The membership kept in memory for one poll; a larger list fails with a clear error. */
export const MAX_INCLUSION_MEMBERS = 100_000;

export interface InclusionRead {
	/** Member ids of the watched object (a campaign's members of another object are left out). */
	members: Set<string>;
	apiCalls: number;
}

export async function readInclusionMembers(
	provider: CrmProvider,
	request: { segmentId: string; objectType: string; pageSize: number },
): Promise<InclusionRead> {
	const list = provider.listSegmentMembers?.bind(provider);
	if (!list)
		throw new Error(`${provider.profile.displayName} has no lists or segments to filter by`);
	const before = provider.usage().calls;
	const members = new Set<string>();
	let cursor: string | undefined;
	do {
		const page = await list({
			segmentId: request.segmentId,
			objectType: request.objectType,
			pageSize: request.pageSize,
			...(cursor === undefined ? {} : { cursor }),
		});
		for (const member of page.members)
			if (member.objectType.toLowerCase() === request.objectType.toLowerCase())
				members.add(member.id);
		if (members.size > MAX_INCLUSION_MEMBERS)
			throw new Error(
				`The inclusion list ${request.segmentId} has more than ${MAX_INCLUSION_MEMBERS.toLocaleString('en-US')} members: filter the records another way (e.g. the trigger's filter)`,
			);
		cursor = page.nextCursor;
	} while (cursor !== undefined);
	return { members, apiCalls: provider.usage().calls - before };
}

/** The records that are members, and how many were left out. Pure. */
export function keepMembers(
	records: RecordData[],
	members: ReadonlySet<string>,
): { kept: RecordData[]; excluded: number } {
	const kept = records.filter((record) => members.has(record.id));
	return { kept, excluded: records.length - kept.length };
}
