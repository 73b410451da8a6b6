/**
 * The writes of one batch: one per existing record (items on the same record share it) and
 * one per new person identity (later items with the same key join the first item's create).
 * A create keyed by a property the CRM holds unique (HubSpot contacts' `email`, see the
 * profile's `uniqueOnCreate`) is sent as an upsert by it, so it can never add a second record
 * for that key even when the search had not indexed the first one yet.
 */
import type { IDataObject } from 'n8n-workflow';

import type { NeutralValue } from './logic/fieldValues';
import type { FieldUpdate } from './logic/merge';
import type { CrmName, FieldChange, ObjectKind } from '../shared/model';
import type { RecordWrite } from '../shared/providers/CrmProvider';
import { profileOf } from '../shared/providers/profiles';
import type { MergeFieldSpec } from './fieldSpecs';
import type { KnownRecordRef, KnownRecordStatus } from './logic/knownRecord';
import type { MatchKey } from './matchKeys';
import { wireProperties } from './wireValues';

export interface ObjectInfo {
	kind: ObjectKind;
	objectType: string;
	specs: Map<string, MergeFieldSpec>;
}

export interface Prepared {
	itemIndex: number;
	json: IDataObject;
	key: MatchKey;
	/** Set when the key is the fall-back: why the Match By key was not usable. */
	fallbackReason?: string;
	/** Person identity (CRM account + normalised key); undefined for record-id keys. */
	identity?: string;
	/** The record id stored from an earlier write, read before any search. */
	known?: KnownRecordRef;
	updates: FieldUpdate[];
}

export interface Planned extends Prepared {
	object: ObjectInfo;
	recordId?: string;
	matchCount: number;
	/** The record was found by the id this node remembered creating. */
	remembered: boolean;
	/** What became of the known record id, when the item had one. */
	knownRecord?: KnownRecordStatus;
	/** No record matched: created when allowed, otherwise sent to No Match. */
	missing: boolean;
	/** Item index of the earlier item in this batch whose new record this item joins. */
	joins?: number;
	changes: FieldChange[];
	properties: Record<string, NeutralValue>;
	calls: number;
}

export interface WriteGroup {
	objectType: string;
	kind: ObjectKind;
	write: RecordWrite;
	items: Planned[];
	/** Set for a create: the identity whose new record id is remembered. */
	identity?: string;
}

function newRecordWrite(crm: CrmName, p: Planned): RecordWrite {
	const unique =
		p.key.by === 'id' ? undefined : profileOf(crm).personKeys.uniqueOnCreate?.[p.key.by];
	return unique ? { idProperty: unique, idValue: p.key.value, properties: {} } : { properties: {} };
}

/** Items that update a record or create one (callers leave out the No Match items). */
export function groupWrites(crm: CrmName, planned: Planned[]): WriteGroup[] {
	const groups = new Map<string, WriteGroup>();
	for (const p of planned) {
		const creating = p.recordId === undefined;
		const groupKey = creating
			? `create:${p.object.objectType}:${p.identity ?? p.key.value}`
			: `update:${p.object.objectType}:${p.recordId}`;
		let group = groups.get(groupKey);
		if (!group) {
			const write: RecordWrite = creating
				? newRecordWrite(crm, p)
				: { id: p.recordId, properties: {} };
			group = {
				objectType: p.object.objectType,
				kind: p.object.kind,
				write,
				items: [],
				...(creating && p.identity ? { identity: p.identity } : {}),
			};
			groups.set(groupKey, group);
		}
		Object.assign(group.write.properties, wireProperties(crm, p.object.specs, p.properties));
		group.items.push(p);
	}
	return [...groups.values()];
}
