/**
 * The common first step of the writer nodes: each item must be a valid conversation that
 * CRM Link has matched in the same CRM, with targets routed by the node's settings.
 * Invalid items are reported as failures naming the item and field.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
} from 'n8n-workflow';

import { routeTargets } from '../logic/routing';
import type { Conversation, CrmName, CrmRef } from '../model';
import type { TargetSettings } from '../descriptions/targets';
import { readConversationLimits } from '../descriptions/conversationLimits';
import { parseConversation } from './conversations';
import { readLinkedRecords, type LinkedRecords } from './linkedRecords';
import type { Outcomes } from './outcomes';

export interface RoutedConversation {
	itemIndex: number;
	json: IDataObject;
	conversation: Conversation;
	targets: CrmRef[];
	/** Set when routing found no target: the item is passed on as skipped. */
	skipReason?: string;
}

/** Targets for one routing of an item (a writer may route twice: its note and its tasks). */
export interface RoutedTargets {
	targets: CrmRef[];
	/** Set when routing found no target. */
	skipReason?: string;
}

export type RoutingSettings = TargetSettings & { singleTarget: boolean };

/**
 * `settings` route the node's main write; `second` (optional) routes a second write of the
 * same items (the Note Router's tasks) from the same links, reported on `second`.
 */
export function routedConversations(
	ctx: IExecuteFunctions,
	crm: CrmName,
	settings: RoutingSettings,
	outcomes: Outcomes,
	second?: RoutingSettings,
): Array<RoutedConversation & { second?: RoutedTargets }> {
	const node = ctx.getNode();
	const limits = readConversationLimits(ctx);
	const routed: Array<RoutedConversation & { second?: RoutedTargets }> = [];
	ctx.getInputData().forEach((item, itemIndex) => {
		const parsed = parseConversation(node, item.json, itemIndex, limits);
		if (!parsed.ok) return outcomes.failure(itemIndex, parsed.error, item.json);
		const linked = readLinkedRecords(node, item.json, crm, itemIndex);
		if (!linked.ok) return outcomes.failure(itemIndex, linked.error, item.json);
		const main = routeLinked(node, itemIndex, linked.linked, settings);
		if (!main.ok) return outcomes.failure(itemIndex, main.error, item.json);
		let other: RoutedTargets | undefined;
		if (second) {
			const decided = routeLinked(node, itemIndex, linked.linked, second);
			if (!decided.ok) return outcomes.failure(itemIndex, decided.error, item.json);
			other = decided.value;
		}
		routed.push({
			itemIndex,
			json: item.json,
			conversation: parsed.conversation,
			...main.value,
			...(other ? { second: other } : {}),
		});
	});
	return routed;
}

function routeLinked(
	node: INode,
	itemIndex: number,
	linked: LinkedRecords,
	settings: RoutingSettings,
): { ok: true; value: RoutedTargets } | { ok: false; error: NodeOperationError } {
	// Types CRM Link was not asked to match have no matches to route to: they are left out,
	// so a node keeps working when CRM Link matches fewer types than it may write to.
	const linkedKinds = linked.linkedKinds;
	const targetKinds = linkedKinds
		? settings.targetKinds.filter((kind) => linkedKinds.includes(kind))
		: settings.targetKinds;
	if (settings.targetKinds.length > 0 && targetKinds.length === 0) {
		return {
			ok: false,
			error: new NodeOperationError(
				node,
				`Item ${itemIndex}: none of the target object types (${settings.targetKinds.join(', ')}) was matched by CRM Link, which matched ${linkedKinds?.join(', ') || 'no type'}`,
				{
					itemIndex,
					description:
						'Select one of the types CRM Link matches, or add the type to "Object Types to Match" in CRM Link.',
				},
			),
		};
	}
	const decision = routeTargets(linked.matches, { ...settings, targetKinds });
	return {
		ok: true,
		value: {
			targets: decision.targets,
			skipReason: decision.targets.length ? undefined : decision.reason,
		},
	};
}
