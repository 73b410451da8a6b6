/**
 * The ready mappings (lead source, lifecycle stage): which CRM field feeds each one for the
 * watched record kind, from the CRM's profile. A kind without such a field, or an org whose
 * object description lacks it (field-level security, a trimmed schema), gives an attribute
 * that is always null: unknown, never a made-up value.
 *
 * Pure: no I/O.
 */
import type { ObjectKind } from '../../shared/model';
import type {
	CrmProfile,
	StandardAttributeFacts,
	StandardAttributeName,
} from '../../shared/providers/profile';
import type { AttributeMapping } from './typedAttributes';

export const STANDARD_ATTRIBUTES: ReadonlyArray<{
	name: StandardAttributeName;
	displayName: string;
}> = [
	{ name: 'leadSource', displayName: 'Lead Source' },
	{ name: 'lifecycleStage', displayName: 'Lifecycle Stage' },
];

export function isStandardAttribute(name: string): name is StandardAttributeName {
	return STANDARD_ATTRIBUTES.some((attribute) => attribute.name === name);
}

/** The record kind whose API name is `objectType` (CRMs differ in case: Contact, contact, contacts). */
export function objectKindOf(
	profile: Pick<CrmProfile, 'objects'>,
	objectType: string,
): ObjectKind | undefined {
	const wanted = objectType.toLowerCase();
	const entry = Object.entries(profile.objects).find(
		([, info]) => info?.objectType.toLowerCase() === wanted,
	);
	return entry?.[0] as ObjectKind | undefined;
}

export interface StandardPlan {
	/** Ready mappings with a field to read (always enum: each is a picklist in its CRM). */
	mappings: AttributeMapping[];
	/** Chosen attributes with no field here: always null. */
	unmapped: StandardAttributeName[];
}

/**
 * The chosen ready mappings for one record kind. `hasField` says whether the org's object
 * description has a field (absent → the attribute is unmapped rather than a failing query).
 */
export function standardPlan(
	facts: Readonly<Record<StandardAttributeName, StandardAttributeFacts>>,
	kind: ObjectKind | undefined,
	chosen: readonly StandardAttributeName[],
	hasField: (field: string) => boolean,
): StandardPlan {
	const plan: StandardPlan = { mappings: [], unmapped: [] };
	for (const name of new Set(chosen)) {
		const field = kind ? facts[name].fields[kind] : undefined;
		if (field && hasField(field))
			plan.mappings.push({ crmField: field, attribute: name, type: 'enum' });
		else plan.unmapped.push(name);
	}
	return plan;
}
