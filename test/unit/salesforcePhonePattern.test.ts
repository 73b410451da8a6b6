/**
 * The Salesforce phone LIKE pattern: the national digits between `%` wildcards. Property:
 * every way libphonenumber writes a valid number (E.164, international, national, RFC 3966,
 * with an extension) matches the pattern as Salesforce evaluates LIKE (case-insensitive,
 * anchored, `%` any run of characters), so the pattern never loses a record the old exact
 * spellings or SOSL would have found; confirmation then decides.
 */
import fc from 'fast-check';
import { getExampleNumber, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';

import { normalizePhone } from '../../nodes/shared/logic/phone';
import { phoneLikePattern } from '../../nodes/shared/providers/salesforce/soql';

/** A LIKE pattern literal as Salesforce reads it (this pattern holds only digits and `%`). */
function likeMatches(literal: string, value: string): boolean {
	const body = literal.slice(1, -1);
	const source = [...body].map((char) => (char === '%' ? '[\\s\\S]*' : char)).join('');
	return new RegExp(`^${source}$`, 'i').test(value);
}

const COUNTRIES: CountryCode[] = ['US', 'GB', 'DE', 'FR', 'IT', 'AU', 'BR', 'IN', 'JP', 'NL'];

describe('phoneLikePattern', () => {
	it('is the national digits with % before, between and after them', () => {
		expect(phoneLikePattern('4155550101')).toBe("'%4%1%5%5%5%5%0%1%0%1%'");
	});

	it('refuses anything but digits, so no text can reach the query through it', () => {
		for (const bad of ['', "1' OR Name LIKE '%", '12%34', '12_34', '+4155550101', '1'.repeat(18)])
			expect(() => phoneLikePattern(bad)).toThrow('is not a national phone number');
	});

	it('matches every spelling of a valid number, in many countries', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...COUNTRIES),
				fc.integer({ min: 0, max: 9999 }),
				fc.constantFrom('E.164', 'INTERNATIONAL', 'NATIONAL', 'RFC3966', 'ext'),
				(country, tail, format) => {
					const example = getExampleNumber(country, examples);
					if (!example) return;
					const digits = example.nationalNumber.slice(0, -4) + String(tail).padStart(4, '0');
					const number = parsePhoneNumberFromString(digits, country);
					if (!number?.isValid()) return;
					const parsed = normalizePhone(number.number);
					if (!parsed.ok) return;
					const written =
						format === 'ext'
							? `${number.formatNational()} ext. 12`
							: number.format(format as 'E.164');
					expect(likeMatches(phoneLikePattern(parsed.nationalNumber), written)).toBe(true);
				},
			),
			{ numRuns: 500 },
		);
	});

	it('does not match a different number', () => {
		const pattern = phoneLikePattern('4155550101');
		expect(likeMatches(pattern, '+1 415 555 0102')).toBe(false);
		expect(likeMatches(pattern, '(415) 555-010')).toBe(false);
	});
});
