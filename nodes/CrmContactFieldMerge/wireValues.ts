/**
 * Neutral merge values → what each CRM's API takes for that field type, applied just before
 * the write (the diff keeps the neutral form). The providers pass record properties through
 * as given, and only the node holds the field types from the describe, so the CRM's profile
 * (`fieldValues`) says how: multi-select values joined by its separator (`;` in Salesforce and
 * HubSpot, `,` in Dataverse), choices sent as numbers where its choices are integers.
 */
import type { NeutralValue } from './logic/fieldValues';
import type { CrmName } from '../shared/model';
import { profileOf } from '../shared/providers/profiles';
import type { MergeFieldSpec } from './fieldSpecs';

const INTEGER = /^-?\d+$/;

export function wireValue(
	crm: CrmName,
	spec: MergeFieldSpec | undefined,
	value: NeutralValue,
): unknown {
	const { multiSelectSeparator, choicesAsNumbers } = profileOf(crm).fieldValues;
	if (choicesAsNumbers && spec?.type === 'enum' && typeof value === 'string' && INTEGER.test(value))
		return Number(value);
	if (Array.isArray(value) && multiSelectSeparator !== undefined)
		return value.join(multiSelectSeparator);
	return value;
}

export function wireProperties(
	crm: CrmName,
	specs: ReadonlyMap<string, MergeFieldSpec>,
	properties: Record<string, NeutralValue>,
): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [field, value] of Object.entries(properties))
		out[field] = wireValue(crm, specs.get(field), value);
	return out;
}
