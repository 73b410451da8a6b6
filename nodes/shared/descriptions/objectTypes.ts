/**
 * Object-type pickers with each CRM's own names (HubSpot Deal, Salesforce Opportunity,
 * Dynamics opportunity ...) but neutral values (deal, contact, company, lead), so the
 * rest of the pipeline is CRM-agnostic.
 */
import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import type { CrmName } from '../model';
import { objectKindsOf, profileOf } from '../providers/profiles';

/** The CRM's record kinds as options: its own label, the neutral kind as value. */
export function objectTypeOptions(crm: CrmName): INodePropertyOptions[] {
	const { objects } = profileOf(crm);
	return objectKindsOf(crm).map((kind) => ({ name: objects[kind]?.label ?? kind, value: kind }));
}

/** One multi-select per CRM under the same parameter name, each shown for its CRM. */
export function matchedObjectTypeParameters(
	crms: readonly CrmName[],
	base: {
		name: string;
		displayName: string;
		description: string;
		extraShow?: Record<string, Array<string | boolean>>;
	},
): INodeProperties[] {
	return crms.map((crm) => ({
		displayName: base.displayName,
		name: base.name,
		type: 'multiOptions',
		// Batch-level: one search (CRM Link) or one routing (writers) serves every item.
		noDataExpression: true,
		options: objectTypeOptions(crm),
		default: [...objectKindsOf(crm)],
		description: base.description,
		displayOptions: { show: { crm: [crm], ...(base.extraShow ?? {}) } },
	}));
}

/** Ordered priority list (a fixed collection keeps the order the user gives). */
export function priorityParameters(
	crms: readonly CrmName[],
	extraShow: Record<string, Array<string | boolean>> = {},
	name = 'priority',
): INodeProperties[] {
	return crms.map((crm) => {
		const [highestKind] = objectKindsOf(crm);
		return {
			displayName: 'Priority Order',
			name,
			type: 'fixedCollection',
			typeOptions: { multipleValues: true, sortable: true },
			placeholder: 'Add Object Type',
			default: { entries: objectKindsOf(crm).map((kind) => ({ objectType: kind })) },
			description:
				'Highest priority first. Used to pick the winning object type when sending to one object type. One value for the whole run: an expression must give every item the same value.',
			displayOptions: { show: { crm: [crm], ...extraShow } },
			options: [
				{
					name: 'entries',
					displayName: 'Object Type',
					values: [
						{
							displayName: 'Object Type',
							name: 'objectType',
							type: 'options',
							options: objectTypeOptions(crm),
							default: highestKind,
						},
					],
				},
			],
		};
	});
}
