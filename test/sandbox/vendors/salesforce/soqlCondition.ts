/**
 * SOQL WHERE conditions: parsing (=, !=, <>, <, <=, >, >=, IN, NOT IN, LIKE, AND, OR, NOT,
 * parentheses) and evaluation against stored records. Shared by SOQL and SOSL RETURNING.
 */
import type { SandboxStore, StoredRecord } from '../../core/store';
import { malformedQuery, SalesforceRequestError } from './errors';
import { canonicalId } from './ids';
import { describe, likeRegExp, soqlText, type Token, type TokenStream } from './lexer';
import { salesforceObject, type SalesforceObject } from './schema';
import { resolvePath, typeAt, valueAt, type FieldPath } from './values';

export type Literal =
	| { kind: 'string'; raw: string }
	| { kind: 'number'; value: number }
	| { kind: 'boolean'; value: boolean }
	| { kind: 'null' }
	| { kind: 'date'; text: string }
	| { kind: 'datetime'; ms: number };

export type Condition =
	| { kind: 'and' | 'or'; left: Condition; right: Condition }
	| { kind: 'not'; inner: Condition }
	| { kind: 'compare'; path: FieldPath; text: string; op: string; value: Literal }
	| { kind: 'in'; path: FieldPath; text: string; values: Literal[]; negated: boolean }
	| { kind: 'semiJoin'; path: FieldPath; text: string; sub: SemiJoin; negated: boolean }
	| { kind: 'like'; path: FieldPath; text: string; pattern: RegExp };

/** `field IN (SELECT idOrReference FROM Object [WHERE …])`: a semi-join (anti-join with NOT IN). */
export interface SemiJoin {
	object: SalesforceObject;
	path: FieldPath;
	where?: Condition;
}

export function invalidField(object: SalesforceObject, name: string): SalesforceRequestError {
	return new SalesforceRequestError(
		400,
		'INVALID_FIELD',
		`No such column '${name}' on entity '${object.name}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.`,
	);
}

export function fieldPath(object: SalesforceObject, text: string): FieldPath {
	const path = resolvePath(object, text);
	if (!path) throw invalidField(object, text);
	return path;
}

function literal(token: Token): Literal {
	switch (token.kind) {
		case 'string':
			return { kind: 'string', raw: token.raw };
		case 'number':
			return { kind: 'number', value: token.value };
		case 'date':
			return { kind: 'date', text: token.text };
		case 'datetime':
			return { kind: 'datetime', ms: token.ms };
		case 'ident': {
			const word = token.text.toLowerCase();
			if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
			if (word === 'null') return { kind: 'null' };
			break;
		}
	}
	throw malformedQuery(`unexpected token: '${describe(token)}'`);
}

export function parseCondition(stream: TokenStream, object: SalesforceObject): Condition {
	let left = parseAnd(stream, object);
	while (stream.acceptKeyword('OR')) left = { kind: 'or', left, right: parseAnd(stream, object) };
	return left;
}

function parseAnd(stream: TokenStream, object: SalesforceObject): Condition {
	let left = parseNot(stream, object);
	while (stream.acceptKeyword('AND')) left = { kind: 'and', left, right: parseNot(stream, object) };
	return left;
}

function parseNot(stream: TokenStream, object: SalesforceObject): Condition {
	if (stream.acceptKeyword('NOT')) return { kind: 'not', inner: parseNot(stream, object) };
	if (stream.acceptPunct('(')) {
		const inner = parseCondition(stream, object);
		stream.expectPunct(')');
		return inner;
	}
	return parseComparison(stream, object);
}

function parseComparison(stream: TokenStream, object: SalesforceObject): Condition {
	const token = stream.next();
	if (token.kind !== 'ident') throw malformedQuery(`unexpected token: '${describe(token)}'`);
	const path = fieldPath(object, token.text);
	if (stream.acceptKeyword('LIKE')) {
		const pattern = stream.next();
		if (pattern.kind !== 'string')
			throw malformedQuery(`unexpected token: '${describe(pattern)}', LIKE needs a string`);
		return { kind: 'like', path, text: token.text, pattern: likeRegExp(pattern.raw) };
	}
	const negated = stream.isKeyword('NOT') && stream.isKeyword('IN', 1);
	if (negated) stream.next();
	if (stream.acceptKeyword('IN')) {
		stream.expectPunct('(');
		if (stream.isKeyword('SELECT'))
			return { kind: 'semiJoin', path, text: token.text, sub: parseSemiJoin(stream), negated };
		const values: Literal[] = [];
		do values.push(checked(path, token.text, literal(stream.next())));
		while (stream.acceptPunct(','));
		stream.expectPunct(')');
		return { kind: 'in', path, text: token.text, values, negated };
	}
	const op = stream.next();
	if (op.kind !== 'op') throw malformedQuery(`unexpected token: '${describe(op)}'`);
	return {
		kind: 'compare',
		path,
		text: token.text,
		op: op.text === '<>' ? '!=' : op.text,
		value: checked(path, token.text, literal(stream.next())),
	};
}

function containsSemiJoin(condition: Condition | undefined): boolean {
	if (!condition) return false;
	switch (condition.kind) {
		case 'and':
		case 'or':
			return containsSemiJoin(condition.left) || containsSemiJoin(condition.right);
		case 'not':
			return containsSemiJoin(condition.inner);
		default:
			return condition.kind === 'semiJoin';
	}
}

function countSemiJoins(condition: Condition | undefined): number {
	if (!condition) return 0;
	switch (condition.kind) {
		case 'and':
		case 'or':
			return countSemiJoins(condition.left) + countSemiJoins(condition.right);
		case 'not':
			return countSemiJoins(condition.inner);
		default:
			return condition.kind === 'semiJoin' ? 1 : 0;
	}
}

function hasSemiJoinUnderOr(condition: Condition | undefined): boolean {
	if (!condition) return false;
	switch (condition.kind) {
		case 'or':
			return containsSemiJoin(condition);
		case 'and':
			return hasSemiJoinUnderOr(condition.left) || hasSemiJoinUnderOr(condition.right);
		case 'not':
			return hasSemiJoinUnderOr(condition.inner);
		default:
			return false;
	}
}

/**
 * Salesforce's semi-join rules that the pack's queries must respect: a subquery selects
 * one id or reference field, is not nested, is never combined with OR, and a WHERE clause
 * holds at most two of them.
 */
export function checkSemiJoins(where: Condition | undefined): void {
	if (hasSemiJoinUnderOr(where))
		throw malformedQuery("Semi join sub-selects are not allowed with the 'OR' operator");
	if (countSemiJoins(where) > 2)
		throw malformedQuery('Maximum of 2 semi join sub-selects are allowed');
}

function parseSemiJoin(stream: TokenStream): SemiJoin {
	stream.expectKeyword('SELECT');
	const fieldToken = stream.next();
	if (fieldToken.kind !== 'ident')
		throw malformedQuery(`unexpected token: '${describe(fieldToken)}'`);
	stream.expectKeyword('FROM');
	const objectToken = stream.next();
	const object = objectToken.kind === 'ident' ? salesforceObject(objectToken.text) : undefined;
	if (!object) throw malformedQuery(`unexpected token: '${describe(objectToken)}'`);
	const path = fieldPath(object, fieldToken.text);
	const type = typeAt(path);
	if (path.relationships.length > 0 || (type !== 'id' && type !== 'reference'))
		throw malformedQuery(
			`semi join sub selects can only query id fields, cannot use: '${fieldToken.text}'`,
		);
	if (stream.isPunct(',')) throw malformedQuery('semi join sub selects can select only one field');
	let where: Condition | undefined;
	if (stream.acceptKeyword('WHERE')) {
		where = parseCondition(stream, object);
		if (containsSemiJoin(where))
			throw malformedQuery('Nesting of semi join sub-selects is not supported');
	}
	stream.expectPunct(')');
	return { object, path, where };
}

/** Salesforce checks literal types against the field at parse time. */
function checked(path: FieldPath, text: string, value: Literal): Literal {
	const type = typeAt(path);
	if (value.kind === 'null' || type === undefined) return value;
	const fail = (what: string) =>
		new SalesforceRequestError(
			400,
			'INVALID_QUERY_FILTER_OPERATOR',
			`value of filter criterion for field '${text}' must be of type ${what} and should not be enclosed in quotes`,
		);
	if (type === 'boolean' && value.kind !== 'boolean') throw fail('boolean');
	if (['int', 'double', 'currency'].includes(type) && value.kind !== 'number') throw fail('double');
	if (type === 'date' && value.kind !== 'date') throw fail('date');
	if (type === 'datetime' && value.kind !== 'datetime') throw fail('dateTime');
	if ((type === 'id' || type === 'reference') && value.kind === 'string') {
		const text2 = soqlText(value.raw);
		if (canonicalId(text2) === undefined)
			throw new SalesforceRequestError(
				400,
				'INVALID_QUERY_FILTER_OPERATOR',
				`invalid ID field: ${text2}`,
			);
	}
	return value;
}

/** A comparable form of a value: numbers for numbers/dates, lower-case text, canonical ids. */
function comparable(value: unknown, type: string | undefined): string | number | boolean | null {
	// On a boolean field null means false ("WHERE Flag = null" is "WHERE Flag = false").
	if (type === 'boolean') return value === true;
	if (value === null || value === undefined || value === '') return null;
	if (typeof value === 'boolean' || typeof value === 'number') return value;
	const text = String(value);
	if (type === 'datetime') return Date.parse(text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
	if (type === 'date') return Date.parse(`${text}T00:00:00Z`);
	if (type === 'id' || type === 'reference') return canonicalId(text) ?? text;
	return text.toLowerCase();
}

function literalValue(value: Literal, type: string | undefined): string | number | boolean | null {
	switch (value.kind) {
		case 'null':
			return type === 'boolean' ? false : null;
		case 'boolean':
		case 'number':
			return value.value;
		case 'date':
			return Date.parse(`${value.text}T00:00:00Z`);
		case 'datetime':
			return value.ms;
		case 'string':
			return comparable(soqlText(value.raw), type);
	}
}

function compare(
	left: string | number | boolean | null,
	op: string,
	right: string | number | boolean | null,
): boolean {
	if (op === '=') return left === right;
	if (op === '!=') return left !== right;
	// Range operators never match a null.
	if (left === null || right === null) return false;
	switch (op) {
		case '<':
			return left < right;
		case '<=':
			return left <= right;
		case '>':
			return left > right;
		case '>=':
			return left >= right;
	}
	return false;
}

export interface EvalContext {
	store: SandboxStore;
	object: SalesforceObject;
}

export function matches(ctx: EvalContext, record: StoredRecord, condition: Condition): boolean {
	switch (condition.kind) {
		case 'and':
			return matches(ctx, record, condition.left) && matches(ctx, record, condition.right);
		case 'or':
			return matches(ctx, record, condition.left) || matches(ctx, record, condition.right);
		case 'not':
			return !matches(ctx, record, condition.inner);
		case 'like': {
			const value = valueAt(ctx.store, ctx.object, record, condition.path);
			return value !== null && value !== undefined && condition.pattern.test(String(value));
		}
		case 'in': {
			const type = typeAt(condition.path);
			const value = comparable(valueAt(ctx.store, ctx.object, record, condition.path), type);
			const found = condition.values.some((candidate) => literalValue(candidate, type) === value);
			// Unlike !=, NOT IN leaves out records whose field is null.
			return condition.negated ? !found && value !== null : found;
		}
		case 'compare': {
			const type = typeAt(condition.path);
			const value = comparable(valueAt(ctx.store, ctx.object, record, condition.path), type);
			return compare(value, condition.op, literalValue(condition.value, type));
		}
		case 'semiJoin': {
			const type = typeAt(condition.path);
			const value = comparable(valueAt(ctx.store, ctx.object, record, condition.path), type);
			const found = value !== null && semiJoinValues(ctx.store, condition.sub).has(value);
			return condition.negated ? !found && value !== null : found;
		}
	}
}

/** The subquery's values (canonical ids) over the current records. */
function semiJoinValues(store: SandboxStore, sub: SemiJoin): Set<unknown> {
	const subCtx: EvalContext = { store, object: sub.object };
	const values = new Set<unknown>();
	for (const record of store.list('salesforce', sub.object.name)) {
		if (sub.where && !matches(subCtx, record, sub.where)) continue;
		const value = comparable(valueAt(store, sub.object, record, sub.path), typeAt(sub.path));
		if (value !== null) values.add(value);
	}
	return values;
}

/** ORDER BY items: `path [ASC|DESC] [NULLS FIRST|LAST]`. */
export interface OrderItem {
	path: FieldPath;
	desc: boolean;
	nullsLast: boolean;
}

export function parseOrderBy(stream: TokenStream, object: SalesforceObject): OrderItem[] {
	const items: OrderItem[] = [];
	do {
		const token = stream.next();
		if (token.kind !== 'ident') throw malformedQuery(`unexpected token: '${describe(token)}'`);
		const path = fieldPath(object, token.text);
		const desc = stream.acceptKeyword('DESC') ? true : (stream.acceptKeyword('ASC'), false);
		let nullsLast = desc;
		if (stream.acceptKeyword('NULLS')) {
			if (stream.acceptKeyword('LAST')) nullsLast = true;
			else {
				stream.expectKeyword('FIRST');
				nullsLast = false;
			}
		}
		items.push({ path, desc, nullsLast });
	} while (stream.acceptPunct(','));
	return items;
}

export function sortRecords(
	ctx: EvalContext,
	records: StoredRecord[],
	order: OrderItem[],
): StoredRecord[] {
	if (order.length === 0) return records;
	const keyed = records.map((record) => ({
		record,
		keys: order.map((item) =>
			comparable(valueAt(ctx.store, ctx.object, record, item.path), typeAt(item.path)),
		),
	}));
	keyed.sort((a, b) => {
		for (let i = 0; i < order.length; i++) {
			const left = a.keys[i];
			const right = b.keys[i];
			if (left === right) continue;
			if (left === null) return order[i].nullsLast ? 1 : -1;
			if (right === null) return order[i].nullsLast ? -1 : 1;
			const cmp = left < right ? -1 : 1;
			return order[i].desc ? -cmp : cmp;
		}
		return 0;
	});
	return keyed.map((entry) => entry.record);
}
