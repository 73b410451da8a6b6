/**
 * `GET /sobjects/{Type}/describe` → the neutral ObjectDescription. The provider caches it
 * process-wide per credential because describes change rarely and each costs a call.
 */
import type { FieldDescription, ObjectDescription } from '../CrmProvider';
import type { SalesforceApi } from './api';
import { assertObjectName } from './soql';

interface PicklistValue {
	value: string;
	label?: string | null;
	active?: boolean;
}

export interface DescribeField {
	name: string;
	label: string;
	type: string;
	updateable?: boolean;
	createable?: boolean;
	nillable?: boolean;
	defaultedOnCreate?: boolean;
	externalId?: boolean;
	idLookup?: boolean;
	picklistValues?: PicklistValue[];
}

export interface DescribeResult {
	name: string;
	fields: DescribeField[];
}

const NEUTRAL_TYPES: Record<string, string> = {
	string: 'string',
	textarea: 'string',
	email: 'string',
	phone: 'string',
	url: 'string',
	encryptedstring: 'string',
	combobox: 'string',
	id: 'string',
	double: 'number',
	currency: 'number',
	percent: 'number',
	int: 'number',
	long: 'number',
	boolean: 'boolean',
	date: 'date',
	datetime: 'datetime',
	picklist: 'enum',
	multipicklist: 'multiEnum',
	reference: 'reference',
};

export function toFieldDescription(field: DescribeField): FieldDescription {
	const description: FieldDescription = {
		name: field.name,
		label: field.label,
		type: NEUTRAL_TYPES[field.type] ?? 'other',
		nativeType: field.type,
		readOnly: field.updateable !== true && field.createable !== true,
		required:
			field.createable === true && field.nillable === false && field.defaultedOnCreate !== true,
		canBeUsedToMatch: field.externalId === true || field.idLookup === true,
	};
	if (field.type === 'picklist' || field.type === 'multipicklist' || field.type === 'combobox') {
		description.options = (field.picklistValues ?? [])
			.filter((option) => option.active !== false)
			.map((option) => ({ value: option.value, label: option.label || option.value }));
	}
	return description;
}

export async function describeObject(
	api: SalesforceApi,
	objectType: string,
	now: () => number,
): Promise<ObjectDescription> {
	const type = assertObjectName(objectType);
	const result = await api.get<DescribeResult>(
		`/sobjects/${type}/describe`,
		`GET /sobjects/${type}/describe`,
	);
	return {
		objectType: result.name || type,
		fields: result.fields.map(toFieldDescription),
		fetchedAt: now(),
	};
}
