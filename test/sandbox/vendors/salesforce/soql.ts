/**
 * A SOQL interpreter for the subset the pack sends:
 * `SELECT fields | COUNT() FROM Object [WHERE …] [ORDER BY …] [LIMIT n] [OFFSET n]`,
 * with relationship paths, typed literals and Salesforce's error codes.
 */
import type { SandboxStore, StoredRecord } from '../../core/store';
import { malformedQuery, SalesforceRequestError } from './errors';
import { describe, tokenize, TokenStream } from './lexer';
import { salesforceObject, type SalesforceObject } from './schema';
import {
	checkSemiJoins,
	fieldPath,
	matches,
	parseCondition,
	parseOrderBy,
	sortRecords,
	type Condition,
	type EvalContext,
	type OrderItem,
} from './soqlCondition';
import { recordView, type FieldPath } from './values';

export interface SelectItem {
	text: string;
	path: FieldPath;
}

export interface SoqlQuery {
	object: SalesforceObject;
	count: boolean;
	fields: SelectItem[];
	where?: Condition;
	orderBy: OrderItem[];
	limit?: number;
	offset?: number;
}

export function unknownObject(name: string): SalesforceRequestError {
	return new SalesforceRequestError(
		400,
		'INVALID_TYPE',
		`sObject type '${name}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.`,
	);
}

/** Field names up to the keyword that ends the list (FROM, WHERE, ORDER, LIMIT or ')'). */
export function parseSelectList(stream: TokenStream, stopAt: string[]): string[] {
	const names: string[] = [];
	while (!stream.done() && !stopAt.some((word) => stream.isKeyword(word)) && !stream.isPunct(')')) {
		const token = stream.next();
		if (token.kind !== 'ident') throw malformedQuery(`unexpected token: '${describe(token)}'`);
		names.push(token.text);
		if (!stream.acceptPunct(',')) break;
	}
	return names;
}

function positiveInteger(stream: TokenStream, what: string): number {
	const token = stream.next();
	if (token.kind !== 'number' || !Number.isInteger(token.value) || token.value < 0)
		throw malformedQuery(`unexpected token: '${describe(token)}', ${what} needs a number`);
	return token.value;
}

export function parseSoql(text: string): SoqlQuery {
	const stream = new TokenStream(tokenize(text));
	stream.expectKeyword('SELECT');
	let count = false;
	let names: string[] = [];
	if (stream.isKeyword('COUNT') && stream.peek(1)?.kind === 'punct') {
		stream.next();
		stream.expectPunct('(');
		stream.expectPunct(')');
		count = true;
	} else {
		names = parseSelectList(stream, ['FROM']);
		if (names.length === 0) throw malformedQuery(`unexpected token: '${describe(stream.peek())}'`);
	}
	stream.expectKeyword('FROM');
	const objectToken = stream.next();
	if (objectToken.kind !== 'ident')
		throw malformedQuery(`unexpected token: '${describe(objectToken)}'`);
	const object = salesforceObject(objectToken.text);
	if (!object) throw unknownObject(objectToken.text);
	const query: SoqlQuery = {
		object,
		count,
		fields: names.map((name) => ({ text: name, path: fieldPath(object, name) })),
		orderBy: [],
	};
	if (stream.acceptKeyword('WHERE')) {
		query.where = parseCondition(stream, object);
		checkSemiJoins(query.where);
	}
	if (stream.acceptKeyword('ORDER')) {
		stream.expectKeyword('BY');
		query.orderBy = parseOrderBy(stream, object);
	}
	if (stream.acceptKeyword('LIMIT')) query.limit = positiveInteger(stream, 'LIMIT');
	if (stream.acceptKeyword('OFFSET')) query.offset = positiveInteger(stream, 'OFFSET');
	if (!stream.done()) throw malformedQuery(`unexpected token: '${describe(stream.peek())}'`);
	return query;
}

/** Records of an object matching a condition, ordered and limited. */
export function selectRecords(
	store: SandboxStore,
	object: SalesforceObject,
	where: Condition | undefined,
	orderBy: OrderItem[],
	limit?: number,
	offset = 0,
): StoredRecord[] {
	const ctx: EvalContext = { store, object };
	// Insertion order stands in for Salesforce's unspecified default order.
	const filtered = store
		.list('salesforce', object.name)
		.filter((record) => !where || matches(ctx, record, where));
	const sorted = sortRecords(ctx, filtered, orderBy);
	return sorted.slice(offset, limit === undefined ? undefined : offset + limit);
}

export interface QueryResult {
	totalSize: number;
	records: Array<Record<string, unknown>>;
}

/** The conditions joined by the top-level ANDs of a WHERE clause. */
function conjuncts(condition: Condition | undefined): Condition[] {
	if (!condition) return [];
	return condition.kind === 'and'
		? [...conjuncts(condition.left), ...conjuncts(condition.right)]
		: [condition];
}

/** Salesforce only queries ContentDocumentLink filtered by its document or its linked record. */
function checkContentDocumentLinkFilter(query: SoqlQuery): void {
	if (query.object.name !== 'ContentDocumentLink') return;
	const keyed = conjuncts(query.where).some((condition) => {
		const byId =
			(condition.kind === 'compare' && condition.op === '=') ||
			(condition.kind === 'in' && !condition.negated);
		return (
			byId &&
			condition.path.relationships.length === 0 &&
			['ContentDocumentId', 'LinkedEntityId'].includes(condition.path.name)
		);
	});
	if (!keyed) {
		throw malformedQuery(
			"Implementation restriction: ContentDocumentLink requires a filter by a single Id on ContentDocumentId or LinkedEntityId using the equals operator or multiple Id's using the IN operator.",
		);
	}
}

export function runSoql(store: SandboxStore, version: string, text: string): QueryResult {
	const query = parseSoql(text);
	checkContentDocumentLinkFilter(query);
	const records = selectRecords(
		store,
		query.object,
		query.where,
		query.orderBy,
		query.limit,
		query.offset,
	);
	if (query.count) return { totalSize: records.length, records: [] };
	return {
		totalSize: records.length,
		records: records.map((record) =>
			recordView(store, version, query.object, record, query.fields),
		),
	};
}
