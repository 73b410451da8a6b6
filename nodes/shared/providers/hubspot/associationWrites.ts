/**
 * writeAssociations: the default (unlabeled) association for each link, one v4 batch
 * associate call per object pair (and per 1,000 links). Creating an association that exists
 * already changes nothing in HubSpot, so the call is safe to repeat.
 */
import type { AssociationLink, AssociationResult, WriteResult } from '../CrmProvider';
import { batchErrorMessage } from './errors';
import type { BatchError } from './client';
import type { HubSpotSession } from './session';
import { writeInChunks, type IndexedInput } from './writeChunks';

/** Inputs per batch associate request. */
const ASSOCIATE_LIMIT = 1000;

const pairKey = (fromId: string, toId: string): string => `${fromId}>${toId}`;

/** The error naming either record of a link, else the first one. */
function errorFor(link: AssociationLink, errors: readonly BatchError[]): string {
	const named = errors.find((error) =>
		Object.values(error.context ?? {}).some(
			(ids) => ids.includes(link.fromId) || ids.includes(link.toId),
		),
	);
	const error = named ?? errors[0];
	return error ? batchErrorMessage(error) : 'HubSpot did not confirm the association';
}

export async function writeAssociations(
	session: HubSpotSession,
	links: AssociationLink[],
): Promise<AssociationResult[]> {
	const out: WriteResult[] = new Array(links.length);
	const byPair = new Map<string, Array<IndexedInput<AssociationLink>>>();
	links.forEach((link, index) => {
		const key = `${link.fromObjectType}/${link.toObjectType}`;
		byPair.set(key, [...(byPair.get(key) ?? []), { index, input: link }]);
	});
	for (const entries of byPair.values()) {
		const { fromObjectType, toObjectType } = entries[0].input;
		await writeInChunks(
			entries,
			ASSOCIATE_LIMIT,
			async (slice) => {
				const answer = await session.send(
					`POST /crm/v4/associations/${fromObjectType}/${toObjectType}/batch/associate/default`,
					true,
					(api) =>
						api.associateDefault(
							fromObjectType,
							toObjectType,
							slice.map(({ input }) => ({ fromId: input.fromId, toId: input.toId })),
						),
				);
				const done = new Set(answer.associated.map((pair) => pairKey(pair.fromId, pair.toId)));
				return slice.map(({ input }): WriteResult =>
					done.has(pairKey(input.fromId, input.toId))
						? { ok: true, id: input.fromId, created: false }
						: { ok: false, error: { message: errorFor(input, answer.errors) } },
				);
			},
			out,
		);
	}
	return out.map((result) => (result.ok ? { ok: true } : { ok: false, error: result.error }));
}
