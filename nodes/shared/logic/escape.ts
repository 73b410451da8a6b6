/**
 * Escapers for the three query languages the providers build by string concatenation:
 * Salesforce SOQL string literals, Salesforce SOSL `FIND {…}` clauses and Dataverse
 * OData `$filter` literals.
 *
 * Every value that reaches a query comes from a call transcript, a CRM field or a user
 * (names, emails, phones), so every value is hostile: `O'Brien`, `\' OR 1=1 --`,
 * `} RETURNING User(Id) FIND {x`. Do not trust SDK builders with it either — jsforce's
 * query builder escapes only the quote.
 *
 * Pure: no I/O. Each escaper works in a single pass over the input, so the order of
 * replacements can never double-escape (the classic "escape backslash first" rule holds
 * by construction).
 */

// ───────────────────────────── shared ─────────────────────────────

/** An unpaired UTF-16 surrogate: it has no UTF-8 encoding, so no HTTP request can carry it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Replace unpaired surrogates with U+FFFD, as every UTF-8 encoder (JSON bodies, URLs)
 * would — except `encodeURIComponent`, which throws. Doing it up front makes every
 * escaper total (never throws on a string) and keeps the round trip exact for all text
 * that can be sent at all.
 */
export function toWellFormedText(value: string): string {
	return value.replace(LONE_SURROGATE, '\uFFFD');
}

function requireString(value: unknown, what: string): string {
	if (typeof value !== 'string') {
		throw new TypeError(`${what} expects a string, got ${value === null ? 'null' : typeof value}`);
	}
	return value;
}

function hex4(codeUnit: number): string {
	return codeUnit.toString(16).padStart(4, '0');
}

// ───────────────────────────── SOQL ─────────────────────────────

/**
 * SOQL's documented escape sequences for characters that have a short form
 * ("Quoted String Escape Sequences", SOQL and SOSL Reference).
 */
const SOQL_SHORT_ESCAPES: Readonly<Record<string, string>> = {
	'\\': '\\\\',
	"'": "\\'",
	'"': '\\"',
	'\n': '\\n',
	'\r': '\\r',
	'\t': '\\t',
	'\u0008': '\\b',
	'\u000C': '\\f',
};

/** A C0 control character or DEL (written as code points: a regex with control characters is easy to misread). */
function isAsciiControl(code: number): boolean {
	return code < 0x20 || code === 0x7f;
}

/**
 * Escape text for use between single quotes in a SOQL query.
 *
 * Escapes `\` and `'` (the reserved characters), plus `"`, newline, carriage return,
 * tab, backspace and form feed with their short SOQL sequences, and any other control
 * character as `\uXXXX` (also a documented SOQL sequence) so the query text stays
 * printable. Nothing is dropped: the literal decodes back to exactly the input
 * (after lone surrogates become U+FFFD, see {@link toWellFormedText}).
 *
 * `%` and `_` are left alone: they only mean something after LIKE; use
 * {@link escapeSoqlLike} there.
 */
export function escapeSoqlString(value: string): string {
	const text = toWellFormedText(requireString(value, 'escapeSoqlString'));
	let escaped = '';
	for (const char of text) {
		const code = char.charCodeAt(0);
		escaped += SOQL_SHORT_ESCAPES[char] ?? (isAsciiControl(code) ? `\\u${hex4(code)}` : char);
	}
	return escaped;
}

/** A complete SOQL string literal: `'…'` with the content escaped. */
export function soqlLiteral(value: string): string {
	return `'${escapeSoqlString(value)}'`;
}

/**
 * Escape text for use between single quotes after SOQL `LIKE`, so that the text matches
 * itself literally: as {@link escapeSoqlString}, plus `%` → `\%` and `_` → `\_`. Add
 * your own unescaped `%` around the result for contains / starts-with searches.
 */
export function escapeSoqlLike(value: string): string {
	return escapeSoqlString(value).replace(/[%_]/g, (char) => `\\${char}`);
}

// ───────────────────────────── SOSL ─────────────────────────────

/** The SOSL reserved characters, backslash included ("FIND {SearchQuery}", SOSL reference). */
const SOSL_RESERVED = /[?&|!{}[\]()^~*:\\"'+-]/g;

/** C0 and C1 control characters (Unicode category Cc). */
const CONTROL_CHARACTERS = /\p{Cc}/gu;

/** Salesforce drops logical operators from a SearchQuery longer than this. */
export const SOSL_MAX_SEARCH_QUERY_LENGTH = 4000;

/** SOSL rejects search terms shorter than two characters. */
const SOSL_MIN_TERM_LENGTH = 2;

/**
 * The documented rule for characters that SOSL has no escape for: control characters
 * (tab, newline, NUL, C1 controls …) are each replaced by a space, and lone surrogates by
 * U+FFFD. A space is what the search engine would split on anyway, so `"Jane\nDoe"`
 * still finds "Jane Doe"; deleting the character instead could glue two words into a
 * different token.
 */
export function sanitizeSoslText(value: string): string {
	return toWellFormedText(requireString(value, 'sanitizeSoslText')).replace(
		CONTROL_CHARACTERS,
		' ',
	);
}

/**
 * Escape text for use inside SOSL `FIND {…}`: every reserved character
 * `? & | ! { } [ ] ( ) ^ ~ * : \ " ' + -` is preceded by a backslash (one pass, so an
 * input backslash is escaped exactly once). Control characters are first replaced per
 * {@link sanitizeSoslText}. Wildcards (`*`, `?`) are therefore literal.
 */
export function escapeSoslTerm(value: string): string {
	return sanitizeSoslText(value).replace(SOSL_RESERVED, (char) => `\\${char}`);
}

function codePointLength(text: string): number {
	return [...text].length;
}

/** Sanitised, trimmed, long-enough, distinct terms, in first-seen order. */
function prepareSoslTerms(terms: readonly string[]): string[] {
	const seen = new Set<string>();
	for (const term of terms) {
		const clean = sanitizeSoslText(requireString(term, 'soslFindClause')).trim();
		if (codePointLength(clean) >= SOSL_MIN_TERM_LENGTH) seen.add(clean);
	}
	return [...seen];
}

function quotedPhrase(cleanTerm: string): string {
	return `"${escapeSoslTerm(cleanTerm)}"`;
}

/**
 * Build `FIND {"t1" OR "t2" …}` for a list of literal search terms.
 *
 * Quoting rule: each term becomes a double-quoted phrase, and *inside* the phrase every
 * reserved character is still backslash-escaped — including `"` itself (`\"`), so a term
 * can never close its phrase early, and `*` / `?` stay literal rather than becoming
 * wildcards. A phrase matches its words in order, which is what a phone number like
 * `+1 (213) 373-4253` or a name like `Jane Doe` needs.
 *
 * Terms are sanitised ({@link sanitizeSoslText}) and trimmed; terms shorter than two
 * characters are dropped (SOSL refuses them) and duplicates removed.
 *
 * @throws Error when no usable term remains
 * @throws RangeError when the search query would exceed {@link SOSL_MAX_SEARCH_QUERY_LENGTH};
 *   use {@link soslFindClauses} to split long lists
 */
export function soslFindClause(terms: readonly string[]): string {
	const clean = prepareSoslTerms(terms);
	if (clean.length === 0) {
		throw new Error('A SOSL search needs at least one term of two or more characters');
	}
	const query = clean.map(quotedPhrase).join(' OR ');
	if (query.length > SOSL_MAX_SEARCH_QUERY_LENGTH) {
		throw new RangeError(
			`The SOSL search query is ${query.length} characters; the limit is ${SOSL_MAX_SEARCH_QUERY_LENGTH}`,
		);
	}
	return `FIND {${query}}`;
}

/**
 * Like {@link soslFindClause}, but packs the terms into as few clauses as possible, each
 * within `maxLength` characters of search query, for batches of many phone numbers.
 *
 * @returns one `FIND {…}` clause per request to make, `[]` when no usable term remains
 * @throws RangeError when a single term alone exceeds `maxLength`
 */
export function soslFindClauses(
	terms: readonly string[],
	maxLength: number = SOSL_MAX_SEARCH_QUERY_LENGTH,
): string[] {
	const clauses: string[] = [];
	let current: string[] = [];
	let currentLength = 0;
	const separator = ' OR ';
	for (const phrase of prepareSoslTerms(terms).map(quotedPhrase)) {
		if (phrase.length > maxLength) {
			throw new RangeError(
				`A SOSL search term is ${phrase.length} characters; the limit is ${maxLength}`,
			);
		}
		const added = current.length === 0 ? phrase.length : separator.length + phrase.length;
		if (currentLength + added > maxLength) {
			clauses.push(`FIND {${current.join(separator)}}`);
			current = [];
			currentLength = 0;
		}
		currentLength += current.length === 0 ? phrase.length : separator.length + phrase.length;
		current.push(phrase);
	}
	if (current.length > 0) clauses.push(`FIND {${current.join(separator)}}`);
	return clauses;
}

// ───────────────────────────── OData (Dataverse) ─────────────────────────────

/**
 * Escape text for use between single quotes in an OData `$filter`: a quote is written
 * as two quotes (OData ABNF `SQUOTE-in-string`). Backslash has no meaning in OData
 * literals and is left alone. The result is *not* URL-safe yet — see
 * {@link encodeODataFilter}.
 */
export function escapeODataString(value: string): string {
	return toWellFormedText(requireString(value, 'escapeODataString')).replace(/'/g, "''");
}

/** A complete OData string literal: `'…'` with the content escaped. */
export function odataLiteral(value: string): string {
	return `'${escapeODataString(value)}'`;
}

/**
 * Escape text for the pattern argument of Dataverse's `contains`, `startswith` and
 * `endswith`, which treat `%`, `_` and `[` as wildcards (T-SQL LIKE semantics). Each is
 * wrapped in brackets (`[%]`, `[_]`, `[[]`) — Dataverse's documented way to match it
 * literally — and quotes are doubled as in {@link escapeODataString}.
 */
export function escapeODataLike(value: string): string {
	return escapeODataString(value).replace(/[%_[]/g, (char) => `[${char}]`);
}

/**
 * Percent-encode a whole `$filter` expression for the query string of a URL you write
 * yourself — e.g. the request line of a `$batch` part, or a `nextLink`-style URL.
 *
 * Dataverse requires special characters in filter values to be URL-encoded: an unencoded
 * `+` arrives as a space, `&` starts a new query option, `#` ends the URL, `%` starts an
 * escape and `?` or `/` can confuse proxies. Everything except the RFC 3986 unreserved
 * characters and `! * ' ( )` is encoded, with UTF-8 (lone surrogates become U+FFFD
 * instead of throwing). Spaces become `%20`, never `+`.
 *
 * Do not use it on a value you hand to an HTTP client's query-string object (n8n's
 * `qs`, `URLSearchParams`): those encode again and the server would see `%25…`.
 */
export function encodeODataFilter(filter: string): string {
	return encodeURIComponent(toWellFormedText(requireString(filter, 'encodeODataFilter')));
}
