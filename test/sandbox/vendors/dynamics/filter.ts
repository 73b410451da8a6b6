/**
 * An OData `$filter` interpreter for the subset the pack sends: eq ne gt ge lt le, and or
 * not, parentheses, contains/startswith/endswith (with Dataverse's `[%]` `[_]` `[[]`
 * literal escapes; `%` and `_` unbracketed are wildcards), string literals with `''`,
 * GUIDs, numbers, true/false/null, dates and DateTimeOffsets, lookup `_x_value` columns,
 * and `parties/any(p:p/column eq value)` over activity parties.
 */
import type { SandboxStore, StoredRecord } from '../../core/store';
import { DataverseError, unknownProperty } from './errors';
import { columnValue } from './rows';
import {
	attributeByColumn,
	entityByLogicalName,
	type DataverseAttribute,
	type DataverseEntity,
	type NavigationProperty,
} from './schema';

type Literal =
	| { kind: 'string'; value: string }
	| { kind: 'number'; value: number }
	| { kind: 'boolean'; value: boolean }
	| { kind: 'null' }
	| { kind: 'guid'; value: string }
	| { kind: 'datetime'; ms: number };

type Expr =
	| { kind: 'and' | 'or'; left: Expr; right: Expr }
	| { kind: 'not'; inner: Expr }
	| {
			kind: 'compare';
			op: string;
			attribute: DataverseAttribute;
			entity: DataverseEntity;
			lambda?: string;
			via?: NavigationProperty;
			value: Literal;
	  }
	| {
			kind: 'function';
			name: string;
			attribute: DataverseAttribute;
			entity: DataverseEntity;
			lambda?: string;
			via?: NavigationProperty;
			pattern: RegExp;
	  }
	| { kind: 'any'; variable: string; inner: Expr };

type Token =
	| { kind: 'word'; text: string }
	| { kind: 'string'; value: string }
	| { kind: 'number'; value: number }
	| { kind: 'guid'; value: string }
	| { kind: 'datetime'; ms: number }
	| { kind: 'punct'; text: string };

const badFilter = (message: string) =>
	new DataverseError(400, '0x80060888', `Syntax error: ${message}`);
const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?/;
const OPERATORS = ['eq', 'ne', 'gt', 'ge', 'lt', 'le'];

function tokenize(text: string): Token[] {
	const tokens: Token[] = [];
	let i = 0;
	while (i < text.length) {
		const rest = text.slice(i);
		if (/^\s/.test(rest)) {
			i++;
		} else if (rest[0] === "'") {
			let value = '';
			let j = i + 1;
			for (;;) {
				if (j >= text.length) throw badFilter(`unterminated string literal at position ${i}`);
				if (text[j] === "'") {
					if (text[j + 1] === "'") {
						value += "'";
						j += 2;
						continue;
					}
					break;
				}
				value += text[j++];
			}
			tokens.push({ kind: 'string', value });
			i = j + 1;
		} else if (GUID.test(rest)) {
			const guid = GUID.exec(rest)![0];
			tokens.push({ kind: 'guid', value: guid.toLowerCase() });
			i += guid.length;
		} else if (DATETIME.test(rest) && /^\d{4}-/.test(rest)) {
			const date = DATETIME.exec(rest)![0];
			tokens.push({
				kind: 'datetime',
				ms: Date.parse(date.includes('T') ? date : `${date}T00:00:00Z`),
			});
			i += date.length;
		} else if (/^-?\d/.test(rest)) {
			const number = /^-?\d+(?:\.\d+)?/.exec(rest)![0];
			tokens.push({ kind: 'number', value: Number(number) });
			i += number.length;
		} else if (/^[A-Za-z_]/.test(rest)) {
			const word = /^[A-Za-z_][A-Za-z0-9_]*(?:\/[A-Za-z_][A-Za-z0-9_]*)*/.exec(rest)![0];
			tokens.push({ kind: 'word', text: word });
			i += word.length;
		} else if ('(),:'.includes(rest[0])) {
			tokens.push({ kind: 'punct', text: rest[0] });
			i++;
		} else {
			throw badFilter(`unexpected character '${rest[0]}' at position ${i}`);
		}
	}
	return tokens;
}

/** contains/startswith/endswith pattern → RegExp, with T-SQL LIKE wildcards and `[…]` classes. */
export function likePattern(text: string, name: string): RegExp {
	let source = '';
	for (let i = 0; i < text.length; i++) {
		const char = text[i];
		if (char === '%') source += '[\\s\\S]*';
		else if (char === '_') source += '[\\s\\S]';
		else if (char === '[') {
			const close = text.indexOf(']', i + 2);
			if (close === -1) throw badFilter(`unterminated [ in '${text}'`);
			const inside = text.slice(i + 1, close);
			source +=
				inside.length === 1
					? inside.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
					: `[${inside.replace(/[\\\]]/g, '\\$&')}]`;
			i = close;
		} else source += char.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
	}
	const anchored =
		name === 'contains' ? `${source}` : name === 'startswith' ? `^${source}` : `${source}$`;
	return new RegExp(anchored, 'i');
}

class Parser {
	private index = 0;

	constructor(
		private readonly tokens: Token[],
		private readonly entity: DataverseEntity,
		private readonly lambdas: Map<string, DataverseEntity> = new Map(),
	) {}

	parse(): Expr {
		const expr = this.or();
		if (this.index < this.tokens.length)
			throw badFilter(`unexpected '${this.describe(this.tokens[this.index])}'`);
		return expr;
	}

	private describe(token: Token | undefined): string {
		if (!token) return 'end of filter';
		return 'text' in token ? token.text : String('value' in token ? token.value : token.ms);
	}

	private peekWord(word: string): boolean {
		const token = this.tokens[this.index];
		return token?.kind === 'word' && token.text.toLowerCase() === word;
	}

	private expectPunct(text: string): void {
		const token = this.tokens[this.index++];
		if (token?.kind !== 'punct' || token.text !== text)
			throw badFilter(`expected '${text}' but found '${this.describe(token)}'`);
	}

	private or(): Expr {
		let left = this.and();
		while (this.peekWord('or')) {
			this.index++;
			left = { kind: 'or', left, right: this.and() };
		}
		return left;
	}

	private and(): Expr {
		let left = this.unary();
		while (this.peekWord('and')) {
			this.index++;
			left = { kind: 'and', left, right: this.unary() };
		}
		return left;
	}

	private unary(): Expr {
		if (this.peekWord('not')) {
			this.index++;
			return { kind: 'not', inner: this.unary() };
		}
		const token = this.tokens[this.index];
		if (token?.kind === 'punct' && token.text === '(') {
			this.index++;
			const inner = this.or();
			this.expectPunct(')');
			return inner;
		}
		if (token?.kind !== 'word') throw badFilter(`unexpected '${this.describe(token)}'`);
		const name = token.text.toLowerCase();
		if (['contains', 'startswith', 'endswith'].includes(name)) return this.likeFunction(name);
		if (token.text.endsWith('/any')) return this.anyLambda(token.text.slice(0, -4));
		this.index++;
		const column = this.column(token.text);
		const op = this.tokens[this.index++];
		if (op?.kind !== 'word' || !OPERATORS.includes(op.text.toLowerCase()))
			throw badFilter(`expected a comparison operator after '${token.text}'`);
		const value = this.literal();
		checkTypes(column.attribute, value, op.text.toLowerCase());
		return { kind: 'compare', op: op.text.toLowerCase(), ...column, value };
	}

	/**
	 * A column of the entity, `var/column` of a lambda's party, or `lookup/column` of the row a
	 * single-valued navigation property points to (`parentcontactid/emailaddress1`).
	 */
	private column(path: string): {
		attribute: DataverseAttribute;
		entity: DataverseEntity;
		lambda?: string;
		via?: NavigationProperty;
	} {
		const [first, second] = path.split('/');
		if (second !== undefined) {
			const navigation = this.lambdas.has(first)
				? undefined
				: this.entity.navigation.find((property) => property.name === first);
			const target = navigation ? entityByLogicalName(navigation.target) : undefined;
			if (navigation && target) {
				const attribute = attributeByColumn(target, second);
				if (!attribute) throw unknownProperty(target, second);
				return { attribute, entity: target, via: navigation };
			}
			const entity = this.lambdas.get(first);
			if (!entity) throw badFilter(`'${first}' is not a lambda variable`);
			const attribute = attributeByColumn(entity, second);
			if (!attribute) throw unknownProperty(entity, second);
			return { attribute, entity, lambda: first };
		}
		const attribute = attributeByColumn(this.entity, path);
		if (!attribute) throw unknownProperty(this.entity, path);
		return { attribute, entity: this.entity };
	}

	private literal(): Literal {
		const token = this.tokens[this.index++];
		if (!token) throw badFilter('expected a value');
		switch (token.kind) {
			case 'string':
				return { kind: 'string', value: token.value };
			case 'number':
				return { kind: 'number', value: token.value };
			case 'guid':
				return { kind: 'guid', value: token.value };
			case 'datetime':
				return { kind: 'datetime', ms: token.ms };
			case 'word': {
				const word = token.text.toLowerCase();
				if (word === 'true' || word === 'false') return { kind: 'boolean', value: word === 'true' };
				if (word === 'null') return { kind: 'null' };
			}
		}
		throw badFilter(`'${this.describe(token)}' is not a value`);
	}

	private likeFunction(name: string): Expr {
		this.index++;
		this.expectPunct('(');
		const field = this.tokens[this.index++];
		if (field?.kind !== 'word') throw badFilter(`${name} needs a column`);
		const column = this.column(field.text);
		if (!['String', 'Memo'].includes(column.attribute.type)) {
			throw new DataverseError(
				400,
				'0x80060888',
				`No function signature for the function with name '${name}' matches the specified arguments.`,
			);
		}
		this.expectPunct(',');
		const value = this.literal();
		if (value.kind !== 'string') throw badFilter(`${name} needs a string`);
		this.expectPunct(')');
		return { kind: 'function', name, ...column, pattern: likePattern(value.value, name) };
	}

	private anyLambda(collection: string): Expr {
		this.index++;
		if (collection !== this.entity.partiesProperty) throw unknownProperty(this.entity, collection);
		this.expectPunct('(');
		const variable = this.tokens[this.index++];
		if (variable?.kind !== 'word') throw badFilter('any() needs a lambda variable');
		this.expectPunct(':');
		const parties = entityByLogicalName('activityparty')!;
		const inner = new Parser(
			this.tokens,
			this.entity,
			new Map([...this.lambdas, [variable.text, parties]]),
		);
		inner.index = this.index;
		const expr = inner.or();
		this.index = inner.index;
		this.expectPunct(')');
		return { kind: 'any', variable: variable.text, inner: expr };
	}
}

function edmType(attribute: DataverseAttribute): string {
	switch (attribute.type) {
		case 'String':
		case 'Memo':
		case 'EntityName':
			return 'Edm.String';
		case 'Integer':
		case 'Picklist':
		case 'State':
		case 'Status':
			return 'Edm.Int32';
		case 'Money':
			return 'Edm.Decimal';
		case 'Boolean':
			return 'Edm.Boolean';
		case 'DateTime':
			return attribute.dateOnly ? 'Edm.Date' : 'Edm.DateTimeOffset';
		default:
			return 'Edm.Guid';
	}
}

const LITERAL_TYPES: Record<Literal['kind'], string[]> = {
	string: ['Edm.String'],
	number: ['Edm.Int32', 'Edm.Decimal'],
	boolean: ['Edm.Boolean'],
	guid: ['Edm.Guid'],
	datetime: ['Edm.DateTimeOffset', 'Edm.Date'],
	null: [],
};

/** Dataverse refuses comparisons of incompatible types (e.g. a quoted GUID). */
function checkTypes(attribute: DataverseAttribute, value: Literal, op: string): void {
	if (value.kind === 'null') return;
	const type = edmType(attribute);
	if (!LITERAL_TYPES[value.kind].includes(type)) {
		const found = LITERAL_TYPES[value.kind][0];
		throw new DataverseError(
			400,
			'0x80060888',
			`A binary operator with incompatible types was detected. Found operand types '${type}' and '${found}' for operator kind '${op}'.`,
		);
	}
}

export function parseFilter(text: string, entity: DataverseEntity): Expr {
	return new Parser(tokenize(text), entity).parse();
}

type Scalar = string | number | boolean | null;

function comparable(attribute: DataverseAttribute, value: unknown): Scalar {
	if (value === null || value === undefined) return null;
	if (typeof value === 'number' || typeof value === 'boolean') return value;
	const text = String(value);
	if (attribute.type === 'DateTime')
		return Date.parse(text.includes('T') ? text : `${text}T00:00:00Z`);
	return text.toLowerCase();
}

function literalScalar(value: Literal): Scalar {
	switch (value.kind) {
		case 'null':
			return null;
		case 'string':
			return value.value.toLowerCase();
		case 'guid':
			return value.value;
		case 'datetime':
			return value.ms;
		default:
			return value.value;
	}
}

function compare(left: Scalar, op: string, right: Scalar): boolean {
	if (op === 'eq') return left === right;
	if (op === 'ne') return left !== right;
	if (left === null || right === null) return false;
	if (op === 'gt') return left > right;
	if (op === 'ge') return left >= right;
	if (op === 'lt') return left < right;
	return left <= right;
}

export interface FilterContext {
	store: SandboxStore;
	entity: DataverseEntity;
}

export function evaluate(
	ctx: FilterContext,
	record: StoredRecord,
	expr: Expr,
	bound: Map<string, StoredRecord> = new Map(),
): boolean {
	const target = (lambda?: string, via?: NavigationProperty): StoredRecord | undefined => {
		const row = lambda ? bound.get(lambda) : record;
		if (!row || !via) return row;
		const lookup = attributeByColumn(ctx.entity, `_${via.attribute}_value`);
		const id = lookup ? columnValue(ctx.entity, row, lookup) : null;
		return typeof id === 'string' ? ctx.store.get('dynamics', via.target, id) : undefined;
	};
	switch (expr.kind) {
		case 'and':
			return evaluate(ctx, record, expr.left, bound) && evaluate(ctx, record, expr.right, bound);
		case 'or':
			return evaluate(ctx, record, expr.left, bound) || evaluate(ctx, record, expr.right, bound);
		case 'not':
			return !evaluate(ctx, record, expr.inner, bound);
		case 'compare': {
			const row = target(expr.lambda, expr.via);
			if (!row) return false;
			return compare(
				comparable(expr.attribute, columnValue(expr.entity, row, expr.attribute)),
				expr.op,
				literalScalar(expr.value),
			);
		}
		case 'function': {
			const row = target(expr.lambda, expr.via);
			const value = row ? columnValue(expr.entity, row, expr.attribute) : null;
			return typeof value === 'string' && expr.pattern.test(value);
		}
		case 'any': {
			const parties = ctx.store
				.list('dynamics', 'activityparty')
				.filter((party) => party.fields._activityid_value === record.id);
			return parties.some((party) =>
				evaluate(ctx, record, expr.inner, new Map([...bound, [expr.variable, party]])),
			);
		}
	}
}
