/**
 * Writes the activities planned by a node (notes, meetings, tasks, call logs) for a whole
 * batch of items with as few provider calls as possible, exactly once per target:
 * 1. drafts for single-target destinations are split per target (Dynamics "regarding",
 *    Salesforce Event), all others keep every target on one write;
 * 2. every (CRM, activity key, target) is claimed in n8n's processed-items store — targets
 *    already written by an earlier execution are dropped, a draft left with none is skipped;
 * 3. one createActivities call (and one updateActivities call) for the batch;
 * 4. claims of failed writes are released so a later run can retry them.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

import { processedEntry } from '../logic/activityKeys';
import type { ActivityDraft, ActivityKind, CrmName } from '../model';
import type { CrmErrorInfo, CrmProvider, WriteResult } from '../providers/CrmProvider';
import { claimEntries, releaseEntries } from './idempotency';

export interface PlannedActivity {
	itemIndex: number;
	/** Sync-log operation name: add-note, add-meeting, create-task, log-call ... */
	operation: string;
	draft: ActivityDraft;
	/** Update this existing activity instead of creating one (meeting write modes). */
	updateId?: string;
}

export type ActivityOutcome =
	| { status: 'success'; id: string; created: boolean; planned: PlannedActivity; draft: ActivityDraft }
	| { status: 'skipped'; reason: string; planned: PlannedActivity; draft: ActivityDraft }
	| { status: 'failed'; error: CrmErrorInfo | Error; planned: PlannedActivity; draft: ActivityDraft };

const NO_TARGET = '-';

function entriesOf(crm: CrmName, draft: ActivityDraft): string[] {
	return draft.targets.length
		? draft.targets.map((target) => processedEntry(crm, draft.key, `${target.kind}:${target.id}`))
		: [processedEntry(crm, draft.key, NO_TARGET)];
}

/**
 * Whether routing must pick one record for this kind: the CRM takes a single target and a
 * copy per target would duplicate a real-world event (a meeting, a call, a task). Notes are
 * instead copied to every target by `splitForProvider`.
 */
export function routesToOneRecord(provider: CrmProvider, kind: ActivityKind): boolean {
	return kind !== 'note' && provider.capabilities.singleTargetActivityKinds.includes(kind);
}

/** One draft per target where the CRM takes a single target for this kind. */
export function splitForProvider(provider: CrmProvider, planned: PlannedActivity[]): PlannedActivity[] {
	const single = new Set(provider.capabilities.singleTargetActivityKinds);
	return planned.flatMap((p) =>
		single.has(p.draft.kind) && p.draft.targets.length > 1 && p.updateId === undefined
			? p.draft.targets.map((target) => ({ ...p, draft: { ...p.draft, targets: [target] } }))
			: [p],
	);
}

export async function writeActivities(
	ctx: IExecuteFunctions,
	crm: CrmName,
	provider: CrmProvider,
	planned: PlannedActivity[],
): Promise<ActivityOutcome[]> {
	const split = splitForProvider(provider, planned);
	const claim = await claimEntries(
		ctx,
		split.flatMap((p) => entriesOf(crm, p.draft)),
	);

	const outcomes: ActivityOutcome[] = [];
	const creates: Array<{ planned: PlannedActivity; draft: ActivityDraft; entries: string[] }> = [];
	const updates: Array<{ planned: PlannedActivity; draft: ActivityDraft; entries: string[] }> = [];
	for (const p of split) {
		const targets = p.draft.targets.filter((target) => claim.fresh.has(processedEntry(crm, p.draft.key, `${target.kind}:${target.id}`)));
		const noTargetFresh = p.draft.targets.length === 0 && claim.fresh.has(processedEntry(crm, p.draft.key, NO_TARGET));
		const draft = { ...p.draft, targets };
		if (targets.length === 0 && !noTargetFresh) {
			outcomes.push({ status: 'skipped', reason: 'already written for this conversation (processed-items store)', planned: p, draft: p.draft });
			continue;
		}
		const entry = { planned: p, draft, entries: entriesOf(crm, draft) };
		(p.updateId ? updates : creates).push(entry);
	}

	const settle = async (
		batch: typeof creates,
		run: () => Promise<WriteResult[]>,
	): Promise<void> => {
		if (batch.length === 0) return;
		let results: WriteResult[];
		try {
			results = await run();
		} catch (error) {
			await releaseEntries(ctx, batch.flatMap((b) => b.entries));
			for (const b of batch) outcomes.push({ status: 'failed', error: error as Error, planned: b.planned, draft: b.draft });
			return;
		}
		const failed: string[] = [];
		batch.forEach((b, i) => {
			const result = results[i];
			if (result?.ok) outcomes.push({ status: 'success', id: result.id, created: result.created, planned: b.planned, draft: b.draft });
			else {
				failed.push(...b.entries);
				const error = result ? result.error : { message: 'the CRM returned no result for this activity' };
				outcomes.push({ status: 'failed', error, planned: b.planned, draft: b.draft });
			}
		});
		await releaseEntries(ctx, failed);
	};

	await settle(creates, () => provider.createActivities(creates.map((c) => c.draft)));
	await settle(updates, () => provider.updateActivities(updates.map((u) => ({ id: u.planned.updateId as string, draft: u.draft }))));
	return outcomes;
}
