/**
 * Which record kinds the trigger watches and what comes with them: the Object choice (every
 * kind the CRM's profile names, by the CRM's own label, person kinds first so the default
 * stays the contacts object), the "Include Associations" and "Include Deletions" toggles,
 * and reading them back. Everything CRM-specific comes from the profiles.
 */
import { NodeOperationError, type INodeProperties, type IPollFunctions } from 'n8n-workflow';

import type { CrmName, ObjectKind } from '../shared/model';
import { crmsWhere, objectKindsOf, personKindsOf, profileOf } from '../shared/providers/profiles';

/** Person kinds first (their output is the neutral contact), then companies and deals. */
export function watchedKinds(crm: CrmName): ObjectKind[] {
	const persons = personKindsOf(crm);
	return [...persons, ...objectKindsOf(crm).filter((kind) => !persons.includes(kind))];
}

export function objectOptions(crm: CrmName): Array<{ name: string; value: string }> {
	const { objects } = profileOf(crm);
	return watchedKinds(crm).flatMap((kind) => {
		const info = objects[kind];
		return info ? [{ name: info.label, value: info.objectType }] : [];
	});
}

/** The kind of a watched object type; an object the profile does not name is refused. */
export function kindOfObject(crm: CrmName, objectType: string): ObjectKind {
	const { objects, displayName } = profileOf(crm);
	const kind = objectKindsOf(crm).find(
		(candidate) => objects[candidate]?.objectType === objectType,
	);
	if (!kind)
		throw new Error(
			`Parameter "Object": ${displayName} has no "${objectType}" the trigger can watch (choose one of ${objectOptions(
				crm,
			)
				.map((option) => option.name)
				.join(', ')})`,
		);
	return kind;
}

function where(names: CrmName[], crms: readonly CrmName[]): CrmName[] {
	return names.filter((crm) => crms.includes(crm));
}

function summary(crms: readonly CrmName[], fact: 'associations' | 'deletions'): string {
	const offered = crms.flatMap((crm) => {
		const facts = profileOf(crm)[fact];
		return facts ? [facts.description] : [];
	});
	const without = crms
		.filter((crm) => profileOf(crm)[fact] === undefined)
		.map(
			(crm) => `${profileOf(crm).displayName}: its API cannot list them, so this is not offered`,
		);
	return [...offered, ...without].join('. ');
}

/** The two toggles, shown for the CRMs whose profile has the facts (hidden for list members). */
export function kindParameters(crms: readonly CrmName[]): INodeProperties[] {
	const withAssociations = where(
		crmsWhere((profile) => profile.associations !== undefined),
		crms,
	);
	const withDeletions = where(
		crmsWhere((profile) => profile.deletions !== undefined),
		crms,
	);
	const withoutDeletions = crms.filter((crm) => !withDeletions.includes(crm));
	const notices: INodeProperties[] = withoutDeletions.map((crm) => ({
		displayName: `${profileOf(crm).displayName}'s API cannot list deleted records, so deletions are not offered: a record deleted there does not come out`,
		name: 'deletionsNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { crm: [crm] }, hide: { records: ['segment'] } },
	}));
	return [
		...notices,
		{
			displayName: 'Include Associations',
			name: 'includeAssociations',
			type: 'boolean',
			default: false,
			description: `Whether each record carries the IDs of its associated records under "associations" (contact → company; deal → company and contacts), read for a whole page at once. ${summary(crms, 'associations')}.`,
			displayOptions: { show: { crm: withAssociations }, hide: { records: ['segment'] } },
		},
		{
			displayName: 'Include Deletions',
			name: 'includeDeletions',
			type: 'boolean',
			default: false,
			description: `Whether deleted records come out too, each once, with event "deleted", the record's ID and when it was deleted (the others carry event: "created" or "updated"); one more call per poll. ${summary(crms, 'deletions')}.`,
			displayOptions: { show: { crm: withDeletions }, hide: { records: ['segment'] } },
		},
	];
}

export interface KindSettings {
	kind: ObjectKind;
	includeAssociations: boolean;
	includeDeletions: boolean;
}

export function readKindSettings(
	ctx: IPollFunctions,
	crm: CrmName,
	objectType: string,
): KindSettings {
	const profile = profileOf(crm);
	let kind: ObjectKind;
	try {
		kind = kindOfObject(crm, objectType);
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), (error as Error).message);
	}
	return {
		kind,
		includeAssociations:
			profile.associations !== undefined &&
			ctx.getNodeParameter('includeAssociations', false) === true,
		includeDeletions:
			profile.deletions !== undefined && ctx.getNodeParameter('includeDeletions', false) === true,
	};
}
