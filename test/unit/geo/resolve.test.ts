import fc from 'fast-check';

import {
	COUNTRY_NAMES,
	SUBDIVISIONS,
	countryName,
	normalisePlace,
	resolveCountry,
	resolveSubdivision,
	subdivisionName,
	type CountryResult,
	type SubdivisionResult,
} from '../../../nodes/shared/logic/geo';

function country(result: CountryResult): string {
	if (!result.ok) throw new Error(`expected a country, got: ${result.reason}`);
	return result.country;
}

function iso(result: SubdivisionResult): string {
	if (!result.ok) throw new Error(`expected a subdivision, got: ${result.reason}`);
	return result.iso;
}

function reason(result: CountryResult | SubdivisionResult): string {
	if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
	return result.reason;
}

describe('normalisePlace', () => {
	test.each([
		['U.S.A.', 'u s a'],
		['  Côte d’Ivoire ', 'cote divoire'],
		['Großbritannien', 'grossbritannien'],
		['St. Kitts & Nevis', 'saint kitts and nevis'],
		['Baden-Württemberg', 'baden wurttemberg'],
		['ÉIRE', 'eire'],
	])('%j → %j', (text, expected) => {
		expect(normalisePlace(text)).toBe(expected);
	});

	it('is idempotent', () => {
		fc.assert(
			fc.property(fc.string({ unit: 'binary' }), (text) => {
				const once = normalisePlace(text);
				expect(normalisePlace(once)).toBe(once);
			}),
		);
	});
});

describe('resolveCountry', () => {
	test.each([
		['USA', 'US'],
		['U.S.', 'US'],
		['u.s.a.', 'US'],
		['usa', 'US'],
		['us', 'US'],
		['United States of America', 'US'],
		['  united   STATES ', 'US'],
		['Deutschland', 'DE'],
		['germany', 'DE'],
		['DEU', 'DE'],
		['UK', 'GB'],
		['U.K.', 'GB'],
		['Great Britain', 'GB'],
		['England', 'GB'],
		['gb', 'GB'],
		['Österreich', 'AT'],
		['Osterreich', 'AT'],
		['Schweiz', 'CH'],
		['Suisse', 'CH'],
		['Holland', 'NL'],
		['España', 'ES'],
		['Espana', 'ES'],
		['Côte d’Ivoire', 'CI'],
		["Cote d'Ivoire", 'CI'],
		['Ivory Coast', 'CI'],
		['St. Lucia', 'LC'],
		['Czech Republic', 'CZ'],
		['Turkey', 'TR'],
		['Türkiye', 'TR'],
		['Georgia', 'GE'],
		['CA', 'CA'],
		['Brasil', 'BR'],
		['México', 'MX'],
		['日本', 'JP'],
		['Ελλάδα', 'GR'],
		['South Korea', 'KR'],
		['Republic of Korea', 'KR'],
		['DR Congo', 'CD'],
	])('%j → %s', (text, code) => {
		expect(country(resolveCountry(text))).toBe(code);
	});

	test.each(['Atlantis', 'Narnia', 'XX', 'U.S.S.R.', 'Europe', '123'])('%j is unknown', (text) => {
		expect(reason(resolveCountry(text))).toBe(`${JSON.stringify(text)} is not a known country`);
	});

	test.each([
		['Congo', /could be CG \(Republic of the Congo\) or CD/],
		['Korea', /could be KR \(South Korea\) or KP \(North Korea\)/],
		['virgin islands', /could be VG .* or VI/],
	])('%j is ambiguous, never guessed', (text, pattern) => {
		expect(reason(resolveCountry(text))).toMatch(pattern);
	});

	it('an empty value is a failure', () => {
		expect(reason(resolveCountry(' .. '))).toBe('the value is empty');
	});

	it('covers every officially assigned ISO 3166-1 alpha-2 code once', () => {
		expect(COUNTRY_NAMES.size).toBe(249);
		for (const code of COUNTRY_NAMES.keys()) expect(code).toMatch(/^[A-Z]{2}$/);
		expect(new Set([...COUNTRY_NAMES.values()].map(normalisePlace)).size).toBe(249);
	});

	it('round trip: code → name → code, and the code itself, for every country', () => {
		for (const [code, name] of COUNTRY_NAMES) {
			expect(country(resolveCountry(name))).toBe(code);
			expect(country(resolveCountry(code.toLowerCase()))).toBe(code);
			expect(countryName(code)).toBe(name);
		}
	});

	it('round trip (property): any code in any case and spacing comes back as itself', () => {
		const codes = [...COUNTRY_NAMES.keys()];
		fc.assert(
			fc.property(
				fc.constantFrom(...codes),
				fc.boolean(),
				fc.constantFrom('', ' ', '  '),
				(code, lower, pad) => {
					const name = countryName(code)!;
					const text = `${pad}${lower ? name.toLowerCase() : name.toUpperCase()}${pad}`;
					expect(country(resolveCountry(text))).toBe(code);
				},
			),
		);
	});

	it('normalising first changes nothing (property)', () => {
		fc.assert(
			fc.property(fc.string(), (text) => {
				expect(resolveCountry(normalisePlace(text)).ok).toBe(resolveCountry(text).ok);
			}),
		);
	});

	it('unknown stays unknown (property): random words that are not places never resolve', () => {
		const known = new Set(
			[...COUNTRY_NAMES.values()].map((name) => normalisePlace(name).replace(/ /g, '')),
		);
		fc.assert(
			fc.property(fc.stringMatching(/^[b-df-hj-np-tv-z]{4,12}$/), (text) => {
				fc.pre(!known.has(text));
				expect(resolveCountry(text).ok).toBe(false);
			}),
		);
	});
});

describe('resolveSubdivision', () => {
	test.each([
		['California', 'US', 'US-CA'],
		['CA', 'US', 'US-CA'],
		['calif.', 'US', 'US-CA'],
		['Georgia', 'US', 'US-GA'],
		['District of Columbia', 'US', 'US-DC'],
		['Washington, D.C.', 'US', 'US-DC'],
		['D.C.', 'US', 'US-DC'],
		['Washington', 'US', 'US-WA'],
		['Puerto Rico', 'US', 'US-PR'],
		['New York', 'us', 'US-NY'],
		['Québec', 'CA', 'CA-QC'],
		['Quebec', 'CA', 'CA-QC'],
		['ontario', 'CA', 'CA-ON'],
		['NT', 'CA', 'CA-NT'],
		['NT', 'AU', 'AU-NT'],
		['New South Wales', 'AU', 'AU-NSW'],
		['nsw', 'AU', 'AU-NSW'],
		['WA', 'AU', 'AU-WA'],
		['Bayern', 'DE', 'DE-BY'],
		['Bavaria', 'DE', 'DE-BY'],
		['Nordrhein-Westfalen', 'DE', 'DE-NW'],
		['Thuringen', 'DE', 'DE-TH'],
		['São Paulo', 'BR', 'BR-SP'],
		['Sao Paulo', 'BR', 'BR-SP'],
		['US-CA', undefined, 'US-CA'],
		['au-nsw', undefined, 'AU-NSW'],
		['US-CA', 'US', 'US-CA'],
	])('%j in %s → %s', (text, within, expected) => {
		expect(iso(resolveSubdivision(text, within))).toBe(expected);
	});

	it('a state without its country is never guessed ("Georgia", "CA")', () => {
		expect(reason(resolveSubdivision('Georgia'))).toMatch(/"Georgia" needs its country/);
		expect(reason(resolveSubdivision('CA'))).toMatch(/needs its country/);
	});

	test.each([
		['Atlantis', 'US', '"Atlantis" is not a state or province of United States'],
		['Bavaria', 'US', '"Bavaria" is not a state or province of United States'],
		['US-CA', 'CA', '"US-CA" is in United States, not in Canada'],
		['Île-de-France', 'FR', /states and provinces of France are not known/],
		['US-ZZ', undefined, /needs its country/],
	])('%j in %s fails', (text, within, expected) => {
		const why = reason(resolveSubdivision(text, within));
		if (typeof expected === 'string') expect(why).toBe(expected);
		else expect(why).toMatch(expected);
	});

	it('round trip: code → name → code, short code and full code, for every subdivision', () => {
		for (const [within, list] of SUBDIVISIONS) {
			expect(new Set(list.map((sub) => sub.code)).size).toBe(list.length);
			for (const sub of list) {
				const expected = `${within}-${sub.code}`;
				expect(subdivisionName(within, sub.code)).toBe(sub.name);
				expect(iso(resolveSubdivision(sub.name, within))).toBe(expected);
				expect(iso(resolveSubdivision(sub.code.toLowerCase(), within))).toBe(expected);
				expect(iso(resolveSubdivision(expected))).toBe(expected);
				for (const alias of sub.aliases)
					expect(iso(resolveSubdivision(alias, within))).toBe(expected);
			}
		}
	});

	it('covers the US (50 states, DC, 6 outlying areas), Canada, Australia, Germany and Brazil exactly', () => {
		expect(SUBDIVISIONS.get('US')).toHaveLength(57);
		expect(SUBDIVISIONS.get('CA')).toHaveLength(13);
		expect(SUBDIVISIONS.get('AU')).toHaveLength(8);
		expect(SUBDIVISIONS.get('DE')).toHaveLength(16);
		expect(SUBDIVISIONS.get('BR')).toHaveLength(27);
	});

	it('unknown stays unknown within a country (property)', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...SUBDIVISIONS.keys()),
				fc.stringMatching(/^[b-df-hj-np-tv-z]{5,12}$/),
				(within, text) => {
					expect(resolveSubdivision(text, within).ok).toBe(false);
				},
			),
		);
	});
});
