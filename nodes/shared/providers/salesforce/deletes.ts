/**
 * deleteRecords: sObject Collections `DELETE /composite/sobjects?ids=…&allOrNone=false`,
 * ≤ 200 ids per call; the records go to the Recycle Bin. One DeleteResult per id in request
 * order. A record that is already deleted answers ENTITY_IS_DELETED, which counts as deleted:
 * the call is safe to repeat after a lost answer.
 */
import { chunk } from '../batch';
import type { CrmErrorInfo, WriteResult } from '../CrmProvider';
import { deleteFailureOf } from '../deleteFailure';
import type { SalesforceApi } from './api';
import { SALESFORCE_PROFILE } from './profile';
import { assertObjectName, isRecordId } from './soql';

interface DeleteResult {
	id?: string | null;
	success: boolean;
	errors?: Array<{ statusCode?: string; message?: string }>;
}

/** Codes meaning the record is not there any more (deleted before, or emptied from the bin). */
const ALREADY_GONE = new Set(['ENTITY_IS_DELETED', 'NOT_FOUND']);

function resultOf(id: string, result: DeleteResult | undefined): WriteResult {
	if (!result)
		return { ok: false, error: { message: 'Salesforce returned no result for this record' } };
	const errors = result.errors ?? [];
	if (
		result.success ||
		(errors.length > 0 && errors.every((e) => ALREADY_GONE.has(e.statusCode ?? '')))
	)
		return { ok: true, id, created: false };
	const info: CrmErrorInfo = {
		message:
			errors.map((e) => e.message ?? e.statusCode ?? 'Unknown error').join('; ') ||
			'Salesforce refused the delete without a reason',
	};
	if (errors[0]?.statusCode) info.code = errors[0].statusCode;
	return { ok: false, error: info };
}

export async function deleteRecords(
	api: SalesforceApi,
	objectType: string,
	ids: string[],
): Promise<WriteResult[]> {
	assertObjectName(objectType);
	const out: WriteResult[] = ids.map((id) => ({
		ok: false,
		error: { message: `"${id.slice(0, 40)}" is not a Salesforce record id`, code: 'INVALID_INPUT' },
	}));
	const valid = ids.map((id, index) => ({ id, index })).filter(({ id }) => isRecordId(id));
	const slices = chunk(valid, SALESFORCE_PROFILE.recordDeletion.batchSize);
	await Promise.all(
		slices.map(async (slice) => {
			const list = slice.map((entry) => entry.id).join(',');
			try {
				const results = await api.send<DeleteResult[]>(
					{ method: 'DELETE', path: `/composite/sobjects?ids=${list}&allOrNone=false` },
					{ label: `DELETE /composite/sobjects (${objectType})`, idempotent: true },
				);
				slice.forEach(({ id, index }, position) => (out[index] = resultOf(id, results[position])));
			} catch (error) {
				const { failure } = deleteFailureOf(error);
				for (const { index } of slice) out[index] = { ok: false, error: failure };
			}
		}),
	);
	return out;
}
