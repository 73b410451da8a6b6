import type { CrmRef } from '../../nodes/shared/model';
import type { ActivityLookup, CrmProvider } from '../../nodes/shared/providers/CrmProvider';

/** One lookup through the provider's batched port (a batch of one). */
export async function findOneActivity(
	provider: Pick<CrmProvider, 'findActivities'>,
	lookup: ActivityLookup,
): Promise<CrmRef | undefined> {
	const found = await provider.findActivities([lookup]);
	expect(found).toHaveLength(1);
	return found[0];
}
