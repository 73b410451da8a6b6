/**
 * Companies and deals → one neutral record shape: the CRM's ids and times, a small standard
 * set of values under neutral names (read from the fields the CRM's profile names), the
 * user's extra fields under their CRM names, and the associated records' ids when asked.
 * Also the change event of every listed record (created or updated).
 *
 * Pure: no I/O.
 */
import type { CrmName, ObjectKind } from '../../shared/model';
import type { RecordAssociations } from '../../shared/providers/CrmProvider';
import type { CompanyFieldMap, DealFieldMap, FlagField } from '../../shared/providers/profile';
import { profileOf } from '../../shared/providers/profiles';
import { readBoolean } from './contactNormalize';
import { changeTime, type PollCursor } from './pollCursor';

export type ChangeEvent = 'created' | 'updated';

export interface RecordInput {
	id: string;
	objectType: string;
	properties: Record<string, unknown>;
	createdAt?: string;
	updatedAt?: string;
	associations?: RecordAssociations;
}

export interface NormalizedRecord {
	crm: CrmName;
	objectType: string;
	kind: ObjectKind;
	id: string;
	event: ChangeEvent;
	/** The standard values under neutral names; null where the record has none. */
	properties: Record<string, unknown>;
	/** The extra fields the user chose, by their CRM names. */
	fields: Record<string, unknown>;
	createdAt: string | null;
	updatedAt: string | null;
	/** Present when associations were asked for: associated ids by kind (empty lists included). */
	associations?: RecordAssociations;
}

/** The record kinds whose output is this neutral record (person kinds keep the contact shape). */
export type RecordKind = 'company' | 'deal';

export function isRecordKind(kind: ObjectKind): kind is RecordKind {
	return kind === 'company' || kind === 'deal';
}

/** The field map of a kind: name → CRM field (flags keep their rule). */
type FieldMap = Record<string, string | FlagField | undefined>;

function fieldMapOf(crm: CrmName, kind: RecordKind): FieldMap {
	const fields = profileOf(crm).recordFields;
	const map: CompanyFieldMap | DealFieldMap | undefined =
		kind === 'company' ? fields?.company : fields?.deal;
	if (!map) throw new Error(`${profileOf(crm).displayName} names no standard ${kind} fields`);
	return map as unknown as FieldMap;
}

function flagFieldName(flag: string | FlagField): string {
	return typeof flag === 'string' ? flag : flag.field;
}

/** Every CRM field the normalisation of `kind` reads, plus the extra fields the user selected. */
export function recordPropertiesToRead(
	crm: CrmName,
	kind: RecordKind,
	extraFields: readonly string[] = [],
): string[] {
	const standard = Object.values(fieldMapOf(crm, kind))
		.filter((field): field is string | FlagField => field !== undefined)
		.map(flagFieldName);
	return [...new Set([...standard, ...extraFields].filter((name) => name !== ''))];
}

function readFlag(flag: string | FlagField, properties: Record<string, unknown>): boolean | null {
	if (typeof flag === 'string') return readBoolean(properties[flag]);
	const value = properties[flag.field];
	if (value === undefined || value === null || value === '') return null;
	return flag.trueWhen.some((candidate) => String(candidate) === String(value));
}

function readValue(value: unknown): unknown {
	if (value === undefined || value === '') return null;
	return value;
}

/** CRMs write times differently (`+0000`, whole seconds, epoch ms): output ISO UTC. */
export function isoTime(value: string | undefined): string | null {
	const millis = changeTime(value);
	if (millis === undefined) return value ?? null;
	return new Date(millis).toISOString();
}

/**
 * `created` when the record is new to whoever consumed the earlier polls: created after the
 * cursor the listing started from, or exactly at it without having been emitted there.
 * Otherwise `updated`; a record whose creation time is unknown counts as updated too (the
 * safer reading for a consumer that upserts).
 */
export function changeEvent(
	record: { id: string; createdAt?: string },
	listedFrom: PollCursor,
): ChangeEvent {
	const created = changeTime(record.createdAt);
	const from = changeTime(listedFrom.since);
	if (created === undefined || from === undefined || created < from) return 'updated';
	if (created === from && listedFrom.seenAtSince.includes(record.id)) return 'updated';
	return 'created';
}

export interface RecordNormalizeOptions {
	extraFields?: readonly string[];
	/** The cursor the poll's listing started from, for the change event. */
	listedFrom: PollCursor;
}

export function normalizeRecord(
	crm: CrmName,
	kind: RecordKind,
	record: RecordInput,
	options: RecordNormalizeOptions,
): NormalizedRecord {
	const props = record.properties;
	const properties: Record<string, unknown> = {};
	for (const [name, field] of Object.entries(fieldMapOf(crm, kind))) {
		if (field === undefined) continue;
		if (name === 'closed' || name === 'won') properties[name] = readFlag(field, props);
		else properties[name] = readValue(props[flagFieldName(field)]);
	}
	const fields: Record<string, unknown> = {};
	for (const name of options.extraFields ?? []) fields[name] = props[name] ?? null;
	return {
		crm,
		objectType: record.objectType,
		kind,
		id: record.id,
		event: changeEvent(record, options.listedFrom),
		properties,
		fields,
		createdAt: isoTime(record.createdAt),
		updatedAt: isoTime(record.updatedAt),
		...(record.associations ? { associations: record.associations } : {}),
	};
}
