import fc from 'fast-check';

import {
	hasLoneSurrogate,
	HIGH,
	longText,
	LOW,
	LRI,
	messyText,
	NUL,
	PDI,
	reference,
	RLO,
	SMILE,
} from './support/textArbitraries';

import { escapeHtml, plainTextToHtml } from '../../nodes/shared/logic/html';
import {
	fitText,
	hasForbiddenCharacters,
	presentText,
	safeSlice,
	sanitizeText,
	singleLine,
	truncateText,
	TRUNCATION_MARKER,
} from '../../nodes/shared/logic/text';

describe('sanitizeText', () => {
	it('removes NUL, other C0 controls, DEL, bidi overrides and isolates, and lone surrogates', () => {
		expect(sanitizeText(`a${NUL}b`)).toBe('ab');
		expect(sanitizeText(`invoice${RLO}fdp.exe`)).toBe('invoicefdp.exe');
		expect(sanitizeText(`x${LRI}y${PDI}z`)).toBe('xyz');
		expect(sanitizeText(`${HIGH}a${LOW}`)).toBe('a');
		expect(sanitizeText(`${LOW}${HIGH}`)).toBe('');
	});

	it('keeps tabs, line breaks, surrogate pairs, accents and the plain direction marks', () => {
		const kept = `a\tb\r\nc ${SMILE} é ${String.fromCharCode(0x200e)}`;
		expect(sanitizeText(kept)).toBe(kept);
		expect(hasForbiddenCharacters(kept)).toBe(false);
	});

	it('property: equals the reference filter, leaves nothing forbidden and is idempotent', () => {
		fc.assert(
			fc.property(messyText, (text) => {
				const clean = sanitizeText(text);
				expect(clean).toBe(reference(text));
				expect(hasForbiddenCharacters(clean)).toBe(false);
				expect(hasLoneSurrogate(clean)).toBe(false);
				expect(sanitizeText(clean)).toBe(clean);
				expect(hasForbiddenCharacters(text)).toBe(clean !== text);
			}),
			{ numRuns: 500 },
		);
	});

	it('presentText: blank after cleaning means absent', () => {
		expect(presentText(undefined)).toBeUndefined();
		expect(presentText(`  ${NUL} `)).toBeUndefined();
		expect(presentText(' ann@acme.example ')).toBe('ann@acme.example');
	});
});

describe('safeSlice and singleLine', () => {
	it('never ends a slice in the middle of a surrogate pair', () => {
		expect(safeSlice(`ab${SMILE}`, 3)).toBe('ab');
		expect(safeSlice(`ab${SMILE}`, 4)).toBe(`ab${SMILE}`);
		fc.assert(
			fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.nat(40), (text, end) => {
				const slice = safeSlice(text, end);
				expect(text.startsWith(slice)).toBe(true);
				expect(slice.length).toBeLessThanOrEqual(end);
				expect(hasLoneSurrogate(slice)).toBe(false);
			}),
		);
	});

	it('property: one line, within the limit, an ellipsis exactly when cut, nothing forbidden', () => {
		fc.assert(
			fc.property(messyText, fc.integer({ min: 2, max: 80 }), (text, limit) => {
				const line = singleLine(text, limit);
				const full = sanitizeText(text).replace(/\s+/g, ' ').trim();
				expect(line.length).toBeLessThanOrEqual(limit);
				expect(/[\r\n\t]/.test(line)).toBe(false);
				expect(hasForbiddenCharacters(line)).toBe(false);
				expect(hasLoneSurrogate(line)).toBe(false);
				if (full.length <= limit) expect(line).toBe(full);
				else expect(line.endsWith('…') && full.startsWith(line.slice(0, -1))).toBe(true);
			}),
			{ numRuns: 300 },
		);
	});
});

describe('truncateText', () => {
	it('cuts visibly at a line break near the limit', () => {
		const cut = truncateText('line of text\n'.repeat(100), 500);
		expect(cut.truncated).toBe(true);
		expect(cut.text.length).toBeLessThanOrEqual(500);
		expect(cut.text.endsWith(`line of text${TRUNCATION_MARKER}`)).toBe(true);
	});

	it('does not leave half an emoji before the marker', () => {
		const text = 'a'.repeat(10) + SMILE.repeat(100);
		for (let limit = TRUNCATION_MARKER.length + 1; limit < TRUNCATION_MARKER.length + 30; limit++) {
			expect(hasLoneSurrogate(truncateText(text, limit).text)).toBe(false);
		}
	});
});

describe('fitText', () => {
	it('plain: the final text including the suffix stays within the limit, marker iff cut', () => {
		fc.assert(
			fc.property(
				longText(3000),
				fc.integer({ min: 200, max: 2500 }),
				fc.string({ maxLength: 60 }),
				(text, limit, suffix) => {
					const fitted = fitText(text, limit, { suffix });
					expect(fitted.text.length).toBeLessThanOrEqual(limit);
					expect(fitted.text.endsWith(suffix)).toBe(true);
					expect(fitted.truncated).toBe(text.length + suffix.length > limit);
					expect(fitted.text.includes(TRUNCATION_MARKER)).toBe(
						fitted.truncated || text.includes(TRUNCATION_MARKER),
					);
					if (!fitted.truncated) expect(fitted.text).toBe(text + suffix);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('HTML: the rendered text plus the key line fits, stays escaped, and keeps most of the room', () => {
		fc.assert(
			fc.property(longText(6000), fc.integer({ min: 300, max: 4000 }), (raw, limit) => {
				const text = sanitizeText(raw);
				const suffix = `<p>${escapeHtml('[crm-sync:key]')}</p>`;
				const fitted = fitText(text, limit, { render: plainTextToHtml, suffix });
				expect(fitted.text.length).toBeLessThanOrEqual(limit);
				expect(fitted.text.endsWith(suffix)).toBe(true);
				expect(fitted.text).not.toContain('<script>');
				expect(fitted.truncated).toBe(plainTextToHtml(text).length + suffix.length > limit);
				expect(fitted.text.includes(TRUNCATION_MARKER.trim())).toBe(fitted.truncated);
			}),
			{ numRuns: 200 },
		);
	});

	it('uses the room: a long plain paragraph cut to HTML loses at most a few characters', () => {
		const fitted = fitText('word '.repeat(50_000), 65_536, {
			render: plainTextToHtml,
			suffix: '<p>Ref: crmsync0</p>',
		});
		expect(fitted.text.length).toBeLessThanOrEqual(65_536);
		expect(fitted.text.length).toBeGreaterThan(65_536 - 20);
	});

	it('refuses a limit that cannot even hold the marker and the key line', () => {
		expect(() => fitText('x'.repeat(100), 50, { suffix: 'Ref: k' })).toThrow(
			/cannot hold the truncation marker/,
		);
	});
});
