/**
 * Plans the action-item tasks of a batch of routed conversations: one owner lookup for the
 * batch, the task settings read per item inside its error boundary, one planned task per
 * action item. Shared by CRM Action Items → Tasks and CRM Note Router.
 */
import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import {
	actionItemTaskDrafts,
	ownerEmailsToResolve,
	reportsEarlierTasks,
	type OwnerSource,
	type TaskSettings,
} from '../logic/actionItemTasks';
import type { Conversation, CrmRef, Priority } from '../model';
import type { CrmProvider } from '../providers/CrmProvider';
import { routesToOneRecord, type PlannedActivity } from './activityWriter';
import type { Outcomes } from './outcomes';

/** The parameter names of the task settings in the node's description. */
export interface TaskParameterNames {
	/** The collection holding Due Hour and Include Call Summary. */
	options: string;
}

export const TASK_OPERATION = 'create-task';

/** A conversation with the records its tasks go to. */
export interface TaskSource {
	itemIndex: number;
	json: IDataObject;
	conversation: Conversation;
	targets: CrmRef[];
	skipReason?: string;
}

export interface TaskPlan {
	planned: PlannedActivity[];
	/** Items with no task to write, and why. */
	skipped: Map<number, string>;
}

/** The batch's owner choice: one owner lookup serves every item. */
export function readOwnerSource(ctx: IExecuteFunctions): OwnerSource {
	return ctx.getNodeParameter('ownerSource', 0) as OwnerSource;
}

function readTaskSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	ownerSource: OwnerSource,
	names: TaskParameterNames,
): TaskSettings {
	const options = ctx.getNodeParameter(names.options, itemIndex, {}) as IDataObject;
	return {
		ownerSource,
		timezone: ctx.getNodeParameter('timezone', itemIndex) as string,
		businessDays: ctx.getNodeParameter('dueBusinessDays', itemIndex) as number,
		priority: ctx.getNodeParameter('taskPriority', itemIndex) as Priority,
		dueHour: (options.dueHour as number | undefined) ?? 9,
		includeSummary: (options.includeSummary as boolean | undefined) ?? true,
	};
}

/** The CRM users of the action items' owner emails, in one lookup (none when no email is needed). */
export async function resolveTaskOwners(
	provider: CrmProvider,
	sources: readonly TaskSource[],
	ownerSource: OwnerSource,
): Promise<Map<string, string>> {
	const emails = ownerEmailsToResolve(
		sources.map((source) => source.conversation),
		ownerSource,
	);
	return emails.length ? await provider.resolveOwners(emails) : new Map<string, string>();
}

/**
 * One planned task per action item of each source. An item whose settings or due dates
 * cannot be read fails (naming the field) and plans nothing.
 */
export function planActionItemTasks(
	ctx: IExecuteFunctions,
	provider: CrmProvider,
	sources: readonly TaskSource[],
	outcomes: Outcomes,
	context: { ownerSource: OwnerSource; owners: ReadonlyMap<string, string> },
	names: TaskParameterNames,
): TaskPlan {
	const node = ctx.getNode();
	const singleTarget = routesToOneRecord(provider, 'task');
	const plan: TaskPlan = { planned: [], skipped: new Map() };
	for (const { itemIndex, json, conversation, targets, skipReason } of sources) {
		if (conversation.actionItems.length === 0) {
			plan.skipped.set(itemIndex, 'the conversation has no action items');
			continue;
		}
		if (skipReason && targets.length === 0) {
			plan.skipped.set(itemIndex, skipReason);
			continue;
		}
		const taskTargets = singleTarget ? targets.slice(0, 1) : targets;
		const read = outcomes.forItem(itemIndex, json, () =>
			readTaskSettings(ctx, itemIndex, context.ownerSource, names),
		);
		if (!read) continue;
		const drafted = actionItemTaskDrafts(conversation, taskTargets, read.value, context.owners);
		if (!drafted.ok) {
			outcomes.failure(
				itemIndex,
				new NodeOperationError(
					node,
					`Item ${itemIndex}: field "${drafted.field}": ${drafted.message}`,
					{ itemIndex },
				),
				json,
			);
			continue;
		}
		const mayExist = reportsEarlierTasks(json);
		plan.planned.push(
			...drafted.drafts.map((draft) => ({
				itemIndex,
				operation: TASK_OPERATION,
				draft,
				...(mayExist ? { mayExist } : {}),
			})),
		);
	}
	return plan;
}
