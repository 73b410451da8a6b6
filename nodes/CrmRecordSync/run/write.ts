/**
 * Writing the plan: one upsert call per target object type (within the daily API cap), the
 * new deals' contact junction records in one more, then each item reported.
 */
import { callsLeft, mayProceed } from '../../shared/logic/apiBudget';
import { markFailure, writeFailureMarks } from '../../shared/node/failureKind';
import type { RecordWrite, WriteResult } from '../../shared/providers/CrmProvider';
import { crmDisplayName } from '../../shared/providers/profiles';
import { toNodeError } from '../../shared/transport/nodeErrors';
import { emitDeferred, emitPlanned, failItem } from './emit';
import { linkRowsFor } from './linkRows';
import { rememberPendingCreate } from './pending';
import type { Planned } from './types';
import type { RunContext } from './context';

export async function writeItems(run: RunContext, planned: Planned[]): Promise<void> {
	const groups = new Map<
		string,
		{ objectType: string; writes: RecordWrite[]; owners: Planned[][] }
	>();
	const byIndex = new Map(planned.map((p) => [p.itemIndex, p]));
	const ownersOf = new Map<number, Planned[]>();
	for (const p of planned) {
		if (p.decision.action === 'skip' || !p.object) {
			emitPlanned(run, p, false);
			continue;
		}
		if (p.joins !== undefined) {
			const owner = byIndex.get(p.joins);
			if (owner) {
				Object.assign(owner.properties, p.properties);
				ownersOf.get(p.joins)?.push(p);
				continue;
			}
		}
		ownersOf.set(p.itemIndex, [p]);
	}
	for (const [index, members] of ownersOf) {
		const p = byIndex.get(index);
		if (!p?.object) continue;
		if (p.decision.action === 'update' && Object.keys(p.properties).length === 0) {
			for (const member of members)
				emitPlanned(run, member, false, { ok: true, id: p.targetId ?? '', created: false });
			continue;
		}
		const write: RecordWrite =
			p.decision.action === 'update'
				? { id: p.targetId, properties: p.properties }
				: newRecordWrite(run, p);
		const group = groups.get(p.object.objectType) ?? {
			objectType: p.object.objectType,
			writes: [],
			owners: [],
		};
		group.writes.push(write);
		group.owners.push(members);
		groups.set(p.object.objectType, group);
	}
	const reports: Array<{
		member: Planned;
		result: WriteResult;
		calls: number;
		attemptAt: string;
	}> = [];
	const deferred: Planned[] = [];
	for (const group of groups.values()) {
		if (!withinApiCap(run, group.writes.length)) {
			deferred.push(...group.owners.flat());
			continue;
		}
		const before = run.target.usage().calls;
		// A little before the request leaves: the CRM's clock and ours differ slightly.
		const attemptAt = new Date(Date.now() - 5_000).toISOString();
		let results: WriteResult[];
		try {
			results = await run.target.upsertRecords(group.objectType, group.writes);
		} catch (error) {
			for (const members of group.owners)
				for (const member of members)
					failItem(
						run,
						member.itemIndex,
						member.json,
						toNodeError(run.node, error, member.itemIndex),
					);
			continue;
		}
		const calls = run.target.usage().calls - before;
		for (const [index, members] of group.owners.entries()) {
			const result = results[index] ?? {
				ok: false as const,
				error: { message: 'the CRM returned no result for this record' },
			};
			for (const member of members)
				reports.push({ member, result, calls: index === 0 ? calls : 0, attemptAt });
		}
	}
	// A new deal's contacts become junction records in one more write for the batch.
	const createdDeals = reports.flatMap(({ member, result }) =>
		result.ok && member.joins === undefined && member.dealContacts.length > 0
			? [{ p: member, dealId: result.id }]
			: [],
	);
	await writeDealContacts(run, createdDeals);
	for (const { member, result, calls, attemptAt } of reports)
		await reportWrite(run, member, result, calls, attemptAt);
	emitDeferred(run, deferred);
}

/** One write of junction records (deal ↔ contact) for the batch's new deals. */
export async function writeDealContacts(
	run: RunContext,
	created: Array<{ p: Planned; dealId: string }>,
): Promise<void> {
	const junction = run.target.profile.recordAssociations?.dealContacts;
	const writes = created.flatMap(({ p, dealId }) =>
		p.dealContacts.map((contactId) => ({
			p,
			contactId,
			write: {
				properties: {
					[junction?.dealField ?? '']: dealId,
					[junction?.contactField ?? '']: contactId,
				},
			} as RecordWrite,
		})),
	);
	if (!junction || writes.length === 0) return;
	const markFailed = (p: Planned, contactId: string, reason: string) => {
		const entry = p.associations.find((a) => a.kind === 'contact' && a.targetId === contactId);
		if (entry) Object.assign(entry, { status: 'failed', reason });
	};
	try {
		const results = await run.target.upsertRecords(
			junction.objectType,
			writes.map((w) => w.write),
		);
		writes.forEach((w, index) => {
			const result = results[index];
			if (!result?.ok) markFailed(w.p, w.contactId, result?.error.message ?? 'no result');
		});
	} catch (error) {
		for (const w of writes) markFailed(w.p, w.contactId, (error as Error).message);
	}
}

/** Whether writing `records` more stays within the run's share of the target's daily limit. */
export function withinApiCap(run: RunContext, records: number): boolean {
	const cap = run.settings.dailyApiCap;
	if (cap === undefined) return true;
	const requests = Math.ceil(records / Math.max(1, run.target.profile.writeBatchSize));
	return mayProceed(run.target.usage().daily, cap, requests);
}

/** Whether the target's reported daily usage already stands at the run's cap. */
export function capReached(run: RunContext): boolean {
	const cap = run.settings.dailyApiCap;
	return cap !== undefined && callsLeft(run.target.usage().daily, cap) === 0;
}

export function newRecordWrite(run: RunContext, p: Planned): RecordWrite {
	const person = run.settings.kind === 'contact';
	const unique = person ? run.target.profile.personKeys.uniqueOnCreate?.email : undefined;
	// HubSpot holds contact emails unique: a create sent as an upsert by email cannot make a second contact.
	if (unique && p.email && p.object?.kind === 'contact')
		return { idProperty: unique, idValue: p.email, properties: p.properties };
	return { properties: p.properties };
}

export async function reportWrite(
	run: RunContext,
	p: Planned,
	result: WriteResult,
	apiCalls: number,
	attemptAt: string,
): Promise<void> {
	if (!result.ok) {
		if (result.error.uncertain) await rememberPendingCreate(run, p, attemptAt);
		const code = result.error.code ? ` (${result.error.code})` : '';
		const what = p.decision.action === 'create' ? 'create' : 'update';
		const error = markFailure(
			run.fail(
				`Item ${p.itemIndex}: ${crmDisplayName(run.targetCrm)} rejected the ${p.object?.kind ?? ''} ${what}: ${result.error.message}${code}`,
				p.itemIndex,
			),
			{
				...writeFailureMarks(run.targetCrm, result.error),
				...(result.error.uncertain ? { uncertain: true } : {}),
			},
		);
		failItem(run, p.itemIndex, p.json, error);
		return;
	}
	const rows = linkRowsFor(run, p, result.id, true);
	for (const row of rows) await run.guards.links.remember(row.key, row);
	emitPlanned(run, p, false, result, rows, apiCalls);
}
