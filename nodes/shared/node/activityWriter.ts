/**
 * Writes the activities planned by a node (notes, meetings, tasks, call logs) for a whole
 * batch of items with as few provider calls as possible, exactly once per target:
 * 1. drafts for single-target destinations are split per target (Dynamics "regarding",
 *    Salesforce Event); all others keep every target on one write;
 * 2. every write (CRM, activity key, target) is locked for this process and opened in the
 *    write ledger: targets written before with the same content are dropped, corrected
 *    content becomes an update, and an earlier attempt whose outcome is unknown is first
 *    looked up in the CRM (by a lookup that does not lag behind writes), as is a write
 *    another node of the workflow may have made (`mayExist`);
 * 3. one createActivities and one updateActivities call for the rest of the batch;
 * 4. the CRM's answer settles each write: confirmed ⇒ done; rejected ⇒ forgotten, so a later
 *    delivery tries again; unknown (answer lost, timed out) ⇒ stays pending and the item
 *    fails as "uncertain — not retried", so nothing is written twice.
 */
import { createHash } from 'node:crypto';

import type { IExecuteFunctions } from 'n8n-workflow';

import { processedEntry } from '../logic/activityKeys';
import { draftDigest } from '../logic/draftDigest';
import type { ActivityDraft, ActivityKind, CrmName } from '../model';
import type {
	CrmErrorInfo,
	CrmProvider,
	KeyLookupResult,
	WriteResult,
} from '../providers/CrmProvider';
import { CrmRequestError } from '../transport/errors';
import { withKeyedLocks } from './keyedLock';
import { WriteLedger, type LedgerEntry, type LedgerState } from './writeLedger';

export interface PlannedActivity {
	itemIndex: number;
	/** Sync-log operation name: add-note, add-meeting, create-task, log-call ... */
	operation: string;
	draft: ActivityDraft;
	/** Update this existing activity instead of creating one (meeting write modes). */
	updateId?: string;
	/**
	 * The key alone names the activity, whatever its targets: one write ledger entry per key,
	 * so a later delivery with other targets (a deal associated afterwards, another
	 * counterpart) corrects the written activity instead of adding a second one. For copies
	 * of activities from another system, which exist once there.
	 */
	onePerKey?: boolean;
	/**
	 * Another node of the workflow may have written it (under its own ledger): looked up in the
	 * CRM before it is created, like an earlier attempt whose outcome is unknown.
	 */
	mayExist?: boolean;
}

export type ActivityOutcome =
	| {
			status: 'success';
			id: string;
			created: boolean;
			planned: PlannedActivity;
			draft: ActivityDraft;
			note?: string;
	  }
	| { status: 'skipped'; reason: string; planned: PlannedActivity; draft: ActivityDraft }
	| {
			status: 'failed';
			error: CrmErrorInfo | Error;
			planned: PlannedActivity;
			draft: ActivityDraft;
	  };

const NO_TARGET = '-';
const ANY_TARGET = '*';

function entryIds(crm: CrmName, draft: ActivityDraft, onePerKey = false): string[] {
	if (onePerKey) return [processedEntry(crm, draft.key, ANY_TARGET)];
	return draft.targets.length
		? draft.targets.map((target) => processedEntry(crm, draft.key, `${target.kind}:${target.id}`))
		: [processedEntry(crm, draft.key, NO_TARGET)];
}

/** What the ledger compares: the content, and for a write named by its key alone also where it goes. */
function ledgerDigest(p: PlannedActivity): string {
	if (!p.onePerKey) return draftDigest(p.draft);
	const targets = p.draft.targets.map((target) => `${target.kind}:${target.id}`).join(',');
	return `${draftDigest(p.draft)}.${createHash('sha256').update(targets).digest('base64url').slice(0, 12)}`;
}

/**
 * Whether routing must pick one record for this kind: the CRM takes a single target and a
 * copy per target would duplicate a real-world event (a meeting, a call, a task). Notes are
 * instead copied to every target by `splitForProvider`.
 */
export function routesToOneRecord(provider: CrmProvider, kind: ActivityKind): boolean {
	return kind !== 'note' && provider.profile.singleTargetActivityKinds.includes(kind);
}

/** One draft per target where the CRM takes a single target for this kind. */
export function splitForProvider(
	provider: CrmProvider,
	planned: PlannedActivity[],
): PlannedActivity[] {
	const single = new Set(provider.profile.singleTargetActivityKinds);
	return planned.flatMap((p) =>
		single.has(p.draft.kind) &&
		p.draft.targets.length > 1 &&
		p.updateId === undefined &&
		// One activity per key: the provider attaches it to the first target.
		!p.onePerKey
			? p.draft.targets.map((target) => ({ ...p, draft: { ...p.draft, targets: [target] } }))
			: [p],
	);
}

/** A write on its way: the draft (targets already narrowed) and its ledger entries. */
interface Unit {
	planned: PlannedActivity;
	draft: ActivityDraft;
	entries: LedgerEntry[];
	updateId?: string;
}

const UNCERTAIN_HINT =
	'It was not sent again, to avoid a duplicate; the next delivery of the same data checks the CRM first.';

export async function writeActivities(
	ctx: IExecuteFunctions,
	crm: CrmName,
	provider: CrmProvider,
	planned: PlannedActivity[],
): Promise<ActivityOutcome[]> {
	const split = splitForProvider(provider, planned);
	const ledger = new WriteLedger(ctx);
	const locks = [...new Set(split.flatMap((p) => entryIds(crm, p.draft, p.onePerKey)))].map(
		WriteLedger.writeLock,
	);
	return await withKeyedLocks(locks, async () => await writeLocked(crm, provider, ledger, split));
}

async function writeLocked(
	crm: CrmName,
	provider: CrmProvider,
	ledger: WriteLedger,
	split: PlannedActivity[],
): Promise<ActivityOutcome[]> {
	const outcomes: ActivityOutcome[] = [];
	const withEntries = split.map((p) => {
		const digest = ledgerDigest(p);
		return { p, entries: entryIds(crm, p.draft, p.onePerKey).map((id) => ({ id, digest })) };
	});
	const { states, forgetful } = await ledger.open(withEntries.flatMap((w) => w.entries));

	const creates: Unit[] = [];
	const updates: Unit[] = [];
	const lookups: Array<{ unit: Unit; changed: boolean }> = [];
	for (const { p, entries } of withEntries) {
		const stateOf = (index: number): LedgerState => states.get(entries[index].id) ?? 'new';
		const open = entries.map((_, index) => index).filter((index) => stateOf(index) !== 'done');
		if (open.length === 0) {
			outcomes.push({
				status: 'skipped',
				reason: 'already written with the same content',
				planned: p,
				draft: p.draft,
			});
			continue;
		}
		// One entry per target, unless the key alone names the activity (then every target goes).
		const perTarget = !p.onePerKey && p.draft.targets.length > 0;
		const targets = perTarget ? open.map((index) => p.draft.targets[index]) : p.draft.targets;
		const unit: Unit = {
			planned: p,
			draft: { ...p.draft, targets },
			entries: open.map((index) => entries[index]),
			updateId: p.updateId,
		};
		const openStates = open.map(stateOf);
		if (unit.updateId !== undefined) updates.push(unit);
		else if (openStates.includes('changed')) lookups.push({ unit, changed: true });
		else if (openStates.includes('unconfirmed') || forgetful || p.mayExist === true)
			lookups.push({ unit, changed: false });
		else creates.push(unit);
	}

	// Earlier attempts with an unknown outcome, and corrected content: look in the CRM first.
	if (lookups.length) {
		const found = await settleLookup(
			provider,
			lookups.map((l) => l.unit.draft),
		);
		const confirmed: LedgerEntry[] = [];
		lookups.forEach(({ unit, changed }, index) => {
			const result = found[index];
			if (result.status === 'found') {
				if (changed) updates.push({ ...unit, updateId: result.id });
				else {
					confirmed.push(...unit.entries);
					outcomes.push({
						status: 'success',
						id: result.id,
						created: false,
						planned: unit.planned,
						draft: unit.draft,
						note: unit.planned.mayExist
							? 'already in the CRM (an earlier node or attempt wrote it)'
							: 'already in the CRM from an earlier attempt',
					});
				}
			} else if (result.status === 'absent') {
				creates.push(unit);
			} else {
				outcomes.push(
					failedOutcome(
						unit,
						uncertainError(`an earlier attempt may have written it, and ${result.reason}`),
					),
				);
			}
		});
		await ledger.confirm(confirmed);
	}

	outcomes.push(
		...(await settleWrites(ledger, creates, () =>
			provider.createActivities(creates.map((c) => c.draft)),
		)),
	);
	outcomes.push(
		...(await settleWrites(ledger, updates, () =>
			provider.updateActivities(updates.map((u) => ({ id: u.updateId as string, draft: u.draft }))),
		)),
	);
	return outcomes;
}

async function settleLookup(
	provider: CrmProvider,
	drafts: ActivityDraft[],
): Promise<KeyLookupResult[]> {
	try {
		return await provider.findActivitiesByKey(drafts);
	} catch (error) {
		const reason = `checking the CRM failed (${error instanceof Error ? error.message : String(error)})`;
		return drafts.map(() => ({ status: 'unknown', reason }));
	}
}

function uncertainError(why: string): CrmErrorInfo {
	return {
		message: `Uncertain — not retried: ${why}. ${UNCERTAIN_HINT}`,
		code: 'UNCERTAIN',
		uncertain: true,
	};
}

function failedOutcome(unit: Unit, error: CrmErrorInfo | Error): ActivityOutcome {
	return { status: 'failed', error, planned: unit.planned, draft: unit.draft };
}

/** Whether a failure may have left the write carried out in the CRM. */
function isUncertain(error: CrmErrorInfo | Error): boolean {
	if (error instanceof CrmRequestError) return error.kind === 'ambiguous';
	return !(error instanceof Error) && error.uncertain === true;
}

async function settleWrites(
	ledger: WriteLedger,
	batch: Unit[],
	run: () => Promise<WriteResult[]>,
): Promise<ActivityOutcome[]> {
	if (batch.length === 0) return [];
	let results: WriteResult[];
	try {
		results = await run();
	} catch (error) {
		const failure = error instanceof Error ? error : new Error(String(error));
		if (!isUncertain(failure))
			await ledger.abandon(batch.flatMap((unit) => unit.entries.map((entry) => entry.id)));
		return batch.map((unit) => failedOutcome(unit, failure));
	}
	const outcomes: ActivityOutcome[] = [];
	const confirmed: LedgerEntry[] = [];
	const rejected: string[] = [];
	batch.forEach((unit, index) => {
		const result = results[index];
		if (result?.ok) {
			confirmed.push(...unit.entries);
			outcomes.push({
				status: 'success',
				id: result.id,
				created: result.created,
				planned: unit.planned,
				draft: unit.draft,
			});
			return;
		}
		const error = result
			? result.error
			: uncertainError('the CRM returned no result for this activity');
		if (!isUncertain(error)) rejected.push(...unit.entries.map((entry) => entry.id));
		outcomes.push(
			failedOutcome(
				unit,
				error.uncertain && !error.message.startsWith('Uncertain')
					? { ...error, message: `Uncertain — not retried: ${error.message}` }
					: error,
			),
		);
	});
	await ledger.confirm(confirmed);
	await ledger.abandon(rejected);
	return outcomes;
}
