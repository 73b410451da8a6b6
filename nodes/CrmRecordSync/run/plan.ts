/** One item's plan: the sync rule decided per mapped field, and the associations to write. */
import { wireValue } from '../../CrmContactFieldMerge/wireValues';
import type { ObjectKind } from '../../shared/model';
import type { RecordData } from '../../shared/providers/CrmProvider';
import { crmDisplayName } from '../../shared/providers/profiles';
import { storedValue } from '../logic/convertValue';
import type { IdentityDecision } from '../logic/identity';
import { decideField } from '../logic/syncRules';
import { timeOf } from './parse';
import type { ObjectInfo, AssociationOut, Prepared, Planned } from './types';
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
		dealContacts: [],
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
	planAssociations(run, planned, object, current);
	return planned;
}

/** The company lookup and the deal's contacts the item's associations ask for. */
export function planAssociations(
	run: RunContext,
	p: Planned,
	object: ObjectInfo,
	current?: RecordData,
): void {
	const unresolved = (kind: ObjectKind, sourceId: string): AssociationOut => ({
		kind,
		sourceId,
		status: 'unresolved',
		reason: `the associated ${kind} has no counterpart in ${crmDisplayName(run.targetCrm)} yet: sync it first`,
	});
	const companyField = run.companyField(object);
	for (const company of p.associated.company ?? []) {
		if (!companyField || !object.fields.has(companyField)) {
			p.associations.push({
				kind: 'company',
				sourceId: company.sourceId,
				status: 'unsupported',
				reason: `${crmDisplayName(run.targetCrm)} ${object.objectType} records take no company here`,
			});
			continue;
		}
		if (!company.targetId) {
			p.associations.push(unresolved('company', company.sourceId));
			continue;
		}
		const same = current?.properties[companyField] === company.targetId;
		p.associations.push({
			kind: 'company',
			sourceId: company.sourceId,
			targetId: company.targetId,
			status: same ? 'unchanged' : 'linked',
		});
		if (!same) p.properties[companyField] = company.targetId;
	}
	const junction = run.target.profile.recordAssociations?.dealContacts;
	for (const contact of p.associated.contact ?? []) {
		if (object.kind !== 'deal' || !junction) {
			p.associations.push({
				kind: 'contact',
				sourceId: contact.sourceId,
				status: 'unsupported',
				reason: `${crmDisplayName(run.targetCrm)} contacts of a ${object.kind} are not written by this node`,
			});
			continue;
		}
		if (!contact.targetId) {
			p.associations.push(unresolved('contact', contact.sourceId));
			continue;
		}
		// Junction records are added with a new deal: a later change of a deal's contacts is not synced.
		if (p.decision.action !== 'create') {
			p.associations.push({
				kind: 'contact',
				sourceId: contact.sourceId,
				targetId: contact.targetId,
				status: 'unchanged',
				reason: 'contact roles are written when the deal is created',
			});
			continue;
		}
		p.dealContacts.push(contact.targetId);
		p.associations.push({
			kind: 'contact',
			sourceId: contact.sourceId,
			targetId: contact.targetId,
			status: 'linked',
		});
	}
}
