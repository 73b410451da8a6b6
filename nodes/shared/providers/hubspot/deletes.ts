/**
 * deleteRecords: `POST /crm/v3/objects/{type}/batch/archive`, ≤ 100 ids per call. HubSpot
 * archives (restorable for 90 days) and answers 204 for the whole batch, also for ids that
 * are already archived or unknown — so a repeated archive is harmless and safe to retry.
 */
import { chunk } from '../batch';
import type { WriteResult } from '../CrmProvider';
import { deleteFailureOf } from '../deleteFailure';
import { HUBSPOT_PROFILE } from './profile';
import type { HubSpotSession } from './session';

export async function deleteRecords(
	session: HubSpotSession,
	objectType: string,
	ids: string[],
): Promise<WriteResult[]> {
	const out: WriteResult[] = [];
	const slices = chunk(ids, HUBSPOT_PROFILE.recordDeletion.batchSize);
	for (const [index, slice] of slices.entries()) {
		try {
			await session.send(`POST /crm/v3/objects/${objectType}/batch/archive`, true, (api) =>
				api.batchArchive(objectType, slice),
			);
			out.push(...slice.map((id): WriteResult => ({ ok: true, id, created: false })));
		} catch (error) {
			const { failure, stopAll } = deleteFailureOf(error);
			// A failure every later request would meet too (credential, limits) fails them unsent.
			const failed = stopAll ? slices.slice(index).flat() : slice;
			out.push(...failed.map((): WriteResult => ({ ok: false, error: failure })));
			if (stopAll) break;
		}
	}
	return out;
}
