/**
 * Email normalisation for CRM matching: one canonical spelling per address, its domain,
 * and whether that domain can identify a company.
 *
 * A caller at `jane@acme.com` belongs to the Acme account; a caller at
 * `jane@gmail.com` says nothing about her employer, and matching "gmail.com" to a
 * company would attach every Gmail user's calls to whichever record happens to list
 * that domain. {@link companyDomainFromEmail} therefore returns nothing for free-mail
 * providers.
 *
 * Pure: no I/O (the URL parser's IDNA conversion is a local computation).
 */

export interface EmailOk {
	ok: true;
	/** `local@domain`, lower-cased, domain in ASCII (punycode) form. */
	email: string;
	local: string;
	domain: string;
}

export interface EmailError {
	ok: false;
	reason: string;
}

export type EmailResult = EmailOk | EmailError;

/** RFC 5321 limits. */
const MAX_LOCAL_LENGTH = 64;
const MAX_ADDRESS_LENGTH = 254;
const MAX_SHOWN = 60;

/**
 * Characters allowed in an unquoted local part (RFC 5322 dot-atom), plus any non-ASCII
 * letter (RFC 6531 internationalised addresses). Quoted local parts are so rare in CRM
 * data that they are rejected rather than half-supported.
 */
const LOCAL_PART =
	/^[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+)*$/u;

/** One DNS label in ASCII form: letters, digits, inner hyphens, at most 63 characters. */
const DNS_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** `Jane Doe <jane@acme.com>` — the form mail headers and calendar invites use. */
const DISPLAY_NAME_FORM = /^[^<>]*<([^<>]+)>\s*$/;

function fail(input: string, why: string): EmailError {
	const shown = input.length > MAX_SHOWN ? `${input.slice(0, MAX_SHOWN)}…` : input;
	return { ok: false, reason: `"${shown}" is not a usable email address: ${why}` };
}

/** Strip a display name, angle brackets and a `mailto:` scheme. */
function unwrap(input: string): string {
	let text = input.trim();
	const named = DISPLAY_NAME_FORM.exec(text);
	if (named?.[1] !== undefined) text = named[1].trim();
	if (/^mailto:/i.test(text)) {
		text = text.slice('mailto:'.length);
		const query = text.indexOf('?');
		if (query >= 0) text = text.slice(0, query);
		try {
			text = decodeURIComponent(text);
		} catch {
			// Malformed percent-encoding: validate what we have; it will most likely fail.
		}
	}
	return text.trim();
}

/**
 * IDNA (UTS #46) to ASCII through the WHATWG URL parser, the same mapping as node:url's
 * domainToASCII; '' when it is not a valid host. Characters that would end the host part of
 * a URL are refused first, so only the domain itself is parsed.
 */
function idnaToAscii(domain: string): string {
	if (/[\s/?#@:\\[\]%]/.test(domain)) return '';
	try {
		return new URL(`http://${domain}/`).hostname;
	} catch {
		return '';
	}
}

function asciiDomain(domain: string): string | undefined {
	const trimmed = domain.replace(/\.$/, '').toLowerCase();
	const ascii = /^\p{ASCII}*$/u.test(trimmed) ? trimmed : idnaToAscii(trimmed);
	if (ascii === '' || ascii.length > 253) return undefined;
	const labels = ascii.split('.');
	if (labels.length < 2) return undefined;
	if (!labels.every((label) => DNS_LABEL.test(label))) return undefined;
	// The top-level label is never all digits (that would be an IP address).
	if (/^\d+$/.test(labels[labels.length - 1] ?? '')) return undefined;
	return ascii;
}

/**
 * Normalise an email address for matching.
 *
 * Accepts `jane@acme.com`, `Jane Doe <Jane@ACME.com>` and `mailto:jane@acme.com`.
 * The whole address is lower-cased: local parts are case-sensitive in theory, but no
 * mainstream provider treats them so and CRMs (HubSpot, Salesforce duplicate rules)
 * compare case-insensitively. International domains are converted to punycode so
 * `jane@bücher.de` and `jane@xn--bcher-kva.de` are the same key. Provider-specific
 * aliases (Gmail dots, `+tags`) are deliberately *not* removed: the CRM stores the
 * address as written, and `jane+crm@` may be a distinct contact.
 */
export function normalizeEmail(input: string): EmailResult {
	if (typeof input !== 'string' || input.trim() === '') {
		return { ok: false, reason: 'the email address is empty' };
	}
	const shown = input.trim();
	const address = unwrap(shown);
	if (/\s/.test(address)) return fail(shown, 'it contains spaces');
	const at = address.lastIndexOf('@');
	if (at < 0) return fail(shown, 'it has no @');
	const local = address.slice(0, at);
	const rawDomain = address.slice(at + 1);
	if (local === '') return fail(shown, 'nothing comes before the @');
	if (local.length > MAX_LOCAL_LENGTH) return fail(shown, 'the part before the @ is too long');
	if (!LOCAL_PART.test(local))
		return fail(shown, 'the part before the @ has characters an address cannot have');
	const domain = asciiDomain(rawDomain);
	if (domain === undefined) return fail(shown, 'the part after the @ is not a domain name');
	const email = `${local.toLowerCase()}@${domain}`;
	if (email.length > MAX_ADDRESS_LENGTH) return fail(shown, 'it is too long');
	return { ok: true, email, local: local.toLowerCase(), domain };
}

/** The normalised domain of an address, or `undefined` when it is not a usable address. */
export function emailDomain(input: string): string | undefined {
	const result = normalizeEmail(input);
	return result.ok ? result.domain : undefined;
}

/** Whether two written addresses are the same mailbox after normalisation. */
export function sameEmail(a: string, b: string): boolean {
	const left = normalizeEmail(a);
	if (!left.ok) return false;
	const right = normalizeEmail(b);
	return right.ok && left.email === right.email;
}

/**
 * Consumer mailbox providers: an address here identifies a person, never a company.
 * Exact domains; the brand families below cover the many country variants.
 */
const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
	'gmail.com',
	'googlemail.com',
	'ymail.com',
	'rocketmail.com',
	'aim.com',
	'icloud.com',
	'me.com',
	'mac.com',
	'proton.me',
	'protonmail.com',
	'protonmail.ch',
	'pm.me',
	'tutanota.com',
	'tutanota.de',
	'tuta.io',
	'fastmail.com',
	'fastmail.fm',
	'hey.com',
	'mail.com',
	'email.com',
	'zohomail.com',
	'hushmail.com',
	'gmx.de',
	'gmx.net',
	'web.de',
	't-online.de',
	'freenet.de',
	'arcor.de',
	'posteo.de',
	'mailbox.org',
	'orange.fr',
	'wanadoo.fr',
	'free.fr',
	'sfr.fr',
	'laposte.net',
	'neuf.fr',
	'bbox.fr',
	'btinternet.com',
	'sky.com',
	'virginmedia.com',
	'talktalk.net',
	'ntlworld.com',
	'comcast.net',
	'verizon.net',
	'att.net',
	'sbcglobal.net',
	'bellsouth.net',
	'cox.net',
	'charter.net',
	'earthlink.net',
	'juno.com',
	'libero.it',
	'virgilio.it',
	'tiscali.it',
	'alice.it',
	'seznam.cz',
	'wp.pl',
	'o2.pl',
	'interia.pl',
	'onet.pl',
	'mail.ru',
	'bk.ru',
	'inbox.ru',
	'list.ru',
	'rambler.ru',
	'ukr.net',
	'qq.com',
	'163.com',
	'126.com',
	'yeah.net',
	'sina.com',
	'naver.com',
	'hanmail.net',
	'daum.net',
	'rediffmail.com',
	'bigpond.com',
	'optusnet.com.au',
	'shaw.ca',
	'rogers.com',
	'sympatico.ca',
	'uol.com.br',
	'bol.com.br',
	'terra.com.br',
]);

/**
 * Brands that register the same consumer service under many country domains
 * (`yahoo.co.uk`, `hotmail.fr`, `outlook.de`, `gmx.at`, `yandex.ru` …): the brand label
 * followed by a generic or country ending.
 */
const FREE_MAIL_FAMILIES =
	/^(?:yahoo|hotmail|outlook|live|msn|aol|gmx|yandex|windowslive)\.(?:com|net|[a-z]{2}|(?:co|com|ne|or)\.[a-z]{2})$/;

/**
 * Whether a domain belongs to a free / consumer mail provider, so it must never be used
 * to match a company. Accepts a bare domain or a whole address; case-insensitive;
 * subdomains of a free-mail domain count too (`mail.yahoo.com`).
 */
export function isFreeMailDomain(domainOrEmail: string): boolean {
	const domain = domainOrEmail.includes('@')
		? emailDomain(domainOrEmail)
		: asciiDomain(domainOrEmail.trim());
	if (domain === undefined) return false;
	const labels = domain.split('.');
	for (let start = 0; start < labels.length - 1; start++) {
		const candidate = labels.slice(start).join('.');
		if (FREE_MAIL_DOMAINS.has(candidate) || FREE_MAIL_FAMILIES.test(candidate)) return true;
	}
	return false;
}

/**
 * The domain to match a company by, or `undefined` when the address is unusable or
 * belongs to a free-mail provider.
 */
export function companyDomainFromEmail(input: string): string | undefined {
	const domain = emailDomain(input);
	if (domain === undefined || isFreeMailDomain(domain)) return undefined;
	return domain;
}
