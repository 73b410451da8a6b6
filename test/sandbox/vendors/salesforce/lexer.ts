/** Tokens of SOQL (and of the SOQL parts inside SOSL RETURNING clauses). */
import { malformedQuery } from './errors';

export type Token =
	| { kind: 'ident'; text: string; at: number }
	| { kind: 'string'; raw: string; at: number }
	| { kind: 'number'; value: number; at: number }
	| { kind: 'date'; text: string; at: number }
	| { kind: 'datetime'; ms: number; text: string; at: number }
	| { kind: 'op'; text: string; at: number }
	| { kind: 'punct'; text: '(' | ')' | ','; at: number };

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?(?:Z|[+-]\d{2}:?\d{2})/;
const DATE = /^\d{4}-\d{2}-\d{2}(?![\dT])/;
const NUMBER = /^-?\d+(?:\.\d+)?/;
const IDENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/;
const OPS = ['!=', '<>', '<=', '>=', '=', '<', '>'];

export function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		const char = text[i];
		if (/\s/.test(char)) {
			i++;
			continue;
		}
		const rest = text.slice(i);
		if (char === "'") {
			let j = i + 1;
			while (j < text.length && text[j] !== "'") j += text[j] === '\\' ? 2 : 1;
			if (j >= text.length)
				throw malformedQuery(`unexpected token: unterminated string literal at column ${i + 1}`);
			tokens.push({ kind: 'string', raw: text.slice(i + 1, j), at: i });
			i = j + 1;
			continue;
		}
		const datetime = DATETIME.exec(rest);
		if (datetime) {
			const iso = datetime[0].replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
			tokens.push({ kind: 'datetime', ms: Date.parse(iso), text: datetime[0], at: i });
			i += datetime[0].length;
			continue;
		}
		const date = DATE.exec(rest);
		if (date) {
			tokens.push({ kind: 'date', text: date[0], at: i });
			i += date[0].length;
			continue;
		}
		const number = NUMBER.exec(rest);
		if (number && (char !== '-' || /\d/.test(rest[1] ?? ''))) {
			tokens.push({ kind: 'number', value: Number(number[0]), at: i });
			i += number[0].length;
			continue;
		}
		const ident = IDENT.exec(rest);
		if (ident) {
			tokens.push({ kind: 'ident', text: ident[0], at: i });
			i += ident[0].length;
			continue;
		}
		const op = OPS.find((candidate) => rest.startsWith(candidate));
		if (op) {
			tokens.push({ kind: 'op', text: op, at: i });
			i += op.length;
			continue;
		}
		if (char === '(' || char === ')' || char === ',') {
			tokens.push({ kind: 'punct', text: char, at: i });
			i++;
			continue;
		}
		throw malformedQuery(`unexpected token: '${char}' at column ${i + 1}`);
	}
	return tokens;
}

/** The documented SOQL escape sequences; `likeMode` keeps `\%` and `\_` as escaped wildcards. */
const SHORT: Record<string, string> = {
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

export type LikeChar = { literal: string } | { wildcard: '%' | '_' };

/** Decodes a string literal's content; throws MALFORMED_QUERY on an undocumented escape. */
export function decodeSoqlString(raw: string, likeMode = false): LikeChar[] {
	const out: LikeChar[] = [];
	for (let i = 0; i < raw.length; i++) {
		const char = raw[i];
		if (char !== '\\') {
			out.push(likeMode && (char === '%' || char === '_') ? { wildcard: char } : { literal: char });
			continue;
		}
		const next = raw[i + 1];
		if (next === undefined) throw malformedQuery('Invalid string literal: a trailing backslash');
		if (next in SHORT) {
			out.push({ literal: SHORT[next] });
			i++;
		} else if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(raw.slice(i + 2, i + 6))) {
			out.push({ literal: String.fromCharCode(parseInt(raw.slice(i + 2, i + 6), 16)) });
			i += 5;
		} else if (next === '%' || next === '_') {
			// Outside LIKE the backslash stays; inside LIKE it makes the wildcard literal.
			if (!likeMode) out.push({ literal: '\\' });
			out.push({ literal: next });
			i++;
		} else {
			throw malformedQuery(
				`Invalid string literal '${raw}'. Illegal character sequence '\\${next}' in string literal.`,
			);
		}
	}
	return out;
}

export function soqlText(raw: string): string {
	return decodeSoqlString(raw)
		.map((part) => ('literal' in part ? part.literal : part.wildcard))
		.join('');
}

/** LIKE pattern → case-insensitive anchored RegExp. */
export function likeRegExp(raw: string): RegExp {
	const source = decodeSoqlString(raw, true)
		.map((part) =>
			'wildcard' in part
				? part.wildcard === '%'
					? '[\\s\\S]*'
					: '[\\s\\S]'
				: part.literal.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'),
		)
		.join('');
	return new RegExp(`^${source}$`, 'i');
}

/** A cursor over tokens with the helpers recursive descent needs. */
export class TokenStream {
	private index = 0;

	constructor(readonly tokens: Token[]) {}

	peek(offset = 0): Token | undefined {
		return this.tokens[this.index + offset];
	}

	next(): Token {
		const token = this.tokens[this.index++];
		if (!token) throw malformedQuery('unexpected end of query');
		return token;
	}

	done(): boolean {
		return this.index >= this.tokens.length;
	}

	/** Whether the next token is the keyword (case-insensitive). */
	isKeyword(word: string, offset = 0): boolean {
		const token = this.peek(offset);
		return token?.kind === 'ident' && token.text.toUpperCase() === word;
	}

	acceptKeyword(word: string): boolean {
		if (!this.isKeyword(word)) return false;
		this.index++;
		return true;
	}

	expectKeyword(word: string): void {
		if (!this.acceptKeyword(word))
			throw malformedQuery(`unexpected token: '${describe(this.peek())}', expected ${word}`);
	}

	isPunct(text: string): boolean {
		const token = this.peek();
		return token?.kind === 'punct' && token.text === text;
	}

	acceptPunct(text: string): boolean {
		if (!this.isPunct(text)) return false;
		this.index++;
		return true;
	}

	expectPunct(text: string): void {
		if (!this.acceptPunct(text))
			throw malformedQuery(`unexpected token: '${describe(this.peek())}', expected '${text}'`);
	}
}

export function describe(token: Token | undefined): string {
	if (!token) return '<EOF>';
	switch (token.kind) {
		case 'ident':
		case 'op':
		case 'punct':
		case 'date':
		case 'datetime':
			return token.text;
		case 'string':
			return `'${token.raw}'`;
		case 'number':
			return String(token.value);
	}
}
