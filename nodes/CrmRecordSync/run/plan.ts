/** One item's plan: the sync rule decided per mapped field, and the associations to write. */
import { wireValue } from '../../CrmContactFieldMerge/wireValues';
import type { ObjectKind } from '../../shared/model';
import type { RecordData } from '../../shared/providers/CrmProvider';
import { crmDisplayName } from '../../shared/providers/profiles';
import { ASSOCIATED_KINDS, planAssociationWrites } from '../logic/associationPlan';
import { storedValue } from '../logic/convertValue';
import type { IdentityDecision } from '../logic/identity';
import { requiredTextFills } from '../logic/requiredText';
import { decideField } from '../logic/syncRules';
import { timeOf } from './parse';
import type { ObjectInfo, Prepared, Planned } from './types';
import type { RunContext } from './context';

export function planItem(
	run: RunContext,
	p: Prepared,
	decision: IdentityDecision,
	records: Map<string, RecordData>,
): Planned {
	const planned: Planned = {
		...p,
		decision,
		changes: [],
		properties: {},
		after: {},
		associations: [],
		lookups: [],
		junctions: [],
		apiLinks: [],
	};
	if (decision.action === 'skip') return planned;
	const object = run.targetObject(decision.kind);
	planned.object = object;
	const current =
		decision.action === 'update' ? records.get(`${object.objectType}:${decision.id}`) : undefined;
	planned.current = current;
	planned.targetId = decision.action === 'update' ? decision.id : undefined;
	const targetAt = timeOf(current?.updatedAt);
	for (const mapping of run.settings.mappings) {
		if (mapping.rule === 'none') continue;
		const spec = object.specs.get(mapping.targetField);
		if (!spec) {
			// A field of the other person object (a contact's field on a lead) is shown, not written.
			if (p.values.has(mapping.targetField))
				planned.changes.push({
					sourceField: mapping.sourceField,
					field: mapping.targetField,
					rule: mapping.rule,
					before: null,
					after: null,
					applied: false,
					reason: `the ${crmDisplayName(run.targetCrm)} ${object.objectType} has no such field`,
				});
			continue;
		}
		const before = current ? storedValue(current.properties[mapping.targetField], spec) : undefined;
		planned.after[mapping.targetField] = before;
		const entry = p.values.get(mapping.targetField);
		if (!entry) continue;
		const verdict = decideField(
			mapping.rule,
			{ value: entry.value, modifiedAt: p.source.modifiedAt },
			{ value: before, modifiedAt: targetAt },
			spec.type,
		);
		// A new record gets no blank values.
		const applied = verdict.write && !(decision.action === 'create' && verdict.value === undefined);
		planned.changes.push({
			sourceField: mapping.sourceField,
			field: mapping.targetField,
			rule: mapping.rule,
			before: before ?? null,
			after: verdict.write ? (verdict.value ?? null) : (before ?? null),
			applied,
			...(verdict.write ? {} : { reason: verdict.reason }),
		});
		if (!applied || !verdict.write) continue;
		planned.after[mapping.targetField] = verdict.value;
		planned.properties[mapping.targetField] =
			verdict.value === undefined ? null : wireValue(run.targetCrm, spec, verdict.value);
	}
	if (decision.action === 'create') fillRequiredText(run, planned, object);
	planAssociations(run, planned, object, current);
	return planned;
}

/** A new record's required text fields nothing filled get the target's placeholder, shown as changes. */
function fillRequiredText(run: RunContext, planned: Planned, object: ObjectInfo): void {
	const placeholder = run.target.profile.requiredTextPlaceholder;
	for (const fill of requiredTextFills(object.fields.values(), planned.properties, placeholder)) {
		planned.properties[fill.field] = fill.value;
		planned.changes.push({
			sourceField: '',
			field: fill.field,
			rule: 'required',
			before: null,
			after: fill.value,
			applied: true,
			reason: `${crmDisplayName(run.targetCrm)} requires ${fill.label} to create a ${object.objectType}; no source value, so the placeholder`,
		});
	}
}

/** The item's associations: lookups on the write, junction records and API links after it. */
export function planAssociations(
	run: RunContext,
	p: Planned,
	object: ObjectInfo,
	current?: RecordData,
): void {
	const stores = run.associationStores(object.kind);
	const now: Partial<Record<ObjectKind, string[]>> = {};
	for (const kind of ASSOCIATED_KINDS) {
		const store = stores[kind];
		if (!current || !store) continue;
		if (store.via === 'lookup') {
			const value = current.properties[store.readField];
			now[kind] = typeof value === 'string' && value !== '' ? [value] : [];
		} else if (current.associations) now[kind] = current.associations[kind] ?? [];
	}
	const plan = planAssociationWrites(p.associated, {
		crmName: crmDisplayName(run.targetCrm),
		objectType: object.objectType,
		action: p.decision.action === 'create' ? 'create' : 'update',
		stores,
		current: now,
	});
	p.associations = plan.entries;
	p.lookups = plan.lookups.map(({ field, kind, id }) => ({
		field,
		objectType: run.objectTypeOf(kind),
		id,
	}));
	p.junctions = plan.junctions;
	p.apiLinks = plan.apiLinks;
}
