/**
 * Each item's match key (phone in E.164, email, or record id), validated with a reason, with
 * the fall-back from phone to email (or email to phone) when the chosen key is missing or
 * unusable; and the record fields that hold each key in each CRM.
 */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

import { normalizeEmail, sameEmail } from '../shared/logic/email';
import { normalizePhone, samePhone } from '../shared/logic/phone';
import type { CrmName, ObjectKind } from '../shared/model';
import type { MatchQuery } from '../shared/providers/CrmProvider';
import type { PersonKey } from '../shared/providers/profile';
import { profileOf } from '../shared/providers/profiles';

export type MatchBy = PersonKey | 'id';

export interface MatchKey {
	by: MatchBy;
	/** E.164 phone, normalised email or the record id. */
	value: string;
}

export type KeyResult = { ok: true; key: MatchKey } | { ok: false; reason: string };

export function parseMatchKey(by: MatchBy, raw: unknown, defaultCountry?: CountryCode): KeyResult {
	if (typeof raw === 'number' && by !== 'email') raw = String(raw);
	if (typeof raw !== 'string' || raw.trim() === '')
		return { ok: false, reason: 'is empty: the item has no value to find its CRM record by' };
	const text = raw.trim();
	if (by === 'phone') {
		const phone = normalizePhone(text, defaultCountry);
		return phone.ok
			? { ok: true, key: { by, value: phone.e164 } }
			: { ok: false, reason: phone.reason };
	}
	if (by === 'email') {
		const email = normalizeEmail(text);
		return email.ok
			? { ok: true, key: { by, value: email.email } }
			: { ok: false, reason: email.reason };
	}
	return { ok: true, key: { by, value: text } };
}

export function otherKey(by: PersonKey): PersonKey {
	return by === 'phone' ? 'email' : 'phone';
}

/** The key an item is matched by, and whether it is the fall-back (with why the primary was not used). */
export type ChosenKey =
	| { ok: true; key: MatchKey; fallback: false }
	| { ok: true; key: MatchKey; fallback: true; primaryReason: string }
	| { ok: false; reason: string };

export interface KeyInput {
	by: MatchBy;
	raw: unknown;
	/** The other person key's raw value; absent when falling back is off (or the key is a record id). */
	fallback?: { raw: unknown };
	defaultCountry?: CountryCode;
}

/**
 * The primary key when the item has a usable value for it, else the other person key.
 * The error names both parameters when neither works.
 */
export function chooseMatchKey(input: KeyInput): ChosenKey {
	const primary = parseMatchKey(input.by, input.raw, input.defaultCountry);
	if (primary.ok) return { ok: true, key: primary.key, fallback: false };
	const primaryReason = `field "matchValue" (${input.by}) ${primary.reason}`;
	if (input.by === 'id' || !input.fallback) return { ok: false, reason: primaryReason };
	const by = otherKey(input.by);
	const fallback = parseMatchKey(by, input.fallback.raw, input.defaultCountry);
	if (!fallback.ok)
		return {
			ok: false,
			reason: `${primaryReason}; fall-back field "fallbackValue" (${by}) ${fallback.reason}`,
		};
	return { ok: true, key: fallback.key, fallback: true, primaryReason };
}

export function matchQuery(key: MatchKey): MatchQuery {
	return {
		phones: key.by === 'phone' ? [key.value] : [],
		emails: key.by === 'email' ? [key.value] : [],
		domains: [],
	};
}

/** Where a new record keeps the key it was looked up by, so the next run finds it. */
export function keyField(crm: CrmName, key: MatchKey): string | undefined {
	return key.by === 'id' ? undefined : profileOf(crm).personKeys.stored[key.by];
}

/** Every field of a contact or lead that the CRM's lookup matches a key against. */
export function lookupFields(crm: CrmName, by: MatchBy): string[] {
	return by === 'id' ? [] : [...profileOf(crm).personKeys.lookedUp[by]];
}

/** Whether a record read back still carries the key (a remembered id is only trusted then). */
export function recordHoldsKey(
	crm: CrmName,
	key: MatchKey,
	properties: Record<string, unknown>,
): boolean {
	if (key.by === 'id') return true;
	return lookupFields(crm, key.by).some((field) => {
		const stored = properties[field];
		if (typeof stored !== 'string' || stored.trim() === '') return false;
		// A nationally written stored number is read in the key's own country.
		return key.by === 'phone'
			? samePhone(stored, key.value, parsePhoneNumberFromString(key.value)?.country)
			: sameEmail(stored, key.value);
	});
}

/**
 * The identity of one person in one CRM account, for the keyed lock and the memory of
 * created records: the same normalised key always gives the same string.
 */
export function identityKey(scope: string, key: MatchKey): string {
	return `${scope}|${key.by}:${key.value}`;
}

/** The person kinds a create must look for first: the configured one, then the other where the CRM has leads. */
export function lookupKinds(
	kind: ObjectKind,
	createAs: ObjectKind,
	hasLeads: boolean,
	crossLookup: boolean,
): ObjectKind[] {
	const kinds: ObjectKind[] = [kind];
	if (crossLookup && hasLeads) {
		for (const other of [createAs, kind === 'lead' ? 'contact' : 'lead'] as ObjectKind[])
			if (!kinds.includes(other)) kinds.push(other);
	}
	return kinds;
}
