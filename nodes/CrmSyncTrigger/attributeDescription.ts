/**
 * The trigger's typed attribute settings: ready mappings (lead source, lifecycle stage) whose
 * CRM fields come from each CRM's profile, and free mappings of any CRM field to a typed
 * attribute. Both land in each output item's `attributes`.
 */
import type { INodeProperties } from 'n8n-workflow';

import type { CrmName } from '../shared/model';
import { profileOf } from '../shared/providers/profiles';
import { STANDARD_ATTRIBUTES } from './logic/standardAttributes';

/** "HubSpot: hs_analytics_source (Original Source) on contacts; … autoch.at CRM: none". */
function whereFrom(crms: readonly CrmName[], name: 'leadSource' | 'lifecycleStage'): string {
	return crms
		.map((crm) => {
			const profile = profileOf(crm);
			return `${profile.displayName}: ${profile.standardAttributes[name].note}`;
		})
		.join('; ');
}

export function attributeProperties(crms: readonly CrmName[]): INodeProperties[] {
	return [
		{
			displayName: 'Standard Attributes',
			name: 'standardAttributes',
			type: 'multiOptions',
			options: STANDARD_ATTRIBUTES.map(({ name, displayName }) => ({
				name: displayName,
				value: name,
				description: `Sets attributes.${name} to { value, label } from — ${whereFrom(crms, name)}. Null where the CRM or the record has none.`,
			})),
			default: [],
			description:
				'Ready mappings under "attributes" in each output item: the CRM\'s own field for each, read as a choice with its label',
		},
		{
			displayName: 'Attribute Mapping',
			name: 'attributeMapping',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Attribute',
			default: {},
			description:
				'CRM fields converted to typed values under "attributes" in each output item. Empty in the CRM → null (unknown, never false or 0); a value that does not fit the type → null and a warning naming the record, field and attribute.',
			options: [
				{
					displayName: 'Mapping',
					name: 'mappings',
					values: [
						{
							displayName: 'CRM Field Name or ID',
							name: 'crmField',
							type: 'options',
							typeOptions: {
								loadOptionsMethod: 'getSyncFields',
								loadOptionsDependsOn: ['crm', 'objectType'],
							},
							default: '',
							description:
								'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
						},
						{
							displayName: 'Attribute',
							name: 'attribute',
							type: 'string',
							default: '',
							placeholder: 'annualBudget',
							description:
								'Name under "attributes" (letters, digits, underscores); empty = the CRM field name',
						},
						{
							displayName: 'Type',
							name: 'type',
							type: 'options',
							options: [
								{
									name: 'Boolean',
									value: 'boolean',
									description: 'True/false, "true"/"false", 1/0, yes/no',
								},
								{ name: 'Date', value: 'date', description: 'YYYY-MM-DD' },
								{
									name: 'Date & Time',
									value: 'datetime',
									description: 'ISO 8601 in UTC, e.g. 2026-12-07T18:30:00.000Z',
								},
								{
									name: 'Enum',
									value: 'enum',
									description: "{ value, label }: the CRM's stored option and its label",
								},
								{
									name: 'Number',
									value: 'number',
									description: 'Digits with an optional point; other text is refused',
								},
								{ name: 'String', value: 'string' },
							],
							default: 'string',
						},
					],
				},
			],
		},
	];
}
