/**
 * CRM Record Sync: copies source records (the CRM Sync Trigger's items) into their
 * counterparts in the target CRM under per-field sync rules.
 *
 * Per batch: the mapping is type-checked once; each item's mapped values are converted and
 * fingerprinted, and an item whose values equal its link's fingerprint (the sync's own write
 * coming back, or values already copied) is skipped without an API call. The rest are locked
 * by source record and person/company key, their counterparts found (link → email over
 * leads and contacts → domain; one provider call per step), the rules decided per field and
 * only the changes written, one upsert call per object type. Every item carries its action,
 * field changes and the link rows to store for both records.
 *
 * The steps live in run/: read, locate, plan, write, emit.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { objectTypeFor } from '../CrmContactFieldMerge/fieldSpecs';
import { withKeyedLocks } from '../shared/node/keyedLock';
import { connectProvider, type ConnectedProvider } from '../shared/providers/connect';
import { crmDisplayName } from '../shared/providers/profiles';
import { processLinks, processPendingCreates } from './links';
import { RunContext } from './run/context';
import { emitDeferred, emitPlanned, skipSeen } from './run/emit';
import { locateAndPlan } from './run/locate';
import { checkMappings } from './run/mappingCheck';
import { prepare } from './run/read';
import type { RecordSyncGuards } from './run/types';
import { capReached, writeItems } from './run/write';
import { readSettings } from './settings';

export type { RecordSyncGuards, SyncAction } from './run/types';

const PROCESS_GUARDS: RecordSyncGuards = {
	lock: { withKeyedLocks },
	links: processLinks,
	pending: processPendingCreates,
};

async function syncItems(run: RunContext): Promise<INodeExecutionData[][]> {
	const { kind } = run.settings;
	const primarySource = objectTypeFor(run.source.profile, kind);
	const primaryTarget = objectTypeFor(run.target.profile, kind);
	if (!primarySource || !primaryTarget)
		throw run.fail(
			`${crmDisplayName(run.sourceCrm)} or ${crmDisplayName(run.targetCrm)} has no ${kind} object`,
		);
	const sources = await run.describeKinds(run.source, run.kindsOf(run.sourceCrm));
	const targets = await run.describeKinds(run.target, run.targetKinds);
	checkMappings(run, sources, targets);
	await run.outcomes.settle(async () => {
		const prepared = await prepare(run);
		const fresh = prepared.filter((p) => !skipSeen(run, p));
		if (fresh.length === 0) return;
		const keys = run.settings.dryRun ? [] : fresh.flatMap((p) => p.identityKeys);
		await run.guards.lock.withKeyedLocks(keys, async () => {
			await run.guards.links.prefetch?.(fresh.map((p) => p.sourceKey));
			await run.guards.pending.prefetch?.(fresh.map((p) => run.pendingKey(p)));
			// Already at the cap (the describes reported it): not even the lookups run.
			if (!run.settings.dryRun && capReached(run)) {
				emitDeferred(run, fresh);
				return;
			}
			const planned = await locateAndPlan(run, fresh);
			if (run.settings.dryRun) planned.forEach((p) => emitPlanned(run, p, true));
			else await writeItems(run, planned);
		});
	});
	return run.outcomes.result();
}

export async function executeRecordSync(
	this: IExecuteFunctions,
	guards: RecordSyncGuards = PROCESS_GUARDS,
): Promise<INodeExecutionData[][]> {
	const settings = readSettings(this);
	const { direction } = settings;
	const source: ConnectedProvider = await connectProvider(this, direction.source);
	const target: ConnectedProvider = await connectProvider(this, direction.target);
	const credentialId = this.getNode().credentials?.[target.credentialType]?.id ?? 'unsaved';
	const scope = `recordSync|${direction.target}|${target.credentialType}:${credentialId}`;
	return await syncItems(
		new RunContext(this, settings, source.provider, target.provider, scope, guards),
	);
}
