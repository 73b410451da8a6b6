/**
 * Client-side confirmation of search hits. SOSL phone search and LIKE on Website are
 * fuzzy, so a record only counts as a match when its own field value is the same phone,
 * e-mail or domain as the query's.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { normalizePhone, samePhone } from '../../logic/phone';

/** The phone's own region, used to read a record's nationally written number (`(213) 373-4253`). */
function regionOf(e164: string) {
	return parsePhoneNumberFromString(e164)?.country;
}

export function phoneMatches(recordValue: unknown, e164: string): boolean {
	if (typeof recordValue !== 'string' || recordValue.trim() === '') return false;
	if (samePhone(recordValue, e164, regionOf(e164))) return true;
	// Numbers in unassigned ranges have no region; fall back to comparing the digits.
	const parsed = normalizePhone(e164);
	if (!parsed.ok) return false;
	const digits = recordValue.replace(/\D/g, '');
	return (
		digits !== '' &&
		[parsed.e164.slice(1), parsed.nationalDigits, parsed.nationalNumber].includes(digits)
	);
}

export function anyPhoneMatches(recordValues: unknown[], e164s: readonly string[]): boolean {
	return recordValues.some((value) => e164s.some((e164) => phoneMatches(value, e164)));
}

export function normaliseEmail(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const email = value.trim().toLowerCase();
	return email === '' ? undefined : email;
}

export function emailMatches(recordValue: unknown, emails: readonly string[]): boolean {
	const email = normaliseEmail(recordValue);
	return email !== undefined && emails.some((candidate) => normaliseEmail(candidate) === email);
}

/** Host of a Website value as users type it (`www.Acme.com/about`, `https://acme.com`), without `www.`. */
export function websiteHost(website: unknown): string | undefined {
	if (typeof website !== 'string' || website.trim() === '') return undefined;
	const text = website.trim();
	try {
		const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`);
		return url.hostname.toLowerCase().replace(/^www\./, '') || undefined;
	} catch {
		return undefined;
	}
}

export function domainMatches(website: unknown, domains: readonly string[]): boolean {
	const host = websiteHost(website);
	return (
		host !== undefined &&
		domains.some(
			(domain) =>
				domain
					.trim()
					.toLowerCase()
					.replace(/^www\./, '') === host,
		)
	);
}
