/** The mappings checked once per run, before any record is read. */
import { mergeTypeOf } from '../../CrmContactFieldMerge/fieldSpecs';
import type { CrmName } from '../../shared/model';
import { crmDisplayName } from '../../shared/providers/profiles';
import { checkCompatibility, type MappedFieldFacts } from '../logic/fieldCompatibility';
import type { ObjectInfo } from './types';
import type { RunContext } from './context';

/**
 * Every mapping must name fields both CRMs have (on one of the person objects, for people),
 * of types that convert; fails the run naming the pair.
 */
export function checkMappings(run: RunContext, sources: ObjectInfo[], targets: ObjectInfo[]): void {
	const facts = (
		infos: ObjectInfo[],
		name: string,
		side: string,
		crm: CrmName,
	): MappedFieldFacts => {
		const field = infos.map((info) => info.fields.get(name)).find((f) => f !== undefined);
		if (!field)
			throw run.fail(
				`The ${side} field "${name}" does not exist on the ${crmDisplayName(crm)} ${infos.map((i) => i.objectType).join(' or ')} object`,
			);
		return {
			name,
			label: field.label,
			type: mergeTypeOf(field),
			nativeType: field.nativeType,
			readOnly: field.readOnly,
		};
	};
	for (const mapping of run.settings.mappings) {
		if (mapping.rule === 'none') continue;
		const s = facts(sources, mapping.sourceField, 'source', run.sourceCrm);
		const t = facts(targets, mapping.targetField, 'target', run.targetCrm);
		const verdict = checkCompatibility(s, t);
		if (!verdict.ok) throw run.fail(verdict.reason);
	}
}
