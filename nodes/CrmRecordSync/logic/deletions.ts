/**
 * Propagating deletions: which deleted source records get their counterpart deleted, and
 * which deletions are the sync's own coming back.
 *
 * A counterpart is found only through the link the sync stored between the two records —
 * never by email or domain: deleting the wrong record is worse than deleting none. When the
 * sync deletes a counterpart, both link rows are marked: the source's as `source` (deleted in
 * its own CRM; a second report of it is already handled) and the counterpart's as `sync` (the
 * sync deleted it; when the other direction's poll reports that deletion, it is an echo).
 *
 * Pure: no I/O.
 */

/** `source`: deleted in its own CRM, and propagated; `sync`: deleted by the sync itself. */
export type DeletionMark = 'source' | 'sync';

export const DELETION_MARKS: readonly DeletionMark[] = ['source', 'sync'];

export type DeletionMode = 'ignore' | 'propagate';

export const DELETION_MODES: readonly DeletionMode[] = ['ignore', 'propagate'];

/** What a deleted item's stored link says. */
export interface DeletionLink {
	counterpartCrm: string;
	counterpartObjectType: string;
	counterpartId: string;
	deleted?: DeletionMark;
	deletedAt?: string;
}

export interface DeletionTarget {
	crm: string;
	displayName: string;
	/** The target's API can delete records. */
	canDelete: boolean;
	/** What the target's profile says about deleting (why it cannot, where it cannot). */
	deletionNote: string;
	/** The target objects this sync writes: a link to any other object is not followed. */
	objectTypes: readonly string[];
}

export type DeletionDecision =
	| { action: 'delete'; objectType: string; id: string }
	/** The sync deleted this record itself: its deletion coming back. */
	| { action: 'echo'; reason: string }
	/** This deletion was propagated before (a repeated delivery). */
	| { action: 'done'; reason: string }
	| { action: 'skip'; reason: string };

export function decideDeletion(
	mode: DeletionMode,
	link: DeletionLink | undefined,
	target: DeletionTarget,
): DeletionDecision {
	if (link?.deleted === 'sync')
		return {
			action: 'echo',
			reason: `the deletion is the sync's own${link.deletedAt ? ` (${link.deletedAt})` : ''} coming back`,
		};
	if (link?.deleted === 'source' && link.counterpartCrm === target.crm)
		return {
			action: 'done',
			reason: `the deletion was already propagated${link.deletedAt ? ` (${link.deletedAt})` : ''}: the ${target.displayName} ${link.counterpartObjectType} ${link.counterpartId} is deleted`,
		};
	if (mode === 'ignore')
		return {
			action: 'skip',
			reason: `deleted in the source; Deletions is set to "Don't Sync Deletions", so the ${target.displayName} record is kept`,
		};
	if (!link || link.counterpartCrm !== target.crm)
		return {
			action: 'skip',
			reason: `no stored link to a ${target.displayName} record: a deletion is propagated only to the counterpart the sync linked, never to a record found by email or domain`,
		};
	if (!target.canDelete) return { action: 'skip', reason: target.deletionNote };
	if (!target.objectTypes.includes(link.counterpartObjectType))
		return {
			action: 'skip',
			reason: `the stored link names a ${target.displayName} ${link.counterpartObjectType}, not one of the objects this sync writes (${target.objectTypes.join(', ')}): nothing deleted`,
		};
	return { action: 'delete', objectType: link.counterpartObjectType, id: link.counterpartId };
}

export interface DeletePlan {
	/** Ids to delete per object type, each once, in first-seen order. */
	byObjectType: Map<string, string[]>;
	/** Items whose counterpart an earlier item of the batch deletes: item → that item. */
	sharedWith: Map<number, number>;
}

/** One delete per counterpart: items of a batch that reach the same record share it. */
export function planDeletes(
	decisions: ReadonlyArray<{ item: number; decision: DeletionDecision }>,
): DeletePlan {
	const byObjectType = new Map<string, string[]>();
	const sharedWith = new Map<number, number>();
	const first = new Map<string, number>();
	for (const { item, decision } of decisions) {
		if (decision.action !== 'delete') continue;
		const key = `${decision.objectType}\u0000${decision.id}`;
		const owner = first.get(key);
		if (owner !== undefined) {
			sharedWith.set(item, owner);
			continue;
		}
		first.set(key, item);
		byObjectType.set(decision.objectType, [
			...(byObjectType.get(decision.objectType) ?? []),
			decision.id,
		]);
	}
	return { byObjectType, sharedWith };
}
