import fc from 'fast-check';
import { getExampleNumber } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';
import examples from 'libphonenumber-js/mobile/examples';
import { normalizePhone, phoneSearchVariants, samePhone } from '../../nodes/shared/logic/phone';
import type { PhoneOk, PhoneResult } from '../../nodes/shared/logic/phone';

function expectOk(result: PhoneResult): PhoneOk {
	if (!result.ok) throw new Error(`expected ok, got: ${result.reason}`);
	return result;
}

function expectReason(result: PhoneResult): string {
	if (result.ok) throw new Error(`expected a failure, got ${result.e164}`);
	return result.reason;
}

describe('normalizePhone — examples', () => {
	test.each<[string, CountryCode | undefined, string]>([
		// US
		['(213) 373-4253', 'US', '+12133734253'],
		['213.373.4253', 'US', '+12133734253'],
		['1-213-373-4253', 'US', '+12133734253'],
		['+1 213 373 4253', undefined, '+12133734253'],
		['011 44 20 7946 0958', 'US', '+442079460958'],
		['0044 20 7946 0958', 'US', '+442079460958'],
		// GB
		['020 7946 0958', 'GB', '+442079460958'],
		['07700 900123', 'GB', '+447700900123'],
		['+44 (0)20 7946 0958', undefined, '+442079460958'],
		['(+44) 20 7946 0958', undefined, '+442079460958'],
		['0044 20 7946 0958', undefined, '+442079460958'],
		// DE
		['030 123456', 'DE', '+4930123456'],
		['0049 30 123456', 'DE', '+4930123456'],
		['0049 30 123456', undefined, '+4930123456'],
		['+49 (0)151 2345 6789', 'FR', '+4915123456789'],
		['030/123456', 'DE', '+4930123456'],
		// FR
		['01 23 45 67 89', 'FR', '+33123456789'],
		['06.12.34.56.78', 'FR', '+33612345678'],
		['+33 6 12 34 56 78', 'DE', '+33612345678'],
		['0033 1 23 45 67 89', undefined, '+33123456789'],
		// URIs, unicode digits and dashes, non-breaking spaces
		['tel:+1-213-373-4253', undefined, '+12133734253'],
		['TEL:+44%2020%207946%200958', undefined, '+442079460958'],
		['tel:7946-0958;phone-context=+44-20', undefined, '+442079460958'],
		['１２１３３７３４２５３', 'US', '+12133734253'],
		['213\u2013373\u20134253', 'US', '+12133734253'],
		['+33\u00a06\u00a012\u00a034\u00a056\u00a078', undefined, '+33612345678'],
	])('%j (default %s) → %s', (input, country, e164) => {
		expect(expectOk(normalizePhone(input, country)).e164).toBe(e164);
	});

	test('returns the national forms and calling code', () => {
		expect(normalizePhone('+44 20 7946 0958')).toEqual({
			ok: true,
			e164: '+442079460958',
			national: '020 7946 0958',
			nationalDigits: '02079460958',
			nationalNumber: '2079460958',
			countryCallingCode: '44',
		});
		const us = expectOk(normalizePhone('2133734253', 'US'));
		expect([us.national, us.nationalDigits, us.countryCallingCode]).toEqual([
			'(213) 373-4253',
			'2133734253',
			'1',
		]);
	});

	test.each<[string, CountryCode | undefined, string, string]>([
		['+1 213 373 4253 x123', undefined, '+12133734253', '123'],
		['(213) 373-4253 ext. 45', 'US', '+12133734253', '45'],
		['213-373-4253 Ext 9', 'US', '+12133734253', '9'],
		['2133734253extension 77', 'US', '+12133734253', '77'],
		['020 7946 0958 #201', 'GB', '+442079460958', '201'],
		['+49 30 123456,,77', undefined, '+4930123456', '77'],
		['tel:+1-213-373-4253;ext=1234', undefined, '+12133734253', '1234'],
		['+1 213 373 4253;ext=55', undefined, '+12133734253', '55'],
	])('extension %j (default %s) → %s + ext %s', (input, country, e164, extension) => {
		const result = normalizePhone(input, country);
		expect(result).toMatchObject({ ok: true, e164, extension });
		expect(expectOk(result).national).not.toContain(extension);
	});

	test.each<[string, CountryCode | undefined, RegExp]>([
		['', 'US', /empty/],
		['   ', undefined, /empty/],
		['12', 'US', /too few digits/],
		['+1 800 FLOWERS', undefined, /contains letters/],
		['call me maybe', 'GB', /contains letters/],
		['555-1234 or 555-9876', 'US', /contains letters/],
		['2133734253', undefined, /default country/],
		['+1 213', undefined, /not a usable phone number/],
		['+44 20 7946 0958 0958 0958 12', undefined, /too many digits|length|not a phone number/],
		['<script>alert(1)</script>', 'US', /contains letters/],
		["213' OR 1=1", 'US', /contains letters/],
		['213-373-4253;', 'US', /cannot have/],
		['**', 'DE', /cannot have/],
	])('garbage %j (default %s) is refused', (input, country, reason) => {
		expect(expectReason(normalizePhone(input, country))).toMatch(reason);
	});

	test('the default country is checked and may come in lower case or empty', () => {
		expect(expectOk(normalizePhone('020 7946 0958', 'gb' as CountryCode)).e164).toBe(
			'+442079460958',
		);
		expect(expectOk(normalizePhone('+44 20 7946 0958', '' as CountryCode)).e164).toBe(
			'+442079460958',
		);
		expect(expectReason(normalizePhone('020 7946 0958', 'XX' as CountryCode))).toMatch(
			/not a supported default country/,
		);
	});

	test('the reason quotes a long input only in part', () => {
		const reason = expectReason(normalizePhone('9'.repeat(200), 'US'));
		expect(reason.length).toBeLessThan(120);
		expect(reason).toContain('…');
	});
});

describe('phoneSearchVariants', () => {
	test('GB: E.164, without +, national digits, national format, significant number', () => {
		expect(phoneSearchVariants('+442079460958')).toEqual([
			'+442079460958',
			'442079460958',
			'02079460958',
			'020 7946 0958',
			'2079460958',
		]);
	});

	test('US: deduplicated when national digits equal the significant number', () => {
		expect(phoneSearchVariants('+12133734253')).toEqual([
			'+12133734253',
			'12133734253',
			'2133734253',
			'(213) 373-4253',
		]);
	});

	test('not a number: no variants', () => {
		expect(phoneSearchVariants('hello')).toEqual([]);
	});
});

describe('samePhone', () => {
	test.each<[string, string, CountryCode | undefined, boolean]>([
		['020 7946 0958', '+44 20 7946 0958', 'GB', true],
		['+44 20 7946 0958 x12', 'tel:+442079460958', undefined, true],
		['(213) 373-4253', '+1 213-373-4253 ext. 5', 'US', true],
		['(213) 373-4253', '(213) 373-4254', 'US', false],
		['030 123456', '+4930123456', 'DE', true],
		// Same national significant number, different countries.
		['+44 20 7946 0958', '+1 207 946 0958', undefined, false],
		['030 123456', '+4930123456', 'FR', false],
		['garbage', 'garbage', 'US', false],
		['', '', undefined, false],
	])('samePhone(%j, %j, %s) = %s', (a, b, country, expected) => {
		expect(samePhone(a, b, country)).toBe(expected);
	});
});

// ───────────── property tests ─────────────

const COUNTRIES: CountryCode[] = [
	'US',
	'CA',
	'GB',
	'DE',
	'FR',
	'ES',
	'IT',
	'NL',
	'CH',
	'AU',
	'IN',
	'BR',
	'JP',
	'MX',
	'SE',
	'PL',
];

interface GeneratedPhone {
	country: CountryCode;
	/** The E.164 number we expect back. */
	e164: string;
	/** How it is written. */
	text: string;
	/** Default country passed alongside. */
	defaultCountry: CountryCode | undefined;
	extension: string | undefined;
}

/** A real mobile number per country (library example) with its last digits randomised. */
const phoneNumberArb = fc
	.record({
		country: fc.constantFrom(...COUNTRIES),
		tail: fc.string({
			unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'),
			minLength: 3,
			maxLength: 3,
		}),
	})
	.map(({ country, tail }) => {
		const example = getExampleNumber(country, examples)!;
		return {
			country,
			e164: example.number.slice(0, -3) + tail,
			callingCode: example.countryCallingCode,
		};
	})
	.filter(({ e164 }) => normalizePhone(e164).ok);

interface Writing {
	form: 'e164' | 'international' | 'double-zero' | 'national' | 'tel';
	separator: string;
	groupSize: number;
	otherDefault: CountryCode | undefined;
	extension: string | undefined;
	extensionStyle: string;
}

const extensionDigitsArb = fc.stringMatching(/^[0-9]{1,6}$/);

const writingArb: fc.Arbitrary<Writing> = fc.record({
	form: fc.constantFrom('e164', 'international', 'double-zero', 'national', 'tel'),
	separator: fc.constantFrom('', ' ', '-', '.', ' - ', '\u00a0', '/'),
	groupSize: fc.integer({ min: 2, max: 4 }),
	otherDefault: fc.option(fc.constantFrom<CountryCode>('US', 'GB', 'DE', 'FR'), { nil: undefined }),
	extension: fc.option(extensionDigitsArb, { nil: undefined }),
	extensionStyle: fc.constantFrom(
		' x',
		'x',
		' ext. ',
		' ext',
		' EXT: ',
		' extension ',
		' #',
		',,',
		';ext=',
	),
});

function spaced(digits: string, separator: string, groupSize: number): string {
	const groups: string[] = [];
	for (let i = 0; i < digits.length; i += groupSize) groups.push(digits.slice(i, i + groupSize));
	return groups.join(separator);
}

type SamplePhone = { country: CountryCode; e164: string; callingCode: string };

/** Write one number the way a person or a telephony system might. */
function render(phone: SamplePhone, writing: Writing): GeneratedPhone {
	const significant = phone.e164.slice(1 + phone.callingCode.length);
	const grouped = spaced(significant, writing.separator, writing.groupSize);
	let text: string;
	let defaultCountry = writing.otherDefault;
	switch (writing.form) {
		case 'e164':
			text = phone.e164;
			break;
		case 'international':
			text = `+${phone.callingCode} ${grouped}`;
			break;
		case 'double-zero':
			text = `00${phone.callingCode} ${grouped}`;
			defaultCountry = undefined;
			break;
		case 'national':
			text = expectOk(normalizePhone(phone.e164)).national;
			defaultCountry = phone.country;
			break;
		case 'tel':
			text = `tel:${phone.e164}`;
			break;
	}
	const { extension } = writing;
	if (extension !== undefined) {
		text += writing.form === 'tel' ? `;ext=${extension}` : `${writing.extensionStyle}${extension}`;
	}
	return { country: phone.country, e164: phone.e164, text, defaultCountry, extension };
}

const writtenPhoneArb: fc.Arbitrary<GeneratedPhone> = fc
	.tuple(phoneNumberArb, writingArb)
	.map(([phone, writing]) => render(phone, writing));

/** Phone-like fragments mixed with arbitrary code points. */
const messyTextArb = fc.string({
	unit: fc.oneof(
		fc.constantFrom(
			'+',
			'00',
			'0',
			'1',
			'7',
			'9',
			' ',
			'-',
			'(',
			')',
			'.',
			'x',
			'ext.',
			';ext=',
			'tel:',
			'#',
			',',
			'%',
			'\u00a0',
		),
		fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
	),
	maxLength: 30,
});

describe('normalizePhone — properties', () => {
	test('every way of writing a number gives its E.164, with the extension kept apart', () => {
		fc.assert(
			fc.property(writtenPhoneArb, (phone) => {
				const result = expectOk(normalizePhone(phone.text, phone.defaultCountry));
				expect(result.e164).toBe(phone.e164);
				expect(result.e164).toMatch(/^\+[1-9][0-9]{6,14}$/);
				expect(result.extension).toBe(phone.extension);
			}),
			{ numRuns: 250 },
		);
	});

	test('idempotent on its own E.164 output, whatever the default country', () => {
		fc.assert(
			fc.property(
				writtenPhoneArb,
				fc.option(fc.constantFrom(...COUNTRIES), { nil: undefined }),
				(phone, anyCountry) => {
					const first = expectOk(normalizePhone(phone.text, phone.defaultCountry));
					const second = expectOk(normalizePhone(first.e164, anyCountry));
					expect(second.e164).toBe(first.e164);
					expect(second.extension).toBeUndefined();
					expect(second.national).toBe(first.national);
				},
			),
			{ numRuns: 200 },
		);
	});

	test('the E.164 never contains the extension: with and without one it is the same', () => {
		fc.assert(
			fc.property(phoneNumberArb, writingArb, extensionDigitsArb, (phone, writing, extension) => {
				const bare = render(phone, { ...writing, extension: undefined });
				const withExtension = render(phone, { ...writing, extension });
				const result = expectOk(normalizePhone(withExtension.text, withExtension.defaultCountry));
				expect(result.e164).toBe(expectOk(normalizePhone(bare.text, bare.defaultCountry)).e164);
				expect(result.e164).toBe(phone.e164);
				expect(result.extension).toBe(extension);
			}),
			{ numRuns: 200 },
		);
	});

	test('the national form is read back to the same number in its own country', () => {
		fc.assert(
			fc.property(phoneNumberArb, (phone) => {
				const first = expectOk(normalizePhone(phone.e164));
				expect(expectOk(normalizePhone(first.national, phone.country)).e164).toBe(phone.e164);
			}),
			{ numRuns: 200 },
		);
	});

	test('text with a letter that is not an extension marker is always refused', () => {
		const letter = fc.constantFrom(...'abcdfghjklmpqruvwyzABCDFGHJKLMPQRUVWYZ'.split(''));
		fc.assert(
			fc.property(
				fc.string({
					unit: fc.constantFrom('1', '2', '5', '9', ' ', '-', '+', '(', ')'),
					maxLength: 15,
				}),
				letter,
				fc.string({ unit: fc.constantFrom('0', '3', '7', ' ', '.'), maxLength: 15 }),
				(before, badLetter, after) => {
					expect(normalizePhone(`${before}${badLetter}${after}`, 'US').ok).toBe(false);
				},
			),
			{ numRuns: 200 },
		);
	});

	test('never throws and always explains itself, whatever the text', () => {
		fc.assert(
			fc.property(
				messyTextArb,
				fc.option(fc.constantFrom(...COUNTRIES), { nil: undefined }),
				(text, country) => {
					const result = normalizePhone(text, country);
					return result.ok ? /^\+\d+$/.test(result.e164) : result.reason.length > 0;
				},
			),
			{ numRuns: 200 },
		);
	});
});

describe('samePhone — properties', () => {
	const candidateArb = fc.oneof(
		writtenPhoneArb.map((phone) => phone.text),
		fc.string({ maxLength: 20 }),
		fc.constantFrom(
			'020 7946 0958',
			'+442079460958',
			'(213) 373-4253',
			'+12133734253 x9',
			'garbage',
		),
	);

	test('symmetric', () => {
		fc.assert(
			fc.property(
				candidateArb,
				candidateArb,
				fc.option(fc.constantFrom(...COUNTRIES), { nil: undefined }),
				(a, b, country) => {
					expect(samePhone(a, b, country)).toBe(samePhone(b, a, country));
				},
			),
			{ numRuns: 200 },
		);
	});

	test('two writings of one number are the same phone (extensions aside), in its own country', () => {
		fc.assert(
			fc.property(phoneNumberArb, writingArb, writingArb, (phone, first, second) => {
				// A national writing needs the number's own country. "00" means different things
				// per country (in Brazil it is followed by a carrier code), so a "00" writing is
				// only paired with writings that need no default country.
				const forms = [first.form, second.form];
				const needsCountry = forms.includes('national');
				fc.pre(!(needsCountry && forms.includes('double-zero')));
				const a = render(phone, first).text;
				const b = render(phone, second).text;
				expect(samePhone(a, b, needsCountry ? phone.country : undefined)).toBe(true);
			}),
			{ numRuns: 200 },
		);
	});

	test('different numbers are never the same phone', () => {
		fc.assert(
			fc.property(phoneNumberArb, phoneNumberArb, writingArb, writingArb, (x, y, first, second) => {
				fc.pre(x.e164 !== y.e164);
				// Read with x's country, another country's nationally written number IS a number of
				// x's country (Spain's 612 345 461 read in France is +33 6 12 34 54 61): not a collision.
				fc.pre(second.form !== 'national' || y.country === x.country);
				expect(samePhone(render(x, first).text, render(y, second).text, x.country)).toBe(false);
			}),
			{ numRuns: 200 },
		);
	});
});
