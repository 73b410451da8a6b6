/**
 * `GET <entity set>?fetchXml=…`: the FetchXML subset a view holds — one `<entity>` with
 * `<attribute>`/`<all-attributes>`, `<order>` and nested `<filter type="and|or">` of
 * `<condition>`s (eq ne gt ge lt le, null not-null, like not-like, in not-in) — and `count`.
 * Each condition becomes an OData comparison for the `$filter` interpreter (filter.ts), so
 * both kinds of query select rows the same way. Link entities and aggregates are refused with
 * 400 (the pack never sends them; a view that joins would need them).
 */
import type { SandboxStore } from '../../core/store';
import { badRequest } from './errors';
import { evaluate, parseFilter } from './filter';
import { orderRecords } from './query';
import { rowView, selectedAttributes, wantsAnnotations } from './rows';
import { attributeOf, columnName, entityByLogicalName, type DataverseEntity } from './schema';

interface XmlElement {
	name: string;
	attributes: Record<string, string>;
	children: XmlElement[];
	text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (text: string) =>
	text.replace(/&(amp|lt|gt|quot|apos);/g, (_m, e: string) => ENTITIES[e]);

/** A small parser for the well-formed XML Dataverse stores (no comments, CDATA or DTD). */
function parseXml(text: string): XmlElement {
	let at = 0;
	const fail = (why: string) => badRequest(`FetchXML could not be parsed: ${why}`);
	const element = (): XmlElement => {
		const open = /^<([A-Za-z][\w.-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(
			text.slice(at),
		);
		if (!open) throw fail(`expected an element at ${at}`);
		at += open[0].length;
		const attributes: Record<string, string> = {};
		for (const m of open[2].matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
			attributes[m[1]] = decode(m[2] ?? m[3]);
		const node: XmlElement = { name: open[1], attributes, children: [], text: '' };
		if (open[3] === '/') return node;
		for (;;) {
			const rest = text.slice(at);
			const textRun = /^[^<]+/.exec(rest);
			if (textRun) {
				node.text += decode(textRun[0]);
				at += textRun[0].length;
				continue;
			}
			const close = new RegExp(`^</${open[1]}\\s*>`).exec(rest);
			if (close) {
				at += close[0].length;
				node.text = node.text.trim();
				return node;
			}
			if (rest === '') throw fail(`<${open[1]}> is not closed`);
			node.children.push(element());
		}
	};
	text = text.trim().replace(/^<\?xml[^>]*\?>\s*/, '');
	const root = element();
	if (text.slice(at).trim() !== '') throw fail('text after the root element');
	return root;
}

const childrenNamed = (node: XmlElement, name: string) =>
	node.children.filter((child) => child.name === name);

/** An OData literal for `value` in the column of `attribute`'s type. */
function literal(entity: DataverseEntity, attributeName: string, value: string): string {
	const attribute = attributeOf(entity, attributeName);
	if (!attribute)
		throw badRequest(
			`'${entity.logicalName}' entity doesn't contain attribute with Name = '${attributeName}'`,
		);
	switch (attribute.type) {
		case 'String':
		case 'Memo':
		case 'EntityName':
			return `'${value.replace(/'/g, "''")}'`;
		case 'Boolean':
			return value === '1' || value.toLowerCase() === 'true' ? 'true' : 'false';
		case 'DateTime':
			return value;
		default:
			return value;
	}
}

function conditionText(entity: DataverseEntity, condition: XmlElement): string {
	const name = condition.attributes.attribute;
	const operator = (condition.attributes.operator ?? '').toLowerCase();
	const attribute = name ? attributeOf(entity, name) : undefined;
	if (!name || !attribute)
		throw badRequest(
			`'${entity.logicalName}' entity doesn't contain attribute with Name = '${name ?? ''}'`,
		);
	const column = columnName(attribute);
	const value = condition.attributes.value ?? '';
	if (['eq', 'ne', 'gt', 'ge', 'lt', 'le'].includes(operator))
		return `${column} ${operator} ${literal(entity, name, value)}`;
	if (operator === 'null') return `${column} eq null`;
	if (operator === 'not-null') return `${column} ne null`;
	if (operator === 'like' || operator === 'not-like') {
		const inner = value.replace(/^%/, '').replace(/%$/, '');
		const quoted = `'${inner.replace(/'/g, "''")}'`;
		const starts = value.startsWith('%');
		const ends = value.endsWith('%') && value.length > 1;
		const test =
			starts && ends
				? `contains(${column},${quoted})`
				: ends
					? `startswith(${column},${quoted})`
					: starts
						? `endswith(${column},${quoted})`
						: `${column} eq ${quoted}`;
		return operator === 'like' ? test : `not ${test}`;
	}
	if (operator === 'in' || operator === 'not-in') {
		const values = childrenNamed(condition, 'value').map((v) => literal(entity, name, v.text));
		if (values.length === 0) throw badRequest(`Condition '${name} ${operator}' needs values`);
		const any = `(${values.map((v) => `${column} eq ${v}`).join(' or ')})`;
		return operator === 'in' ? any : `not ${any}`;
	}
	throw badRequest(`FetchXML operator '${operator}' is not supported by the sandbox`);
}

function filterText(entity: DataverseEntity, filter: XmlElement): string | undefined {
	const join = (filter.attributes.type ?? 'and').toLowerCase() === 'or' ? ' or ' : ' and ';
	const parts = filter.children.flatMap((child) => {
		if (child.name === 'condition') return [conditionText(entity, child)];
		if (child.name === 'filter') {
			const inner = filterText(entity, child);
			return inner ? [inner] : [];
		}
		throw badRequest(`<${child.name}> in a filter is not supported by the sandbox`);
	});
	return parts.length ? `(${parts.join(join)})` : undefined;
}

export function readFetchXml(request: {
	store: SandboxStore;
	entity: DataverseEntity;
	fetchXml: string;
	prefer: string | undefined;
	serviceRoot: string;
}): { body: Record<string, unknown> } {
	const fetch = parseXml(request.fetchXml);
	if (fetch.name !== 'fetch') throw badRequest('FetchXML must start with <fetch>');
	if (fetch.attributes.aggregate === 'true')
		throw badRequest('aggregate FetchXML is not supported by the sandbox');
	const [entityNode, ...others] = childrenNamed(fetch, 'entity');
	if (!entityNode || others.length > 0) throw badRequest('FetchXML needs exactly one <entity>');
	const entity = entityByLogicalName(entityNode.attributes.name ?? '');
	if (!entity || entity.logicalName !== request.entity.logicalName)
		throw badRequest(
			`The entity name in the FetchXML (${entityNode.attributes.name ?? ''}) does not match the entity set ${request.entity.entitySet}`,
		);
	const columns: string[] = [];
	let all = false;
	const orders: string[] = [];
	const filters: string[] = [];
	for (const child of entityNode.children) {
		if (child.name === 'attribute') {
			const attribute = attributeOf(entity, child.attributes.name ?? '');
			if (!attribute) throw badRequest(`unknown attribute '${child.attributes.name ?? ''}'`);
			columns.push(columnName(attribute));
		} else if (child.name === 'all-attributes') all = true;
		else if (child.name === 'order') {
			const attribute = attributeOf(entity, child.attributes.attribute ?? '');
			if (!attribute)
				throw badRequest(`unknown order attribute '${child.attributes.attribute ?? ''}'`);
			orders.push(
				`${columnName(attribute)} ${child.attributes.descending === 'true' ? 'desc' : 'asc'}`,
			);
		} else if (child.name === 'filter') {
			const text = filterText(entity, child);
			if (text) filters.push(text);
		} else throw badRequest(`<${child.name}> is not supported by the sandbox`);
	}
	const filter = filters.length ? parseFilter(filters.join(' and '), entity) : undefined;
	const matching = request.store
		.list('dynamics', entity.logicalName)
		.filter((record) => !filter || evaluate({ store: request.store, entity }, record, filter));
	const ordered = orderRecords(entity, matching, orders.length ? orders.join(',') : null);
	const countText = fetch.attributes.count;
	const count = countText === undefined ? 5000 : Number(countText);
	if (!Number.isInteger(count) || count < 1 || count > 5000)
		throw badRequest(`FetchXML count must be 1–5000, not ${countText ?? ''}`);
	const attributes = selectedAttributes(
		entity,
		all || columns.length === 0 ? null : columns.join(','),
	);
	return {
		body: {
			'@odata.context': `${request.serviceRoot}$metadata#${entity.entitySet}(${attributes.map((a) => a.name).join(',')})`,
			'@Microsoft.Dynamics.CRM.morerecords': ordered.length > count,
			value: ordered
				.slice(0, count)
				.map((record) => rowView(entity, record, attributes, wantsAnnotations(request.prefer))),
		},
	};
}
