/**
 * Reading records the way the REST API shows them: system dates in Salesforce's
 * `2026-01-05T09:00:00.000+0000` form, calculated fields (Name, IsClosed, …) derived from
 * the stored ones, and relationship paths (`Opportunity.IsClosed`) followed through
 * lookup ids.
 */
import type { SandboxStore, StoredRecord } from '../../core/store';
import { objectTypeOfId } from './ids';
import {
	fieldOf,
	OPPORTUNITY_STAGES,
	relationshipField,
	salesforceObject,
	type SalesforceField,
	type SalesforceObject,
} from './schema';

export const SALESFORCE_API_VERSION = '62.0';

/** ISO → `YYYY-MM-DDThh:mm:ss.SSS+0000`. */
export function sfDateTime(iso: string): string {
	return new Date(Date.parse(iso)).toISOString().replace('Z', '+0000');
}

/** The record behind an id, found by its key prefix (ContentDocument ids are ContentNote records). */
export function findRecord(
	store: SandboxStore,
	id: string,
): { object: SalesforceObject; record: StoredRecord } | undefined {
	const type = objectTypeOfId(id);
	const object = type ? salesforceObject(type) : undefined;
	const record = object ? store.get('salesforce', object.name, id) : undefined;
	return object && record ? { object, record } : undefined;
}

function joinName(fields: Record<string, unknown>): string | null {
	const name = [fields.FirstName, fields.LastName]
		.filter((part) => typeof part === 'string' && part !== '')
		.join(' ');
	return name === '' ? null : name;
}

function decodedText(base64: unknown): string {
	if (typeof base64 !== 'string') return '';
	return Buffer.from(base64, 'base64')
		.toString('utf8')
		.replace(/<[^>]*>/g, ' ')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.replace(/\s+/g, ' ')
		.trim();
}

/** A field's value as the API returns it (null when empty). */
export function fieldValue(
	object: SalesforceObject,
	record: StoredRecord,
	field: SalesforceField,
): unknown {
	const f = record.fields;
	switch (field.name) {
		case 'Id':
			return record.id;
		case 'CreatedDate':
			return sfDateTime(record.createdAt);
		case 'LastModifiedDate':
		case 'SystemModstamp':
			return sfDateTime(record.updatedAt);
	}
	if (field.calculated) {
		if (field.name === 'Name') return joinName(f);
		if (object.name === 'Opportunity') {
			const stage = OPPORTUNITY_STAGES[String(f.StageName)];
			return field.name === 'IsWon' ? stage?.won === true : stage?.closed === true;
		}
		if (object.name === 'Task' && field.name === 'IsClosed') return f.Status === 'Completed';
		if (field.name === 'DurationInMinutes') {
			const minutes =
				(Date.parse(String(f.EndDateTime)) - Date.parse(String(f.StartDateTime))) / 60_000;
			return Number.isFinite(minutes) ? Math.round(minutes) : null;
		}
		if (field.name === 'TextPreview') return decodedText(f.Content).slice(0, 300) || null;
		// A ContentNote is a ContentDocument of type SNOTE.
		if (object.name === 'ContentNote' && field.name === 'FileType') return 'SNOTE';
	}
	const value = f[field.name];
	return value === undefined || value === '' ? null : value;
}

/** A field as a query or record GET shows it: blob (base64) fields as the URL that returns their bytes. */
function shownValue(
	version: string,
	object: SalesforceObject,
	record: StoredRecord,
	field: SalesforceField,
): unknown {
	const value = fieldValue(object, record, field);
	return field.type === 'base64' && value !== null
		? `${recordUrl(version, object.name, record.id)}/${field.name}`
		: value;
}

/** `/services/data/vXX.X/sobjects/<Type>/<Id>` as in each record's attributes. */
export function recordUrl(version: string, type: string, id: string): string {
	return `/services/data/v${version}/sobjects/${type}/${id}`;
}

export function attributes(version: string, type: string, id: string) {
	return { type, url: recordUrl(version, type, id) };
}

/** A resolved select path: the reference hops then the final field. */
export interface FieldPath {
	/** Relationship names as Salesforce spells them (`Opportunity`, `Owner`). */
	relationships: Array<{ name: string; field: SalesforceField }>;
	/** The final field; for polymorphic parents, resolved per record by name. */
	field: SalesforceField | undefined;
	/** The final field name as written when the parent is polymorphic. */
	name: string;
}

/** Resolves `Field` or `Rel.Field` (up to five levels) against the schema; undefined when unknown. */
export function resolvePath(object: SalesforceObject, path: string): FieldPath | undefined {
	const parts = path.split('.');
	const relationships: FieldPath['relationships'] = [];
	let current: SalesforceObject | undefined = object;
	for (const part of parts.slice(0, -1)) {
		if (!current) return undefined;
		const reference = relationshipField(current, part);
		if (!reference?.referenceTo) return undefined;
		relationships.push({ name: reference.relationshipName ?? part, field: reference });
		// Polymorphic lookups (Who, What) are resolved per record.
		current =
			reference.referenceTo.length === 1
				? salesforceObject(
						reference.referenceTo[0] === 'ContentDocument'
							? 'ContentNote'
							: reference.referenceTo[0],
					)
				: undefined;
	}
	const last = parts[parts.length - 1];
	if (current) {
		const field = fieldOf(current, last);
		return field ? { relationships, field, name: field.name } : undefined;
	}
	// Polymorphic parent: accept a field any of its types has.
	const candidates = (relationships[relationships.length - 1]?.field.referenceTo ?? []).map(
		(type) => salesforceObject(type),
	);
	const field = candidates
		.map((candidate) => (candidate ? fieldOf(candidate, last) : undefined))
		.find((found) => found !== undefined);
	return field ? { relationships, field: undefined, name: field.name } : undefined;
}

/** The parent record a reference field points to. */
function parentOf(
	store: SandboxStore,
	object: SalesforceObject,
	record: StoredRecord,
	reference: SalesforceField,
) {
	const id = fieldValue(object, record, reference);
	return typeof id === 'string' ? findRecord(store, id) : undefined;
}

/** The value at a path for one record (null through an empty lookup). */
export function valueAt(
	store: SandboxStore,
	object: SalesforceObject,
	record: StoredRecord,
	path: FieldPath,
): unknown {
	let currentObject = object;
	let currentRecord = record;
	for (const hop of path.relationships) {
		const parent = parentOf(store, currentObject, currentRecord, hop.field);
		if (!parent) return null;
		currentObject = parent.object;
		currentRecord = parent.record;
	}
	const field = path.field ?? fieldOf(currentObject, path.name);
	return field ? fieldValue(currentObject, currentRecord, field) : null;
}

/** The field's schema type at the end of a path (undefined for polymorphic parents). */
export function typeAt(path: FieldPath): SalesforceField['type'] | undefined {
	return path.field?.type;
}

/** A record shaped as the REST API returns it for the selected paths (nested objects for relationships). */
export function recordView(
	store: SandboxStore,
	version: string,
	object: SalesforceObject,
	record: StoredRecord,
	paths: Array<{ text: string; path: FieldPath }>,
): Record<string, unknown> {
	const view: Record<string, unknown> = { attributes: attributes(version, object.name, record.id) };
	for (const { path } of paths) place(store, version, view, object, record, path, 0);
	return view;
}

function place(
	store: SandboxStore,
	version: string,
	target: Record<string, unknown>,
	object: SalesforceObject,
	record: StoredRecord,
	path: FieldPath,
	depth: number,
): void {
	if (depth === path.relationships.length) {
		const field = fieldOf(object, path.name);
		if (field) target[field.name] = shownValue(version, object, record, field);
		return;
	}
	const hop = path.relationships[depth];
	const parent = parentOf(store, object, record, hop.field);
	if (!parent) {
		target[hop.name] = null;
		return;
	}
	const existing = target[hop.name];
	const nested =
		existing && typeof existing === 'object'
			? (existing as Record<string, unknown>)
			: {
					attributes: attributes(
						version,
						parent.object.name === 'ContentNote' ? 'ContentDocument' : parent.object.name,
						parent.record.id,
					),
				};
	target[hop.name] = nested;
	place(store, version, nested, parent.object, parent.record, path, depth + 1);
}

/** Every field of a record (single-record GET without `fields`). */
export function fullView(
	version: string,
	object: SalesforceObject,
	record: StoredRecord,
): Record<string, unknown> {
	const view: Record<string, unknown> = { attributes: attributes(version, object.name, record.id) };
	for (const field of object.fields) view[field.name] = shownValue(version, object, record, field);
	return view;
}
