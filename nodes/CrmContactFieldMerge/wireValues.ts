/**
 * Neutral merge values → what each CRM's API takes for that field type, applied just before
 * the write (the diff keeps the neutral form). The providers pass record properties through
 * as given except HubSpot's (which joins arrays itself), and only the node holds the field
 * types from the describe: Salesforce multi-select picklists are `;`-joined text, Dataverse
 * choices are integers and multi-select choices `,`-joined integers.
 */
import type { NeutralValue } from '../shared/logic/fieldValues';
import type { CrmName } from '../shared/model';
import type { MergeFieldSpec } from './fieldSpecs';

const INTEGER = /^-?\d+$/;

function dynamicsValue(spec: MergeFieldSpec | undefined, value: NeutralValue): unknown {
	if (spec?.type === 'enum' && typeof value === 'string' && INTEGER.test(value)) return Number(value);
	if (spec?.type === 'multiEnum' && Array.isArray(value)) return value.join(',');
	return value;
}

export function wireValue(crm: CrmName, spec: MergeFieldSpec | undefined, value: NeutralValue): unknown {
	if (crm === 'dynamics') return dynamicsValue(spec, value);
	if (Array.isArray(value) && (crm === 'salesforce' || crm === 'hubspot')) return value.join(';');
	return value;
}

export function wireProperties(crm: CrmName, specs: ReadonlyMap<string, MergeFieldSpec>, properties: Record<string, NeutralValue>): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const [field, value] of Object.entries(properties)) out[field] = wireValue(crm, specs.get(field), value);
	return out;
}
