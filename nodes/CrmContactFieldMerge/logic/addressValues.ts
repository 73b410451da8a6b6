/**
 * States and countries in the form the target CRM stores: ISO codes for CRMs with state and
 * country picklists (a free-text value mapped to `MailingCountry` is written to
 * `MailingCountryCode`), full names for text CRMs ("US-CA" → "California").
 *
 * A state is read within its country: the country mapped for the same address, else the one
 * the record already holds; without either only a full ISO 3166-2 code (`US-CA`) resolves.
 * A value that does not resolve fails its item, naming the field and the value.
 */
import {
	countryName,
	resolveCountry,
	resolveSubdivision,
	subdivisionName,
} from '../../shared/logic/geo';
import type { AddressFields } from '../../shared/providers/profile';
import type { FieldUpdate } from './merge';

export type AddressStorage = 'codes' | 'names';

export type AddressOutcome =
	{ ok: true; updates: FieldUpdate[] } | { ok: false; field: string; reason: string };

export interface AddressTarget {
	storage: AddressStorage;
	addresses: readonly AddressFields[];
	/** Whether the object has this field (code fields exist only with picklists turned on). */
	has: (field: string) => boolean;
	/** The record's current values, for the country a mapped state is read in. */
	current?: Record<string, unknown>;
}

type Resolved = { ok: true; field: string; value: string } | { ok: false; reason: string };

const filled = (value: unknown): value is string | number =>
	(typeof value === 'string' && value.trim() !== '') || typeof value === 'number';

/** The item's non-empty updates of these fields (the code field first). */
function mappedOf(updates: readonly FieldUpdate[], fields: Array<string | undefined>) {
	const names = fields.filter((field): field is string => field !== undefined);
	return updates
		.filter((update) => names.includes(update.field) && filled(update.value))
		.sort((a, b) => names.indexOf(a.field) - names.indexOf(b.field));
}

/** The country the record already holds, when it resolves. */
function currentCountry(address: AddressFields, current?: Record<string, unknown>) {
	for (const field of [address.countryCode, address.country]) {
		const value = field ? current?.[field] : undefined;
		if (!filled(value)) continue;
		const resolved = resolveCountry(String(value));
		if (resolved.ok) return resolved.country;
	}
	return undefined;
}

function missingField(field: string): Resolved {
	return {
		ok: false,
		reason: `the object has no "${field}" field: state and country code picklists are not turned on in this CRM (switch off Map State & Country to Codes, or turn them on)`,
	};
}

function countryTarget(target: AddressTarget, address: AddressFields, code: string): Resolved {
	if (target.storage === 'names')
		return { ok: true, field: address.country, value: countryName(code) ?? code };
	const field = address.countryCode;
	if (!field || !target.has(field)) return missingField(field ?? `${address.country}Code`);
	return { ok: true, field, value: code };
}

function stateTarget(
	target: AddressTarget,
	address: AddressFields,
	country: string,
	code: string,
): Resolved {
	if (target.storage === 'names')
		return { ok: true, field: address.state, value: subdivisionName(country, code) ?? code };
	const field = address.stateCode;
	if (!field || !target.has(field)) return missingField(field ?? `${address.state}Code`);
	return { ok: true, field, value: code };
}

/** Replaces the mapped updates of one field pair by one update of the target field. */
function replaced(
	updates: FieldUpdate[],
	mapped: FieldUpdate[],
	resolved: { field: string; value: string },
): FieldUpdate[] {
	const [first] = mapped;
	return updates.flatMap((update) => {
		if (update === first) return [{ ...update, field: resolved.field, value: resolved.value }];
		// The pair's other field, and the target field when it was mapped empty, are dropped.
		if (mapped.includes(update) || update.field === resolved.field) return [];
		return [update];
	});
}

function convertAddress(
	updates: FieldUpdate[],
	address: AddressFields,
	target: AddressTarget,
): AddressOutcome {
	let result = updates;
	let country: string | undefined;
	const countries = mappedOf(updates, [address.countryCode, address.country]);
	if (countries.length > 0) {
		const codes = new Set<string>();
		for (const update of countries) {
			const resolved = resolveCountry(String(update.value));
			if (!resolved.ok) return { ok: false, field: update.field, reason: resolved.reason };
			codes.add(resolved.country);
		}
		if (codes.size > 1)
			return {
				ok: false,
				field: countries[1].field,
				reason: `${JSON.stringify(String(countries[1].value))} names another country than ${countries[0].field}`,
			};
		country = [...codes][0];
		const written = countryTarget(target, address, country);
		if (!written.ok) return { ok: false, field: countries[0].field, reason: written.reason };
		result = replaced(result, countries, written);
	}
	const states = mappedOf(result, [address.stateCode, address.state]);
	if (states.length === 0) return { ok: true, updates: result };
	const within = country ?? currentCountry(address, target.current);
	let code: { country: string; code: string } | undefined;
	for (const update of states) {
		const resolved = resolveSubdivision(String(update.value), within);
		if (!resolved.ok) return { ok: false, field: update.field, reason: resolved.reason };
		if (code && code.code !== resolved.code)
			return {
				ok: false,
				field: update.field,
				reason: `${JSON.stringify(String(update.value))} names another state than ${states[0].field}`,
			};
		code = resolved;
	}
	if (!code) return { ok: true, updates: result };
	const written = stateTarget(target, address, code.country, code.code);
	if (!written.ok) return { ok: false, field: states[0].field, reason: written.reason };
	result = replaced(result, states, written);
	if (within) return { ok: true, updates: result };
	// A full code (`US-CA`) on a record without a country also gives the record its country.
	const implied = countryTarget(target, address, code.country);
	if (!implied.ok) return { ok: false, field: states[0].field, reason: implied.reason };
	return {
		ok: true,
		updates: [...result, { field: implied.field, value: implied.value, mode: states[0].mode }],
	};
}

/** The item's updates with every mapped state and country in the CRM's stored form. */
export function convertAddressUpdates(
	updates: readonly FieldUpdate[],
	target: AddressTarget,
): AddressOutcome {
	let result = [...updates];
	for (const address of target.addresses) {
		const outcome = convertAddress(result, address, target);
		if (!outcome.ok) return outcome;
		result = outcome.updates;
	}
	return { ok: true, updates: result };
}
