/**
 * deleteRecords: `POST /crm/v3/objects/{type}/batch/archive`, ≤ 100 ids per call. HubSpot
 * archives (restorable for 90 days) and answers 204 for the whole batch, also for ids that
 * are already archived or unknown — so a repeated archive is harmless and safe to retry.
 */
import type { WriteResult } from '../CrmProvider';
import { HUBSPOT_PROFILE } from './profile';
import type { HubSpotSession } from './session';
import { writeInChunks } from './writeChunks';

export async function deleteRecords(
	session: HubSpotSession,
	objectType: string,
	ids: string[],
): Promise<WriteResult[]> {
	const out: WriteResult[] = new Array(ids.length);
	await writeInChunks(
		ids.map((input, index) => ({ index, input })),
		HUBSPOT_PROFILE.recordDeletion.batchSize,
		async (slice) => {
			const batch = slice.map((entry) => entry.input);
			await session.send(`POST /crm/v3/objects/${objectType}/batch/archive`, true, (api) =>
				api.batchArchive(objectType, batch),
			);
			return batch.map((id): WriteResult => ({ ok: true, id, created: false }));
		},
		out,
	);
	return out;
}
