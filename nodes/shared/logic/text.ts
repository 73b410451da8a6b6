/**
 * Text hygiene for everything the pack writes to a CRM or matches on, and the one way a
 * text is fitted to a CRM field's limit.
 *
 * - {@link sanitizeText} removes characters no CRM field should hold: NUL and the other C0
 *   control characters except tab, line feed and carriage return (they break XML-based APIs
 *   and exports), DEL, the bidirectional embedding/override/isolate controls U+202A–U+202E
 *   and U+2066–U+2069 (they make a text display differently from what it says, e.g. a
 *   reversed file name or number), and lone UTF-16 surrogates (not valid Unicode: APIs
 *   reject them or store U+FFFD). Everything else is kept, in order.
 * - {@link fitText} applies a field limit to the FINAL stored text — after the caller's
 *   rendering (HTML escaping grows a text) and with the key/marker line the provider appends
 *   — so the limit can never be exceeded by what is added after the cut. A cut text ends
 *   with {@link TRUNCATION_MARKER}, never silently.
 *
 * Lengths are UTF-16 code units (JavaScript's `length`), which is how HubSpot, Salesforce
 * and Dataverse count a field's characters; cuts never split a surrogate pair.
 */

// Built from code points so the source file itself holds no invisible characters.
const CONTROL = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F';
const BIDI = '\\u202A-\\u202E\\u2066-\\u2069';
const LONE_SURROGATE =
	'[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]';
const FORBIDDEN_SOURCE = `[${CONTROL}${BIDI}]|${LONE_SURROGATE}`;
const FORBIDDEN_ALL = new RegExp(FORBIDDEN_SOURCE, 'g');
const FORBIDDEN_ANY = new RegExp(FORBIDDEN_SOURCE);

/** Removes every forbidden character (see the file comment); idempotent. */
export function sanitizeText(text: string): string {
	return text.replace(FORBIDDEN_ALL, '');
}

/** Whether the text holds a character {@link sanitizeText} would remove. */
export function hasForbiddenCharacters(text: string): boolean {
	return FORBIDDEN_ANY.test(text);
}

/** Sanitised, trimmed, and `undefined` when nothing is left: for optional input fields. */
export function presentText(text: string | undefined): string | undefined {
	if (text === undefined) return undefined;
	const clean = sanitizeText(text).trim();
	return clean === '' ? undefined : clean;
}

/** The first `end` code units, one shorter when that would split a surrogate pair. */
export function safeSlice(text: string, end: number): string {
	if (end <= 0) return '';
	if (end >= text.length) return text;
	const last = text.charCodeAt(end - 1);
	return last >= 0xd800 && last <= 0xdbff ? text.slice(0, end - 1) : text.slice(0, end);
}

/**
 * A single-line field (subject, title): sanitised, every run of white space (line breaks
 * included) made one space, and cut to `limit` with an ellipsis.
 */
export function singleLine(text: string, limit: number): string {
	const line = sanitizeText(text).replace(/\s+/g, ' ').trim();
	return line.length <= limit ? line : `${safeSlice(line, limit - 1)}…`;
}

export const TRUNCATION_MARKER =
	'\n[… truncated by n8n CRM Sync: the full text did not fit the CRM field]';

export interface FittedText {
	text: string;
	truncated: boolean;
}

/**
 * Cuts `text` to at most `limit` characters including {@link TRUNCATION_MARKER}, preferring
 * to end at a line break near the cut. Limits shorter than the marker keep only the marker.
 */
export function truncateText(text: string, limit: number): FittedText {
	if (text.length <= limit) return { text, truncated: false };
	const room = Math.max(0, limit - TRUNCATION_MARKER.length);
	const cut = safeSlice(text, room);
	const lastBreak = cut.lastIndexOf('\n');
	const kept = lastBreak > room * 0.8 ? cut.slice(0, lastBreak) : cut;
	return { text: kept + TRUNCATION_MARKER, truncated: true };
}

function tooSmall(limit: number, suffix: string): Error {
	return new Error(
		`A field limit of ${limit} cannot hold the truncation marker and a ${suffix.length}-character key line`,
	);
}

export interface FitOptions {
	/** Appended after the (rendered) text and never cut: a key or marker line. */
	suffix?: string;
	/**
	 * Turns the plain text into its stored form (e.g. escaped HTML); identity by default.
	 * It must never render a longer text shorter than its beginning (escaping does not).
	 */
	render?: (text: string) => string;
}

/** How much of a long text is looked at: twice the room, so a huge input costs little. */
function searchBound(room: number): number {
	return 2 * room + TRUNCATION_MARKER.length;
}

/**
 * The stored form of `text` — `render(text) + suffix` — at most `limit` characters long.
 * When the whole text does not fit, the longest cut (within {@link searchBound}) whose
 * rendering fits is taken, ending with {@link TRUNCATION_MARKER}. Throws when the suffix and
 * marker alone cannot fit: limits are constants, so that is a programming error, not input.
 */
export function fitText(text: string, limit: number, options: FitOptions = {}): FittedText {
	const suffix = options.suffix ?? '';
	const render = options.render ?? ((plain: string) => plain);
	const room = limit - suffix.length;
	const bound = searchBound(room);
	// A beginning that is already too long settles it without rendering a huge text.
	const headTooLong = text.length > bound && render(safeSlice(text, bound)).length > room;
	if (!headTooLong) {
		const whole = render(text);
		if (whole.length <= room) return { text: whole + suffix, truncated: false };
	}
	if (room < TRUNCATION_MARKER.length) throw tooSmall(limit, suffix);
	if (!options.render) return { text: truncateText(text, room).text + suffix, truncated: true };

	const fits = (cut: number): string | undefined => {
		const rendered = render(truncateText(text, cut).text);
		return rendered.length <= room ? rendered : undefined;
	};
	let low = TRUNCATION_MARKER.length;
	let best = fits(low);
	if (best === undefined) throw tooSmall(limit, suffix);
	let high = Math.min(text.length - 1, bound);
	while (low < high) {
		const middle = Math.ceil((low + high) / 2);
		const rendered = fits(middle);
		if (rendered === undefined) high = middle - 1;
		else {
			low = middle;
			best = rendered;
		}
	}
	return { text: best + suffix, truncated: true };
}
