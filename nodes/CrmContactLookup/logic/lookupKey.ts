/**
 * One lookup's key from what an item (or an AI agent) gave: a phone number in any format or
 * an email address. The phone wins when both are given, so a lookup stays one search; a value
 * that is given but unusable is an error naming its field, never a silent miss.
 */
import type { MatchQuery } from '../../shared/providers/CrmProvider';
import { normalizeEmail } from '../../shared/logic/email';
import { normalizePhone, type CountryCode } from '../../shared/logic/phone';

export type LookupKey =
	| { ok: true; by: 'phone' | 'email'; value: string; query: MatchQuery }
	| { ok: false; field: 'phone' | 'email'; message: string };

function text(value: unknown): string {
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	return '';
}

export function lookupKeyOf(
	phoneInput: unknown,
	emailInput: unknown,
	defaultCountry?: CountryCode,
): LookupKey {
	const phone = text(phoneInput);
	const email = text(emailInput);
	if (phone !== '') {
		const parsed = normalizePhone(phone, defaultCountry);
		if (!parsed.ok)
			return {
				ok: false,
				field: 'phone',
				message: `"${phone.slice(0, 40)}" is not a usable phone number (${parsed.reason})`,
			};
		return {
			ok: true,
			by: 'phone',
			value: parsed.e164,
			query: { phones: [parsed.e164], emails: [], domains: [] },
		};
	}
	if (email !== '') {
		const parsed = normalizeEmail(email);
		if (!parsed.ok)
			return {
				ok: false,
				field: 'email',
				message: `"${email.slice(0, 80)}" is not a usable email address (${parsed.reason})`,
			};
		return {
			ok: true,
			by: 'email',
			value: parsed.email,
			query: { phones: [], emails: [parsed.email], domains: [] },
		};
	}
	return {
		ok: false,
		field: 'phone',
		message: 'neither a phone number nor an email address was given',
	};
}
