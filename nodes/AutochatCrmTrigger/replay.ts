/**
 * Replay memory for webhook deliveries. n8n's processed-items store is not offered to
 * webhook functions, so the keys live in the node's workflow static data, which n8n saves
 * after every production webhook call (for an active workflow). The list is bounded: the
 * oldest keys are dropped first, so only the most recent MAX_REMEMBERED_KEYS keys (two per
 * delivery at most) are recognised. Test deliveries from the editor are not persisted by n8n.
 */
import type { IDataObject } from 'n8n-workflow';

import { rememberDelivery } from '../shared/logic/webhookSignature';

export const MAX_REMEMBERED_KEYS = 2_000;

/** True when the delivery was seen before; otherwise remembers it. */
export function isReplay(staticData: IDataObject, keys: string[]): boolean {
	const seen = Array.isArray(staticData.deliveries) ? staticData.deliveries.filter((key): key is string => typeof key === 'string') : [];
	const result = rememberDelivery(seen, keys, MAX_REMEMBERED_KEYS);
	if (!result.replay) staticData.deliveries = result.seen;
	return result.replay;
}
