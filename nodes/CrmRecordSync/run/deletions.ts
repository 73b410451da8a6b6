/**
 * Deleted source records: each one's counterpart is found through its stored link only and,
 * with Deletions = "Delete the Counterpart", deleted — one provider call per target object
 * type (and per the CRM's batch size), within the daily API cap. Both link rows are then marked
 * (see logic/deletions.ts), so a repeated delivery and the other direction's report of the
 * sync's own delete are answered without an API call. Locked by source record, as every item.
 */
import { mayProceed } from '../../shared/logic/apiBudget';
import { markFailure, writeFailureMarks } from '../../shared/node/failureKind';
import type { WriteResult } from '../../shared/providers/CrmProvider';
import { crmDisplayName } from '../../shared/providers/profiles';
import { toNodeError } from '../../shared/transport/nodeErrors';
import { linkKey, type LinkRow } from '../links';
import { decideDeletion, planDeletes, type DeletionDecision } from '../logic/deletions';
import { emitDeferred, emitItem, failItem } from './emit';
import type { RunContext } from './context';
import type { DeletedSource } from './types';

interface Decided {
	item: DeletedSource;
	link?: LinkRow;
	decision: DeletionDecision;
	/** The converted lead the link named, when the delete went to its contact instead. */
	convertedFrom?: string;
}

export async function syncDeletions(run: RunContext, deleted: DeletedSource[]): Promise<void> {
	if (deleted.length === 0) return;
	const keys = run.settings.dryRun
		? []
		: deleted.map((item) => `${run.scope}|record|${item.sourceKey}`);
	await run.guards.lock.withKeyedLocks(keys, async () => {
		await run.guards.links.prefetch?.(deleted.map((item) => item.sourceKey));
		const decided = deleted.map((item) => decide(run, item));
		const toDelete: Decided[] = [];
		for (const entry of decided) {
			if (entry.decision.action === 'delete') toDelete.push(entry);
			else emitUntouched(run, entry);
		}
		if (toDelete.length === 0) return;
		await followConvertedLeads(run, toDelete);
		if (run.settings.dryRun) {
			for (const entry of toDelete) emitDeleted(run, entry, { dryRun: true });
			return;
		}
		await deleteCounterparts(run, toDelete);
	});
}

function decide(run: RunContext, item: DeletedSource): Decided {
	// The memory is fresher than the stored row when it knows of a deletion this row predates
	// (another copy of this deletion was handled a moment ago).
	const remembered = run.guards.links.recall(item.sourceKey);
	const link = remembered?.deleted ? remembered : (item.link ?? remembered);
	const facts = run.target.profile.recordDeletion;
	const decision = decideDeletion(
		run.settings.deletions,
		link && {
			counterpartCrm: link.counterpartCrm,
			counterpartObjectType: link.counterpartObjectType,
			counterpartId: link.counterpartId,
			...(link.deleted ? { deleted: link.deleted } : {}),
			...(link.deletedAt ? { deletedAt: link.deletedAt } : {}),
		},
		{
			crm: run.targetCrm,
			displayName: crmDisplayName(run.targetCrm),
			canDelete: facts.supported && run.target.deleteRecords !== undefined,
			deletionNote: facts.description,
			objectTypes: run.targetKinds.map((kind) => run.objectTypeOf(kind)),
		},
	);
	return { item, link, decision };
}

/**
 * A linked lead that was converted lives on as the contact it became (as the update path
 * finds it): the delete goes to that contact, followed through the lead's own conversion
 * field — one read for the batch, never a search.
 */
async function followConvertedLeads(run: RunContext, entries: Decided[]): Promise<void> {
	const conversion = run.target.profile.leadConversion;
	if (!conversion || !run.targetKinds.includes('lead')) return;
	const leadType = run.objectTypeOf('lead');
	const leads = entries.flatMap((entry) =>
		entry.decision.action === 'delete' && entry.decision.objectType === leadType
			? [entry.decision.id]
			: [],
	);
	if (leads.length === 0) return;
	const read = await run.target.getRecords(
		leadType,
		[...new Set(leads)],
		[conversion.convertedField, conversion.contactField],
	);
	const contactOf = new Map<string, string>();
	for (const lead of read) {
		const contactId = lead?.properties[conversion.contactField];
		if (lead?.properties[conversion.convertedField] === true && typeof contactId === 'string')
			if (contactId !== '') contactOf.set(lead.id, contactId);
	}
	for (const entry of entries) {
		const { decision } = entry;
		if (decision.action !== 'delete' || decision.objectType !== leadType) continue;
		const contactId = contactOf.get(decision.id);
		if (!contactId) continue;
		entry.decision = { action: 'delete', objectType: run.objectTypeOf('contact'), id: contactId };
		entry.convertedFrom = decision.id;
	}
}

/** Items whose counterpart is left alone: echoes, repeats, no link, "Don't Sync Deletions". */
function emitUntouched(run: RunContext, { item, link, decision }: Decided): void {
	if (decision.action === 'delete') return;
	const action =
		decision.action === 'echo'
			? 'echo-skipped'
			: decision.action === 'done'
				? 'unchanged'
				: 'skipped';
	const target =
		link && link.counterpartCrm === run.targetCrm
			? { objectType: link.counterpartObjectType, id: link.counterpartId }
			: undefined;
	emitItem(run, item, action, {
		...(target ? { target } : {}),
		reason: decision.reason,
		changes: [],
		rows: [],
		apiCalls: 0,
	});
}

async function deleteCounterparts(run: RunContext, entries: Decided[]): Promise<void> {
	const plan = planDeletes(
		entries.map((entry) => ({ item: entry.item.itemIndex, decision: entry.decision })),
	);
	const results = new Map<string, { result: WriteResult; calls: number }>();
	const deferred = new Set<string>();
	const thrown = new Map<string, unknown>();
	const batchSize = run.target.profile.recordDeletion.supported
		? run.target.profile.recordDeletion.batchSize
		: 1;
	for (const [objectType, ids] of plan.byObjectType) {
		const cap = run.settings.dailyApiCap;
		const requests = Math.ceil(ids.length / Math.max(1, batchSize));
		if (cap !== undefined && !mayProceed(run.target.usage().daily, cap, requests)) {
			for (const id of ids) deferred.add(`${objectType}:${id}`);
			continue;
		}
		const before = run.target.usage().calls;
		let answers: WriteResult[];
		try {
			answers = await run.target.deleteRecords!(objectType, ids);
		} catch (error) {
			for (const id of ids) thrown.set(`${objectType}:${id}`, error);
			continue;
		}
		const calls = run.target.usage().calls - before;
		ids.forEach((id, index) =>
			results.set(`${objectType}:${id}`, {
				result: answers[index] ?? {
					ok: false,
					error: { message: 'the CRM returned no result for this record' },
				},
				calls: index === 0 ? calls : 0,
			}),
		);
	}
	const held: Array<DeletedSource & { targetId: string }> = [];
	for (const entry of entries) {
		if (entry.decision.action !== 'delete') continue;
		const key = `${entry.decision.objectType}:${entry.decision.id}`;
		if (deferred.has(key)) {
			held.push({ ...entry.item, targetId: entry.decision.id });
			continue;
		}
		const answer = results.get(key);
		if (!answer) {
			const { itemIndex, json } = entry.item;
			failItem(run, itemIndex, json, toNodeError(run.node, thrown.get(key), itemIndex));
			continue;
		}
		const owner = plan.sharedWith.get(entry.item.itemIndex);
		await reportDelete(run, entry, answer.result, owner === undefined ? answer.calls : 0, owner);
	}
	emitDeferred(run, held);
}

async function reportDelete(
	run: RunContext,
	entry: Decided,
	result: WriteResult,
	apiCalls: number,
	sharedWith: number | undefined,
): Promise<void> {
	const { item, decision } = entry;
	if (decision.action !== 'delete') return;
	if (!result.ok) {
		const code = result.error.code ? ` (${result.error.code})` : '';
		const error = markFailure(
			run.fail(
				`Item ${item.itemIndex}: ${crmDisplayName(run.targetCrm)} could not delete the ${decision.objectType} ${decision.id}: ${result.error.message}${code}`,
				item.itemIndex,
			),
			{
				...writeFailureMarks(run.targetCrm, result.error),
				...(result.error.uncertain ? { uncertain: true } : {}),
			},
		);
		failItem(run, item.itemIndex, item.json, error);
		return;
	}
	const rows = deletionRows(run, item, decision.objectType, decision.id);
	for (const row of rows) await run.guards.links.remember(row.key, row);
	emitDeleted(run, entry, { rows, apiCalls, sharedWith });
}

function emitDeleted(
	run: RunContext,
	entry: Decided,
	details: { dryRun?: boolean; rows?: LinkRow[]; apiCalls?: number; sharedWith?: number },
): void {
	const { item, decision } = entry;
	if (decision.action !== 'delete') return;
	const converted = entry.convertedFrom
		? ` (the linked ${run.objectTypeOf('lead')} ${entry.convertedFrom} was converted into it)`
		: '';
	const what = `the ${crmDisplayName(run.targetCrm)} ${decision.objectType} ${decision.id}${converted}`;
	const reason = details.dryRun
		? `dry run: would delete ${what}`
		: details.sharedWith !== undefined
			? `shares the delete of item ${details.sharedWith}`
			: `deleted ${what}: ${run.target.profile.recordDeletion.description}`;
	emitItem(run, item, 'deleted', {
		target: { objectType: decision.objectType, id: decision.id },
		reason,
		changes: [],
		rows: details.rows ?? [],
		apiCalls: details.apiCalls ?? 0,
		dryRun: details.dryRun === true,
	});
}

/** Both records' rows, marked: the source deleted in its CRM, the counterpart deleted by the sync. */
function deletionRows(
	run: RunContext,
	item: DeletedSource,
	objectType: string,
	id: string,
): LinkRow[] {
	const now = new Date().toISOString();
	const common = { fingerprint: '', origin: 'read' as const, syncedAt: now };
	return [
		{
			key: item.sourceKey,
			crm: run.sourceCrm,
			objectType: item.source.objectType,
			recordId: item.source.id,
			counterpartCrm: run.targetCrm,
			counterpartObjectType: objectType,
			counterpartId: id,
			...common,
			deleted: 'source',
			deletedAt: item.source.deletedAt ?? now,
		},
		{
			key: linkKey(run.targetCrm, objectType, id),
			crm: run.targetCrm,
			objectType,
			recordId: id,
			counterpartCrm: run.sourceCrm,
			counterpartObjectType: item.source.objectType,
			counterpartId: item.source.id,
			...common,
			deleted: 'sync',
			deletedAt: now,
		},
	];
}
