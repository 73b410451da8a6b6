/**
 * CRM contact/lead records → one neutral contact shape keyed by phone, for the platform's
 * contact store. Which CRM field feeds which neutral field is each CRM's profile
 * (`contactFields`): first and last name, email, the phone fields in order of preference,
 * the do-not-call checkbox where the CRM has a standard one (else doNotCall is null unless
 * the user names a boolean field), and a full-name field split when first/last are empty.
 *
 * Pure: no I/O.
 */
import { normalizeEmail } from '../../shared/logic/email';
import { normalizePhone, type CountryCode } from '../../shared/logic/phone';
import type { CrmName } from '../../shared/model';
import type { ContactFieldMap } from '../../shared/providers/profile';
import { profileOf } from '../../shared/providers/profiles';
import { convertValue } from './typedAttributes';

export type { ContactFieldMap } from '../../shared/providers/profile';

/** The field map for a CRM, with an optional user-chosen do-not-call field replacing the default. */
export function contactFieldMap(crm: CrmName, doNotCallField?: string): ContactFieldMap {
	const base = profileOf(crm).contactFields;
	const chosen = doNotCallField?.trim();
	return chosen ? { ...base, doNotCall: chosen } : { ...base };
}

/** Every CRM field the normalisation reads, plus the extra fields the user selected. */
export function propertiesToRead(
	map: ContactFieldMap,
	extraFields: readonly string[] = [],
): string[] {
	const standard = [
		map.firstName,
		map.lastName,
		map.email,
		...map.phones,
		map.doNotCall,
		map.fullName,
	];
	return [
		...new Set(
			[...standard, ...extraFields].filter(
				(name): name is string => typeof name === 'string' && name !== '',
			),
		),
	];
}

export interface ContactRecordInput {
	id: string;
	objectType: string;
	properties: Record<string, unknown>;
	updatedAt?: string;
}

export interface NormalizedContact {
	crmId: string;
	objectType: string;
	/** E.164, or null when no phone field holds a usable number (see phoneReason). */
	phone: string | null;
	/** The CRM field the phone came from. */
	phoneField?: string;
	phoneReason?: string;
	firstName: string | null;
	lastName: string | null;
	/** Lower-cased; null when absent or not an address (see emailReason). */
	email: string | null;
	emailReason?: string;
	/** null = the CRM record has no do-not-call field to read. */
	doNotCall: boolean | null;
	fields: Record<string, unknown>;
	updatedAt: string | null;
}

export interface NormalizeOptions {
	defaultCountry?: CountryCode;
	extraFields?: readonly string[];
}

function text(value: unknown): string | null {
	if (typeof value === 'string') return value.trim() === '' ? null : value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return null;
}

/**
 * A do-not-call flag as the CRM says it (true/false, 'true'/'false', 1/0), read like a typed
 * boolean attribute: empty or unreadable is unknown (null), never "callable".
 */
export function readBoolean(value: unknown): boolean | null {
	const converted = convertValue(value, 'boolean').value;
	return typeof converted === 'boolean' ? converted : null;
}

interface PhonePick {
	phone: string | null;
	phoneField?: string;
	phoneReason?: string;
}

function pickPhone(
	properties: Record<string, unknown>,
	fields: readonly string[],
	defaultCountry?: CountryCode,
): PhonePick {
	let firstProblem: string | undefined;
	for (const field of fields) {
		const raw = text(properties[field]);
		if (raw === null) continue;
		const parsed = normalizePhone(raw, defaultCountry);
		if (parsed.ok) return { phone: parsed.e164, phoneField: field };
		firstProblem ??= `field "${field}": ${parsed.reason}`;
	}
	return {
		phone: null,
		phoneReason: firstProblem ?? `no phone number in ${fields.map((f) => `"${f}"`).join(' or ')}`,
	};
}

function splitName(full: string | null): { first: string | null; last: string | null } {
	if (full === null) return { first: null, last: null };
	const space = full.indexOf(' ');
	if (space < 0) return { first: full, last: null };
	return { first: full.slice(0, space), last: full.slice(space + 1).trim() || null };
}

/** CRMs write change times differently (`+0000`, whole seconds, epoch ms): output ISO UTC. */
function isoTime(value: string | undefined): string | null {
	if (!value) return null;
	const millis = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
	return Number.isNaN(millis) ? value : new Date(millis).toISOString();
}

export function normalizeContact(
	record: ContactRecordInput,
	map: ContactFieldMap,
	options: NormalizeOptions = {},
): NormalizedContact {
	const props = record.properties;
	let firstName = text(props[map.firstName]);
	let lastName = text(props[map.lastName]);
	if (map.fullName && firstName === null && lastName === null) {
		const split = splitName(text(props[map.fullName]));
		firstName = split.first;
		lastName = split.last;
	}
	const rawEmail = text(props[map.email]);
	const email = rawEmail === null ? undefined : normalizeEmail(rawEmail);
	const fields: Record<string, unknown> = {};
	for (const name of options.extraFields ?? []) fields[name] = props[name] ?? null;

	const contact: NormalizedContact = {
		crmId: record.id,
		objectType: record.objectType,
		...pickPhone(props, map.phones, options.defaultCountry),
		firstName,
		lastName,
		email: email?.ok ? email.email : null,
		doNotCall: map.doNotCall ? readBoolean(props[map.doNotCall]) : null,
		fields,
		updatedAt: isoTime(record.updatedAt),
	};
	if (email && !email.ok) contact.emailReason = email.reason;
	return contact;
}
