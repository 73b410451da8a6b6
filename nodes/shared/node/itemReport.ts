/**
 * Folds the activity outcomes of one item into what the item carries downstream: the
 * written activities, one sync-log entry per activity, and the first failure (if any).
 */
import { NodeApiError, NodeOperationError, type INode } from 'n8n-workflow';

import type { CrmName, SyncLog } from '../model';
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
			targets.length === 1 ? targets[0] : targets.length ? { type: [...new Set(targets.map((t) => t.type))].join('+') } : undefined;
		// The batch's API calls are booked on the item's first log entry.
		const calls = index === 0 ? apiCalls : 0;
		if (outcome.status === 'success') {
			report.activities.push({ kind: outcome.draft.kind, operation: outcome.planned.operation, status: 'success', id: outcome.id, created: outcome.created, targets });
			report.logs.push(syncLog(crm, outcome.planned.operation, 'success', { target, apiCalls: calls }));
		} else if (outcome.status === 'skipped') {
			report.activities.push({ kind: outcome.draft.kind, operation: outcome.planned.operation, status: 'skipped', targets, reason: outcome.reason });
			report.logs.push(syncLog(crm, outcome.planned.operation, 'skipped', { target, reason: outcome.reason, apiCalls: calls }));
		} else {
			const text = message(outcome);
			report.activities.push({ kind: outcome.draft.kind, operation: outcome.planned.operation, status: 'failed', targets, reason: text });
			report.logs.push(syncLog(crm, outcome.planned.operation, 'failed', { target, reason: text, apiCalls: calls }));
			if (!report.error) {
				report.error =
					outcome.error instanceof Error
						? classifiedNodeError(node, outcome.error, itemIndex)
						: markFailure(
								new NodeOperationError(node, `Item ${itemIndex}: ${crm} rejected the ${outcome.draft.kind}: ${text}`, {
									itemIndex,
									description: outcome.error.code ? `CRM error code ${outcome.error.code}` : undefined,
								}),
								writeFailureMarks(crm, outcome.error),
							);
			}
		}
	});
	return report;
}
