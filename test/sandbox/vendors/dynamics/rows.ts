/**
 * Stored records as Web API rows: `@odata.etag`, the selected columns (lookups as
 * `_x_value`), computed columns (fullname) and, when asked for with
 * `Prefer: odata.include-annotations`, each lookup's `@Microsoft.Dynamics.CRM.lookuplogicalname`.
 */
import type { StoredRecord } from '../../core/store';
import { unknownProperty } from './errors';
import {
	attributeByColumn,
	columnName,
	isLookup,
	type DataverseAttribute,
	type DataverseEntity,
} from './schema';

export const LOGICAL_NAME_ANNOTATION = '@Microsoft.Dynamics.CRM.lookuplogicalname';

/** A column's value for a stored record (null when empty). */
export function columnValue(
	entity: DataverseEntity,
	record: StoredRecord,
	attribute: DataverseAttribute,
): unknown {
	if (attribute.primaryId) return record.id;
	if (attribute.name === 'createdon') return isoSeconds(record.createdAt);
	if (attribute.name === 'modifiedon') return isoSeconds(record.updatedAt);
	if (attribute.name === 'fullname' && entity.primaryName === 'fullname') {
		const name = [record.fields.firstname, record.fields.lastname]
			.filter((part) => typeof part === 'string' && part !== '')
			.join(' ');
		return name === '' ? null : name;
	}
	const value = record.fields[columnName(attribute)];
	return value === undefined ? null : value;
}

/** Dataverse returns DateTimeOffset values to the second, in UTC. */
export function isoSeconds(iso: string): string {
	return new Date(Date.parse(iso)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function lookupType(record: StoredRecord, attribute: DataverseAttribute): unknown {
	return record.fields[`${columnName(attribute)}${LOGICAL_NAME_ANNOTATION}`] ?? null;
}

/** Columns named in `$select` (validated), or every column. */
export function selectedAttributes(
	entity: DataverseEntity,
	select: string | null,
): DataverseAttribute[] {
	if (!select) return entity.attributes;
	const names = select
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
	const chosen = names.map((name) => {
		const attribute = attributeByColumn(entity, name);
		if (!attribute) throw unknownProperty(entity, name);
		return attribute;
	});
	// The primary id always comes back.
	const primary = entity.attributes.find((attribute) => attribute.primaryId)!;
	return chosen.includes(primary) ? chosen : [...chosen, primary];
}

export function rowView(
	entity: DataverseEntity,
	record: StoredRecord,
	attributes: DataverseAttribute[],
	annotations: boolean,
): Record<string, unknown> {
	const row: Record<string, unknown> = { '@odata.etag': etag(record) };
	for (const attribute of attributes) {
		const column = columnName(attribute);
		const value = columnValue(entity, record, attribute);
		if (annotations && isLookup(attribute) && value !== null)
			row[`${column}${LOGICAL_NAME_ANNOTATION}`] = lookupType(record, attribute);
		row[column] = value;
	}
	return row;
}

/** A weak ETag from the record's version (its modification time). */
export function etag(record: StoredRecord): string {
	return `W/"${Date.parse(record.updatedAt)}"`;
}

/** Whether `Prefer` asks for lookup annotations (`odata.include-annotations="*"` or one naming lookuplogicalname). */
export function wantsAnnotations(prefer: string | undefined): boolean {
	const match = /odata\.include-annotations="([^"]*)"/i.exec(prefer ?? '');
	return match !== null && (match[1] === '*' || match[1].includes('lookuplogicalname'));
}
