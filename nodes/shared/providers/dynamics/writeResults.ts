/** Turns $batch part responses into WriteResults aligned with the inputs. */
import type { WriteResult } from '../CrmProvider';
import type { BatchPartResponse } from './batch';
import { isAlreadyExists, partErrorMessage } from './errors';
import { isGuid } from './odata';

/** The record id in an `OData-EntityId` / `Location` header: `.../contacts(<guid>)`. */
export function idFromEntityHeader(headers: Record<string, string>): string | undefined {
	const value = headers['odata-entityid'] ?? headers.location;
	const match = value ? /\(([0-9a-f-]{36})\)\s*$/i.exec(value) : null;
	return match ? match[1].toLowerCase() : undefined;
}

/** What is known about a write before it is sent. */
export interface KnownWrite {
	id?: string;
	created: boolean;
	primaryId: string;
	/**
	 * A create carrying the pack's own id (`id`): "already exists" means an earlier attempt
	 * stored it, so it counts as written (not created by this request).
	 */
	createOnce?: boolean;
}

/** A successful write's id: the known one, the entity header, or the representation body. */
export function writeResult(part: BatchPartResponse | undefined, known: KnownWrite): WriteResult {
	if (!part)
		return { ok: false, error: { message: 'Dynamics 365 returned no response for this write' } };
	if (known.createOnce && known.id && isAlreadyExists(part.status, part.body))
		return { ok: true, id: known.id, created: false };
	if (part.status >= 400) {
		const { message, code } = partErrorMessage(part.status, part.body);
		return {
			ok: false,
			error: code ? { message, code, status: part.status } : { message, status: part.status },
		};
	}
	let id = known.id ?? idFromEntityHeader(part.headers);
	let created = known.created;
	if (part.body) {
		try {
			const row = JSON.parse(part.body) as Record<string, unknown>;
			const fromBody = row[known.primaryId];
			if (!id && typeof fromBody === 'string' && isGuid(fromBody)) id = fromBody.toLowerCase();
		} catch {
			// A representation is optional; the headers already carry the id.
		}
	}
	// An upsert answers 201 when it created the row and 200/204 when it updated it.
	if (part.status === 201) created = true;
	if (!id)
		return {
			ok: false,
			error: {
				message: 'Dynamics 365 did not return the id of the written record',
				status: part.status,
			},
		};
	return { ok: true, id, created };
}

export function inputError(message: string): WriteResult {
	return { ok: false, error: { message, code: 'INVALID_INPUT' } };
}
