/**
 * Replay protection for one verified delivery, decided before any workflow starts.
 *
 * Two memories answer "was this delivery seen?": the claim store (every concurrent call of
 * this n8n process sees the same claims at once) and the persisted memory in the node's
 * workflow static data (survives restarts; n8n saves it after each production webhook call —
 * test calls from the editor are not saved). Keys are kept by time (deliveryMemory.ts).
 */
import type { IDataObject } from 'n8n-workflow';

import { coordinatedClaimStore } from '../shared/coordination/coordination';
import { InMemoryClaimStore, type DeliveryClaimStore } from './deliveryClaims';
import {
	FORGET_INTERVAL_MS,
	isRemembered,
	keysToForget,
	legacyMemoryKeys,
	memoryKey,
	type RetentionPolicy,
} from './deliveryMemory';
import { UnsavedCopies } from './unsavedCopies';

/** Claims only have to outlive the moment the winner's memory is saved; an hour is plenty. */
const MAX_CLAIM_MS = 60 * 60_000;

export interface DeliveryCheck {
	/** Which trigger the memory belongs to: workflow, node and mode (test calls stay apart). */
	scope: string;
	/** The node's static data (`getWorkflowStaticData('node')`); its `seen` map is updated in place. */
	memory: IDataObject;
	deliveryKeys: readonly string[];
	nowMs: number;
	policy: RetentionPolicy;
}

function isMap(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Whether the stored memory (or the list of earlier versions) holds a key; reads only. */
function isStored(
	memory: IDataObject,
	keys: readonly string[],
	nowMs: number,
	policy: RetentionPolicy,
): boolean {
	const seen = isMap(memory.seen) ? memory.seen : {};
	if (keys.some((key) => isRemembered(seen[key], nowMs, policy))) return true;
	const legacy = new Set(legacyMemoryKeys(memory.deliveries));
	return keys.some((key) => legacy.has(key));
}

/** The memory map to write, created if missing, with the list of earlier versions taken over. */
function writableSeen(memory: IDataObject, nowMs: number): IDataObject {
	const seen = isMap(memory.seen) ? memory.seen : {};
	for (const key of legacyMemoryKeys(memory.deliveries)) seen[key] ??= nowMs;
	delete memory.deliveries;
	return seen;
}

export class ReplayGuard {
	constructor(
		private readonly claims: DeliveryClaimStore,
		private readonly unsaved = new UnsavedCopies(),
	) {}

	/** True when the delivery is new and now claimed (run it); false for a replay or a concurrent copy. */
	async admit(check: DeliveryCheck): Promise<boolean> {
		const { scope, memory, nowMs, policy } = check;
		const keys = check.deliveryKeys.map(memoryKey);
		// A refused copy changes nothing: n8n would save a changed copy over the winner's.
		if (isStored(memory, keys, nowMs, policy)) return false;
		if (!(await this.claims.claim(scope, keys, nowMs, Math.min(policy.retentionMs, MAX_CLAIM_MS))))
			return false;

		// No await from here on: the memory is filled and shared before any other call runs.
		const seen = writableSeen(memory, nowMs);
		for (const key of keys) seen[key] = nowMs;
		for (const [key, firstSeen] of this.unsaved.share(scope, memory, keys, nowMs))
			seen[key] ??= firstSeen;
		const lastForget = memory.forgottenAt;
		if (
			typeof lastForget !== 'number' ||
			nowMs - lastForget >= FORGET_INTERVAL_MS ||
			lastForget > nowMs
		) {
			for (const key of keysToForget(seen, nowMs, policy)) delete seen[key];
			memory.forgottenAt = nowMs;
		}
		// Reassigned so n8n sees the memory as changed and saves it.
		memory.seen = seen;
		return true;
	}
}

/**
 * One guard per n8n process: n8n loads the node class once, so every execution shares it.
 * In queue mode its claims live in Redis, so a copy reaching another n8n process is refused too.
 */
export const processReplayGuard = new ReplayGuard(coordinatedClaimStore(new InMemoryClaimStore()));
