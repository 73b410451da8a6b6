/**
 * In-memory records of every vendor: vendor → object type → id → record, plus
 * directed association links (HubSpot-style typed links; lookup-field vendors such
 * as Salesforce and Dataverse may keep their links in record fields instead).
 */
import type { VendorName } from './types';

export interface StoredRecord {
	id: string;
	/** Vendor field values exactly as the vendor API exposes them. */
	fields: Record<string, unknown>;
	createdAt: string;
	updatedAt: string;
}

export interface AssociationLink {
	fromType: string;
	fromId: string;
	toType: string;
	toId: string;
	typeId: number;
	category: string;
}

/** A removed record, kept so vendors can list deletions (archived listings, delete logs, change tracking). */
export interface Tombstone {
	objectType: string;
	id: string;
	fields: Record<string, unknown>;
	createdAt: string;
	deletedAt: string;
	/** Position in the vendor's deletion log (1, 2, …), for change-tracking tokens. */
	sequence: number;
}

export class SandboxStore {
	private readonly records = new Map<string, Map<string, StoredRecord>>();
	private readonly tombstones = new Map<VendorName, Tombstone[]>();
	private readonly links = new Map<VendorName, AssociationLink[]>();
	/** The same links by vendor and source record, so a lookup stays fast with tens of thousands of links. */
	private readonly linksBySource = new Map<VendorName, Map<string, AssociationLink[]>>();
	private readonly sequences = new Map<VendorName, number>();

	constructor(private readonly now: () => number = Date.now) {}

	private table(vendor: VendorName, objectType: string): Map<string, StoredRecord> {
		const key = `${vendor}/${objectType}`;
		let table = this.records.get(key);
		if (!table) {
			table = new Map();
			this.records.set(key, table);
		}
		return table;
	}

	/** Next value of a per-vendor counter, for vendors that derive ids from a sequence. */
	nextSequence(vendor: VendorName): number {
		const next = (this.sequences.get(vendor) ?? 0) + 1;
		this.sequences.set(vendor, next);
		return next;
	}

	list(vendor: VendorName, objectType: string): StoredRecord[] {
		return [...this.table(vendor, objectType).values()];
	}

	get(vendor: VendorName, objectType: string, id: string): StoredRecord | undefined {
		return this.table(vendor, objectType).get(id);
	}

	insert(
		vendor: VendorName,
		objectType: string,
		id: string,
		fields: Record<string, unknown>,
		at?: string,
	): StoredRecord {
		const timestamp = at ?? new Date(this.now()).toISOString();
		const record: StoredRecord = {
			id,
			fields: { ...fields },
			createdAt: timestamp,
			updatedAt: timestamp,
		};
		this.table(vendor, objectType).set(id, record);
		return record;
	}

	/** Merges fields into an existing record; undefined when the record does not exist. */
	update(
		vendor: VendorName,
		objectType: string,
		id: string,
		fields: Record<string, unknown>,
	): StoredRecord | undefined {
		const record = this.get(vendor, objectType, id);
		if (!record) return undefined;
		Object.assign(record.fields, fields);
		record.updatedAt = new Date(
			Math.max(this.now(), Date.parse(record.updatedAt) + 1),
		).toISOString();
		return record;
	}

	/**
	 * Removes a record and its links. A deletion is logged as a tombstone unless `logged` is
	 * false (a rolled-back create: the record never existed for anyone else).
	 */
	remove(vendor: VendorName, objectType: string, id: string, logged = true): boolean {
		const record = this.table(vendor, objectType).get(id);
		const removed = this.table(vendor, objectType).delete(id);
		if (removed && record && logged) {
			const log = this.tombstones.get(vendor) ?? [];
			log.push({
				objectType,
				id,
				fields: { ...record.fields },
				createdAt: record.createdAt,
				deletedAt: new Date(this.now()).toISOString(),
				sequence: log.length + 1,
			});
			this.tombstones.set(vendor, log);
		}
		if (removed) {
			const kept = (this.links.get(vendor) ?? []).filter(
				(l) =>
					!(l.fromType === objectType && l.fromId === id) &&
					!(l.toType === objectType && l.toId === id),
			);
			this.links.set(vendor, kept);
			this.indexLinks(vendor);
		}
		return removed;
	}

	/** Deletions of one object type (or all), oldest first. */
	deletions(vendor: VendorName, objectType?: string): Tombstone[] {
		return (this.tombstones.get(vendor) ?? []).filter(
			(entry) => objectType === undefined || entry.objectType === objectType,
		);
	}

	/** How many deletions the vendor has logged: the position the next change-tracking token starts after. */
	deletionCount(vendor: VendorName): number {
		return this.tombstones.get(vendor)?.length ?? 0;
	}

	objectTypes(vendor: VendorName): string[] {
		const prefix = `${vendor}/`;
		return [...this.records.keys()]
			.filter((k) => k.startsWith(prefix))
			.map((k) => k.slice(prefix.length));
	}

	private indexLinks(vendor: VendorName): void {
		const index = new Map<string, AssociationLink[]>();
		for (const link of this.links.get(vendor) ?? []) {
			const key = sourceKey(link.fromType, link.fromId);
			index.set(key, [...(index.get(key) ?? []), link]);
		}
		this.linksBySource.set(vendor, index);
	}

	link(vendor: VendorName, link: AssociationLink): void {
		const list = this.links.get(vendor) ?? [];
		const index = this.linksBySource.get(vendor) ?? new Map<string, AssociationLink[]>();
		const key = sourceKey(link.fromType, link.fromId);
		const bucket = index.get(key) ?? [];
		const exists = bucket.some(
			(l) => l.toType === link.toType && l.toId === link.toId && l.typeId === link.typeId,
		);
		if (!exists) {
			const stored = { ...link };
			list.push(stored);
			bucket.push(stored);
		}
		index.set(key, bucket);
		this.links.set(vendor, list);
		this.linksBySource.set(vendor, index);
	}

	linksFrom(
		vendor: VendorName,
		fromType: string,
		fromId: string,
		toType?: string,
	): AssociationLink[] {
		const bucket = this.linksBySource.get(vendor)?.get(sourceKey(fromType, fromId)) ?? [];
		return bucket.filter((l) => toType === undefined || l.toType === toType);
	}

	allLinks(vendor: VendorName): AssociationLink[] {
		return [...(this.links.get(vendor) ?? [])];
	}

	/** Empties one vendor, or everything. */
	clear(vendor?: VendorName): void {
		if (!vendor) {
			this.records.clear();
			this.links.clear();
			this.linksBySource.clear();
			this.tombstones.clear();
			this.sequences.clear();
			return;
		}
		for (const key of [...this.records.keys()])
			if (key.startsWith(`${vendor}/`)) this.records.delete(key);
		this.links.delete(vendor);
		this.linksBySource.delete(vendor);
		this.tombstones.delete(vendor);
		this.sequences.delete(vendor);
	}
}

function sourceKey(objectType: string, id: string): string {
	return `${objectType}\u0000${id}`;
}
