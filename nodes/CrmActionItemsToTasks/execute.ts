/**
 * CRM Action Items → Tasks: one CRM task per detected action item, associated with the
 * routed records, owner resolved by email in one batched lookup, due date from the item or
 * N business days later in the chosen timezone; all tasks of the batch in one write.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { readTargetSettings } from '../shared/descriptions/targets';
import { actionItemSlot, activityKey } from '../shared/logic/activityKeys';
import { resolveDueDate } from './logic/dueDate';
import type { CrmRef, Priority } from '../shared/model';
import {
	routesToOneRecord,
	writeActivities,
	type PlannedActivity,
} from '../shared/node/activityWriter';
import { emitReports } from '../shared/node/emitReports';
import { routedConversations } from '../shared/node/linkedConversations';
import { Outcomes } from '../shared/node/outcomes';
import { connectProvider, selectedCrm } from '../shared/providers/connect';

type OwnerSource = 'itemThenRecord' | 'item' | 'record' | 'none';

const SUBJECT_LIMIT = 255;

function subjectOf(text: string): string {
	const line = text.trim().replace(/\s+/g, ' ');
	return line.length <= SUBJECT_LIMIT ? line : `${line.slice(0, SUBJECT_LIMIT - 1)}…`;
}

function recordOwner(targets: CrmRef[]): string | undefined {
	return targets.find((t) => t.ownerId)?.ownerId;
}

export async function executeActionItemsToTasks(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const outcomes = new Outcomes(this, 1);
	return await outcomes.settle(async () => await createTasks(this, outcomes));
}

async function createTasks(ctx: IExecuteFunctions, outcomes: Outcomes): Promise<void> {
	const node = ctx.getNode();
	const crm = selectedCrm(ctx);
	const ownerSource = ctx.getNodeParameter('ownerSource', 0) as OwnerSource;
	const { provider } = await connectProvider(ctx, crm);
	const singleTarget = routesToOneRecord(provider, 'task');
	const routed = routedConversations(
		ctx,
		crm,
		{ ...readTargetSettings(ctx), singleTarget: false },
		outcomes,
	);

	const callsBefore = provider.usage().calls;
	const wantsItemOwner = ownerSource === 'item' || ownerSource === 'itemThenRecord';
	const emails = wantsItemOwner
		? routed.flatMap((r) =>
				r.conversation.actionItems
					.map((a) => a.ownerEmail?.toLowerCase())
					.filter((e): e is string => !!e),
			)
		: [];
	const owners = emails.length
		? await provider.resolveOwners([...new Set(emails)])
		: new Map<string, string>();

	const planned: PlannedActivity[] = [];
	const skipped = new Map<number, string>();
	for (const { itemIndex, json, conversation, targets, skipReason } of routed) {
		if (conversation.actionItems.length === 0) {
			skipped.set(itemIndex, 'the conversation has no action items');
			continue;
		}
		if (skipReason && targets.length === 0) {
			skipped.set(itemIndex, skipReason);
			continue;
		}
		const taskTargets = singleTarget ? targets.slice(0, 1) : targets;
		// Due-date settings, priority and options are read per item, inside the item's error boundary.
		const read = outcomes.forItem(itemIndex, json, () => ({
			timezone: ctx.getNodeParameter('timezone', itemIndex) as string,
			businessDays: ctx.getNodeParameter('dueBusinessDays', itemIndex) as number,
			priority: ctx.getNodeParameter('taskPriority', itemIndex) as Priority,
			options: ctx.getNodeParameter('options', itemIndex, {}) as IDataObject,
		}));
		if (!read) continue;
		const { timezone, businessDays, priority, options } = read.value;
		let itemPlans: PlannedActivity[];
		try {
			itemPlans = conversation.actionItems.map((actionItem, actionIndex) => {
				let due;
				try {
					due = resolveDueDate(actionItem.due, {
						from: conversation.startedAt,
						businessDays,
						timezone,
						hour: (options.dueHour as number | undefined) ?? 9,
					});
				} catch (error) {
					throw new NodeOperationError(
						node,
						`Item ${itemIndex}: field "actionItems.${actionIndex}.due": ${(error as Error).message}`,
						{
							itemIndex,
						},
					);
				}
				const itemOwner = actionItem.ownerEmail
					? owners.get(actionItem.ownerEmail.toLowerCase())
					: undefined;
				const ownerId =
					ownerSource === 'none'
						? undefined
						: ownerSource === 'record'
							? recordOwner(taskTargets)
							: (itemOwner ??
								(ownerSource === 'itemThenRecord' ? recordOwner(taskTargets) : undefined));
				const includeSummary = (options.includeSummary as boolean | undefined) ?? true;
				const body = [
					actionItem.text.trim(),
					includeSummary && conversation.summary
						? `From the call on ${conversation.startedAt.slice(0, 10)}:\n${conversation.summary.trim()}`
						: '',
				]
					.filter(Boolean)
					.join('\n\n');
				return {
					itemIndex,
					operation: 'create-task',
					draft: {
						key: activityKey(conversation.id, 'task', actionItemSlot(actionItem.text)),
						kind: 'task' as const,
						conversationId: conversation.id,
						subject: subjectOf(actionItem.text),
						body,
						dueAt: due.instant,
						dueDate: due.date,
						priority,
						ownerId,
						targets: taskTargets,
					},
				};
			});
		} catch (error) {
			outcomes.failure(itemIndex, error as NodeOperationError, json);
			continue;
		}
		planned.push(...itemPlans);
	}

	const results = await writeActivities(ctx, crm, provider, planned);
	emitReports(ctx, outcomes, {
		crm,
		field: 'tasks',
		operation: 'create-task',
		results,
		apiCalls: provider.usage().calls - callsBefore,
		skipped,
	});
}
