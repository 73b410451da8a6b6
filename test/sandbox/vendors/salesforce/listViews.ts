/**
 * List views as Salesforce describes them. A ListView row (queryable like any sObject: Name,
 * DeveloperName, SobjectType) is created through the admin API; its filter — the WHERE clause
 * a user builds in the list view editor — is a sandbox setting (`listViewFilters`, by list view
 * id). `GET …/sobjects/<object>/listviews` lists the object's views and
 * `GET …/sobjects/<object>/listviews/<id>/describe` answers with the SOQL the view runs, in
 * Salesforce's shape (`SELECT Name, Id … FROM <object> [WHERE …] ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST`).
 */
import type { VendorContext } from '../../core/types';
import { SalesforceRequestError } from './errors';
import { canonicalId } from './ids';
import { salesforceObject } from './schema';

const notFound = () =>
	new SalesforceRequestError(404, 'NOT_FOUND', 'The requested resource does not exist');

function viewsOf(ctx: VendorContext, objectName: string) {
	return ctx.store
		.list('salesforce', 'ListView')
		.filter((row) => String(row.fields.SobjectType ?? '') === objectName);
}

export function listListViews(ctx: VendorContext, version: string, type: string | undefined) {
	const object = type ? salesforceObject(type) : undefined;
	if (!object) throw notFound();
	const base = `/services/data/v${version}/sobjects/${object.name}/listviews`;
	const listviews = viewsOf(ctx, object.name).map((row) => ({
		id: row.id,
		label: row.fields.Name,
		developerName: row.fields.DeveloperName,
		describeUrl: `${base}/${row.id}/describe`,
		resultsUrl: `${base}/${row.id}/results`,
		soqlCompatible: true,
		url: `${base}/${row.id}`,
	}));
	return { done: true, listviews, nextRecordsUrl: null, size: listviews.length };
}

export function describeListView(
	ctx: VendorContext,
	filters: ReadonlyMap<string, string>,
	type: string | undefined,
	rawId: string | undefined,
) {
	const object = type ? salesforceObject(type) : undefined;
	const id = rawId ? canonicalId(rawId) : undefined;
	const row = object && id ? ctx.store.get('salesforce', 'ListView', id) : undefined;
	if (!object || !row || row.fields.SobjectType !== object.name) throw notFound();
	const filter = filters.get(row.id);
	return {
		id: row.id,
		sobjectType: object.name,
		columns: [
			{ fieldNameOrPath: 'Name', label: 'Name', sortable: true, type: 'string' },
			{ fieldNameOrPath: 'Id', label: 'Record ID', sortable: false, type: 'id', hidden: true },
		],
		orderBy: [{ fieldNameOrPath: 'Name', nullsPosition: 'first', sortDirection: 'ascending' }],
		query: `SELECT Name, Id FROM ${object.name}${filter ? ` WHERE ${filter}` : ''} ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST`,
		scope: null,
		whereCondition: filter ? { conditions: [], conjunction: 'and' } : null,
	};
}
