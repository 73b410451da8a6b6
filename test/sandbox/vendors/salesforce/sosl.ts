/**
 * A SOSL interpreter for `FIND {terms} [IN ALL|NAME|EMAIL|PHONE FIELDS]
 * [RETURNING Obj(fields [WHERE …] [ORDER BY …] [LIMIT n]), …] [LIMIT n]`.
 * Terms are quoted phrases or words joined by OR / AND / AND NOT (implicit AND), with
 * backslash escapes of the reserved characters. Phone fields match by digits, ignoring
 * formatting and extensions, as Salesforce's phone search does.
 */
import type { SandboxStore, StoredRecord } from '../../core/store';
import { SalesforceRequestError } from './errors';
import { describe, tokenize, TokenStream } from './lexer';
import {
	allSalesforceObjects,
	salesforceObject,
	type SalesforceField,
	type SalesforceObject,
} from './schema';
import { parseSelectList, selectRecords, unknownObject } from './soql';
import {
	fieldPath,
	parseCondition,
	parseOrderBy,
	type Condition,
	type OrderItem,
} from './soqlCondition';
import { fieldValue, recordView } from './values';

type Scope = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE';
type TermExpr =
	| { kind: 'term'; text: string; prefix: boolean }
	| { kind: 'and' | 'or' | 'andNot'; left: TermExpr; right: TermExpr };

interface Returning {
	object: SalesforceObject;
	fields: string[];
	where?: Condition;
	orderBy: OrderItem[];
	limit?: number;
}

const malformed = (message: string) => new SalesforceRequestError(400, 'MALFORMED_SEARCH', message);

/** The text between FIND's braces, honouring backslash escapes; returns it and the rest of the query. */
function splitFind(sosl: string): { terms: string; rest: string } {
	const match = /^\s*FIND\s*\{/i.exec(sosl);
	if (!match) throw malformed('No search term found. The search term must be enclosed in braces.');
	let i = match[0].length;
	while (i < sosl.length && sosl[i] !== '}') i += sosl[i] === '\\' ? 2 : 1;
	if (i >= sosl.length)
		throw malformed('No search term found. The search term must be enclosed in braces.');
	return { terms: sosl.slice(match[0].length, i), rest: sosl.slice(i + 1) };
}

type TermToken =
	| { kind: 'word'; text: string; prefix: boolean }
	| { kind: 'op'; text: 'AND' | 'OR' | 'NOT' }
	| { kind: 'paren'; text: '(' | ')' };

function termTokens(text: string): TermToken[] {
	const tokens: TermToken[] = [];
	let i = 0;
	while (i < text.length) {
		const char = text[i];
		if (/\s/.test(char)) {
			i++;
		} else if (char === '(' || char === ')') {
			tokens.push({ kind: 'paren', text: char });
			i++;
		} else if (char === '"') {
			let value = '';
			i++;
			while (i < text.length && text[i] !== '"') {
				if (text[i] === '\\' && i + 1 < text.length) i++;
				value += text[i++];
			}
			if (i >= text.length) throw malformed('Unmatched quotes in the search term');
			i++;
			tokens.push({ kind: 'word', text: value, prefix: false });
		} else {
			let value = '';
			let prefix = false;
			while (i < text.length && !/[\s()"]/.test(text[i])) {
				if (text[i] === '\\' && i + 1 < text.length) {
					value += text[i + 1];
					i += 2;
				} else if (text[i] === '*') {
					prefix = true;
					i++;
				} else value += text[i++];
			}
			const upper = value.toUpperCase();
			if (!prefix && (upper === 'AND' || upper === 'OR' || upper === 'NOT'))
				tokens.push({ kind: 'op', text: upper });
			else tokens.push({ kind: 'word', text: value, prefix });
		}
	}
	return tokens;
}

function parseTerms(tokens: TermToken[]): TermExpr {
	let index = 0;
	const or = (): TermExpr => {
		let left = and();
		while (tokens[index]?.kind === 'op' && tokens[index].text === 'OR') {
			index++;
			left = { kind: 'or', left, right: and() };
		}
		return left;
	};
	const and = (): TermExpr => {
		let left = primary();
		for (;;) {
			const token = tokens[index];
			if (
				!token ||
				(token.kind === 'op' && token.text === 'OR') ||
				(token.kind === 'paren' && token.text === ')')
			)
				return left;
			if (token.kind === 'op' && token.text === 'AND') {
				index++;
				const negate = tokens[index]?.kind === 'op' && tokens[index].text === 'NOT';
				if (negate) index++;
				left = { kind: negate ? 'andNot' : 'and', left, right: primary() };
			} else left = { kind: 'and', left, right: primary() };
		}
	};
	const primary = (): TermExpr => {
		const token = tokens[index++];
		if (!token) throw malformed('search term is incomplete');
		if (token.kind === 'paren' && token.text === '(') {
			const inner = or();
			if (tokens[index++]?.text !== ')')
				throw malformed('Unmatched parenthesis in the search term');
			return inner;
		}
		if (token.kind !== 'word') throw malformed(`unexpected ${token.text} in the search term`);
		if ([...token.text.trim()].length < 2)
			throw malformed('search term must be longer than one character');
		return { kind: 'term', text: token.text.trim(), prefix: token.prefix };
	};
	const expr = or();
	if (index < tokens.length) throw malformed('Unmatched parenthesis in the search term');
	return expr;
}

/** Digits of a phone as written, without an extension (`x12`, `ext. 12`, `#12`). */
export function phoneDigits(value: string): string {
	return value.replace(/\s*(?:x|ext\.?|extension|#)\s*\d+\s*$/i, '').replace(/\D/g, '');
}

/** Same digits, or one is the other with a country code in front (national vs international writing). */
function phoneTermMatches(fieldText: string, term: string): boolean {
	const a = phoneDigits(fieldText);
	const b = phoneDigits(term);
	if (a.length < 2 || b.length < 2) return false;
	if (a === b) return true;
	const [short, long] = a.length < b.length ? [a, b] : [b, a];
	return short.length >= 7 && long.endsWith(short);
}

function textMatches(fieldText: string, term: { text: string; prefix: boolean }): boolean {
	const haystack = fieldText.toLowerCase();
	const needle = term.text.toLowerCase();
	const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	// Search matches whole tokens (a trailing * allows a prefix).
	return new RegExp(
		`(^|[^\\p{L}\\p{N}])${escaped}${term.prefix ? '' : '($|[^\\p{L}\\p{N}])'}`,
		'u',
	).test(haystack);
}

function scopeFields(object: SalesforceObject, scope: Scope): SalesforceField[] {
	switch (scope) {
		case 'PHONE':
			return object.fields.filter((field) => field.type === 'phone');
		case 'EMAIL':
			return object.fields.filter((field) => field.type === 'email');
		case 'NAME':
			return object.fields.filter((field) => field.name === 'Name');
		case 'ALL':
			return object.fields.filter((field) =>
				['string', 'textarea', 'email', 'phone', 'url', 'picklist', 'combobox'].includes(
					field.type,
				),
			);
	}
}

function recordMatches(
	object: SalesforceObject,
	record: StoredRecord,
	scope: Scope,
	expr: TermExpr,
): boolean {
	switch (expr.kind) {
		case 'and':
			return (
				recordMatches(object, record, scope, expr.left) &&
				recordMatches(object, record, scope, expr.right)
			);
		case 'andNot':
			return (
				recordMatches(object, record, scope, expr.left) &&
				!recordMatches(object, record, scope, expr.right)
			);
		case 'or':
			return (
				recordMatches(object, record, scope, expr.left) ||
				recordMatches(object, record, scope, expr.right)
			);
		case 'term':
			return scopeFields(object, scope).some((field) => {
				const value = fieldValue(object, record, field);
				if (typeof value !== 'string' || value === '') return false;
				if (field.type === 'phone' && phoneTermMatches(value, expr.text)) return true;
				return scope !== 'PHONE' && textMatches(value, expr);
			});
	}
}

function parseReturning(stream: TokenStream): Returning[] {
	const specs: Returning[] = [];
	do {
		const token = stream.next();
		if (token.kind !== 'ident') throw malformed(`unexpected token: '${describe(token)}'`);
		const object = salesforceObject(token.text);
		if (!object) throw unknownObject(token.text);
		const spec: Returning = { object, fields: ['Id'], orderBy: [] };
		if (stream.acceptPunct('(')) {
			const names = parseSelectList(stream, ['WHERE', 'ORDER', 'LIMIT']);
			if (names.length > 0) spec.fields = names;
			names.forEach((name) => fieldPath(object, name));
			if (stream.acceptKeyword('WHERE')) spec.where = parseCondition(stream, object);
			if (stream.acceptKeyword('ORDER')) {
				stream.expectKeyword('BY');
				spec.orderBy = parseOrderBy(stream, object);
			}
			if (stream.acceptKeyword('LIMIT')) {
				const limit = stream.next();
				if (limit.kind !== 'number') throw malformed(`unexpected token: '${describe(limit)}'`);
				spec.limit = limit.value;
			}
			stream.expectPunct(')');
		}
		specs.push(spec);
	} while (stream.acceptPunct(','));
	return specs;
}

/** What the search index holds: every record, or (with an index delay) records created at or before this time (ms). */
export interface SearchIndexView {
	indexedUpTo?: number;
}

export function runSosl(
	store: SandboxStore,
	version: string,
	sosl: string,
	index: SearchIndexView = {},
): { searchRecords: Array<Record<string, unknown>> } {
	const { terms, rest } = splitFind(sosl);
	const expr = parseTerms(termTokens(terms));
	const stream = new TokenStream(tokenize(rest));
	let scope: Scope = 'ALL';
	if (stream.acceptKeyword('IN')) {
		const word = stream.next();
		const upper = word.kind === 'ident' ? word.text.toUpperCase() : '';
		if (upper !== 'ALL' && upper !== 'NAME' && upper !== 'EMAIL' && upper !== 'PHONE')
			throw malformed(`unexpected token: '${describe(word)}'`);
		scope = upper;
		stream.expectKeyword('FIELDS');
	}
	const specs = stream.acceptKeyword('RETURNING')
		? parseReturning(stream)
		: allSalesforceObjects()
				.filter((object) => object.searchable)
				.map((object): Returning => ({ object, fields: ['Id'], orderBy: [] }));
	let overall = Infinity;
	if (stream.acceptKeyword('LIMIT')) {
		const limit = stream.next();
		if (limit.kind !== 'number') throw malformed(`unexpected token: '${describe(limit)}'`);
		overall = limit.value;
	}
	if (!stream.done()) throw malformed(`unexpected token: '${describe(stream.peek())}'`);

	const searchRecords: Array<Record<string, unknown>> = [];
	for (const spec of specs) {
		const indexed = (record: StoredRecord) =>
			index.indexedUpTo === undefined || Date.parse(record.createdAt) <= index.indexedUpTo;
		const candidates = selectRecords(store, spec.object, spec.where, spec.orderBy).filter(
			(record) => indexed(record) && recordMatches(spec.object, record, scope, expr),
		);
		const limited = candidates.slice(0, spec.limit ?? candidates.length);
		const paths = spec.fields.map((text) => ({ text, path: fieldPath(spec.object, text) }));
		for (const record of limited) {
			if (searchRecords.length >= overall) break;
			searchRecords.push(recordView(store, version, spec.object, record, paths));
		}
	}
	return { searchRecords };
}
