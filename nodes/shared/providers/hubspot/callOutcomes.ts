/**
 * The portal's call outcomes (dispositions): a call stores one by id in
 * `hs_call_disposition`. Read from `GET /calling/v1/dispositions` and cached with the
 * other metadata of the credential (cleared by "Clear Metadata Cache").
 */
import type { FieldOption } from '../CrmProvider';
import { credentialCache, type CacheRead } from '../metadataCache';
import type { HubSpotSession } from './session';

const outcomes = credentialCache<FieldOption[]>();

export function listCallOutcomes(
	session: HubSpotSession,
	read: CacheRead = {},
): Promise<FieldOption[]> {
	return outcomes.get(
		session.cacheScope,
		'call-dispositions',
		async () => {
			const list = await session.send('GET /calling/v1/dispositions', true, (api) =>
				api.getCallDispositions(),
			);
			return list.map((entry) => ({ value: entry.id, label: entry.label }));
		},
		read,
	);
}
