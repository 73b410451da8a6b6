/**
 * A Dynamics 365 view's members, read with a key cursor. A view (savedquery / userquery) is a
 * FetchXML query; its filters and joins are kept and the rest rewritten: only the primary id
 * is selected, the order is the primary id, `count` is the page size, and a condition
 * `<primary id> gt <last id>` is added — pages that stay stable between polls, unlike paging
 * cookies. (`gt` and the order agree: Dataverse compares and sorts ids the same way.)
 *
 * The FetchXML comes from Dataverse, not from the user; the cursor is a checked GUID.
 * Pure: no I/O.
 */
import { isGuid } from './odata';

export interface ViewPageRequest {
	fetchXml: string;
	/** The watched table's logical name; a view of another table is refused. */
	entity: string;
	primaryId: string;
	/** The last member id of the previous page. */
	after?: string;
	limit: number;
}

/** Paging and size attributes of `<fetch>` the page query sets itself. */
const FETCH_PAGING =
	/\s(?:count|page|paging-cookie|top|returntotalrecordcount)\s*=\s*("[^"]*"|'[^']*')/gi;

const attributeValue = (tag: string, name: string): string | undefined => {
	const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'i').exec(tag);
	return match ? (match[1] ?? match[2]) : undefined;
};

/** The page's FetchXML, or an error text saying why the view cannot be paged. */
export function viewPageFetchXml(
	request: ViewPageRequest,
): { fetchXml: string } | { error: string } {
	const text = request.fetchXml.trim();
	const fetch = /^<fetch\b[^>]*>/i.exec(text);
	if (!fetch || !/<\/fetch>\s*$/i.test(text)) return { error: 'its query is not FetchXML' };
	if (attributeValue(fetch[0], 'aggregate') === 'true') return { error: 'it aggregates its rows' };
	const entity = /<entity\b[^>]*>/i.exec(text);
	const entityName = entity ? attributeValue(entity[0], 'name') : undefined;
	if (!entity || !entityName) return { error: 'its query names no table' };
	if (entityName.toLowerCase() !== request.entity.toLowerCase())
		return { error: `it lists ${entityName} rows, not ${request.entity}` };
	if (request.after !== undefined && !isGuid(request.after))
		throw new Error(`Dynamics 365 view cursor "${request.after}" is not a GUID`);
	const limit = Math.max(1, Math.floor(request.limit));
	const fetchTag =
		fetch[0].replace(FETCH_PAGING, '').replace(/\s*\/?>$/, '') + ` count="${limit}">`;
	// Columns and orders anywhere (also in joins) only widen or sort the rows: all go.
	const body = text
		.slice(fetch[0].length)
		.replace(/<(?:attribute|all-attributes|order)\b[^>]*\/>/gi, '')
		.replace(/<(attribute|order)\b[^>]*>\s*<\/\1>/gi, '');
	const cursor =
		request.after === undefined
			? ''
			: `<filter type="and"><condition attribute="${request.primaryId}" operator="gt" value="${request.after.toLowerCase()}" /></filter>`;
	const entityOpen = /<entity\b[^>]*>/i.exec(body);
	if (!entityOpen) return { error: 'its query names no table' };
	const head = `<attribute name="${request.primaryId}" /><order attribute="${request.primaryId}" descending="false" />${cursor}`;
	const end = entityOpen.index + entityOpen[0].length;
	if (entityOpen[0].endsWith('/>')) {
		const open = entityOpen[0].replace(/\s*\/>$/, '>');
		return {
			fetchXml: `${fetchTag}${body.slice(0, entityOpen.index)}${open}${head}</entity>${body.slice(end)}`,
		};
	}
	return { fetchXml: fetchTag + body.slice(0, end) + head + body.slice(end) };
}
