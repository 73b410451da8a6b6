/**
 * The records this node created recently, by person identity (CRM account + normalised
 * key), shared by every execution of the process. A CRM whose search index lags (HubSpot
 * contacts by phone) does not find a record created seconds ago; the remembered id does,
 * and it is read back by id (always current) and only used while it still holds the key.
 *
 * Entries expire after a while (by then every CRM's index has caught up) and the memory
 * is bounded. In queue mode the memory is shared by every process through Redis
 * (nodes/shared/coordination), so a worker finds the record another worker just created.
 */
import { coordinatedMemory } from '../shared/coordination/coordination';
import { ExpiringMemory } from '../shared/coordination/expiringMemory';
import type { ObjectKind } from '../shared/model';

export interface CreatedRecord {
	id: string;
	kind: ObjectKind;
	objectType: string;
}

export interface CreatedRecordMemory {
	recall(identity: string): CreatedRecord | undefined;
	/** May resolve later: a shared memory resolves once other processes can read it. */
	remember(identity: string, record: CreatedRecord): void | Promise<void>;
	/** A shared memory loads what other processes remembered for these identities. */
	prefetch?(identities: readonly string[]): Promise<void>;
}

/** Longer than any search-index lag seen in practice (HubSpot: seconds, rarely a minute). */
const DEFAULT_TTL_MS = 15 * 60_000;
const DEFAULT_MAX_ENTRIES = 10_000;

/** This process's side of the memory (tests give their own clock and bounds). */
export class InProcessCreatedRecords extends ExpiringMemory<CreatedRecord> {
	constructor(
		ttlMs = DEFAULT_TTL_MS,
		maxEntries = DEFAULT_MAX_ENTRIES,
		now: () => number = Date.now,
	) {
		super(ttlMs, maxEntries, now);
	}
}

/** The memory shared by every execution in this process (in queue mode: in every process). */
export const processCreatedRecords: CreatedRecordMemory = coordinatedMemory(
	new InProcessCreatedRecords(),
	'created-records',
	DEFAULT_TTL_MS,
);
