/**
 * The replay memory's rules, pure: which delivery keys must be kept and for how long.
 *
 * Memory is bounded by time, never by count while the age check is on: a key is kept for
 * the whole window in which a copy of its delivery could still pass the age check (max age
 * + clock skew after it was first seen), whatever the volume. Older copies are rejected by
 * the age check itself, so forgetting them loses nothing. With the check off there is no
 * such window; the memory then keeps a generous but finite history (UNCHECKED_*).
 */
import { createHash } from 'node:crypto';

/** Memory key → when it was first seen (epoch ms). Stored values are checked, not trusted. */
export type SeenKeys = Record<string, unknown>;

/** How far a sender's clock may run ahead of n8n's; also added to the retention window. */
export const CLOCK_SKEW_MS = 5 * 60_000;
/** Extra retention so a key is never dropped on the boundary by clock reads a few ms apart. */
const RETENTION_MARGIN_MS = 60_000;
/** With the age check off: keys are kept 24 h … */
export const UNCHECKED_RETENTION_MS = 24 * 60 * 60_000;
/** … and at most this many (the newest), about 2 MB of workflow static data. */
export const UNCHECKED_MAX_KEYS = 50_000;
/** Forgetting scans the whole memory, so it runs at most this often per memory. */
export const FORGET_INTERVAL_MS = 60_000;

export interface RetentionPolicy {
	retentionMs: number;
	/** Only when the age check is off. */
	maxKeys?: number;
}

export function retentionPolicy(maxAgeMs: number): RetentionPolicy {
	if (maxAgeMs > 0) return { retentionMs: maxAgeMs + CLOCK_SKEW_MS + RETENTION_MARGIN_MS };
	return { retentionMs: UNCHECKED_RETENTION_MS, maxKeys: UNCHECKED_MAX_KEYS };
}

/** A short, fixed-size stand-in for a delivery key (128 bits of its SHA-256, base64url). */
export function memoryKey(deliveryKey: string): string {
	return createHash('sha256').update(deliveryKey).digest('base64url').slice(0, 22);
}

/** Whether a stored first-seen time still counts (inside the retention window). */
export function isRemembered(firstSeen: unknown, nowMs: number, policy: RetentionPolicy): boolean {
	return typeof firstSeen === 'number' && firstSeen >= nowMs - policy.retentionMs;
}

/**
 * Keys to drop: malformed entries, entries older than the window and, with a count bound,
 * the oldest beyond it. Never a key inside the window when there is no count bound.
 */
export function keysToForget(
	seen: Readonly<SeenKeys>,
	nowMs: number,
	policy: RetentionPolicy,
): string[] {
	const forget: string[] = [];
	const kept: Array<[string, number]> = [];
	for (const [key, firstSeen] of Object.entries(seen)) {
		if (isRemembered(firstSeen, nowMs, policy)) kept.push([key, firstSeen as number]);
		else forget.push(key);
	}
	if (policy.maxKeys !== undefined && kept.length > policy.maxKeys) {
		kept.sort((a, b) => a[1] - b[1]);
		forget.push(...kept.slice(0, kept.length - policy.maxKeys).map(([key]) => key));
	}
	return forget;
}

/** Memory keys of the count-bounded list earlier versions stored (`deliveries: string[]`). */
export function legacyMemoryKeys(deliveries: unknown): string[] {
	return Array.isArray(deliveries)
		? deliveries.filter((key): key is string => typeof key === 'string').map(memoryKey)
		: [];
}
