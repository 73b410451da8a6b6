/** The link rows to store for a synced pair: one per side, each with the fingerprint it was last seen with. */
import { linkKey, type LinkRow } from '../links';
import { associationValues, fingerprint } from '../logic/echo';
import type { Planned } from './types';
import type { RunContext } from './context';

export function linkRowsFor(
	run: RunContext,
	p: Planned,
	targetId: string,
	wrote: boolean,
): LinkRow[] {
	if (!p.object) return [];
	const syncedAt = new Date().toISOString();
	const sourceRow: LinkRow = {
		key: p.sourceKey,
		crm: run.sourceCrm,
		objectType: p.source.objectType,
		recordId: p.source.id,
		counterpartCrm: run.targetCrm,
		counterpartObjectType: p.object.objectType,
		counterpartId: targetId,
		fingerprint: p.sourceFingerprint,
		origin: 'read',
		syncedAt,
	};
	const targetRow: LinkRow = {
		key: linkKey(run.targetCrm, p.object.objectType, targetId),
		crm: run.targetCrm,
		objectType: p.object.objectType,
		recordId: targetId,
		counterpartCrm: run.sourceCrm,
		counterpartObjectType: p.source.objectType,
		counterpartId: p.source.id,
		fingerprint: fingerprint({
			...p.after,
			...associationValues(
				(['company', 'contact'] as const).flatMap((kind) =>
					p.associated[kind]
						? [
								[
									kind,
									p.associations.flatMap((a) =>
										a.kind === kind && a.targetId && a.status !== 'failed' ? [a.targetId] : [],
									),
								],
							]
						: [],
				),
			),
		}),
		origin: wrote && Object.keys(p.properties).length > 0 ? 'written' : 'read',
		syncedAt,
	};
	return [sourceRow, targetRow];
}
