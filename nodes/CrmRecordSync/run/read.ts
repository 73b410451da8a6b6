/**
 * Reading the batch: each item's source record, stored link and associations, its mapped
 * values converted to the target's fields and fingerprinted, and its identity keys.
 */
import type { IDataObject } from 'n8n-workflow';
import { objectTypeFor } from '../../CrmContactFieldMerge/fieldSpecs';
import type { NeutralValue } from '../../CrmContactFieldMerge/logic/fieldValues';
import { normalizeEmail } from '../../shared/logic/email';
import { runItemStep } from '../../shared/node/outcomes';
import { crmDisplayName, profileOf } from '../../shared/providers/profiles';
import { linkKey, parseLinkRow, type LinkRow, type ParsedLink } from '../links';
import { convertValue, storedValue } from '../logic/convertValue';
import { fingerprint, associationValues } from '../logic/echo';
import { fieldPairName } from '../logic/fieldCompatibility';
import { domainOfWebsite, ineligibleReason } from '../logic/identity';
import { failItem } from './emit';
import { asObject, parseJsonParameter, timeOf } from './parse';
import type { ObjectInfo, Prepared } from './types';
import type { RunContext } from './context';

export async function prepare(run: RunContext): Promise<Prepared[]> {
	const items = run.ctx.getInputData();
	const parsed: Array<{
		index: number;
		json: IDataObject;
		record: Prepared['source'];
		link?: LinkRow;
		associated: Prepared['associated'];
	}> = [];
	items.forEach((item, itemIndex) => {
		const step = runItemStep(run.node, itemIndex, () => readItem(run, itemIndex));
		if (!step.ok) failItem(run, itemIndex, item.json, step.error);
		else parsed.push({ index: itemIndex, json: item.json, ...step.value });
	});
	const prepared: Prepared[] = [];
	for (const entry of parsed) {
		const kind = run.sourceKindOf(entry.record.objectType);
		if (!kind) {
			failItem(
				run,
				entry.index,
				entry.json,
				run.fail(
					`Item ${entry.index}: the source record's object "${entry.record.objectType}" is not a ${run.settings.kind} object of ${crmDisplayName(run.sourceCrm)}`,
					entry.index,
				),
			);
			continue;
		}
		const info = await run.describe(run.source, kind, entry.record.objectType);
		const step = runItemStep(run.node, entry.index, () =>
			mappedValues(run, entry.index, info, entry.record, entry.associated),
		);
		if (!step.ok) {
			failItem(run, entry.index, entry.json, step.error);
			continue;
		}
		const sourceKey = linkKey(run.sourceCrm, entry.record.objectType, entry.record.id);
		const keys = identityFacts(run, entry.record.properties);
		const identityKeys = [`${run.scope}|record|${sourceKey}`];
		if (keys.email) identityKeys.push(`${run.scope}|email|${keys.email}`);
		if (keys.domain) identityKeys.push(`${run.scope}|domain|${keys.domain}`);
		prepared.push({
			itemIndex: entry.index,
			associated: entry.associated,
			json: entry.json,
			source: entry.record,
			sourceKey,
			link: entry.link,
			values: step.value.values,
			sourceFingerprint: step.value.fingerprint,
			...keys,
			ineligible: ineligibleReason(run.settings.kind, { email: keys.email, name: keys.name }),
			identityKeys,
		});
	}
	return prepared;
}

export function readItem(
	run: RunContext,
	itemIndex: number,
): {
	record: Prepared['source'];
	link?: LinkRow;
	associated: Prepared['associated'];
} {
	const raw = parseJsonParameter(run.ctx.getNodeParameter('sourceRecord', itemIndex, {}));
	if (raw === 'invalid')
		throw run.fail(`Item ${itemIndex}: the source record is not valid JSON`, itemIndex);
	const record = asObject(raw.value);
	if (!record) throw run.fail(`Item ${itemIndex}: the source record is not an object`, itemIndex);
	const crm = record.crm;
	if (typeof crm === 'string' && crm !== '' && crm !== run.sourceCrm)
		throw run.fail(
			`Item ${itemIndex}: the record comes from ${crm}, but the direction's source is ${crmDisplayName(run.sourceCrm)}`,
			itemIndex,
		);
	const idValue = record.id ?? record.crmId;
	const id = typeof idValue === 'number' ? String(idValue) : idValue;
	if (typeof id !== 'string' || id === '')
		throw run.fail(`Item ${itemIndex}: field "id": the source record has no id`, itemIndex);
	const objectType =
		typeof record.objectType === 'string' && record.objectType !== ''
			? record.objectType
			: (objectTypeFor(run.source.profile, run.settings.kind) ?? '');
	if (record.event === 'deleted')
		throw run.fail(
			`Item ${itemIndex}: field "event": the record was deleted in ${crmDisplayName(run.sourceCrm)} — CRM Record Sync does not delete counterparts yet; route deleted items (event = "deleted") around this node`,
			itemIndex,
		);
	// The CRM Sync Trigger gives companies and deals standard values under neutral names in
	// `properties` and the chosen fields under their CRM names in `fields`; mappings name CRM
	// fields, so those win. A raw CRM record has only `properties`, under CRM names.
	const standard = asObject(record.properties);
	const chosen = asObject(record.fields);
	const properties = standard || chosen ? { ...standard, ...chosen } : undefined;
	if (!properties)
		throw run.fail(
			`Item ${itemIndex}: field "properties": the source record has no properties object`,
			itemIndex,
		);
	const storedLink = parseJsonParameter(run.ctx.getNodeParameter('storedLink', itemIndex, ''));
	const parsedLink: ParsedLink =
		storedLink === 'invalid'
			? { ok: false, reason: 'the stored link is not valid JSON' }
			: parseLinkRow(storedLink.value);
	if (!parsedLink.ok)
		throw run.fail(`Item ${itemIndex}: field "storedLink": ${parsedLink.reason}`, itemIndex);
	const link = parsedLink.row;
	if (link && link.key !== linkKey(run.sourceCrm, objectType, id))
		throw run.fail(
			`Item ${itemIndex}: field "storedLink": the link belongs to ${link.key}, not to this record (${linkKey(run.sourceCrm, objectType, id)})`,
			itemIndex,
		);
	return {
		record: { objectType, id, properties, modifiedAt: timeOf(record.updatedAt) },
		link,
		associated: readAssociations(run, itemIndex),
	};
}

/** The item's associated source records by kind, each with its target counterpart when known. */
export function readAssociations(run: RunContext, itemIndex: number): Prepared['associated'] {
	const raw = parseJsonParameter(run.ctx.getNodeParameter('associations', itemIndex, ''));
	if (raw === 'invalid')
		throw run.fail(`Item ${itemIndex}: field "associations": not valid JSON`, itemIndex);
	if (raw.value === undefined || raw.value === null) return {};
	const byKind = asObject(raw.value);
	if (!byKind)
		throw run.fail(
			`Item ${itemIndex}: field "associations": expected an object of ID lists by kind, e.g. {"company": ["123"]}`,
			itemIndex,
		);
	const associated: Prepared['associated'] = {};
	for (const kind of ['company', 'contact'] as const) {
		const list = byKind[kind];
		if (list === undefined || list === null) continue;
		const entries = Array.isArray(list) ? list : [list];
		const objectType = objectTypeFor(run.source.profile, kind) ?? kind;
		associated[kind] = entries.map((entry) => {
			const row = asObject(entry);
			const idValue = row ? row.id : entry;
			const sourceId =
				typeof idValue === 'number' || typeof idValue === 'string' ? String(idValue) : '';
			if (sourceId === '')
				throw run.fail(
					`Item ${itemIndex}: field "associations.${kind}": an entry has no ID`,
					itemIndex,
				);
			const given = row && typeof row.counterpartId === 'string' ? row.counterpartId : undefined;
			const known = run.guards.links.recall(linkKey(run.sourceCrm, objectType, sourceId));
			const targetId =
				given ?? (known?.counterpartCrm === run.targetCrm ? known.counterpartId : undefined);
			return { sourceId, ...(targetId ? { targetId } : {}) };
		});
	}
	return associated;
}

/** The mapped values converted to the target fields, and the fingerprint of the source's mapped values. */
export function mappedValues(
	run: RunContext,
	itemIndex: number,
	info: ObjectInfo,
	record: Prepared['source'],
	associated: Prepared['associated'],
) {
	const values: Prepared['values'] = new Map();
	// Associations count as values: a record whose company changed is not "already synced".
	const seen: Record<string, NeutralValue | undefined> = associationValues(
		Object.entries(associated).map(([kind, list]) => [kind, list.map((a) => a.sourceId)]),
	);
	const targets = run.targetKinds.map((k) => run.targetObject(k));
	for (const mapping of run.settings.mappings) {
		if (mapping.rule === 'none') continue;
		const sourceSpec = info.specs.get(mapping.sourceField);
		const targetSpec = targets
			.map((t) => t.specs.get(mapping.targetField))
			.find((spec) => spec !== undefined);
		// A field this kind of source record lacks (a lead's field on a contact) or did not deliver is left alone.
		if (!sourceSpec || !targetSpec || !(mapping.sourceField in record.properties)) continue;
		const raw = record.properties[mapping.sourceField];
		seen[mapping.sourceField] = storedValue(raw, sourceSpec);
		const converted = convertValue(raw, sourceSpec, targetSpec);
		if (!converted.ok)
			throw run.fail(
				`Item ${itemIndex}: field pair ${fieldPairName(
					{ ...sourceSpec, label: sourceSpec.label, nativeType: '', readOnly: false },
					{ ...targetSpec, label: targetSpec.label, nativeType: '', readOnly: false },
				)}: ${converted.reason}`,
				itemIndex,
			);
		values.set(mapping.targetField, { mapping, value: converted.value });
	}
	return { values, fingerprint: fingerprint(seen) };
}

export function identityFacts(
	run: RunContext,
	properties: Record<string, unknown>,
): {
	email?: string;
	domain?: string;
	name?: string;
} {
	const profile = profileOf(run.sourceCrm);
	const text = (field: string | undefined) => {
		const value = field ? properties[field] : undefined;
		return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
	};
	if (run.settings.kind === 'contact') {
		const raw = text(profile.personKeys.stored.email);
		const email = raw ? normalizeEmail(raw) : undefined;
		return email?.ok ? { email: email.email } : {};
	}
	if (run.settings.kind === 'company') {
		const keys = profile.recordKeys?.company;
		const website = text(keys?.website);
		return { name: text(keys?.name), domain: website ? domainOfWebsite(website) : undefined };
	}
	return { name: text(profile.recordKeys?.deal?.name) };
}
