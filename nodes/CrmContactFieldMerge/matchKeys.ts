/** Each item's match key (phone in E.164, email, or record id), validated with a reason. */
import type { CountryCode } from 'libphonenumber-js';

import { normalizeEmail } from '../shared/logic/email';
import { normalizePhone } from '../shared/logic/phone';
import type { CrmName } from '../shared/model';
import type { MatchQuery } from '../shared/providers/CrmProvider';

export type MatchBy = 'phone' | 'email' | 'id';

export interface MatchKey {
	by: MatchBy;
	/** E.164 phone, normalised email or the record id. */
	value: string;
}

export type KeyResult = { ok: true; key: MatchKey } | { ok: false; reason: string };

export function parseMatchKey(by: MatchBy, raw: unknown, defaultCountry?: CountryCode): KeyResult {
	if (typeof raw === 'number' && by !== 'email') raw = String(raw);
	if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, reason: 'is empty: the item has no value to find its CRM record by' };
	const text = raw.trim();
	if (by === 'phone') {
		const phone = normalizePhone(text, defaultCountry);
		return phone.ok ? { ok: true, key: { by, value: phone.e164 } } : { ok: false, reason: phone.reason };
	}
	if (by === 'email') {
		const email = normalizeEmail(text);
		return email.ok ? { ok: true, key: { by, value: email.email } } : { ok: false, reason: email.reason };
	}
	return { ok: true, key: { by, value: text } };
}

export function matchQuery(key: MatchKey): MatchQuery {
	return { phones: key.by === 'phone' ? [key.value] : [], emails: key.by === 'email' ? [key.value] : [], domains: [] };
}

/** Where a new record keeps the key it was looked up by, so the next run finds it. */
const KEY_FIELDS: Record<CrmName, { phone: string; email: string }> = {
	hubspot: { phone: 'phone', email: 'email' },
	salesforce: { phone: 'Phone', email: 'Email' },
	dynamics: { phone: 'telephone1', email: 'emailaddress1' },
	autochat: { phone: 'phone', email: 'email' },
};

export function keyField(crm: CrmName, key: MatchKey): string | undefined {
	return key.by === 'id' ? undefined : KEY_FIELDS[crm][key.by];
}
