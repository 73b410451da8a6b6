/**
 * Talks to the provider for the deletions of one poll: reads the deletion listing to its end
 * (time-listed deletions are not ordered by time, so a partial read could emit a newer one
 * before an older one it has not seen yet) and hands the whole of it to the cursor logic.
 */
import type { CrmProvider, DeletedRecord } from '../shared/providers/CrmProvider';
import { takeDeletions, type DeletionCursor } from './logic/deletionCursor';

/** Pages of one deletion listing before a poll gives up (a CRM that keeps answering with more). */
export const MAX_DELETION_PAGES = 1000;

export interface CollectedDeletions {
	records: DeletedRecord[];
	cursor: DeletionCursor;
}

export async function collectDeletions(
	provider: CrmProvider,
	objectType: string,
	start: DeletionCursor,
	options: { settledUntil: number; pageSize: number },
): Promise<CollectedDeletions> {
	if (!provider.listDeleted)
		throw new Error(`${provider.profile.displayName} cannot list deleted records`);
	const listing: DeletedRecord[] = [];
	let cursor: string | undefined = start.token;
	let resumeToken: string | undefined;
	for (let page = 0; ; page++) {
		if (page >= MAX_DELETION_PAGES)
			throw new Error(
				`${provider.profile.displayName} kept listing deleted ${objectType} records after ${MAX_DELETION_PAGES} pages; nothing was emitted`,
			);
		const answer = await provider.listDeleted({
			objectType,
			since: start.since,
			cursor,
			pageSize: options.pageSize,
		});
		listing.push(...answer.records);
		if (answer.nextCursor === undefined) {
			resumeToken = answer.resumeCursor;
			break;
		}
		cursor = answer.nextCursor;
	}
	const step = takeDeletions(start, listing, {
		settledUntil: options.settledUntil,
		resumeToken,
	});
	return { records: step.emit, cursor: step.cursor };
}
