/**
 * describeObject('client'): autoch.at has no metadata endpoint, so the client fields are
 * described statically.
 *
 * From the docs: first_name, last_name, email, phone, company and the address fields
 * (address, city, state, zip, country) are the documented client → CRM data mapping
 * (docs.autoch.at "CRM Integration"). name, notes, status and tags follow the sandbox's
 * reading of the API docs and are ASSUMED; status has no documented value list, so it is
 * free text. id, created_at and updated_at are read-only server fields.
 */
import type { FieldDescription, ObjectDescription } from '../CrmProvider';
import { CLIENT_OBJECT_TYPE, assertClientObjectType } from './objectType';

type FieldSpec = Pick<FieldDescription, 'name' | 'label'> & Partial<FieldDescription>;

function field(spec: FieldSpec): FieldDescription {
	return {
		type: 'string',
		nativeType: 'string',
		readOnly: false,
		required: false,
		canBeUsedToMatch: false,
		...spec,
	};
}

export const CLIENT_FIELDS: readonly FieldDescription[] = [
	field({ name: 'id', label: 'ID', nativeType: 'uuid', readOnly: true, canBeUsedToMatch: true }),
	// Required on create (the API rejects a client without a name).
	field({ name: 'name', label: 'Name', required: true }),
	field({ name: 'first_name', label: 'First Name' }),
	field({ name: 'last_name', label: 'Last Name' }),
	field({ name: 'email', label: 'Email', nativeType: 'email', canBeUsedToMatch: true }),
	field({ name: 'phone', label: 'Phone', nativeType: 'phone', canBeUsedToMatch: true }),
	field({ name: 'company', label: 'Company' }),
	field({ name: 'address', label: 'Street Address' }),
	field({ name: 'city', label: 'City' }),
	field({ name: 'state', label: 'State' }),
	field({ name: 'zip', label: 'ZIP / Postal Code' }),
	field({ name: 'country', label: 'Country' }),
	field({ name: 'notes', label: 'Notes', nativeType: 'text' }),
	field({ name: 'status', label: 'Status' }),
	// Free-form labels with no picklist: not an enum the merge logic could check values against.
	field({ name: 'tags', label: 'Tags', type: 'other', nativeType: 'string[]' }),
	field({
		name: 'created_at',
		label: 'Created At',
		type: 'datetime',
		nativeType: 'timestamp',
		readOnly: true,
	}),
	field({
		name: 'updated_at',
		label: 'Updated At',
		type: 'datetime',
		nativeType: 'timestamp',
		readOnly: true,
	}),
];

export function describeClient(objectType: string, now: () => number): ObjectDescription {
	assertClientObjectType(objectType);
	return {
		objectType: CLIENT_OBJECT_TYPE,
		fields: CLIENT_FIELDS.map((entry) => ({ ...entry })),
		fetchedAt: now(),
	};
}
