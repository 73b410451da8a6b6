/**
 * The CRM's object description (from the cached describeObject) seen as merge field specs
 * and as resource-mapper columns.
 */
import type { FieldType as MapperFieldType, ResourceMapperField } from 'n8n-workflow';

import type { FieldSpec } from './logic/fieldValues';
import { FIELD_TYPES, type FieldType, type ObjectKind } from '../shared/model';
import type { FieldDescription, ObjectDescription } from '../shared/providers/CrmProvider';
import type { CrmProfile } from '../shared/providers/profile';

export type MergeFieldSpec = FieldSpec & { readOnly: boolean; label: string };

/** Neutral describe type → merge type; lookups/references are ids written as text. */
export function mergeTypeOf(field: FieldDescription): FieldType | undefined {
	if (field.type === 'reference') return 'string';
	return (FIELD_TYPES as readonly string[]).includes(field.type)
		? (field.type as FieldType)
		: undefined;
}

/** Fields the merge can write, by name. Types it cannot handle are left out (unknown field). */
export function fieldSpecs(description: ObjectDescription): Map<string, MergeFieldSpec> {
	const specs = new Map<string, MergeFieldSpec>();
	for (const field of description.fields) {
		const type = mergeTypeOf(field);
		if (!type) continue;
		specs.set(field.name, {
			name: field.name,
			label: field.label,
			type,
			options: field.options,
			readOnly: field.readOnly,
		});
	}
	return specs;
}

export function objectTypeFor(profile: CrmProfile, kind: ObjectKind): string | undefined {
	return profile.objects[kind]?.objectType;
}

const MAPPER_TYPES: Record<FieldType, MapperFieldType> = {
	string: 'string',
	number: 'number',
	boolean: 'boolean',
	// Date-only stays text (YYYY-MM-DD): a date-time picker would add a time and a zone.
	date: 'string',
	datetime: 'dateTime',
	enum: 'options',
	// Several picklist values separated by ";".
	multiEnum: 'string',
};

export function mapperColumn(field: FieldDescription): ResourceMapperField {
	const type = mergeTypeOf(field);
	const writable = type !== undefined && !field.readOnly;
	const column: ResourceMapperField = {
		id: field.name,
		displayName:
			field.label && field.label !== field.name ? `${field.label} (${field.name})` : field.name,
		required: false,
		defaultMatch: false,
		canBeUsedToMatch: field.canBeUsedToMatch,
		display: writable,
		type: type ? MAPPER_TYPES[type] : 'string',
		removed: true,
	};
	if (type === 'enum')
		column.options = (field.options ?? []).map((option) => ({
			name: option.label || option.value,
			value: option.value,
		}));
	return column;
}

/** The resource mapper's columns for an object, in the order the editor lists them (by name). */
export function mapperColumns(description: ObjectDescription): ResourceMapperField[] {
	return description.fields
		.map(mapperColumn)
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
}
