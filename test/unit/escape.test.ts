import fc from 'fast-check';
import {
	encodeODataFilter,
	escapeODataLike,
	escapeODataString,
	escapeSoqlLike,
	escapeSoqlString,
	escapeSoslTerm,
	odataLiteral,
	sanitizeSoslText,
	soqlLiteral,
	SOSL_MAX_SEARCH_QUERY_LENGTH,
	soslFindClause,
	soslFindClauses,
	toWellFormedText,
} from '../../nodes/shared/logic/escape';

// ───────────── reference scanners, written from the vendors' grammar, not from escape.ts ─────────────

/** SOQL escape letters and what they decode to ("Quoted String Escape Sequences"). */
const SOQL_ESCAPE_VALUES: Readonly<Record<string, string>> = {
	n: '\n',
	N: '\n',
	r: '\r',
	R: '\r',
	t: '\t',
	T: '\t',
	b: '\b',
	B: '\b',
	f: '\f',
	F: '\f',
	'"': '"',
	"'": "'",
	'\\': '\\',
};

interface ScannedLiteral {
	/** Index of the closing quote. */
	end: number;
	value: string;
	/** `%` or `_` not preceded by an escaping backslash: a LIKE wildcard. */
	bareWildcards?: number;
}

/**
 * Scan a SOQL string literal the way Salesforce does: backslash starts an escape, any
 * escape not in the documented table is an error, an unescaped quote ends the literal.
 * In LIKE context `\%` and `\_` are also allowed (and mean a literal % or _).
 */
function scanSoqlLiteral(query: string, start: number, like = false): ScannedLiteral {
	if (query[start] !== "'") throw new Error(`no literal at ${start}`);
	let value = '';
	let bareWildcards = 0;
	let i = start + 1;
	while (i < query.length) {
		const char = query[i]!;
		if (char === "'") return { end: i, value, bareWildcards };
		if (char !== '\\') {
			if (char === '%' || char === '_') bareWildcards += 1;
			value += char;
			i += 1;
			continue;
		}
		const next = query[i + 1];
		if (next === undefined) throw new Error('dangling backslash');
		if (next === 'u') {
			const hex = query.slice(i + 2, i + 6);
			if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new Error(`bad \\u escape at ${i}`);
			value += String.fromCharCode(parseInt(hex, 16));
			i += 6;
		} else if (like && (next === '%' || next === '_')) {
			value += next;
			i += 2;
		} else if (SOQL_ESCAPE_VALUES[next] !== undefined) {
			value += SOQL_ESCAPE_VALUES[next];
			i += 2;
		} else {
			throw new Error(`illegal escape \\${next} at ${i}`);
		}
	}
	throw new Error('unterminated literal');
}

/** Scan an OData string literal: `''` is one quote, a lone `'` ends the literal. */
function scanODataLiteral(filter: string, start: number): ScannedLiteral {
	if (filter[start] !== "'") throw new Error(`no literal at ${start}`);
	let value = '';
	let i = start + 1;
	while (i < filter.length) {
		const char = filter[i]!;
		if (char === "'") {
			if (filter[i + 1] === "'") {
				value += "'";
				i += 2;
				continue;
			}
			return { end: i, value };
		}
		value += char;
		i += 1;
	}
	throw new Error('unterminated literal');
}

const SOSL_RESERVED = new Set([
	'?',
	'&',
	'|',
	'!',
	'{',
	'}',
	'[',
	']',
	'(',
	')',
	'^',
	'~',
	'*',
	':',
	'\\',
	'"',
	"'",
	'+',
	'-',
]);

interface ScannedFind {
	/** Index of the closing brace. */
	end: number;
	/** Raw text between the braces. */
	body: string;
	phrases: string[];
	/** Unquoted words, unescaped. */
	words: string[];
	/** Unescaped `{` minus unescaped `}` over the whole clause after scanning; 0 = balanced. */
	depth: number;
}

/**
 * Scan `FIND {…}` strictly: a backslash may only escape a reserved character, an
 * unescaped reserved character other than the phrase quote and the closing brace is an
 * error (our builder never emits operators other than the word OR), and control
 * characters are errors.
 */
function scanSoslFind(clause: string): ScannedFind {
	const prefix = 'FIND {';
	if (!clause.startsWith(prefix)) throw new Error('not a FIND clause');
	const phrases: string[] = [];
	const words: string[] = [];
	let depth = 1;
	let inPhrase = false;
	let token = '';
	const flushWord = (): void => {
		if (!inPhrase && token !== '') words.push(token);
		if (!inPhrase) token = '';
	};
	let i = prefix.length;
	while (i < clause.length) {
		const char = clause[i]!;
		if (/\p{Cc}/u.test(char)) throw new Error(`control character at ${i}`);
		if (char === '\\') {
			const next = clause[i + 1];
			if (next === undefined || !SOSL_RESERVED.has(next)) throw new Error(`illegal escape at ${i}`);
			token += next;
			i += 2;
			continue;
		}
		if (char === '"') {
			if (inPhrase) {
				phrases.push(token);
				token = '';
				inPhrase = false;
			} else {
				flushWord();
				inPhrase = true;
			}
			i += 1;
			continue;
		}
		if (char === '}') {
			if (inPhrase) throw new Error('unterminated phrase');
			flushWord();
			depth -= 1;
			return { end: i, body: clause.slice(prefix.length, i), phrases, words, depth };
		}
		if (SOSL_RESERVED.has(char)) throw new Error(`unescaped reserved character ${char} at ${i}`);
		if (!inPhrase && /\s/u.test(char)) {
			flushWord();
		} else {
			token += char;
		}
		i += 1;
	}
	throw new Error('unterminated FIND clause');
}

/** Undo SOSL backslash escapes in a bare term (test oracle). */
function unescapeSosl(body: string): string {
	return body.replace(/\\(.)/gsu, '$1');
}

/** Node 24 has String.prototype.toWellFormed; an independent oracle for the U+FFFD rule. */
function wellFormed(text: string): string {
	return (text as unknown as { toWellFormed(): string }).toWellFormed();
}

// ───────────── arbitraries ─────────────

const HOSTILE_UNITS = [
	"'",
	"''",
	'\\',
	'"',
	'\n',
	'\r',
	'\t',
	'\b',
	'\f',
	'\0',
	'\u001b',
	'\u007f',
	'\u0085',
	'%',
	'_',
	'[',
	']',
	'{',
	'}',
	'(',
	')',
	'*',
	'?',
	'&',
	'|',
	'!',
	'^',
	'~',
	':',
	'+',
	'-',
	'#',
	'/',
	'=',
	';',
	' ',
	'OR',
	'é',
	'e\u0301',
	'😀',
	'👩‍👩‍👧',
	'\u2028',
	'\u200b',
	'ß',
	'中',
];

/** Strings built from characters that attack quoting, mixed with arbitrary code points. */
const hostileString = fc.string({
	unit: fc.oneof(
		fc.constantFrom(...HOSTILE_UNITS),
		fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
	),
	maxLength: 40,
});

/** Anything a JS string can hold, lone surrogates included. */
const anyUtf16 = fc.string({
	unit: fc.oneof(
		fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
		fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
	),
	maxLength: 30,
});

const anyText = fc.oneof(
	hostileString,
	fc.string({ unit: 'binary' }),
	fc.string({ unit: 'grapheme' }),
);

const HOSTILE_EXAMPLES = [
	"O'Brien",
	"' OR Name LIKE '%",
	"\\' OR 1=1 --",
	'\\',
	"\\'",
	'a\\b',
	'} RETURNING User(Id) FIND {x',
	'{x}',
	'"quoted" and \'single\'',
	'line1\nline2\r\n\ttabbed',
	'Zoë Ça\u0301fe 😀 👩‍👩‍👧',
	'',
];

// ───────────── SOQL ─────────────

describe('SOQL escaping', () => {
	test.each([
		["O'Brien", "O\\'Brien"],
		['back\\slash', 'back\\\\slash'],
		["\\' OR 1=1 --", "\\\\\\' OR 1=1 --"],
		["' OR Name LIKE '%", "\\' OR Name LIKE \\'%"],
		['say "hi"', 'say \\"hi\\"'],
		['a\nb\rc\td\be\ff', 'a\\nb\\rc\\td\\be\\ff'],
		['nul\u0000 esc\u001b del\u007f', 'nul\\u0000 esc\\u001b del\\u007f'],
		['Zoë 😀', 'Zoë 😀'],
	])('escapeSoqlString(%j) = %j', (input, expected) => {
		expect(escapeSoqlString(input)).toBe(expected);
	});

	test('soqlLiteral wraps in quotes and LIKE escaping adds % and _', () => {
		expect(soqlLiteral("O'Brien")).toBe("'O\\'Brien'");
		expect(escapeSoqlLike("100%_done'")).toBe("100\\%\\_done\\'");
		expect(scanSoqlLiteral(`'${escapeSoqlLike('50%_off\\')}'`, 0, true).value).toBe('50%_off\\');
	});

	test('a lone surrogate becomes U+FFFD instead of breaking the query', () => {
		expect(escapeSoqlString('a\uD800b')).toBe('a\uFFFDb');
	});

	test('rejects non-strings with a TypeError', () => {
		expect(() => escapeSoqlString(null as unknown as string)).toThrow(TypeError);
		expect(() => soqlLiteral(42 as unknown as string)).toThrow('expects a string, got number');
	});

	test.each(HOSTILE_EXAMPLES)('hostile example %j stays inside its literal', (input) => {
		const before = 'SELECT Id FROM Contact WHERE Name = ';
		const after = ' AND IsDeleted = false';
		const query = before + soqlLiteral(input) + after;
		const scanned = scanSoqlLiteral(query, before.length);
		expect(scanned.value).toBe(input);
		expect(query.slice(scanned.end + 1)).toBe(after);
	});

	test('property: an escaped literal ends exactly at the closing quote and unescapes to the input', () => {
		const before = 'SELECT Id FROM Lead WHERE Email = ';
		const after = " OR Name = 'x'";
		fc.assert(
			fc.property(anyText, (input) => {
				const query = before + soqlLiteral(input) + after;
				const scanned = scanSoqlLiteral(query, before.length);
				expect(scanned.end).toBe(query.length - after.length - 1);
				expect(scanned.value).toBe(input);
			}),
			{ numRuns: 500 },
		);
	});

	test('property: any UTF-16 input (lone surrogates too) yields a terminated literal of its well-formed text', () => {
		fc.assert(
			fc.property(anyUtf16, (input) => {
				const literal = soqlLiteral(input);
				const scanned = scanSoqlLiteral(literal, 0);
				expect(scanned.end).toBe(literal.length - 1);
				expect(scanned.value).toBe(wellFormed(input));
			}),
			{ numRuns: 500 },
		);
	});

	test('property: LIKE escaping ends at the quote, round-trips, and leaves no bare wildcard', () => {
		fc.assert(
			fc.property(anyText, (input) => {
				const pattern = `'${escapeSoqlLike(input)}'`;
				const scanned = scanSoqlLiteral(pattern, 0, true);
				expect(scanned.end).toBe(pattern.length - 1);
				expect(scanned.value).toBe(input);
				expect(scanned.bareWildcards).toBe(0);
			}),
			{ numRuns: 500 },
		);
	});
});

// ───────────── SOSL ─────────────

describe('SOSL escaping', () => {
	test('escapes every reserved character with one backslash', () => {
		expect(escapeSoslTerm('? & | ! { } [ ] ( ) ^ ~ * : \\ " \' + -')).toBe(
			'\\? \\& \\| \\! \\{ \\} \\[ \\] \\( \\) \\^ \\~ \\* \\: \\\\ \\" \\\' \\+ \\-',
		);
		expect(escapeSoslTerm('+1 (213) 373-4253')).toBe('\\+1 \\(213\\) 373\\-4253');
	});

	test('control characters become spaces (the documented rule)', () => {
		expect(sanitizeSoslText('Jane\nDoe\t\u0000x\u0085')).toBe('Jane Doe  x ');
		expect(escapeSoslTerm('a\r\nb')).toBe('a  b');
	});

	test('the brace-breakout example stays one escaped phrase', () => {
		const clause = soslFindClause(['} RETURNING User(Id) FIND {x']);
		expect(clause).toBe('FIND {"\\} RETURNING User\\(Id\\) FIND \\{x"}');
		const scanned = scanSoslFind(clause);
		expect(scanned.end).toBe(clause.length - 1);
		expect(scanned.phrases).toEqual(['} RETURNING User(Id) FIND {x']);
	});

	test('builds an OR of quoted phrases, trimmed, deduplicated, without one-character terms', () => {
		expect(soslFindClause(['+12133734253', ' 2133734253 ', '+12133734253', 'x', '  '])).toBe(
			'FIND {"\\+12133734253" OR "2133734253"}',
		);
	});

	test('quotes inside a phrase are escaped so the phrase cannot close early', () => {
		const clause = soslFindClause(['say "hi" OR "bye"']);
		expect(clause).toBe('FIND {"say \\"hi\\" OR \\"bye\\""}');
		expect(scanSoslFind(clause).phrases).toEqual(['say "hi" OR "bye"']);
	});

	test('refuses an empty term list and an over-long query', () => {
		expect(() => soslFindClause([])).toThrow('at least one term');
		expect(() => soslFindClause(['a', '\n'])).toThrow('at least one term');
		expect(() => soslFindClause(['x'.repeat(SOSL_MAX_SEARCH_QUERY_LENGTH)])).toThrow(RangeError);
	});

	test('soslFindClauses packs terms into clauses within the length limit', () => {
		const terms = Array.from({ length: 30 }, (_, n) => `+1213373${String(n).padStart(4, '0')}`);
		const clauses = soslFindClauses(terms, 100);
		expect(clauses.length).toBeGreaterThan(1);
		const recovered = clauses.flatMap((clause) => {
			const scanned = scanSoslFind(clause);
			expect(scanned.body.length).toBeLessThanOrEqual(100);
			return scanned.phrases;
		});
		expect(recovered).toEqual(terms);
		expect(soslFindClauses(['a'])).toEqual([]);
		expect(() => soslFindClauses(['x'.repeat(50)], 20)).toThrow(RangeError);
	});

	test.each(HOSTILE_EXAMPLES.filter((text) => text.trim().length >= 2))(
		'hostile example %j stays inside its phrase',
		(input) => {
			const clause = soslFindClause([input]);
			const scanned = scanSoslFind(clause);
			expect(scanned.end).toBe(clause.length - 1);
			expect(scanned.depth).toBe(0);
			expect(scanned.phrases).toEqual([input.replace(/\p{Cc}/gu, ' ').trim()]);
		},
	);

	test('property: a bare escaped term keeps the braces balanced and unescapes to the input', () => {
		fc.assert(
			fc.property(anyText, (input) => {
				const clause = `FIND {${escapeSoslTerm(input)}}`;
				const scanned = scanSoslFind(clause);
				expect(scanned.end).toBe(clause.length - 1);
				expect(scanned.depth).toBe(0);
				expect(unescapeSosl(scanned.body)).toBe(input.replace(/\p{Cc}/gu, ' '));
			}),
			{ numRuns: 500 },
		);
	});

	test('property: soslFindClause yields one phrase per distinct usable term, in order', () => {
		fc.assert(
			fc.property(fc.array(anyText, { minLength: 1, maxLength: 6 }), (terms) => {
				const expected = [
					...new Set(
						terms
							.map((term) => term.replace(/\p{Cc}/gu, ' ').trim())
							.filter((term) => [...term].length >= 2),
					),
				];
				fc.pre(expected.length > 0);
				const clause = soslFindClause(terms);
				const scanned = scanSoslFind(clause);
				expect(scanned.end).toBe(clause.length - 1);
				expect(scanned.depth).toBe(0);
				expect(scanned.phrases).toEqual(expected);
				expect(scanned.words).toEqual(expected.slice(1).map(() => 'OR'));
			}),
			{ numRuns: 500 },
		);
	});

	test('property: lone surrogates never break a clause', () => {
		fc.assert(
			fc.property(anyUtf16, (input) => {
				const clause = `FIND {${escapeSoslTerm(input)}}`;
				const scanned = scanSoslFind(clause);
				expect(scanned.end).toBe(clause.length - 1);
				expect(unescapeSosl(scanned.body)).toBe(wellFormed(input).replace(/\p{Cc}/gu, ' '));
			}),
			{ numRuns: 300 },
		);
	});
});

// ───────────── OData ─────────────

describe('OData escaping', () => {
	test.each([
		["O'Brien", "O''Brien"],
		["''", "''''"],
		["' or 1 eq 1 or name eq '", "'' or 1 eq 1 or name eq ''"],
		['back\\slash', 'back\\slash'],
	])('escapeODataString(%j) = %j', (input, expected) => {
		expect(escapeODataString(input)).toBe(expected);
	});

	test('odataLiteral and the wildcard-safe LIKE form', () => {
		expect(odataLiteral("O'Brien")).toBe("'O''Brien'");
		expect(escapeODataLike("50%_[x]'s")).toBe("50[%][_][[]x]''s");
	});

	test('encodeODataFilter encodes everything that could leave the $filter value', () => {
		const filter = `emailaddress1 eq ${odataLiteral("a+b&c=d#e%f?g/h i'j")}`;
		const encoded = encodeODataFilter(filter);
		expect(encoded).toBe("emailaddress1%20eq%20'a%2Bb%26c%3Dd%23e%25f%3Fg%2Fh%20i''j'");
		expect(encodeODataFilter('a\uDC00')).toBe('a%EF%BF%BD');
	});

	test.each(HOSTILE_EXAMPLES)('hostile example %j stays inside its literal', (input) => {
		const before = 'lastname eq ';
		const after = ' and statecode eq 0';
		const filter = before + odataLiteral(input) + after;
		const scanned = scanODataLiteral(filter, before.length);
		expect(scanned.value).toBe(input);
		expect(filter.slice(scanned.end + 1)).toBe(after);
	});

	test('property: a literal ends exactly at the closing quote and round-trips', () => {
		const before = 'lastname eq ';
		const after = " or firstname eq 'x'";
		fc.assert(
			fc.property(anyText, (input) => {
				const filter = before + odataLiteral(input) + after;
				const scanned = scanODataLiteral(filter, before.length);
				expect(scanned.end).toBe(filter.length - after.length - 1);
				expect(scanned.value).toBe(input);
			}),
			{ numRuns: 500 },
		);
	});

	test('property: an encoded filter is one query-string value that decodes back to the filter', () => {
		fc.assert(
			fc.property(anyUtf16, anyText, (left, right) => {
				const filter = `name eq ${odataLiteral(left)} or name eq ${odataLiteral(right)}`;
				const encoded = encodeODataFilter(filter);
				expect(encoded).toMatch(/^[A-Za-z0-9\-_.!~*'()%]*$/);
				const params = new URLSearchParams(`$filter=${encoded}&$top=5`);
				expect([...params.keys()]).toEqual(['$filter', '$top']);
				expect(params.get('$filter')).toBe(wellFormed(filter));
				expect(new URL(`https://org.example/api/data/v9.2/contacts?$filter=${encoded}`).hash).toBe(
					'',
				);
			}),
			{ numRuns: 500 },
		);
	});
});

describe('toWellFormedText', () => {
	test('replaces only unpaired surrogates', () => {
		expect(toWellFormedText('😀')).toBe('😀');
		expect(toWellFormedText('\uD83D')).toBe('\uFFFD');
		expect(toWellFormedText('\uDE00\uD83D')).toBe('\uFFFD\uFFFD');
		expect(toWellFormedText('x\uD83D\uDE00y\uDE00')).toBe('x😀y\uFFFD');
	});
});
