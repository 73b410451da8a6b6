/**
 * deleteRecords: one `$batch` of `DELETE <set>(<id>)` operations, each in its own change set
 * so one refused delete leaves the others alone (the client splits at 1,000 operations).
 * A row that is already gone answers 404, which counts as deleted: the batch is safe to
 * send again after a lost answer.
 */
import type { WriteResult } from '../CrmProvider';
import { deleteFailureOf } from '../deleteFailure';
import type { BatchGroup } from './batch';
import type { DynamicsClient } from './client';
import type { EntityInfo } from './entities';
import { partErrorMessage } from './errors';
import { guidLiteral, isGuid } from './odata';
import { inputError } from './writeResults';

export async function deleteRecords(
	client: DynamicsClient,
	entity: EntityInfo,
	ids: readonly string[],
): Promise<WriteResult[]> {
	const results: WriteResult[] = ids.map((id) =>
		inputError(`Record id "${id.slice(0, 60)}" is not a Dynamics 365 record id (GUID)`),
	);
	const valid = ids.map((id, index) => ({ id, index })).filter(({ id }) => isGuid(id));
	if (valid.length === 0) return results;
	const groups: BatchGroup[] = valid.map(({ id }) => ({
		kind: 'changeset',
		operations: [{ method: 'DELETE', url: client.url(`${entity.entitySet}(${guidLiteral(id)})`) }],
	}));
	const label = `POST $batch (delete ${entity.entitySet})`;
	let responses: Awaited<ReturnType<DynamicsClient['batch']>>;
	try {
		responses = await client.batch(groups, { label, idempotent: true });
	} catch (error) {
		const { failure } = deleteFailureOf(error);
		for (const { index } of valid) results[index] = { ok: false, error: failure };
		return results;
	}
	valid.forEach(({ id, index }, position) => {
		const part = responses[position]?.[0];
		if (part && (part.status < 400 || part.status === 404)) {
			results[index] = { ok: true, id, created: false };
			return;
		}
		if (!part) {
			results[index] = {
				ok: false,
				error: { message: 'Dynamics 365 returned no response for this delete' },
			};
			return;
		}
		const { message, code } = partErrorMessage(part.status, part.body);
		results[index] = {
			ok: false,
			error: code ? { message, code, status: part.status } : { message, status: part.status },
		};
	});
	return results;
}
