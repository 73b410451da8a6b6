/** Creates whose answer was lost: remembered when they fail uncertain, found again before creating anew. */
import type { RecordData } from '../../shared/providers/CrmProvider';
import type { IdentityFacts } from '../logic/identity';
import { recoverPendingCreate, type PendingCreate } from '../logic/pendingCreate';
import type { Prepared, Planned } from './types';
import type { RunContext } from './context';

/** Pages of the change listing read to find a create whose answer was lost. */
const RECOVERY_PAGES = 5;

/** A create without an answer, kept so the next delivery looks for its record first. */
export async function rememberPendingCreate(
	run: RunContext,
	p: Planned,
	attemptAt: string,
): Promise<void> {
	if (p.decision.action !== 'create' || p.joins !== undefined || !p.object) return;
	const nameField = run.targetNameField(p.object.kind);
	const name = nameField ? p.properties[nameField] : undefined;
	if (!nameField || typeof name !== 'string' || name.trim() === '') return;
	await run.guards.pending.remember(run.pendingKey(p), {
		objectType: p.object.objectType,
		nameField,
		name,
		since: attemptAt,
	});
}

/**
 * Items whose earlier create had no answer and that nothing else found: one change listing
 * per object type since the earliest attempt; the record found is used as the counterpart.
 * Returns the items to leave out this run, with why (the listing may not show it yet).
 */
export async function recoverPendingCreates(
	run: RunContext,
	unfound: Prepared[],
	facts: Map<number, IdentityFacts>,
	records: Map<string, RecordData>,
): Promise<Map<number, string>> {
	const waiting = new Map<number, string>();
	const byType = new Map<string, Array<{ p: Prepared; pending: PendingCreate }>>();
	for (const p of unfound) {
		const pending = run.guards.pending.recall(run.pendingKey(p));
		if (!pending) continue;
		byType.set(pending.objectType, [...(byType.get(pending.objectType) ?? []), { p, pending }]);
	}
	for (const [objectType, entries] of byType) {
		const since = entries.map((e) => e.pending.since).sort()[0];
		const kind = run.targetKindOf(objectType);
		const fields = [
			...new Set([
				...run.mappedFields(run.targetObject(kind)),
				...entries.map((e) => e.pending.nameField),
			]),
		];
		const listed: RecordData[] = [];
		let cursor: string | undefined;
		for (let page = 0; page < RECOVERY_PAGES; page++) {
			const result = await run.target.listChanged({
				objectType,
				since,
				properties: fields,
				...(cursor ? { cursor } : {}),
			});
			listed.push(...result.records);
			cursor = result.nextCursor;
			if (!cursor) break;
		}
		for (const { p, pending } of entries) {
			const recovery = recoverPendingCreate(
				pending,
				listed.map((r) => ({
					id: r.id,
					name: r.properties[pending.nameField],
					createdAt: r.createdAt,
				})),
				Date.now(),
				run.target.profile.changeListingLagMs ?? 0,
			);
			if (recovery.status === 'found') {
				const record = listed.find((r) => r.id === recovery.id);
				if (record) records.set(`${objectType}:${record.id}`, record);
				facts.set(p.itemIndex, { linked: { kind, id: recovery.id, exists: true } });
			} else if (recovery.status === 'unknown') waiting.set(p.itemIndex, recovery.reason);
		}
	}
	return waiting;
}
