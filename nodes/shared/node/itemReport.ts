/**
 * Folds the activity outcomes of one item into what the item carries downstream: the
 * written activities, one sync-log entry per activity, and the first failure (if any).
 */
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import type { CrmName, SyncLog } from '../model';
import type { CrmErrorInfo } from '../providers/CrmProvider';
import { crmDisplayName } from '../providers/profiles';
import { CrmRequestError } from '../transport/errors';
import type { ActivityOutcome } from './activityWriter';
import { markFailure, writeFailureMarks } from './failureKind';
import { classifiedNodeError } from './outcomes';
import { syncLog } from './syncLog';

export interface ActivityRecord {
	kind: string;
	operation: string;
	status: 'success' | 'skipped' | 'failed';
	id?: string;
	created?: boolean;
	targets: Array<{ type: string; id: string }>;
	reason?: string;
}

export interface ItemReport {
	activities: ActivityRecord[];
	logs: SyncLog[];
	error?: NodeApiError | NodeOperationError;
}

function message(error: ActivityOutcome & { status: 'failed' }): string {
	return error.error instanceof Error ? error.error.message : error.error.message;
}

function isUncertain(error: CrmErrorInfo | Error): boolean {
	return error instanceof CrmRequestError
		? error.kind === 'ambiguous'
		: !(error instanceof Error) && error.uncertain === true;
}

/**
 * The item's error. A write whose outcome is unknown says so plainly and names the records to
 * check, and carries `context.uncertain` so error paths can tell it from a rejection.
 */
function failureError(
	node: INode,
	crm: CrmName,
	itemIndex: number,
	outcome: ActivityOutcome & { status: 'failed' },
): NodeApiError | NodeOperationError {
	const text = message(outcome);
	const crmName = crmDisplayName(crm);
	if (isUncertain(outcome.error)) {
		const records =
			outcome.draft.targets.map((target) => `${target.objectType} ${target.id}`).join(', ') ||
			'the CRM';
		const reason = text.replace(/^Uncertain — not retried: /, '');
		const error = new NodeOperationError(
			node,
			`Item ${itemIndex}: uncertain — not retried: the ${outcome.draft.kind} may or may not be in ${crmName}. Check ${records} before writing it by hand.`,
			{ itemIndex, description: reason },
		);
		return markFailure(error, { uncertain: true, crm });
	}
	if (outcome.error instanceof Error) return classifiedNodeError(node, outcome.error, itemIndex);
	return markFailure(
		new NodeOperationError(
			node,
			`Item ${itemIndex}: ${crmName} rejected the ${outcome.draft.kind}: ${text}`,
			{
				itemIndex,
				description: outcome.error.code ? `CRM error code ${outcome.error.code}` : undefined,
			},
		),
		writeFailureMarks(crm, outcome.error),
	);
}

export function reportItem(
	node: INode,
	crm: CrmName,
	itemIndex: number,
	outcomes: ActivityOutcome[],
	apiCalls: number,
): ItemReport {
	const report: ItemReport = { activities: [], logs: [] };
	outcomes.forEach((outcome, index) => {
		const targets = outcome.draft.targets.map((t) => ({ type: t.kind, id: t.id }));
		const target: SyncLog['target'] =
			targets.length === 1
				? targets[0]
				: targets.length
					? { type: [...new Set(targets.map((t) => t.type))].join('+') }
					: undefined;
		// The batch's API calls are booked on the item's first log entry.
		const calls = index === 0 ? apiCalls : 0;
		if (outcome.status === 'success') {
			report.activities.push({
				kind: outcome.draft.kind,
				operation: outcome.planned.operation,
				status: 'success',
				id: outcome.id,
				created: outcome.created,
				targets,
			});
			report.logs.push(
				syncLog(crm, outcome.planned.operation, 'success', { target, apiCalls: calls }),
			);
		} else if (outcome.status === 'skipped') {
			report.activities.push({
				kind: outcome.draft.kind,
				operation: outcome.planned.operation,
				status: 'skipped',
				targets,
				reason: outcome.reason,
			});
			report.logs.push(
				syncLog(crm, outcome.planned.operation, 'skipped', {
					target,
					reason: outcome.reason,
					apiCalls: calls,
				}),
			);
		} else {
			const text = message(outcome);
			report.activities.push({
				kind: outcome.draft.kind,
				operation: outcome.planned.operation,
				status: 'failed',
				targets,
				reason: text,
			});
			report.logs.push(
				syncLog(crm, outcome.planned.operation, 'failed', {
					target,
					reason: text,
					apiCalls: calls,
				}),
			);
			if (!report.error) report.error = failureError(node, crm, itemIndex, outcome);
		}
	});
	return report;
}
