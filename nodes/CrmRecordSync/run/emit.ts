/** Items out: the outcome of each record (action, reason, field changes, link rows) and its sync-log row. */
import type { IDataObject } from 'n8n-workflow';
import { capReachedMessage } from '../../shared/logic/apiBudget';
import type { NodeError } from '../../shared/node/outcomes';
import { priorLogs, syncLog } from '../../shared/node/syncLog';
import type { WriteResult } from '../../shared/providers/CrmProvider';
import { crmDisplayName } from '../../shared/providers/profiles';
import type { LinkRow } from '../links';
import { echoVerdict } from '../logic/echo';
import { linkRowsFor } from './linkRows';
import type { FieldChangeOut, AssociationOut, Prepared, Planned, SyncAction } from './types';
import type { RunContext } from './context';

/** Echo suppression: an item whose mapped values the link already knows is answered without an API call. */
export function skipSeen(run: RunContext, p: Prepared): boolean {
	const link = p.link ?? run.guards.links.recall(p.sourceKey);
	const verdict = echoVerdict(link, p.sourceFingerprint);
	if (verdict === 'new' || !link) return false;
	const action: SyncAction = verdict === 'echo' ? 'echo-skipped' : 'unchanged';
	const reason =
		verdict === 'echo'
			? "the change is the sync's own write coming back"
			: 'the mapped values were already synced';
	emitItem(run, p, action, {
		target: { objectType: link.counterpartObjectType, id: link.counterpartId },
		reason,
		changes: [],
		rows: [],
		apiCalls: 0,
	});
	return true;
}

/** Records the cap held back: output as deferred (nothing remembered), for a later run. */
export function emitDeferred(
	run: RunContext,
	deferred: Array<Prepared & Partial<Pick<Planned, 'object' | 'targetId' | 'changes'>>>,
): void {
	if (deferred.length === 0) return;
	const daily = run.target.usage().daily;
	const cap = run.settings.dailyApiCap ?? 100;
	const reason = daily
		? capReachedMessage(crmDisplayName(run.targetCrm), daily, cap, deferred.length)
		: `the daily API cap of ${cap} % was reached — ${deferred.length} record(s) left for the next run`;
	for (const p of deferred)
		emitItem(run, p, 'deferred', {
			target: { objectType: p.object?.objectType ?? '', id: p.targetId },
			reason,
			changes: p.changes ?? [],
			rows: [],
			apiCalls: 0,
		});
}

export function emitPlanned(
	run: RunContext,
	p: Planned,
	dryRun: boolean,
	result?: WriteResult,
	rows?: LinkRow[],
	apiCalls = 0,
): void {
	const decision = p.decision;
	if (decision.action === 'skip') {
		emitItem(run, p, 'skipped-ineligible', {
			reason: decision.reason,
			changes: [],
			rows: [],
			apiCalls,
			dryRun,
		});
		return;
	}
	const objectType = p.object?.objectType ?? '';
	if (dryRun) {
		const count = Object.keys(p.properties).length;
		const reason =
			decision.action === 'create'
				? `dry run: would create a ${decision.kind} with ${count} field(s)`
				: `dry run: ${count} field(s) would change`;
		emitItem(run, p, decision.action === 'create' ? 'created' : count ? 'updated' : 'unchanged', {
			target: { objectType, id: p.targetId },
			reason,
			changes: p.changes,
			rows: [],
			apiCalls,
			dryRun,
			matchedBy: decision.action === 'update' ? decision.by : undefined,
			associations: p.associations,
		});
		return;
	}
	const id = result?.ok ? result.id : p.targetId;
	const written = Object.keys(p.properties).length;
	const created =
		decision.action === 'create' && p.joins === undefined && result?.ok === true && result.created;
	const action: SyncAction = created ? 'created' : written > 0 ? 'updated' : 'unchanged';
	const linkRows = rows ?? (id ? linkRowsFor(run, p, id, false) : []);
	if (!rows) for (const row of linkRows) void run.guards.links.remember(row.key, row);
	emitItem(run, p, action, {
		target: { objectType, id },
		reason:
			p.joins === undefined ? `${written} field(s) written` : `shares the write of item ${p.joins}`,
		changes: p.changes,
		rows: linkRows,
		apiCalls,
		matchedBy: decision.action === 'update' ? decision.by : undefined,
		associations: p.associations,
	});
}

export function emitItem(
	run: RunContext,
	p: Prepared,
	action: SyncAction,
	details: {
		target?: { objectType: string; id?: string };
		reason: string;
		changes: FieldChangeOut[];
		rows: LinkRow[];
		apiCalls: number;
		dryRun?: boolean;
		matchedBy?: string;
		associations?: AssociationOut[];
	},
): void {
	const status = action === 'created' || action === 'updated' ? 'success' : 'skipped';
	const log = syncLog(run.targetCrm, `${action}-${run.settings.kind}`, status, {
		reason: details.reason,
		apiCalls: details.apiCalls,
		target: {
			type: details.target?.objectType ?? run.settings.kind,
			...(details.target?.id ? { id: details.target.id } : {}),
		},
	});
	const recordSync: IDataObject = {
		action,
		reason: details.reason,
		source: { crm: run.sourceCrm, objectType: p.source.objectType, id: p.source.id },
		target: { crm: run.targetCrm, ...(details.target ?? {}) },
		fieldChanges: details.changes as unknown as IDataObject[],
		dryRun: details.dryRun === true,
	};
	if (details.matchedBy) recordSync.matchedBy = details.matchedBy;
	if (details.associations?.length)
		recordSync.associations = details.associations as unknown as IDataObject[];
	run.outcomes.success(p.itemIndex, {
		...p.json,
		recordSync,
		link: { rows: details.rows as unknown as IDataObject[] },
		syncLog: [...priorLogs(p.json), log] as unknown as IDataObject[],
	});
}

export function failItem(
	run: RunContext,
	itemIndex: number,
	json: IDataObject,
	error: NodeError,
): void {
	const log = syncLog(run.targetCrm, `failed-${run.settings.kind}`, 'failed', {
		reason: error.message,
	});
	run.outcomes.failure(itemIndex, error, {
		...json,
		syncLog: [...priorLogs(json), log] as unknown as IDataObject[],
	});
}
