/**
 * Small, safe OData query builders. Every user value goes through `odataLiteral` (quote
 * doubling) and the whole $filter through `encodeODataFilter`; identifiers and GUIDs are
 * validated instead of escaped, because they are never meant to carry free text.
 */
import { encodeODataFilter, escapeODataLike, odataLiteral } from '../../logic/escape';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
	return GUID.test(value);
}

/** A GUID as an OData literal (unquoted); throws on anything else so no text reaches a URL unescaped. */
export function guidLiteral(value: string): string {
	if (!isGuid(value))
		throw new Error(`Not a Dynamics 365 record id (GUID): ${JSON.stringify(value.slice(0, 60))}`);
	return value.toLowerCase();
}

/** A column or entity name; throws on anything that is not a plain identifier. */
export function identifier(name: string): string {
	if (!IDENTIFIER.test(name))
		throw new Error(`Not a valid Dynamics 365 column name: ${JSON.stringify(name.slice(0, 60))}`);
	return name;
}

/**
 * A column, or a column of the row a lookup points to (`parentcontactid/emailaddress1`:
 * Dataverse filters on single-valued navigation properties this way).
 */
export function columnPath(path: string): string {
	const parts = path.split('/');
	if (parts.length > 2)
		throw new Error(`Not a valid Dynamics 365 column path: ${JSON.stringify(path.slice(0, 60))}`);
	return parts.map(identifier).join('/');
}

export function eq(field: string, value: string): string {
	return `${columnPath(field)} eq ${odataLiteral(value)}`;
}

export function eqGuid(field: string, id: string): string {
	return `${identifier(field)} eq ${guidLiteral(id)}`;
}

export function contains(field: string, value: string): string {
	return `contains(${columnPath(field)},'${escapeODataLike(value)}')`;
}

export function endsWith(field: string, value: string): string {
	return `endswith(${columnPath(field)},'${escapeODataLike(value)}')`;
}

/** ORs clauses in parentheses; undefined when there is nothing to OR. */
export function anyOf(clauses: readonly string[]): string | undefined {
	if (clauses.length === 0) return undefined;
	return clauses.length === 1 ? clauses[0] : `(${clauses.join(' or ')})`;
}

export function allOf(clauses: ReadonlyArray<string | undefined>): string | undefined {
	const present = clauses.filter((clause): clause is string => Boolean(clause));
	if (present.length === 0) return undefined;
	return present.length === 1 ? present[0] : present.map((clause) => `(${clause})`).join(' and ');
}

/** An ISO timestamp as an OData DateTimeOffset literal (unquoted), normalised to UTC. */
export function dateTimeLiteral(iso: string): string {
	const time = Date.parse(iso);
	if (Number.isNaN(time))
		throw new Error(`Not an ISO timestamp: ${JSON.stringify(iso.slice(0, 60))}`);
	return new Date(time).toISOString().replace('.000Z', 'Z');
}

export interface QueryOptions {
	select?: readonly string[];
	filter?: string;
	orderBy?: ReadonlyArray<{ field: string; desc?: boolean }>;
	top?: number;
	/** Ask for `@odata.count` (Dataverse counts up to 5,000). */
	count?: boolean;
}

/** `entityset?$select=..&$filter=..&$orderby=..&$top=..` with the filter percent-encoded. */
export function queryPath(entitySet: string, options: QueryOptions): string {
	const params: string[] = [];
	if (options.select?.length) params.push(`$select=${options.select.map(identifier).join(',')}`);
	if (options.filter) params.push(`$filter=${encodeODataFilter(options.filter)}`);
	if (options.orderBy?.length) {
		const order = options.orderBy
			.map((o) => `${identifier(o.field)} ${o.desc ? 'desc' : 'asc'}`)
			.join(',');
		params.push(`$orderby=${encodeURIComponent(order)}`);
	}
	if (options.top !== undefined) params.push(`$top=${Math.max(1, Math.floor(options.top))}`);
	if (options.count) params.push('$count=true');
	return params.length ? `${identifier(entitySet)}?${params.join('&')}` : identifier(entitySet);
}
