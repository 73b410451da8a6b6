/**
 * Finding the counterparts of a batch: linked records read by id, the rest searched by email
 * (over leads and contacts) or domain, creates whose answer was lost found again; then each
 * item planned, items on the same target record sharing one write.
 */
import { markFailure } from '../../shared/node/failureKind';
import type { RecordData } from '../../shared/providers/CrmProvider';
import { resolveIdentity, type IdentityFacts } from '../logic/identity';
import { failItem } from './emit';
import { recoverPendingCreates } from './pending';
import { planItem } from './plan';
import type { Prepared, Planned } from './types';
import type { RunContext } from './context';

const hasEmailMatch = (facts: IdentityFacts | undefined): boolean =>
	Object.values(facts?.byEmail ?? {}).some((ids) => (ids?.length ?? 0) > 0);

export async function locateAndPlan(run: RunContext, prepared: Prepared[]): Promise<Planned[]> {
	const facts = new Map<number, IdentityFacts>();
	const linked = new Map<string, string[]>();
	for (const p of prepared) {
		const link = p.link ?? run.guards.links.recall(p.sourceKey);
		if (link && link.counterpartCrm === run.targetCrm) {
			facts.set(p.itemIndex, {
				linked: {
					kind: run.targetKindOf(link.counterpartObjectType),
					id: link.counterpartId,
					exists: false,
				},
			});
			linked.set(link.counterpartObjectType, [
				...(linked.get(link.counterpartObjectType) ?? []),
				link.counterpartId,
			]);
		} else facts.set(p.itemIndex, {});
	}
	const records = new Map<string, RecordData>();
	await readTargets(run, linked, records);
	for (const p of prepared) {
		const f = facts.get(p.itemIndex);
		if (f?.linked)
			f.linked.exists = records.has(`${run.objectTypeOf(f.linked.kind)}:${f.linked.id}`);
	}
	await searchTargets(
		run,
		prepared.filter((p) => !facts.get(p.itemIndex)?.linked?.exists),
		facts,
		records,
	);
	const waiting = await recoverPendingCreates(
		run,
		prepared.filter((p) => {
			const f = facts.get(p.itemIndex);
			return !f?.linked?.exists && !f?.byDomain?.length && !hasEmailMatch(f);
		}),
		facts,
		records,
	);
	for (const [itemIndex, reason] of waiting) {
		const p = prepared.find((entry) => entry.itemIndex === itemIndex)!;
		failItem(
			run,
			itemIndex,
			p.json,
			markFailure(run.fail(`Item ${itemIndex}: ${reason}`, itemIndex), { uncertain: true }),
		);
	}
	const writers = new Map<string, number>();
	return prepared
		.filter((p) => !waiting.has(p.itemIndex))
		.map((p) => {
			const decision = resolveIdentity(facts.get(p.itemIndex) ?? {}, {
				kind: run.settings.kind,
				newPersonKind: run.settings.newPersonKind,
				create: run.settings.create,
				ineligibleReason: p.ineligible,
			});
			const planned = planItem(run, p, decision, records);
			// Items of one batch on the same target record (or the same new identity) share one write.
			const writeKey =
				decision.action === 'update'
					? `update:${decision.kind}:${decision.id}`
					: decision.action === 'create'
						? `create:${p.email ?? p.domain ?? p.sourceKey}`
						: undefined;
			if (writeKey) {
				const first = writers.get(writeKey);
				if (first === undefined) writers.set(writeKey, p.itemIndex);
				else planned.joins = first;
			}
			return planned;
		});
}

/** One getRecords call per target object type. */
export async function readTargets(
	run: RunContext,
	ids: Map<string, string[]>,
	into: Map<string, RecordData>,
): Promise<void> {
	for (const [objectType, list] of ids) {
		const unique = [...new Set(list)];
		if (!unique.length) continue;
		const info = run.targetObject(run.targetKindOf(objectType));
		const read = await run.target.getRecords(objectType, unique, run.mappedFields(info));
		for (const record of read) if (record) into.set(`${objectType}:${record.id}`, record);
	}
}

/** One findMatches call for the batch's emails (over leads and contacts) or domains, then the matches read. */
export async function searchTargets(
	run: RunContext,
	unlinked: Prepared[],
	facts: Map<number, IdentityFacts>,
	records: Map<string, RecordData>,
): Promise<void> {
	const person = run.settings.kind === 'contact';
	const searchable = unlinked.filter((p) =>
		person ? p.email : run.settings.kind === 'company' && p.domain,
	);
	if (!searchable.length) return;
	const matches = await run.target.findMatches(
		searchable.map((p) => ({
			phones: [],
			emails: person && p.email ? [p.email] : [],
			domains: !person && p.domain ? [p.domain] : [],
		})),
		{ kinds: run.targetKinds, openDealsOnly: false },
	);
	const toRead = new Map<string, string[]>();
	searchable.forEach((p, index) => {
		const set = matches[index];
		const f = facts.get(p.itemIndex) ?? {};
		if (person) {
			f.byEmail = {};
			for (const kind of run.targetKinds) {
				const ids = (set?.[kind] ?? [])
					.filter((ref) => ref.matchedBy !== 'domain')
					.map((ref) => ref.id);
				f.byEmail[kind] = ids;
				if (ids[0])
					toRead.set(run.objectTypeOf(kind), [
						...(toRead.get(run.objectTypeOf(kind)) ?? []),
						ids[0],
					]);
			}
		} else {
			f.byDomain = (set?.company ?? []).map((ref) => ref.id);
			if (f.byDomain[0])
				toRead.set(run.objectTypeOf('company'), [
					...(toRead.get(run.objectTypeOf('company')) ?? []),
					f.byDomain[0],
				]);
		}
		facts.set(p.itemIndex, f);
	});
	await readTargets(run, toRead, records);
}
