/**
 * `POST /crm/v3/objects/{type}/search` semantics: filterGroups OR'ed, filters AND'ed,
 * HubSpot's documented limits (5 groups, 10 filters per group, 25 in total since August
 * 2024; at most 100 values in one IN / NOT_IN filter), one sort, `limit` ≤ 200 and `after`
 * as an offset cursor.
 */
import type { StoredRecord } from '../../core/store';
import type { PropertyDefinition } from './schema';

export const MAX_FILTER_GROUPS = 5;
export const MAX_FILTERS_PER_GROUP = 10;
export const MAX_FILTERS_TOTAL = 25;
export const MAX_IN_VALUES = 100;
export const MAX_SEARCH_LIMIT = 200;

const OPERATORS = [
	'EQ',
	'NEQ',
	'LT',
	'LTE',
	'GT',
	'GTE',
	'BETWEEN',
	'IN',
	'NOT_IN',
	'HAS_PROPERTY',
	'NOT_HAS_PROPERTY',
	'CONTAINS_TOKEN',
	'NOT_CONTAINS_TOKEN',
] as const;
type Operator = (typeof OPERATORS)[number];

export interface SearchFilter {
	propertyName: string;
	operator: Operator;
	value?: string;
	highValue?: string;
	values?: string[];
}

export interface SearchRequest {
	filterGroups: SearchFilter[][];
	sort?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' };
	query?: string;
	properties?: string[];
	limit: number;
	offset: number;
}

const asString = (v: unknown): string | undefined =>
	typeof v === 'string'
		? v
		: typeof v === 'number' || typeof v === 'boolean'
			? String(v)
			: undefined;

/** Validates the body; returns the parsed request or a validation message. */
export function parseSearch(
	body: unknown,
	schema: Map<string, PropertyDefinition>,
): SearchRequest | string {
	const raw = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
	const groupsRaw = raw.filterGroups === undefined ? [] : raw.filterGroups;
	if (!Array.isArray(groupsRaw)) return 'filterGroups must be an array';
	if (groupsRaw.length > MAX_FILTER_GROUPS)
		return `Too many filter groups: ${groupsRaw.length}. The maximum number of filterGroups is ${MAX_FILTER_GROUPS}.`;
	const filterGroups: SearchFilter[][] = [];
	let total = 0;
	for (const group of groupsRaw as Array<Record<string, unknown>>) {
		const filters = Array.isArray(group?.filters)
			? (group.filters as Array<Record<string, unknown>>)
			: [];
		if (filters.length > MAX_FILTERS_PER_GROUP)
			return `Too many filters in a filter group: ${filters.length}. The maximum number of filters per group is ${MAX_FILTERS_PER_GROUP}.`;
		total += filters.length;
		const parsed: SearchFilter[] = [];
		for (const f of filters) {
			const propertyName = asString(f.propertyName);
			const operator = (asString(f.operator) ?? 'EQ') as Operator;
			if (!propertyName) return 'Each filter needs a propertyName.';
			if (!OPERATORS.includes(operator)) return `Unknown filter operator ${String(f.operator)}.`;
			if (!schema.has(propertyName) && !ASSOCIATION_FILTER.test(propertyName))
				return `Property ${propertyName} does not exist or is not searchable.`;
			const values = Array.isArray(f.values)
				? f.values.map(asString).filter((v): v is string => v !== undefined)
				: undefined;
			if ((operator === 'IN' || operator === 'NOT_IN') && !values?.length)
				return `Operator ${operator} requires values.`;
			if (values && values.length > MAX_IN_VALUES)
				return `Too many values in the ${operator} filter on ${propertyName}: ${values.length}. The maximum number of values per filter is ${MAX_IN_VALUES}.`;
			if (operator === 'BETWEEN' && (f.value === undefined || f.highValue === undefined))
				return 'Operator BETWEEN requires value and highValue.';
			const needsValue = !['IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'].includes(operator);
			if (needsValue && asString(f.value) === undefined)
				return `Operator ${operator} requires a value.`;
			parsed.push({
				propertyName,
				operator,
				value: asString(f.value),
				highValue: asString(f.highValue),
				values,
			});
		}
		filterGroups.push(parsed);
	}
	if (total > MAX_FILTERS_TOTAL)
		return `Too many filters: ${total}. The maximum number of filters across all groups is ${MAX_FILTERS_TOTAL}.`;

	const limit = raw.limit === undefined ? 10 : Number(raw.limit);
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT)
		return `limit must be between 1 and ${MAX_SEARCH_LIMIT}.`;
	const offset =
		raw.after === undefined || raw.after === null || raw.after === '' ? 0 : Number(raw.after);
	if (!Number.isInteger(offset) || offset < 0)
		return 'after must be a paging cursor from a previous response.';

	let sort: SearchRequest['sort'];
	if (Array.isArray(raw.sorts) && raw.sorts.length > 0) {
		if (raw.sorts.length > 1) return 'Only one sort is allowed.';
		const s = raw.sorts[0] as unknown;
		if (typeof s === 'string')
			sort = {
				propertyName: s.replace(/^-/, ''),
				direction: s.startsWith('-') ? 'DESCENDING' : 'ASCENDING',
			};
		else if (typeof s === 'object' && s !== null) {
			const so = s as Record<string, unknown>;
			sort = {
				propertyName: String(so.propertyName),
				direction: so.direction === 'DESCENDING' ? 'DESCENDING' : 'ASCENDING',
			};
		}
	}
	const properties = Array.isArray(raw.properties)
		? raw.properties.filter((p): p is string => typeof p === 'string')
		: undefined;
	return {
		filterGroups,
		sort,
		query: asString(raw.query),
		properties: properties?.length ? properties : undefined,
		limit,
		offset,
	};
}

/** HubSpot's search accepts `associations.<object>` (EQ / IN an associated record id) on engagements. */
const ASSOCIATION_FILTER = /^associations\.(contact|company|deal|ticket)$/;

function tokens(text: string): string[] {
	return text
		.toLowerCase()
		.split(/[^a-z0-9*]+/)
		.filter(Boolean);
}

function comparable(def: PropertyDefinition | undefined, value: string): number | string {
	if (def?.type === 'number') return Number(value);
	if (def?.type === 'datetime' || def?.type === 'date') {
		const epoch = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
		return Number.isNaN(epoch) ? value.toLowerCase() : epoch;
	}
	return value.toLowerCase();
}

function containsToken(actual: string, wanted: string): boolean {
	if (wanted.includes('*')) {
		const pattern = new RegExp(
			`^${wanted
				.toLowerCase()
				.split('*')
				.map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
				.join('.*')}$`,
		);
		return pattern.test(actual.toLowerCase()) || tokens(actual).some((t) => pattern.test(t));
	}
	const have = tokens(actual);
	return tokens(wanted).every((t) => have.includes(t));
}

function matches(
	filter: SearchFilter,
	record: StoredRecord,
	schema: Map<string, PropertyDefinition>,
	associated?: AssociatedIds,
): boolean {
	const association = ASSOCIATION_FILTER.exec(filter.propertyName);
	if (association) {
		const ids = associated?.(record, association[1]) ?? [];
		if (filter.operator === 'EQ') return ids.includes(filter.value!);
		if (filter.operator === 'IN') return filter.values!.some((v) => ids.includes(v));
		return false;
	}
	const raw = record.fields[filter.propertyName];
	const actual = raw === undefined || raw === null || raw === '' ? undefined : String(raw);
	const def = schema.get(filter.propertyName);
	const cmp = (v: string) => comparable(def, v);
	switch (filter.operator) {
		case 'HAS_PROPERTY':
			return actual !== undefined;
		case 'NOT_HAS_PROPERTY':
			return actual === undefined;
		case 'NEQ':
			return actual === undefined || cmp(actual) !== cmp(filter.value!);
		case 'NOT_IN':
			return actual === undefined || !filter.values!.some((v) => cmp(v) === cmp(actual));
		case 'NOT_CONTAINS_TOKEN':
			return actual === undefined || !containsToken(actual, filter.value!);
	}
	if (actual === undefined) return false;
	const a = cmp(actual);
	switch (filter.operator) {
		case 'EQ':
			return a === cmp(filter.value!);
		case 'IN':
			return filter.values!.some((v) => cmp(v) === a);
		case 'LT':
			return a < cmp(filter.value!);
		case 'LTE':
			return a <= cmp(filter.value!);
		case 'GT':
			return a > cmp(filter.value!);
		case 'GTE':
			return a >= cmp(filter.value!);
		case 'BETWEEN':
			return a >= cmp(filter.value!) && a <= cmp(filter.highValue!);
		case 'CONTAINS_TOKEN':
			return containsToken(actual, filter.value!);
		default:
			return false;
	}
}

/** Fields the free-text `query` looks at (HubSpot's default searchable properties). */
const QUERY_FIELDS = [
	'firstname',
	'lastname',
	'email',
	'phone',
	'mobilephone',
	'company',
	'name',
	'domain',
	'dealname',
	'hs_meeting_title',
	'hs_task_subject',
	'hs_call_title',
];

/** Ids of the records of `objectType` (singular) associated with a record. */
export type AssociatedIds = (record: StoredRecord, objectType: string) => string[];

export function runSearch(
	records: StoredRecord[],
	request: SearchRequest,
	schema: Map<string, PropertyDefinition>,
	associated?: AssociatedIds,
): { total: number; page: StoredRecord[]; nextOffset?: number } {
	let hits = records.filter(
		(r) =>
			request.filterGroups.length === 0 ||
			request.filterGroups.some((group) => group.every((f) => matches(f, r, schema, associated))),
	);
	if (request.query) {
		const q = request.query.toLowerCase();
		hits = hits.filter((r) =>
			QUERY_FIELDS.some(
				(f) => typeof r.fields[f] === 'string' && (r.fields[f] as string).toLowerCase().includes(q),
			),
		);
	}
	const sort = request.sort;
	hits.sort((x, y) => {
		if (sort) {
			const def = schema.get(sort.propertyName);
			const xv = x.fields[sort.propertyName];
			const yv = y.fields[sort.propertyName];
			if (xv !== yv) {
				if (xv === undefined) return 1;
				if (yv === undefined) return -1;
				const order = comparable(def, String(xv)) < comparable(def, String(yv)) ? -1 : 1;
				return sort.direction === 'DESCENDING' ? -order : order;
			}
		}
		return Number(x.id) - Number(y.id);
	});
	const page = hits.slice(request.offset, request.offset + request.limit);
	const next = request.offset + request.limit;
	return { total: hits.length, page, nextOffset: next < hits.length ? next : undefined };
}
