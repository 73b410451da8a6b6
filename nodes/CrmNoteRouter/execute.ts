/**
 * CRM Note Router: turns each linked conversation into one CRM entry (note, HubSpot
 * meeting or Salesforce event) routed to the matched records by the seed's rules, and
 * writes the whole batch through one provider call, exactly once per target. With "Create
 * Action Item Tasks" the conversations' action-item tasks (drafted as CRM Action Items →
 * Tasks drafts them) go out in that same provider call.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { activityKey } from '../shared/logic/activityKeys';
import { composeNote, type ContentSource } from '../shared/logic/noteContent';
import { readTargetSettings } from '../shared/descriptions/targets';
import { TASK_CRMS } from '../shared/descriptions/actionItemTasks';
import type { OwnerSource } from '../shared/logic/actionItemTasks';
import {
	planActionItemTasks,
	readOwnerSource,
	resolveTaskOwners,
	TASK_OPERATION,
	type TaskPlan,
} from '../shared/node/actionItemTasks';
import type { ActivityDraft, ActivityKind, CrmName } from '../shared/model';
import type { CrmProvider } from '../shared/providers/CrmProvider';
import { profileOf } from '../shared/providers/profiles';
import { routesToOneRecord, type PlannedActivity } from '../shared/node/activityWriter';
import { emitSectionReports, type EmitSection } from '../shared/node/emitReports';
import {
	routedConversations,
	type RoutedConversation,
	type RoutedTargets,
} from '../shared/node/linkedConversations';
import { writeActivitiesWithMeetingMode } from '../shared/node/meetingPlan';
import { Outcomes } from '../shared/node/outcomes';
import { connectProvider, selectedCrm } from '../shared/providers/connect';
import {
	destinationParameter,
	TASK_OPTIONS_PARAMETER,
	TASK_TARGET_PARAMETERS,
} from './description';
import { batchParameter } from '../shared/node/batchParameter';

/** The destination decides the routing of the whole batch, so it is batch-level (no expression). */
function destinationKind(ctx: IExecuteFunctions, crm: CrmName): ActivityKind {
	const parameter = destinationParameter(crm);
	const destination = parameter ? (ctx.getNodeParameter(parameter, 0) as string) : 'note';
	if (destination === 'task' && profileOf(crm).notesAsTasks) return 'task';
	return destination === 'note' ? 'note' : 'meeting';
}

interface ItemSettings {
	contentSource: ContentSource;
	subjectPrefix: string;
	skipEmpty: boolean;
	activityType?: string;
}

/** What each item may set by expression: the content, the subject prefix, skipping empty content, the meeting type. */
function itemSettings(
	ctx: IExecuteFunctions,
	itemIndex: number,
	withMeetingType: boolean,
): ItemSettings {
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	return {
		contentSource: ctx.getNodeParameter('contentSource', itemIndex) as ContentSource,
		subjectPrefix: (options.subjectPrefix as string | undefined) ?? 'Call',
		skipEmpty: (options.skipEmptyContent as boolean | undefined) ?? true,
		activityType: withMeetingType
			? (ctx.getNodeParameter('meetingType', itemIndex, '') as string) || undefined
			: undefined,
	};
}

/**
 * A note written as completed tasks: one per target, each with its own key (a task's key
 * identifies one task), done on the day of the conversation.
 */
function noteTasks(
	itemIndex: number,
	operation: string,
	draft: ActivityDraft,
	settings: ItemSettings,
): PlannedActivity[] {
	const conversationId = draft.conversationId ?? '';
	return draft.targets.map((target) => ({
		itemIndex,
		operation,
		draft: {
			...draft,
			key: activityKey(
				conversationId,
				'task',
				`route-${settings.contentSource}-${target.kind}-${target.id}`,
			),
			status: 'Completed',
			dueDate: draft.startAt?.slice(0, 10),
			targets: [target],
		},
	}));
}

export async function executeNoteRouter(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const outcomes = new Outcomes(this, 1);
	return await outcomes.settle(async () => await routeNotes(this, outcomes));
}

/** Whether this run also writes the action-item tasks (a batch-level choice). */
function createsTasks(ctx: IExecuteFunctions, crm: CrmName): boolean {
	return (
		TASK_CRMS.includes(crm) && (ctx.getNodeParameter('createActionItemTasks', 0, false) as boolean)
	);
}

async function routeNotes(ctx: IExecuteFunctions, outcomes: Outcomes): Promise<void> {
	const crm = selectedCrm(ctx);
	const kind = destinationKind(ctx, crm);
	const withTasks = createsTasks(ctx, crm);
	const ownerSource: OwnerSource = withTasks ? readOwnerSource(ctx) : 'none';
	// The Salesforce note style picks the write path of the whole batch: read once.
	const noteStyle = batchParameter<string>(
		ctx,
		'options.salesforceNoteStyle',
		'Salesforce Note Type',
		'contentNote',
	);
	const { provider } = await connectProvider(ctx, crm, {
		salesforceNoteStyle: noteStyle === 'legacyNote' ? 'legacyNote' : 'contentNote',
	});
	const { meetingName, meetingDetails, noteBodyLimit } = provider.profile;
	const operation =
		kind === 'note' ? 'add-note' : kind === 'task' ? 'add-note-task' : `add-${meetingName}`;
	const details = kind === 'meeting' ? meetingDetails : undefined;

	const planned: PlannedActivity[] = [];
	const skippedItems = new Map<number, string>();
	// Salesforce Events take one WhoId/WhatId pair: one record, one-type routing.
	const singleTarget = routesToOneRecord(provider, kind);
	const routed = routedConversations(
		ctx,
		crm,
		{ ...readTargetSettings(ctx, singleTarget), singleTarget },
		outcomes,
		withTasks
			? { ...readTargetSettings(ctx, false, TASK_TARGET_PARAMETERS), singleTarget: false }
			: undefined,
	);
	for (const { itemIndex, json, conversation, targets, skipReason } of routed) {
		if (skipReason) {
			skippedItems.set(itemIndex, skipReason);
			continue;
		}
		const read = outcomes.forItem(itemIndex, json, () =>
			itemSettings(ctx, itemIndex, details !== undefined),
		);
		if (!read) continue;
		const settings = read.value;
		const note = composeNote(conversation, settings.contentSource, {
			limit: noteBodyLimit,
			subjectPrefix: settings.subjectPrefix,
		});
		if (note.empty && settings.skipEmpty) {
			skippedItems.set(itemIndex, `the ${settings.contentSource} content is empty`);
			continue;
		}
		const draft: ActivityDraft = {
			key: activityKey(conversation.id, kind, `route-${settings.contentSource}`),
			kind,
			conversationId: conversation.id,
			subject: note.subject,
			body: note.body,
			startAt: conversation.startedAt,
			endAt: conversation.endedAt,
			direction: conversation.direction,
			activityType: settings.activityType,
			outcome: details?.outcome ? 'completed' : undefined,
			targets,
		};
		if (kind === 'task') planned.push(...noteTasks(itemIndex, operation, draft, settings));
		else planned.push({ itemIndex, operation, draft });
	}

	const callsBefore = provider.usage().calls;
	const tasks = withTasks
		? await planTasks(ctx, provider, routed, outcomes, ownerSource)
		: undefined;
	// An item whose tasks cannot be drafted has failed: its note is not written either.
	const open = (itemIndex: number) => !outcomes.isAnswered(itemIndex);
	const results = await writeActivitiesWithMeetingMode(
		ctx,
		crm,
		provider,
		planned.filter((p) => open(p.itemIndex)),
		kind === 'meeting',
		tasks?.planned ?? [],
	);

	const sections: EmitSection[] = [
		{
			field: 'notes',
			operation,
			results: results.filter((r) => r.planned.operation !== TASK_OPERATION),
			skipped: openOnly(skippedItems, open),
		},
	];
	if (tasks)
		sections.push({
			field: 'tasks',
			operation: TASK_OPERATION,
			results: results.filter((r) => r.planned.operation === TASK_OPERATION),
			skipped: tasks.skipped,
		});
	emitSectionReports(ctx, outcomes, {
		crm,
		apiCalls: provider.usage().calls - callsBefore,
		sections,
	});
}

/** The action-item tasks of the items still open, routed by the task target settings. */
async function planTasks(
	ctx: IExecuteFunctions,
	provider: CrmProvider,
	routed: Array<RoutedConversation & { second?: RoutedTargets }>,
	outcomes: Outcomes,
	ownerSource: OwnerSource,
): Promise<TaskPlan> {
	const sources = routed
		.filter((r) => r.second && !outcomes.isAnswered(r.itemIndex))
		.map((r) => ({
			itemIndex: r.itemIndex,
			json: r.json,
			conversation: r.conversation,
			...(r.second as RoutedTargets),
		}));
	const owners = await resolveTaskOwners(provider, sources, ownerSource);
	return planActionItemTasks(
		ctx,
		provider,
		sources,
		outcomes,
		{ ownerSource, owners },
		{ options: TASK_OPTIONS_PARAMETER },
	);
}

function openOnly(
	skipped: Map<number, string>,
	open: (itemIndex: number) => boolean,
): Map<number, string> {
	return new Map([...skipped].filter(([itemIndex]) => open(itemIndex)));
}
