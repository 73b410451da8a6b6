/**
 * One CRM task per action item of a conversation: subject, body, owner, due date and the
 * activity key. CRM Action Items → Tasks and CRM Note Router ("Create Action Item Tasks")
 * both draft their tasks here, so the same conversation gives the same tasks (same keys, same
 * content) whichever node writes them.
 */
import { actionItemSlot, activityKey } from './activityKeys';
import { resolveDueDate } from './dueDate';
import type { ActionItem, ActivityDraft, Conversation, CrmRef, Priority } from '../model';

/** Who a task is assigned to. */
export type OwnerSource = 'itemThenRecord' | 'item' | 'record' | 'none';

export interface TaskSettings {
	ownerSource: OwnerSource;
	/** IANA timezone for business days and the due time. */
	timezone: string;
	businessDays: number;
	priority: Priority;
	/** Local hour the task is due on its due date. */
	dueHour: number;
	/** Whether the call summary follows the action item in the task body. */
	includeSummary: boolean;
}

const SUBJECT_LIMIT = 255;

export function taskSubject(text: string): string {
	const line = text.trim().replace(/\s+/g, ' ');
	return line.length <= SUBJECT_LIMIT ? line : `${line.slice(0, SUBJECT_LIMIT - 1)}…`;
}

/** The owner emails whose CRM users the batch needs, lower-cased and unique. */
export function ownerEmailsToResolve(
	conversations: readonly Conversation[],
	ownerSource: OwnerSource,
): string[] {
	if (ownerSource !== 'item' && ownerSource !== 'itemThenRecord') return [];
	const emails = conversations.flatMap((conversation) =>
		conversation.actionItems
			.map((item) => item.ownerEmail?.toLowerCase())
			.filter((email): email is string => !!email),
	);
	return [...new Set(emails)];
}

function recordOwner(targets: readonly CrmRef[]): string | undefined {
	return targets.find((target) => target.ownerId)?.ownerId;
}

export function taskOwner(
	actionItem: ActionItem,
	targets: readonly CrmRef[],
	ownerSource: OwnerSource,
	owners: ReadonlyMap<string, string>,
): string | undefined {
	if (ownerSource === 'none') return undefined;
	if (ownerSource === 'record') return recordOwner(targets);
	const itemOwner = actionItem.ownerEmail
		? owners.get(actionItem.ownerEmail.toLowerCase())
		: undefined;
	return itemOwner ?? (ownerSource === 'itemThenRecord' ? recordOwner(targets) : undefined);
}

export function taskBody(
	actionItem: ActionItem,
	conversation: Conversation,
	includeSummary: boolean,
): string {
	return [
		actionItem.text.trim(),
		includeSummary && conversation.summary
			? `From the call on ${conversation.startedAt.slice(0, 10)}:\n${conversation.summary.trim()}`
			: '',
	]
		.filter(Boolean)
		.join('\n\n');
}

export type TaskDrafts =
	| { ok: true; drafts: ActivityDraft[] }
	/** A due date that cannot be read, naming the action item's field. */
	| { ok: false; field: string; message: string };

/**
 * The conversation's tasks, one per action item, on `targets` (already narrowed to one record
 * where the CRM takes a single one), or the first action item whose due date cannot be read.
 */
export function actionItemTaskDrafts(
	conversation: Conversation,
	targets: CrmRef[],
	settings: TaskSettings,
	owners: ReadonlyMap<string, string>,
): TaskDrafts {
	const drafts: ActivityDraft[] = [];
	for (const [actionIndex, actionItem] of conversation.actionItems.entries()) {
		let due;
		try {
			due = resolveDueDate(actionItem.due, {
				from: conversation.startedAt,
				businessDays: settings.businessDays,
				timezone: settings.timezone,
				hour: settings.dueHour,
			});
		} catch (error) {
			return {
				ok: false,
				field: `actionItems.${actionIndex}.due`,
				message: error instanceof Error ? error.message : String(error),
			};
		}
		drafts.push({
			key: activityKey(conversation.id, 'task', actionItemSlot(actionItem.text)),
			kind: 'task',
			conversationId: conversation.id,
			subject: taskSubject(actionItem.text),
			body: taskBody(actionItem, conversation, settings.includeSummary),
			dueAt: due.instant,
			dueDate: due.date,
			priority: settings.priority,
			ownerId: taskOwner(actionItem, targets, settings.ownerSource, owners),
			targets,
		});
	}
	return { ok: true, drafts };
}

/**
 * Whether an earlier node of the workflow reports tasks for this item (`crm.tasks`): a Note
 * Router with "Create Action Item Tasks" before CRM Action Items → Tasks, or the other way
 * round. Those may be this node's tasks, written under another node's ledger, so they are
 * looked up in the CRM before anything is created.
 */
export function reportsEarlierTasks(json: Record<string, unknown>): boolean {
	const crm = json.crm;
	if (typeof crm !== 'object' || crm === null || Array.isArray(crm)) return false;
	const tasks = (crm as Record<string, unknown>).tasks;
	return Array.isArray(tasks) && tasks.length > 0;
}
