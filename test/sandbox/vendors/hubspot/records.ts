/**
 * HubSpot record semantics over the generic store: property validation and coercion
 * (every value is a string on HubSpot's side), derived/calculated properties and the
 * `SimplePublicObject` shape `{ id, properties, createdAt, updatedAt, archived }`.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

import type { SandboxStore, StoredRecord } from '../../core/store';
import type { PropertyProblem } from './errors';
import { defaultProperties, timestampProperties, type HubSpotObjectType } from './objectTypes';
import type { PropertyDefinition } from './schema';

export type Schemas = Map<HubSpotObjectType, Map<string, PropertyDefinition>>;

export interface SimplePublicObject {
	id: string;
	properties: Record<string, string | null>;
	createdAt: string;
	updatedAt: string;
	archived: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** HubSpot stores at most this many characters in a text property value set through the API. */
export const MAX_PROPERTY_VALUE_LENGTH = 65_536;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** National digits as HubSpot's calculated searchable phone properties hold them. */
export function searchableDigits(phone: string): string {
	const parsed = parsePhoneNumberFromString(phone, 'US');
	if (parsed?.isPossible()) return String(parsed.nationalNumber);
	return phone.replace(/\D/g, '').replace(/^0/, '');
}

function toEpoch(value: string | number): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (/^-?\d+$/.test(value.trim())) return Number(value);
	const parsed = Date.parse(DATE_ONLY.test(value) ? `${value}T00:00:00.000Z` : value);
	return Number.isNaN(parsed) ? undefined : parsed;
}

/** Coerces one written value to HubSpot's stored string form, or reports why it is invalid. */
function coerce(
	def: PropertyDefinition,
	value: unknown,
): { value: string } | { problem: PropertyProblem } {
	const fail = (code: PropertyProblem['code'], message: string) => ({
		problem: { name: def.name, code, message },
	});
	if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
		return fail('INVALID_OPTION', `${JSON.stringify(value)} is not a valid value for ${def.name}`);
	const text = String(value);
	if (text.length > MAX_PROPERTY_VALUE_LENGTH)
		return fail(
			'VALUE_TOO_LONG',
			`${def.name} is ${text.length} characters long; the maximum is ${MAX_PROPERTY_VALUE_LENGTH}.`,
		);
	switch (def.type) {
		case 'number':
			return text.trim() !== '' && Number.isFinite(Number(text))
				? { value: String(Number(text)) }
				: fail('INVALID_LONG', `${text} was not a valid number.`);
		case 'bool':
			return text === 'true' || text === 'false'
				? { value: text }
				: fail('INVALID_OPTION', `${text} was not one of the allowed options: [true, false]`);
		case 'enumeration': {
			if (def.options.length === 0 || def.name === 'hubspot_owner_id') return { value: text };
			const allowed = def.options.map((o) => o.value);
			const chosen = def.fieldType === 'checkbox' ? text.split(';') : [text];
			const bad = chosen.find((c) => !allowed.includes(c));
			return bad === undefined
				? { value: text }
				: fail(
						'INVALID_OPTION',
						`${bad} was not one of the allowed options: [${allowed.join(', ')}]`,
					);
		}
		case 'datetime': {
			const epoch = typeof value === 'number' ? value : toEpoch(text);
			return epoch === undefined
				? fail('INVALID_DATE', `${text} is not a valid datetime`)
				: { value: new Date(epoch).toISOString() };
		}
		case 'date': {
			if (DATE_ONLY.test(text)) return { value: text };
			const epoch = toEpoch(text);
			if (epoch === undefined || epoch % 86_400_000 !== 0)
				return fail(
					'INVALID_DATE',
					`${text} is not a valid date: dates must be YYYY-MM-DD or midnight UTC in milliseconds`,
				);
			return { value: new Date(epoch).toISOString().slice(0, 10) };
		}
		default:
			if (def.name === 'email' && text !== '' && !EMAIL.test(text))
				return fail('INVALID_EMAIL', `Email address ${text} is invalid`);
			return { value: text };
	}
}

export interface WriteCheck {
	/** Values to store; `undefined` means clear the property. */
	fields: Record<string, string | undefined>;
	problems: PropertyProblem[];
}

export function checkWrite(
	schema: Map<string, PropertyDefinition>,
	properties: unknown,
): WriteCheck {
	const fields: Record<string, string | undefined> = {};
	const problems: PropertyProblem[] = [];
	if (typeof properties !== 'object' || properties === null || Array.isArray(properties))
		return { fields, problems };
	for (const [name, value] of Object.entries(properties)) {
		const def = schema.get(name);
		if (!def) {
			problems.push({
				name,
				code: 'PROPERTY_DOESNT_EXIST',
				message: `Property "${name}" does not exist`,
			});
			continue;
		}
		if (def.modificationMetadata.readOnlyValue) {
			problems.push({
				name,
				code: 'READ_ONLY_VALUE',
				message: `${name} is a read only property; its value cannot be set.`,
			});
			continue;
		}
		if (value === null || value === '') {
			// HubSpot clears a property when it is written as an empty string.
			fields[name] = undefined;
			continue;
		}
		const result = coerce(def, value);
		if ('problem' in result) problems.push(result.problem);
		else fields[name] = result.value;
	}
	return { fields, problems };
}

/** Sets calculated properties after every write. */
export function applyDerived(type: HubSpotObjectType, record: StoredRecord): void {
	const f = record.fields;
	const { created, modified } = timestampProperties(type);
	f.hs_object_id = record.id;
	f[created] = record.createdAt;
	f[modified] = record.updatedAt;
	if (type === 'contacts') {
		for (const [source, target] of [
			['phone', 'hs_searchable_calculated_phone_number'],
			['mobilephone', 'hs_searchable_calculated_mobile_number'],
		] as const) {
			const phone = f[source];
			if (typeof phone === 'string' && phone !== '') f[target] = searchableDigits(phone);
			else delete f[target];
		}
	}
	if (type === 'deals') {
		const stage = f.dealstage;
		f.hs_is_closed = String(stage === 'closedwon' || stage === 'closedlost');
		f.hs_is_closed_won = String(stage === 'closedwon');
		f.pipeline ??= 'default';
	}
}

/** Applies a validated write (clears included) to the store and recomputes derived values. */
export function writeRecord(
	store: SandboxStore,
	type: HubSpotObjectType,
	id: string,
	fields: Record<string, string | undefined>,
	creating: boolean,
): StoredRecord {
	const set: Record<string, unknown> = {};
	for (const [name, value] of Object.entries(fields)) if (value !== undefined) set[name] = value;
	const record = creating
		? store.insert('hubspot', type, id, set)
		: store.update('hubspot', type, id, set)!;
	for (const [name, value] of Object.entries(fields))
		if (value === undefined) delete record.fields[name];
	applyDerived(type, record);
	return record;
}

/** Comma-separated and repeated `properties` query values, or a body array. */
export function requestedProperties(raw: unknown): string[] | undefined {
	const list: string[] = [];
	const add = (v: unknown) => {
		if (typeof v === 'string')
			list.push(
				...v
					.split(',')
					.map((s) => s.trim())
					.filter(Boolean),
			);
	};
	if (Array.isArray(raw)) raw.forEach(add);
	else add(raw);
	return list.length > 0 ? list : undefined;
}

export function toPublicObject(
	type: HubSpotObjectType,
	record: StoredRecord,
	properties?: string[],
): SimplePublicObject {
	const names = new Set([...defaultPropertiesFor(type, properties)]);
	const out: Record<string, string | null> = {};
	for (const name of names) {
		const value = record.fields[name];
		out[name] = value === undefined ? null : String(value);
	}
	return {
		id: record.id,
		properties: out,
		createdAt: record.createdAt,
		updatedAt: record.updatedAt,
		archived: false,
	};
}

function defaultPropertiesFor(type: HubSpotObjectType, properties?: string[]): string[] {
	const { created, modified } = timestampProperties(type);
	// HubSpot always echoes the id and timestamps, even when specific properties are requested.
	return properties ? [...properties, created, modified, 'hs_object_id'] : defaultProperties(type);
}
