/**
 * Phone number normalisation for CRM matching.
 *
 * Calls arrive with phone numbers in whatever shape the telephony platform or a human
 * produced: national, international, `00`-prefixed, `tel:` URIs, with extensions. CRMs
 * store them just as inconsistently. Matching therefore works in two steps: normalise
 * every input to E.164 (this file), search the CRM with several spellings of that
 * number ({@link phoneSearchVariants}), then confirm each hit client-side
 * ({@link samePhone}) because CRM phone search is fuzzy.
 *
 * Pure: no I/O. Uses libphonenumber-js with its default `min` metadata.
 */
import { isSupportedCountry, parsePhoneNumberWithError, ParseError } from 'libphonenumber-js';
import type { CountryCode, PhoneNumber } from 'libphonenumber-js';

export type { CountryCode } from 'libphonenumber-js';

/** A successfully normalised number. The extension is never part of `e164`. */
export interface PhoneOk {
	ok: true;
	/** `+` followed by 8–15 digits, e.g. `+442079460958`. */
	e164: string;
	/** National format as humans type it, e.g. `020 7946 0958` or `(213) 373-4253`. */
	national: string;
	/** Digits of `national`, trunk prefix included, e.g. `02079460958`. */
	nationalDigits: string;
	/** National significant number (no trunk prefix, no country code), e.g. `2079460958`. */
	nationalNumber: string;
	/** Country calling code without `+`, e.g. `44`. */
	countryCallingCode: string;
	/** Extension digits, when the input carried one (`x123`, `ext. 123`, `;ext=123`). */
	extension?: string;
}

export interface PhoneError {
	ok: false;
	/** Human-readable, safe to show: never echoes more than the input itself. */
	reason: string;
}

export type PhoneResult = PhoneOk | PhoneError;

/** A URI scheme prefix for telephone numbers (RFC 3966). */
const TEL_SCHEME = /^tel:/i;

/**
 * Trailing extension markers: RFC 3966 `;ext=`, `x`, `ext`, `ext.`, `extn`,
 * `extension`, `#` and dial-pause commas. Anchored at the end so digits in the middle
 * of a number are never taken for an extension.
 */
const EXTENSION_SUFFIX =
	/(?:\s*;\s*ext\s*=\s*|\s*(?:,+|#|(?:extension|extn|ext)\.?|x)\s*:?\s*)(\d{1,10})\s*$/iu;

/**
 * What may remain once the scheme and the extension are gone: digits in any script
 * (libphonenumber maps them), a plus (also inside brackets: `(+44)`), and the punctuation people put between
 * digit groups. Anything else — letters especially — means "not a phone number".
 */
const ALLOWED_BODY = /^[+＋\p{Nd}\s\-‐-―−.()/[\]]*$/u;

/** At least this many digits before asking the library; shorter is certainly garbage. */
const MIN_DIGITS = 3;

/** E.164 caps the total digits at 15; with some slack for `00`/IDD prefixes and trunk zeros. */
const MAX_BODY_DIGITS = 20;

const DIGIT = /\p{Nd}/gu;

const PARSE_ERROR_REASONS: Readonly<Record<string, string>> = {
	INVALID_COUNTRY:
		'no country could be determined: write the number in international format (+…) or set a default country',
	NOT_A_NUMBER: 'it is not a phone number',
	TOO_SHORT: 'it has too few digits',
	TOO_LONG: 'it has too many digits',
	INVALID_LENGTH: 'its length is not possible for that country',
};

interface SplitInput {
	body: string;
	extension?: string;
}

/** Remove a `tel:` scheme and resolve its parameters (RFC 3966). */
function stripTelUri(raw: string): SplitInput {
	let text = raw.replace(TEL_SCHEME, '');
	try {
		// tel: URIs may percent-encode visual separators (%20, %2B).
		text = decodeURIComponent(text);
	} catch {
		// Not valid percent-encoding: keep the text; the body check rejects it if it is junk.
	}
	const [number = '', ...params] = text.split(';');
	let body = number;
	let extension: string | undefined;
	for (const param of params) {
		const [rawName = '', value = ''] = param.split('=');
		const name = rawName.trim().toLowerCase();
		if (name === 'ext' && /^\d{1,10}$/.test(value.trim())) extension = value.trim();
		// A local number with a global context (`;phone-context=+44`) is that context + number.
		if (name === 'phone-context' && value.trim().startsWith('+') && !body.trim().startsWith('+')) {
			body = value.trim() + body;
		}
	}
	return { body, extension };
}

/** Split a human-written number into its body and an optional trailing extension. */
function splitInput(input: string): SplitInput {
	const trimmed = input.trim();
	if (TEL_SCHEME.test(trimmed)) return stripTelUri(trimmed);
	const match = EXTENSION_SUFFIX.exec(trimmed);
	if (match && match.index > 0) {
		return { body: trimmed.slice(0, match.index), extension: match[1] };
	}
	return { body: trimmed };
}

/** `(+44) 20 …` is common in signatures; libphonenumber wants the plus first. */
function unbracketCountryCode(body: string): string {
	return body.trim().replace(/^\(\s*([+＋]\p{Nd}{1,3})\s*\)/u, '$1 ');
}

function countDigits(text: string): number {
	return text.match(DIGIT)?.length ?? 0;
}

type ParseAttempt = { phone: PhoneNumber } | { reason: string };

function attemptParse(body: string, defaultCountry: CountryCode | undefined): ParseAttempt {
	try {
		const phone = parsePhoneNumberWithError(body, { defaultCountry, extract: false });
		if (!phone.isPossible()) return { reason: 'its length is not possible for that country' };
		return { phone };
	} catch (error) {
		// Only ParseError is expected; anything else still means "this text is not a number"
		// to the caller, and a pure helper has no node context to wrap an error in.
		const code = error instanceof ParseError ? error.message : '';
		return { reason: PARSE_ERROR_REASONS[code] ?? 'it is not a phone number' };
	}
}

/**
 * `00` is the international prefix in most of the world but not everywhere (US: 011,
 * AU: 0011). Try the number as written first — libphonenumber knows each country's own
 * prefix — and only then read a leading `00` as `+`, which is how people write
 * international numbers in free text regardless of where they are.
 */
function parseBody(body: string, defaultCountry: CountryCode | undefined): ParseAttempt {
	const compact = body.trim();
	const first = attemptParse(compact, defaultCountry);
	if ('phone' in first) return first;
	if (compact.startsWith('00')) {
		const asInternational = attemptParse('+' + compact.slice(2), undefined);
		if ('phone' in asInternational) return asInternational;
	}
	return first;
}

/** Long enough to recognise the value in an error, short enough to keep errors readable. */
const MAX_SHOWN = 40;

function fail(input: string, why: string): PhoneError {
	const shown = input.length > MAX_SHOWN ? `${input.slice(0, MAX_SHOWN)}…` : input;
	return { ok: false, reason: `"${shown}" is not a usable phone number: ${why}` };
}

/**
 * Normalise a phone number written in any common way to E.164.
 *
 * Accepts national (`(213) 373-4253` with a default country), international
 * (`+44 20 7946 0958`), `00`-prefixed (`0049 30 123456`), punctuated, `tel:` URIs and
 * trailing extensions (`x123`, `ext. 123`, `;ext=123`). The extension is returned
 * separately and never becomes part of the E.164 string, because CRMs store and search
 * the main number.
 *
 * Uses "possible" (length-based) rather than "valid" (range-based) checks: the bundled
 * metadata ages, and a real customer's freshly allocated number must not be dropped.
 *
 * @param input free text holding one phone number
 * @param defaultCountry ISO 3166-1 alpha-2 country for numbers written nationally;
 *   `''` means none, an unknown code gives `ok: false`
 * @returns `{ ok: true, … }` or `{ ok: false, reason }` with a reason a user can act on
 */
export function normalizePhone(input: string, defaultCountry?: CountryCode): PhoneResult {
	if (typeof input !== 'string' || input.trim() === '') {
		return { ok: false, reason: 'the phone number is empty' };
	}
	// Node parameters can hand over '' or a lower-case code at runtime despite the type.
	const country = defaultCountry ? defaultCountry.toUpperCase() : undefined;
	if (country !== undefined && !isSupportedCountry(country)) {
		return {
			ok: false,
			reason: `"${country.slice(0, 8)}" is not a supported default country (use an ISO code such as US or DE)`,
		};
	}
	const shown = input.trim();
	const { body, extension } = splitInput(shown);
	if (!ALLOWED_BODY.test(body.trim())) {
		return fail(
			shown,
			/\p{L}/u.test(body)
				? 'it contains letters'
				: 'it contains characters a phone number cannot have',
		);
	}
	const digits = countDigits(body);
	if (digits < MIN_DIGITS) return fail(shown, 'it has too few digits');
	if (digits > MAX_BODY_DIGITS) return fail(shown, 'it has too many digits');

	const parsed = parseBody(unbracketCountryCode(body), country);
	if ('reason' in parsed) return fail(shown, parsed.reason);
	const { phone } = parsed;

	// The extension was cut off above; format without one so the national form is clean.
	const national = phone.formatNational({ formatExtension: (formatted) => formatted });
	const result: PhoneOk = {
		ok: true,
		e164: phone.number,
		national,
		nationalDigits: national.replace(/\D/g, ''),
		nationalNumber: phone.nationalNumber,
		countryCallingCode: phone.countryCallingCode,
	};
	const ext = extension ?? phone.ext;
	if (ext) result.extension = ext;
	return result;
}

/**
 * The distinct spellings of one number a CRM search needs, because CRMs keep phone
 * fields as free text: the E.164 form, the E.164 digits without `+`, the national
 * digits (what HubSpot's calculated searchable phone fields hold), the national form as
 * humans type it, and the national significant number (national digits without the trunk
 * prefix, e.g. GB `2079460958`). Deduplicated, always in that order.
 *
 * @param e164 an E.164 number, typically `normalizePhone(...).e164`
 * @returns the variants, or `[]` when `e164` is not a possible number
 */
export function phoneSearchVariants(e164: string): string[] {
	const parsed = normalizePhone(e164);
	if (!parsed.ok) return [];
	const candidates = [
		parsed.e164,
		parsed.e164.slice(1),
		parsed.nationalDigits,
		parsed.national,
		parsed.nationalNumber,
	];
	return [...new Set(candidates.filter((value) => value !== ''))];
}

/**
 * Whether two written phone numbers are the same line: both normalise and give the same
 * E.164. Extensions are ignored (the CRM record holds the main line). Used to confirm a
 * CRM search hit, since phone search matches loosely. Symmetric by construction.
 *
 * @param defaultCountry applied to both sides when they are written nationally
 */
export function samePhone(a: string, b: string, defaultCountry?: CountryCode): boolean {
	const left = normalizePhone(a, defaultCountry);
	if (!left.ok) return false;
	const right = normalizePhone(b, defaultCountry);
	return right.ok && left.e164 === right.e164;
}
