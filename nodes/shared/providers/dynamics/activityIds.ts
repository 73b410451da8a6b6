/**
 * The id the pack gives every Dataverse activity it creates: a name-based GUID (RFC 4122
 * version 5, SHA-1) of the table, the regarding record and the draft key. Every process and
 * every replay computes the same id, and Dataverse keeps primary keys unique, so a repeated
 * create is refused as "already exists" instead of storing a second copy.
 */
import { createHash } from 'node:crypto';

import type { ActivityDraft } from '../../model';
import { activityEntity } from './activityBodies';

/** This pack's namespace for activity ids. Never change it: it would orphan every id written before. */
export const ACTIVITY_ID_NAMESPACE = '5b0c3f61-2d7e-4c1a-9f3e-8a6d2b47c915';

/** RFC 4122 version 5 UUID of `name` in `namespace`. */
export function uuidV5(namespace: string, name: string): string {
	const hash = createHash('sha1')
		.update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
		.update(name, 'utf8')
		.digest();
	hash[6] = (hash[6] & 0x0f) | 0x50;
	hash[8] = (hash[8] & 0x3f) | 0x80;
	const hex = hash.subarray(0, 16).toString('hex');
	return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The activity's GUID. The table is part of the name because phone calls, tasks and
 * appointments share one id space (activitypointer); the draft carries at most one target.
 */
export function activityId(draft: ActivityDraft): string {
	const target = draft.targets[0]?.id.toLowerCase() ?? '';
	return uuidV5(
		ACTIVITY_ID_NAMESPACE,
		`${activityEntity(draft.kind).logicalName}\n${target}\n${draft.key}`,
	);
}
