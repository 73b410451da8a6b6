/**
 * CRM Timeline Sync: every item's timeline activity (from CRM Sync Trigger) becomes one
 * completed task in the target CRM. Per batch: ONE counterpart lookup (findMatches by the
 * activities' contacts' e-mail addresses, contacts and leads) and ONE write through the
 * written-once activity path, each task keyed by its source activity, so a second poll, a
 * replay or a concurrent copy of the workflow never adds a second task.
 */
import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
} from 'n8n-workflow';

import { MALFORMED_INPUT_STATUS, markFailure } from '../shared/node/failureKind';
import {
	writeActivities,
	type ActivityOutcome,
	type PlannedActivity,
} from '../shared/node/activityWriter';
import { reportItem } from '../shared/node/itemReport';
import { classifiedNodeError, Outcomes } from '../shared/node/outcomes';
import { priorLogs, shareCalls, syncLog } from '../shared/node/syncLog';
import type { MatchSet, ObjectKind, TimelineActivity, TimelineType } from '../shared/model';
import { chunk } from '../shared/providers/batch';
import { connectProvider } from '../shared/providers/connect';
import type { CrmProvider } from '../shared/providers/CrmProvider';
import { crmDisplayName, profileOf } from '../shared/providers/profiles';
import { taskTypeParameter, timelineDirectionOf, type TimelineDirection } from './directions';
import { readActivity } from './logic/activityInput';
import {
	copyDecision,
	counterpartOf,
	relatedOf,
	taskDraftOf,
	type RelatedRecord,
	type TaskTypes,
} from './logic/taskDraft';

/** Activities per lookup and write; providers split further to fit their APIs. */
const ITEMS_PER_BATCH = 100;

const OPERATION = 'copy-activity';

interface Pending {
	itemIndex: number;
	activity: TimelineActivity;
	emails: string[];
	taskTypes: TaskTypes;
}

export async function executeTimelineSync(
	this: IExecuteFunctions,
): Promise<INodeExecutionData[][]> {
	const outcomes = new Outcomes(this, 1);
	return await outcomes.settle(async () => await syncItems(this, outcomes));
}

function skip(
	ctx: IExecuteFunctions,
	outcomes: Outcomes,
	direction: TimelineDirection,
	itemIndex: number,
	reason: string,
): void {
	const json = ctx.getInputData()[itemIndex].json;
	outcomes.success(itemIndex, {
		...json,
		timeline: { status: 'skipped', reason } as IDataObject,
		syncLog: [...priorLogs(json), syncLog(direction.target, OPERATION, 'skipped', { reason })],
	});
}

function readTaskTypes(
	ctx: IExecuteFunctions,
	direction: TimelineDirection,
	itemIndex: number,
): TaskTypes {
	const types: TaskTypes = {};
	for (const { type, defaultTaskType } of direction.types) {
		const value = ctx.getNodeParameter(
			taskTypeParameter(direction, type),
			itemIndex,
			defaultTaskType,
		);
		types[type] = typeof value === 'string' ? value.trim() : String(value ?? '');
	}
	return types;
}

async function syncItems(ctx: IExecuteFunctions, outcomes: Outcomes): Promise<void> {
	const node = ctx.getNode();
	const direction = timelineDirectionOf(ctx.getNodeParameter('direction', 0));
	if (!direction)
		throw new NodeOperationError(node, 'Parameter "Direction" is not one this node offers');
	const related = ctx.getNodeParameter('relatedRecord', 0, 'none') as RelatedRecord;
	const types: TimelineType[] = direction.types.map((entry) => entry.type);
	const sourceName = crmDisplayName(direction.source);
	const pending: Pending[] = [];

	ctx.getInputData().forEach((item, itemIndex) => {
		const read = outcomes.forItem(itemIndex, item.json, () => ({
			activity: readActivity(item.json),
			taskTypes: readTaskTypes(ctx, direction, itemIndex),
		}));
		if (!read) return;
		const { activity, taskTypes } = read.value;
		if (!activity.ok || activity.activity.crm !== direction.source) {
			const message = activity.ok
				? `field "activity.crm": the activity is from ${crmDisplayName(activity.activity.crm)}, but the direction copies from ${sourceName}`
				: activity.message;
			const field = activity.ok ? 'activity.crm' : 'activity';
			const error = new NodeOperationError(node, `Item ${itemIndex}: ${message}`, {
				itemIndex,
				description: `Connect a CRM Sync Trigger on ${sourceName} with Object "Timeline Activities".`,
			});
			outcomes.failure(
				itemIndex,
				markFailure(error, {
					failureKind: 'invalid-input',
					field,
					httpStatus: MALFORMED_INPUT_STATUS,
				}),
				item.json,
			);
			return;
		}
		const decision = copyDecision(activity.activity, types);
		if (!decision.copy) {
			skip(ctx, outcomes, direction, itemIndex, decision.reason);
			return;
		}
		pending.push({ itemIndex, activity: activity.activity, emails: decision.emails, taskTypes });
	});
	if (pending.length === 0) return;

	const { provider } = await connectProvider(ctx, direction.target);
	for (const batch of chunk(pending, ITEMS_PER_BATCH))
		await syncBatch(ctx, outcomes, direction, provider, related, batch);
}

async function syncBatch(
	ctx: IExecuteFunctions,
	outcomes: Outcomes,
	direction: TimelineDirection,
	provider: CrmProvider,
	related: RelatedRecord,
	batch: Pending[],
): Promise<void> {
	const node = ctx.getNode();
	const target = profileOf(direction.target);
	const task = target.timelineTask;
	if (!task) throw new NodeOperationError(node, `${target.displayName} has no tasks to write`);
	const callsBefore = provider.usage().calls;
	const kinds: ObjectKind[] = ['contact'];
	if (target.objects.lead) kinds.push('lead');
	if (related !== 'none') kinds.push(related);
	let matches: MatchSet[];
	try {
		matches = await provider.findMatches(
			batch.map((p) => ({ phones: [], emails: p.emails, domains: [] })),
			{ kinds, openDealsOnly: true },
		);
	} catch (error) {
		for (const p of batch)
			outcomes.failure(
				p.itemIndex,
				classifiedNodeError(node, error, p.itemIndex),
				ctx.getInputData()[p.itemIndex].json,
			);
		return;
	}
	const planned: PlannedActivity[] = [];
	batch.forEach((p, index) => {
		const found = matches[index];
		const person = found && counterpartOf(found, p.emails, target.contactFields.email);
		if (!found || !person) {
			skip(
				ctx,
				outcomes,
				direction,
				p.itemIndex,
				`no contact or lead with ${p.emails.join(' or ')} in ${target.displayName}`,
			);
			return;
		}
		planned.push({
			itemIndex: p.itemIndex,
			operation: OPERATION,
			onePerKey: true,
			draft: taskDraftOf({
				activity: p.activity,
				taskTypes: p.taskTypes,
				person,
				related: relatedOf(found, person, related),
				completedStatus: task.completedStatus,
				descriptionLimit: task.descriptionLimit,
			}),
		});
	});
	if (planned.length === 0) return;
	const results = await writeActivities(ctx, direction.target, provider, planned);
	emit(ctx, outcomes, direction, results, provider.usage().calls - callsBefore);
}

/** What became of the activity, for the item: its task, and whether it was new, corrected or already there. */
function timelineOutcome(result: ActivityOutcome): IDataObject {
	const source = { key: result.draft.key };
	const targets = result.draft.targets.map((ref) => ({ type: ref.objectType, id: ref.id }));
	if (result.status === 'success')
		return {
			status: result.created ? 'created' : result.note ? 'found' : 'updated',
			taskId: result.id,
			taskType: result.draft.activityType ?? null,
			about: targets,
			source,
		};
	if (result.status === 'skipped')
		return { status: 'unchanged', reason: result.reason, about: targets, source };
	return { status: 'failed', about: targets, source };
}

function emit(
	ctx: IExecuteFunctions,
	outcomes: Outcomes,
	direction: TimelineDirection,
	results: ActivityOutcome[],
	apiCalls: number,
): void {
	const node = ctx.getNode();
	const items = ctx.getInputData();
	const calls = shareCalls(apiCalls, results.length);
	results.forEach((result, i) => {
		const itemIndex = result.planned.itemIndex;
		const json = items[itemIndex].json;
		const report = reportItem(node, direction.target, itemIndex, [result], calls[i]);
		const out: IDataObject = {
			...json,
			timeline: timelineOutcome(result),
			syncLog: [...priorLogs(json), ...report.logs],
		};
		if (report.error) outcomes.failure(itemIndex, report.error, out);
		else outcomes.success(itemIndex, out);
	});
}
