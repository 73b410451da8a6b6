/**
 * Which credential slot the editor and the engine show for each CRM + authentication choice,
 * decided by n8n-workflow's own parameter resolution and display rules.
 */
import { NodeHelpers, type INode, type INodeType, type INodeTypeDescription } from 'n8n-workflow';

import { CrmActionItemsToTasks } from '../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmContactFieldMerge } from '../../nodes/CrmContactFieldMerge/CrmContactFieldMerge.node';
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmMeetingWriter } from '../../nodes/CrmMeetingWriter/CrmMeetingWriter.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { CrmSyncTrigger } from '../../nodes/CrmSyncTrigger/CrmSyncTrigger.node';
import { authParameterOf, credentialTypeFor } from '../../nodes/shared/descriptions/crmSelector';
import type { CrmName } from '../../nodes/shared/model';

const NODE_TYPES: INodeType[] = [
	new CrmSyncTrigger(),
	new CrmLink(),
	new CrmNoteRouter(),
	new CrmMeetingWriter(),
	new CrmActionItemsToTasks(),
	new CrmContactFieldMerge(),
];

function optionValues(description: INodeTypeDescription, name: string): string[] {
	const values: string[] = [];
	for (const property of description.properties) {
		if (property.name !== name || !property.options) continue;
		for (const option of property.options) if ('value' in option) values.push(String(option.value));
	}
	return values;
}

function nodeWith(description: INodeTypeDescription, chosen: Record<string, string>): INode {
	const node: INode = {
		id: 'n',
		name: description.displayName,
		type: description.name,
		typeVersion: 1,
		position: [0, 0],
		parameters: chosen,
	};
	// The same resolution the editor applies after every change: defaults in, hidden values out.
	node.parameters =
		NodeHelpers.getNodeParameters(description.properties, chosen, true, false, node, description) ??
		{};
	return node;
}

describe.each(NODE_TYPES.map((type) => [type.description.displayName, type.description] as const))(
	'%s credential slots',
	(_name, description) => {
		const crms = optionValues(description, 'crm') as CrmName[];

		it('offers a CRM selector with at least one CRM', () => {
			expect(crms.length).toBeGreaterThan(0);
		});

		it('never names a parameter in a credential show-condition (n8n would hide the CRM selector)', () => {
			// n8n's editor treats parameters named in a credential's `displayOptions.show` as
			// authentication fields and hides them — and everything they depend on — from the panel.
			for (const slot of description.credentials ?? [])
				expect(slot.displayOptions?.show).toBeUndefined();
		});

		const combinations = crms.flatMap((crm) =>
			optionValues(description, authParameterOf(crm)).map((mode) => [crm, mode] as const),
		);
		it.each(combinations)('%s + %s shows exactly its own credential', (crm, mode) => {
			const node = nodeWith(description, { crm, [authParameterOf(crm)]: mode });
			const shown = (description.credentials ?? [])
				.filter((slot) => NodeHelpers.displayParameter(node.parameters, slot, node, description))
				.map((slot) => slot.name);
			expect(shown).toEqual([credentialTypeFor(crm, mode)]);
		});

		it.each(crms)('%s with the default authentication shows one credential', (crm) => {
			const node = nodeWith(description, { crm });
			const shown = (description.credentials ?? []).filter((slot) =>
				NodeHelpers.displayParameter(node.parameters, slot, node, description),
			);
			expect(shown).toHaveLength(1);
		});
	},
);
