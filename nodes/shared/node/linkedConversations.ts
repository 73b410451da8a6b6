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
		const linkedKinds = linked.linked.linkedKinds;
		const notLinked = linkedKinds ? settings.targetKinds.filter((kind) => !linkedKinds.includes(kind)) : [];
		if (notLinked.length) {
			return outcomes.failure(
				itemIndex,
				new NodeOperationError(node, `Item ${itemIndex}: the target object types include ${notLinked.join(', ')}, which CRM Link did not match`, {
					itemIndex,
					description: 'Select the object type in CRM Link ("Object Types to Match") first.',
				}),
				item.json,
			);
		}
		const decision = routeTargets(linked.linked.matches, { ...settings });
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
