/**
 * The common first step of the writer nodes: each item must be a valid conversation that
 * CRM Link has matched in the same CRM, with targets routed by the node's settings.
 * Invalid items are reported as failures naming the item and field.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { routeTargets } from '../logic/routing';
import type { Conversation, CrmName, CrmRef } from '../model';
import type { TargetSettings } from '../descriptions/targets';
import { readConversationLimits } from '../descriptions/conversationLimits';
import { parseConversation } from './conversations';
import { readLinkedRecords } from './linkedRecords';
import type { Outcomes } from './outcomes';

export interface RoutedConversation {
	itemIndex: number;
	json: IDataObject;
	conversation: Conversation;
	targets: CrmRef[];
	/** Set when routing found no target: the item is passed on as skipped. */
	skipReason?: string;
}

export function routedConversations(
	ctx: IExecuteFunctions,
	crm: CrmName,
	settings: TargetSettings & { singleTarget: boolean },
	outcomes: Outcomes,
): RoutedConversation[] {
	const node = ctx.getNode();
	const limits = readConversationLimits(ctx);
	const routed: RoutedConversation[] = [];
	ctx.getInputData().forEach((item, itemIndex) => {
		const parsed = parseConversation(node, item.json, itemIndex, limits);
		if (!parsed.ok) return outcomes.failure(itemIndex, parsed.error, item.json);
		const linked = readLinkedRecords(node, item.json, crm, itemIndex);
		if (!linked.ok) return outcomes.failure(itemIndex, linked.error, item.json);
		// Types CRM Link was not asked to match have no matches to route to: they are left out,
		// so a node keeps working when CRM Link matches fewer types than it may write to.
		const linkedKinds = linked.linked.linkedKinds;
		const targetKinds = linkedKinds
			? settings.targetKinds.filter((kind) => linkedKinds.includes(kind))
			: settings.targetKinds;
		if (settings.targetKinds.length > 0 && targetKinds.length === 0) {
			return outcomes.failure(
				itemIndex,
				new NodeOperationError(
					node,
					`Item ${itemIndex}: none of the target object types (${settings.targetKinds.join(', ')}) was matched by CRM Link, which matched ${linkedKinds?.join(', ') || 'no type'}`,
					{
						itemIndex,
						description:
							'Select one of the types CRM Link matches, or add the type to "Object Types to Match" in CRM Link.',
					},
				),
				item.json,
			);
		}
		const decision = routeTargets(linked.linked.matches, { ...settings, targetKinds });
		routed.push({
			itemIndex,
			json: item.json,
			conversation: parsed.conversation,
			targets: decision.targets,
			skipReason: decision.targets.length ? undefined : decision.reason,
		});
	});
	return routed;
}
