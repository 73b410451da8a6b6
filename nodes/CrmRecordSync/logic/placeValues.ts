/**
 * State and country values in the form the target field holds ("State and Country
 * Picklists"): an ISO 3166 code where the target field is a code picklist (Salesforce
 * `MailingCountryCode`, `StateCode` …), the name where it is text ("US" → "United States",
 * "Calif." → "California"). Which target fields hold places, and in which form, comes from
 * the target CRM's profile (its `address` facts).
 *
 * A state is read within its country: the country mapped for the same address of the target,
 * else the source record's country for the address the state comes from; without either only
 * a full ISO 3166-2 code (`US-CA`) resolves. A value that does not resolve is a problem with
 * a reason — never a guess; the caller leaves that field unwritten.
 *
 * Pure: no I/O.
 */
import {
	countryName,
	resolveCountry,
	resolveSubdivision,
	subdivisionName,
} from '../../shared/logic/geo';
import type { AddressFields } from '../../shared/providers/profile';

/** A target field that holds a country or a state, in which form, and of which address. */
export interface PlaceField {
	role: 'country' | 'state';
	form: 'code' | 'name';
	/** Identifies the address (e.g. `contact:0`): a state is read within its address's country. */
	address: string;
}

/** The place fields of a record's addresses, by field name. */
export function placeFieldsOf(
	addresses: readonly AddressFields[],
	addressKey: (index: number) => string,
): Map<string, PlaceField> {
	const fields = new Map<string, PlaceField>();
	addresses.forEach((address, index) => {
		const key = addressKey(index);
		const add = (field: string | undefined, role: PlaceField['role'], form: PlaceField['form']) => {
			if (field && !fields.has(field)) fields.set(field, { role, form, address: key });
		};
		add(address.countryCode, 'country', 'code');
		add(address.stateCode, 'state', 'code');
		add(address.country, 'country', 'name');
		add(address.state, 'state', 'name');
	});
	return fields;
}

const text = (value: unknown): string | undefined => {
	if (typeof value === 'number') return String(value);
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
};

/**
 * The country (alpha-2) of the source address a state field belongs to, from the source
 * record's country code or country field of that address; undefined when it has none that resolves.
 */
export function sourceCountryOf(
	addresses: readonly AddressFields[],
	stateField: string,
	properties: Readonly<Record<string, unknown>>,
): string | undefined {
	const address = addresses.find((a) => a.state === stateField || a.stateCode === stateField);
	if (!address) return undefined;
	for (const field of [address.countryCode, address.country]) {
		const value = field ? text(properties[field]) : undefined;
		if (!value) continue;
		const resolved = resolveCountry(value);
		if (resolved.ok) return resolved.country;
	}
	return undefined;
}

export interface PlaceInput {
	targetField: string;
	/** The source value as text; undefined = blank (cleared, not converted). */
	value: string | undefined;
	/** The source record's country for the address this value comes from, when it is a state. */
	sourceCountry?: string;
}

export type PlaceVerdict = { ok: true; value: string | undefined } | { ok: false; reason: string };

/** Each input's value in its target field's form, or why it cannot be converted. */
export function convertPlaces(
	inputs: readonly PlaceInput[],
	fields: ReadonlyMap<string, PlaceField>,
): Map<string, PlaceVerdict> {
	const verdicts = new Map<string, PlaceVerdict>();
	const countryOfAddress = new Map<string, string>();
	// Countries first: a state of the same address is read within the mapped country.
	for (const input of inputs) {
		const field = fields.get(input.targetField);
		if (field?.role !== 'country') continue;
		if (input.value === undefined) {
			verdicts.set(input.targetField, { ok: true, value: undefined });
			continue;
		}
		const resolved = resolveCountry(input.value);
		if (!resolved.ok) {
			verdicts.set(input.targetField, { ok: false, reason: resolved.reason });
			continue;
		}
		if (!countryOfAddress.has(field.address)) countryOfAddress.set(field.address, resolved.country);
		verdicts.set(input.targetField, {
			ok: true,
			value:
				field.form === 'code'
					? resolved.country
					: (countryName(resolved.country) ?? resolved.country),
		});
	}
	for (const input of inputs) {
		const field = fields.get(input.targetField);
		if (field?.role !== 'state') continue;
		if (input.value === undefined) {
			verdicts.set(input.targetField, { ok: true, value: undefined });
			continue;
		}
		const within = countryOfAddress.get(field.address) ?? input.sourceCountry;
		const resolved = resolveSubdivision(input.value, within);
		if (!resolved.ok) {
			verdicts.set(input.targetField, { ok: false, reason: resolved.reason });
			continue;
		}
		verdicts.set(input.targetField, {
			ok: true,
			value:
				field.form === 'code'
					? resolved.code
					: (subdivisionName(resolved.country, resolved.code) ?? resolved.code),
		});
	}
	return verdicts;
}
