/**
 * Finding clients by phone or email through `GET /clients?phone=|email=`, with every hit
 * confirmed client-side: the API's own matching is not documented, so a client only
 * counts when its stored value is the same number / mailbox as the one asked for.
 *
 * Phones are asked in the spellings of {@link phoneSearchVariants} (E.164 first, then
 * digits and national forms), because clients store numbers as typed. The first spelling
 * that yields a confirmed client ends the search — each further spelling costs one of the
 * 100 requests per minute.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

import { normalizeEmail, sameEmail } from '../../logic/email';
import { normalizePhone, phoneSearchVariants, samePhone } from '../../logic/phone';
import type { AutochatApi } from './api';
import { autochatEndpoints, MAX_PAGE_SIZE, readList, type AutochatClientRecord } from './endpoints';

export type LookupKey = 'phone' | 'email';

/** The E.164 number's own country, used to read a nationally written stored number. */
function regionOf(e164: string) {
	return parsePhoneNumberFromString(e164)?.country;
}

export function phoneConfirms(stored: unknown, e164: string): boolean {
	if (typeof stored !== 'string' || stored.trim() === '') return false;
	return samePhone(stored, e164, regionOf(e164));
}

export function emailConfirms(stored: unknown, email: string): boolean {
	return typeof stored === 'string' && sameEmail(stored, email);
}

async function listBy(
	api: AutochatApi,
	key: LookupKey,
	value: string,
): Promise<AutochatClientRecord[]> {
	const request = autochatEndpoints.listClients({ [key]: value, limit: MAX_PAGE_SIZE });
	const page = await api.send(
		request,
		(body) => readList<AutochatClientRecord>(body, request.label),
		{ idempotent: true },
	);
	return page.items;
}

async function byPhone(
	api: AutochatApi,
	phone: string,
	maxSpellings?: number,
): Promise<AutochatClientRecord[]> {
	const parsed = normalizePhone(phone);
	if (!parsed.ok) return [];
	const variants = phoneSearchVariants(parsed.e164);
	for (const variant of (variants.length ? variants : [parsed.e164]).slice(0, maxSpellings)) {
		const confirmed = (await listBy(api, 'phone', variant)).filter((client) =>
			phoneConfirms(client.phone, parsed.e164),
		);
		if (confirmed.length > 0) return confirmed;
	}
	return [];
}

async function byEmail(api: AutochatApi, email: string): Promise<AutochatClientRecord[]> {
	const parsed = normalizeEmail(email);
	if (!parsed.ok) return [];
	return (await listBy(api, 'email', parsed.email)).filter((client) =>
		emailConfirms(client.email, parsed.email),
	);
}

/**
 * Confirmed clients whose phone (E.164 expected) or email is `value`; deduplicated by id.
 * `maxSpellings` caps the phone spellings asked (one request each); default all.
 */
export async function findClients(
	api: AutochatApi,
	key: LookupKey,
	value: string,
	maxSpellings?: number,
): Promise<AutochatClientRecord[]> {
	const found =
		key === 'phone' ? await byPhone(api, value, maxSpellings) : await byEmail(api, value);
	return [...new Map(found.map((client) => [client.id, client])).values()];
}
