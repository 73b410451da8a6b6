/**
 * Writing the plan: one upsert call per target object type (within the daily API cap, lookups
 * riding on it), junction records in one more per junction object, association-API links in
 * one provider call, then each item reported.
 */
import { callsLeft, mayProceed, writesWithinCap } from '../../shared/logic/apiBudget';
import type { ObjectKind } from '../../shared/model';
import { markFailure, writeFailureMarks } from '../../shared/node/failureKind';
import type { AssociationLink, RecordWrite, WriteResult } from '../../shared/providers/CrmProvider';
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
				owner.lookups.push(...p.lookups);
				ownersOf.get(p.joins)?.push(p);
				continue;
			}
		}
		ownersOf.set(p.itemIndex, [p]);
	}
	// Records with nothing to write themselves: reported once their associations are written.
	const unwritten: Array<{ member: Planned; id: string }> = [];
	for (const [index, members] of ownersOf) {
		const p = byIndex.get(index);
		if (!p?.object) continue;
		if (
			p.decision.action === 'update' &&
			Object.keys(p.properties).length === 0 &&
			p.lookups.length === 0
		) {
			for (const member of members) unwritten.push({ member, id: p.targetId ?? '' });
			continue;
		}
		const write: RecordWrite =
			p.decision.action === 'update'
				? { id: p.targetId, properties: p.properties, ...lookupsOf(p) }
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
	for (const whole of groups.values()) {
		// As many full batches as the cap leaves; only the rest waits for the next run.
		const allowed = recordsWithinApiCap(run, whole.writes.length);
		const group = {
			objectType: whole.objectType,
			writes: whole.writes.slice(0, allowed),
			owners: whole.owners.slice(0, allowed),
		};
		deferred.push(...whole.owners.slice(allowed).flat());
		if (group.writes.length === 0) continue;
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
	// Associations that need the record to exist: junction records and association-API links,
	// one write per junction object and one provider call for the links of the whole batch.
	const written = [
		...reports.flatMap(({ member, result }) => (result.ok ? [{ member, id: result.id }] : [])),
		...unwritten.filter(({ id }) => id !== ''),
	];
	await writeJunctions(run, written);
	await writeApiLinks(run, written);
	for (const { member, id } of unwritten)
		emitPlanned(run, member, false, { ok: true, id, created: false });
	for (const { member, result, calls, attemptAt } of reports)
		await reportWrite(run, member, result, calls, attemptAt);
	emitDeferred(run, deferred);
}

const lookupsOf = (p: Planned): Pick<RecordWrite, 'lookups'> =>
	p.lookups.length > 0 ? { lookups: p.lookups } : {};

function markFailed(p: Planned, kind: ObjectKind, id: string, reason: string): void {
	const entry = p.associations.find(
		(a) => a.kind === kind && a.targetId === id && a.status === 'linked',
	);
	if (entry) Object.assign(entry, { status: 'failed', reason });
}

/** One write of junction records (a new deal's contact roles) per junction object, for the batch. */
export async function writeJunctions(
	run: RunContext,
	written: Array<{ member: Planned; id: string }>,
): Promise<void> {
	const byObject = new Map<
		string,
		Array<{ p: Planned; kind: ObjectKind; id: string; write: RecordWrite }>
	>();
	const seen = new Set<string>();
	for (const { member, id } of written) {
		if (!member.object) continue;
		const stores = run.associationStores(member.object.kind);
		for (const junction of member.junctions) {
			const store = stores[junction.kind];
			if (store?.via !== 'junction') continue;
			const write: RecordWrite = {
				properties: { [store.recordField]: id, [store.associatedField]: junction.id },
			};
			// Items sharing one write (the same record twice in a batch) add each junction once.
			const key = `${store.objectType}|${id}|${junction.id}`;
			if (seen.has(key)) continue;
			seen.add(key);
			const list = byObject.get(store.objectType) ?? [];
			list.push({ p: member, kind: junction.kind, id: junction.id, write });
			byObject.set(store.objectType, list);
		}
	}
	for (const [objectType, writes] of byObject) {
		if (!withinApiCap(run, writes.length)) {
			for (const w of writes) markFailed(w.p, w.kind, w.id, capLeftMessage(run));
			continue;
		}
		try {
			const results = await run.target.upsertRecords(
				objectType,
				writes.map((w) => w.write),
			);
			writes.forEach((w, index) => {
				const result = results[index];
				if (!result?.ok) markFailed(w.p, w.kind, w.id, result?.error.message ?? 'no result');
			});
		} catch (error) {
			for (const w of writes) markFailed(w.p, w.kind, w.id, (error as Error).message);
		}
	}
}

/** The batch's association-API links in one provider call (one request per object pair). */
export async function writeApiLinks(
	run: RunContext,
	written: Array<{ member: Planned; id: string }>,
): Promise<void> {
	const links = written.flatMap(({ member, id }) => {
		const fromObjectType = member.object?.objectType;
		if (!fromObjectType) return [];
		return member.apiLinks.map((link) => ({
			p: member,
			kind: link.kind,
			link: {
				fromObjectType,
				fromId: id,
				toObjectType: run.objectTypeOf(link.kind),
				toId: link.id,
			},
		}));
	});
	if (links.length === 0) return;
	const keyOf = (link: AssociationLink) =>
		`${link.fromObjectType}|${link.fromId}|${link.toObjectType}|${link.toId}`;
	const unique = [...new Map(links.map((entry) => [keyOf(entry.link), entry.link])).values()];
	const fail = (entry: (typeof links)[number], reason: string) =>
		markFailed(entry.p, entry.kind, entry.link.toId, reason);
	if (!run.target.writeAssociations) {
		for (const entry of links)
			fail(entry, `${crmDisplayName(run.targetCrm)} has no association writes in this node`);
		return;
	}
	const pairs = new Set(unique.map((link) => `${link.fromObjectType}|${link.toObjectType}`));
	if (!withinApiCapRequests(run, pairs.size)) {
		for (const entry of links) fail(entry, capLeftMessage(run));
		return;
	}
	try {
		// Items sharing one write send each link once; every item gets that link's result.
		const results = await run.target.writeAssociations(unique);
		const byKey = new Map(unique.map((link, index) => [keyOf(link), results[index]]));
		for (const entry of links) {
			const result = byKey.get(keyOf(entry.link));
			if (!result?.ok) fail(entry, result?.error.message ?? 'no result');
		}
	} catch (error) {
		for (const entry of links) fail(entry, (error as Error).message);
	}
}

/** Whether writing `records` more stays within the run's share of the target's daily limit. */
/** How many of `records` writes fit in the requests the cap leaves (all of them without a cap or a report). */
function recordsWithinApiCap(run: RunContext, records: number): number {
	const cap = run.settings.dailyApiCap;
	if (cap === undefined) return records;
	const batchSize = Math.max(1, run.target.profile.writeBatchSize);
	return writesWithinCap(run.target.usage().daily, cap, records, batchSize);
}

export function withinApiCap(run: RunContext, records: number): boolean {
	return withinApiCapRequests(
		run,
		Math.ceil(records / Math.max(1, run.target.profile.writeBatchSize)),
	);
}

/** Whether `requests` more stay within the run's share of the target's daily limit. */
function withinApiCapRequests(run: RunContext, requests: number): boolean {
	const cap = run.settings.dailyApiCap;
	return cap === undefined || mayProceed(run.target.usage().daily, cap, requests);
}

/** Why an association was left for the next delivery (the record keeps no fingerprint). */
function capLeftMessage(run: RunContext): string {
	return `the daily API cap of ${run.settings.dailyApiCap ?? 100} % was reached — the association is written by a later delivery`;
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
		return { idProperty: unique, idValue: p.email, properties: p.properties, ...lookupsOf(p) };
	return { properties: p.properties, ...lookupsOf(p) };
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
