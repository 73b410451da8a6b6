/**
 * Finds each item's CRM record and its current values with one provider call per step for
 * the whole batch: getRecords for ids; findMatches then getRecords for phone/email keys.
 */
import type { ObjectKind } from '../shared/model';
import type { CrmProvider, RecordData } from '../shared/providers/CrmProvider';
import { matchQuery, type MatchKey } from './matchKeys';

export interface Located {
	record?: RecordData;
	/** How many records matched the key (the newest one is updated). */
	matchCount: number;
}

export async function locateRecords(
	provider: CrmProvider,
	objectType: string,
	kind: ObjectKind,
	keys: MatchKey[],
	properties: string[],
): Promise<Located[]> {
	if (keys.length === 0) return [];
	if (keys[0].by === 'id') {
		const records = await provider.getRecords(objectType, keys.map((key) => key.value), properties);
		return records.map((record) => ({ record, matchCount: record ? 1 : 0 }));
	}
	const matches = await provider.findMatches(keys.map(matchQuery), { kinds: [kind], openDealsOnly: false, maxPerKind: 5 });
	const ids = matches.map((set) => set[kind][0]?.id);
	const wanted = [...new Set(ids.filter((id): id is string => id !== undefined))];
	const records = wanted.length ? await provider.getRecords(objectType, wanted, properties) : [];
	const byId = new Map(records.filter((r): r is RecordData => r !== undefined).map((r) => [r.id, r]));
	return matches.map((set, index) => {
		const id = ids[index];
		return { record: id === undefined ? undefined : byId.get(id), matchCount: set[kind].length };
	});
}
