/**
 * Collection reads: `$select`, `$filter`, `$orderby`, `$top`, `$count` and server-driven
 * paging (`Prefer: odata.maxpagesize=N` → `@odata.nextLink` with a `$skiptoken`).
 */
import type { SandboxStore, StoredRecord } from '../../core/store';
import { badRequest, DataverseError, unknownProperty } from './errors';
import { evaluate, parseFilter } from './filter';
import { columnValue, rowView, selectedAttributes, wantsAnnotations } from './rows';
import { attributeByColumn, type DataverseEntity } from './schema';

export interface CollectionRequest {
	store: SandboxStore;
	entity: DataverseEntity;
	query: URLSearchParams;
	prefer: string | undefined;
	/** Absolute service root the client used (`http://127.0.0.1:<port>/api/data/v9.2/`). */
	serviceRoot: string;
}

const MAX_PAGE = 5000;

function maxPageSize(prefer: string | undefined): number | undefined {
	const match = /odata\.maxpagesize=(\d+)/i.exec(prefer ?? '');
	return match ? Math.max(1, Math.min(MAX_PAGE, Number(match[1]))) : undefined;
}

/** Records sorted by an `$orderby` text (`col asc, col2 desc`); as given when there is none. */
export function orderRecords(
	entity: DataverseEntity,
	records: StoredRecord[],
	orderby: string | null,
): StoredRecord[] {
	if (!orderby) return records;
	const items = orderby.split(',').map((part) => {
		const [column, direction = 'asc'] = part.trim().split(/\s+/);
		const attribute = attributeByColumn(entity, column);
		if (!attribute) throw unknownProperty(entity, column);
		if (!['asc', 'desc'].includes(direction.toLowerCase()))
			throw badRequest(`Invalid $orderby direction '${direction}'`);
		return { attribute, desc: direction.toLowerCase() === 'desc' };
	});
	const key = (record: StoredRecord, index: number) => {
		const value = columnValue(entity, record, items[index].attribute);
		if (value === null) return null;
		if (items[index].attribute.type === 'DateTime') return Date.parse(String(value));
		return typeof value === 'string' ? value.toLowerCase() : (value as number | boolean);
	};
	return [...records].sort((a, b) => {
		for (let i = 0; i < items.length; i++) {
			const left = key(a, i);
			const right = key(b, i);
			if (left === right) continue;
			// SQL Server sorts nulls lowest.
			const cmp = left === null ? -1 : right === null ? 1 : left < right ? -1 : 1;
			return items[i].desc ? -cmp : cmp;
		}
		return 0;
	});
}

function skipOf(query: URLSearchParams): number {
	const token = query.get('$skiptoken');
	if (!token) return 0;
	const match = /offset="(\d+)"/.exec(token);
	if (!match) throw badRequest('The $skiptoken is not valid');
	return Number(match[1]);
}

export function readCollection(request: CollectionRequest): {
	body: Record<string, unknown>;
	headers: Record<string, string>;
} {
	const { store, entity, query, prefer } = request;
	const attributes = selectedAttributes(entity, query.get('$select'));
	const filterText = query.get('$filter');
	const filter = filterText ? parseFilter(filterText, entity) : undefined;
	const topText = query.get('$top');
	const top = topText === null ? undefined : Number(topText);
	if (top !== undefined && (!Number.isInteger(top) || top < 0))
		throw new DataverseError(400, '0x80060888', `Invalid value for $top: ${topText}`);

	const matching = store
		.list('dynamics', entity.logicalName)
		.filter((record) => !filter || evaluate({ store, entity }, record, filter));
	const ordered = orderRecords(entity, matching, query.get('$orderby'));
	const limited = top === undefined ? ordered : ordered.slice(0, top);
	const skip = skipOf(query);
	const pageSize = maxPageSize(prefer);
	const end = pageSize === undefined ? limited.length : skip + pageSize;
	const annotations = wantsAnnotations(prefer);
	const body: Record<string, unknown> = {
		'@odata.context': `${request.serviceRoot}$metadata#${entity.entitySet}(${attributes.map((a) => a.name).join(',')})`,
	};
	if (query.get('$count') === 'true') {
		// Dataverse stops counting at 5,000 and says so.
		body['@odata.count'] = Math.min(limited.length, 5000);
		if (limited.length > 5000) body['@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded'] = true;
	}
	body.value = limited
		.slice(skip, end)
		.map((record) => rowView(entity, record, attributes, annotations));
	if (end < limited.length) {
		const next = new URLSearchParams(query);
		next.set(
			'$skiptoken',
			`<cookie pagenumber="${Math.floor(end / (pageSize ?? 1)) + 1}" offset="${end}" />`,
		);
		body['@odata.nextLink'] =
			`${request.serviceRoot}${entity.entitySet}?${next.toString().replace(/\+/g, '%20').replace(/%24/g, '$')}`;
	}
	const applied = [
		pageSize !== undefined ? `odata.maxpagesize=${pageSize}` : '',
		annotations ? 'odata.include-annotations="*"' : '',
	]
		.filter(Boolean)
		.join(',');
	return { body, headers: applied ? { 'Preference-Applied': applied } : {} };
}
