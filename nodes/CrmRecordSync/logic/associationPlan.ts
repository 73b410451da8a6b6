/**
 * Which of a record's associations to write into the target, and how — from where the target
 * CRM keeps each association (its profile's `associationWrites`): a lookup on the record set
 * with the record's own write, junction records added after the write, or the CRM's
 * association API after the write.
 *
 * An associated record without a counterpart in the target is `unresolved` (linked by a later
 * run, once it has one); one the record already has is `unchanged` and not written again; a
 * pair the target does not keep is `unsupported`. A lookup holds one record: the first one
 * with a counterpart is written, the others are reported.
 *
 * Pure: no I/O.
 */
import type { ObjectKind } from '../../shared/model';
import type { AssociationStore } from '../../shared/providers/profile';

export interface AssociatedRecord {
	sourceId: string;
	/** The counterpart in the target, where known. */
	targetId?: string;
}

export type AssociationStatus = 'linked' | 'unchanged' | 'unresolved' | 'unsupported' | 'failed';

export interface AssociationEntry {
	kind: ObjectKind;
	sourceId: string;
	targetId?: string;
	status: AssociationStatus;
	reason?: string;
}

export interface AssociationFacts {
	/** The target CRM's name and the record's object type, for the reasons. */
	crmName: string;
	objectType: string;
	action: 'create' | 'update';
	/** Where the target keeps each associated kind of this record kind. */
	stores: Readonly<Partial<Record<ObjectKind, AssociationStore>>>;
	/** The associated target ids the record has now, by kind; a kind that is absent is not known. */
	current: Readonly<Partial<Record<ObjectKind, readonly string[]>>>;
}

export interface AssociationPlan {
	entries: AssociationEntry[];
	/** Lookups to set with the record's write. */
	lookups: Array<{ field: string; kind: ObjectKind; id: string }>;
	/** Junction records to add once the record exists. */
	junctions: Array<{ kind: ObjectKind; id: string }>;
	/** Associations to create through the CRM's association API once the record exists. */
	apiLinks: Array<{ kind: ObjectKind; id: string }>;
}

/** The associated kinds a plan covers, in output order. */
export const ASSOCIATED_KINDS = ['company', 'contact'] as const satisfies readonly ObjectKind[];

export function planAssociationWrites(
	associated: Readonly<Partial<Record<ObjectKind, readonly AssociatedRecord[]>>>,
	facts: AssociationFacts,
): AssociationPlan {
	const plan: AssociationPlan = { entries: [], lookups: [], junctions: [], apiLinks: [] };
	for (const kind of ASSOCIATED_KINDS) {
		const list = associated[kind] ?? [];
		const store = facts.stores[kind];
		const current = facts.current[kind];
		let lookupTaken: string | undefined;
		const seen = new Set<string>();
		for (const record of list) {
			const entry: AssociationEntry = { kind, sourceId: record.sourceId, status: 'linked' };
			plan.entries.push(entry);
			if (!store) {
				Object.assign(entry, {
					status: 'unsupported',
					reason: `${facts.crmName} ${facts.objectType} records keep no associated ${kind} that this node writes`,
				});
				continue;
			}
			if (!record.targetId) {
				Object.assign(entry, {
					status: 'unresolved',
					reason: `the associated ${kind} has no counterpart in ${facts.crmName} yet: sync it first (a later run links it)`,
				});
				continue;
			}
			const id = record.targetId;
			entry.targetId = id;
			if (seen.has(id)) {
				Object.assign(entry, { status: 'unchanged', reason: 'listed twice' });
				continue;
			}
			seen.add(id);
			if (store.via === 'lookup' && lookupTaken !== undefined) {
				Object.assign(entry, {
					status: 'unsupported',
					reason: `a ${facts.crmName} ${facts.objectType} holds one ${kind}: ${lookupTaken} is kept`,
				});
				continue;
			}
			if (store.via === 'lookup') lookupTaken = id;
			if (current?.includes(id)) {
				entry.status = 'unchanged';
				continue;
			}
			if (store.via === 'lookup') {
				plan.lookups.push(...store.fields.map((field) => ({ field, kind, id })));
				entry.status = 'linked';
				continue;
			}
			if (store.via === 'junction') {
				// An existing record's junction records are added only when its current ones were read.
				if (facts.action !== 'create' && current === undefined) {
					Object.assign(entry, {
						status: 'unchanged',
						reason: `${store.objectType} records of an existing ${facts.objectType} are added only when its current ones were read`,
					});
					continue;
				}
				plan.junctions.push({ kind, id });
				entry.status = 'linked';
				continue;
			}
			plan.apiLinks.push({ kind, id });
			entry.status = 'linked';
		}
	}
	return plan;
}
