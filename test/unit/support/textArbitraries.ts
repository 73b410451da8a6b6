/**
 * Generated text for the sanitiser and field-limit properties: arbitrary code points mixed
 * with the characters the pack treats specially (controls, bidi overrides, lone surrogates,
 * HTML, line breaks), and a plain reference implementation of the sanitiser.
 */
import fc from 'fast-check';

export const NUL = String.fromCharCode(0);
export const RLO = String.fromCharCode(0x202e);
export const LRI = String.fromCharCode(0x2066);
export const PDI = String.fromCharCode(0x2069);
export const HIGH = String.fromCharCode(0xd83d);
export const LOW = String.fromCharCode(0xde00);
export const SMILE = HIGH + LOW;

/** Every character class the sanitiser treats specially, to mix into generated text. */
const HOSTILE = [
	NUL,
	String.fromCharCode(1),
	String.fromCharCode(0x0b),
	String.fromCharCode(0x1f),
	String.fromCharCode(0x7f),
	...[0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069].map((code) =>
		String.fromCharCode(code),
	),
	HIGH,
	LOW,
	LOW + HIGH,
	SMILE,
	'\t',
	'\n',
	'\r\n',
	'\n\n',
	'<script>alert(1)</script>',
	'&amp;',
	'"',
	"'",
	'é',
	String.fromCharCode(0x200e),
];

export const messyText = fc
	.array(fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom(...HOSTILE)), {
		maxLength: 40,
	})
	.map((parts) => parts.join(''));

const forbiddenCode = (code: number) =>
	(code <= 0x1f && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
	code === 0x7f ||
	(code >= 0x202a && code <= 0x202e) ||
	(code >= 0x2066 && code <= 0x2069);

/** A reference implementation, walking code units: what sanitizeText must equal. */
export function reference(text: string): string {
	let out = '';
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code >= 0xd800 && code <= 0xdbff) {
			const next = text.charCodeAt(i + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				out += text[i] + text[i + 1];
				i++;
			}
			continue;
		}
		if (code >= 0xdc00 && code <= 0xdfff) continue;
		if (!forbiddenCode(code)) out += text[i];
	}
	return out;
}

export function hasLoneSurrogate(text: string): boolean {
	return (
		reference(text) !== text &&
		[...text].some(
			(char) => char.length === 1 && char.charCodeAt(0) >= 0xd800 && char.charCodeAt(0) <= 0xdfff,
		)
	);
}

/** A long messy text of up to `maxLength` characters: a generated piece repeated. */
export const longText = (maxLength: number) =>
	fc.tuple(messyText, fc.integer({ min: 0, max: maxLength })).map(([piece, length]) => {
		const unit = piece === '' ? 'x' : piece;
		return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
	});
