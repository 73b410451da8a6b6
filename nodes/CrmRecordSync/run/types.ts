/** The shapes one Record Sync run passes from reading to planning to writing. */
import type { IDataObject } from 'n8n-workflow';

import type { NeutralValue } from '../../CrmContactFieldMerge/logic/fieldValues';
import type { MergeFieldSpec } from '../../CrmContactFieldMerge/fieldSpecs';
import type { ObjectKind } from '../../shared/model';
import type { KeyedLock } from '../../shared/node/keyedLock';
import type { FieldDescription, RecordData } from '../../shared/providers/CrmProvider';
import type { LinkMemory, LinkRow, PendingMemory } from '../links';
import type { IdentityDecision } from '../logic/identity';
import type { FieldMapping } from '../settings';

export interface RecordSyncGuards {
	lock: KeyedLock;
	links: LinkMemory;
	/** Creates whose answer was lost, found again before creating anew. */
	pending: PendingMemory;
}

export type SyncAction =
	| 'created'
	| 'updated'
	| 'unchanged'
	| 'echo-skipped'
	| 'skipped-ineligible'
	| 'deferred'
	| 'failed';

export interface ObjectInfo {
	kind: ObjectKind;
	objectType: string;
	fields: Map<string, FieldDescription>;
	specs: Map<string, MergeFieldSpec>;
}

export interface FieldChangeOut {
	sourceField: string;
	field: string;
	rule: string;
	before: unknown;
	after: unknown;
	applied: boolean;
	reason?: string;
}

export interface AssociationOut {
	kind: ObjectKind;
	sourceId: string;
	targetId?: string;
	status: 'linked' | 'unchanged' | 'unresolved' | 'unsupported' | 'failed';
	reason?: string;
}

export interface Prepared {
	itemIndex: number;
	/** Associated records of the source by kind, with their target counterparts where known. */
	associated: Partial<Record<ObjectKind, Array<{ sourceId: string; targetId?: string }>>>;
	json: IDataObject;
	source: {
		objectType: string;
		id: string;
		properties: Record<string, unknown>;
		modifiedAt?: number;
	};
	sourceKey: string;
	link?: LinkRow;
	/** Target field → the source value converted to it (undefined = blank), for mappings the source record carries. */
	values: Map<string, { mapping: FieldMapping; value: NeutralValue | undefined }>;
	sourceFingerprint: string;
	email?: string;
	domain?: string;
	/** Company or deal name, as the source holds it. */
	name?: string;
	ineligible?: string;
	/** Lock keys: the source record, and the person/company key. */
	identityKeys: string[];
}

export interface Planned extends Prepared {
	associations: AssociationOut[];
	/** Target contact ids to add as junction records once the deal exists. */
	dealContacts: string[];
	decision: IdentityDecision;
	object?: ObjectInfo;
	targetId?: string;
	current?: RecordData;
	changes: FieldChangeOut[];
	properties: Record<string, unknown>;
	/** Target field values after the write, for the target's fingerprint. */
	after: Record<string, NeutralValue | undefined>;
	/** The earlier item of this batch whose write this one shares. */
	joins?: number;
}
