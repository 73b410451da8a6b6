/**
 * Where the idempotency key (ActivityDraft.key) of each engagement is stored, so that
 * findActivities([{ kind, key }]) can find it again by search after a replay or an ambiguous
 * create.
 *
 * - Calls: `hs_call_external_id`, a free-text, searchable property meant for the id of
 *   the call in the system it came from — exactly what the key is. Exact (EQ) search.
 * - Meetings: `hs_meeting_external_url`, the free-text "external link" of a meeting,
 *   which the pack does not otherwise use. Exact (EQ) search.
 * - Notes, tasks and communications (chats) have no free-text property besides their body, so a short marker
 *   token `crmsync<32 hex>` (a hash of the key, a single search token) is appended to the
 *   body as a visible "Ref" line and found with CONTAINS_TOKEN.
 * Every search hit is confirmed client-side before it is trusted.
 */
import { createHash } from 'node:crypto';

import type { ActivityKind } from '../../model';
import type { SearchFilter } from './client';
import { escapeHtml } from './html';

export interface KeyStore {
	mode: 'exact' | 'marker';
	property: string;
}

export const ACTIVITY_KEY_STORES: Record<ActivityKind, KeyStore> = {
	call: { mode: 'exact', property: 'hs_call_external_id' },
	meeting: { mode: 'exact', property: 'hs_meeting_external_url' },
	note: { mode: 'marker', property: 'hs_note_body' },
	task: { mode: 'marker', property: 'hs_task_body' },
	chat: { mode: 'marker', property: 'hs_communication_body' },
};

/** One alphanumeric token, so HubSpot's tokenizer keeps it whole. */
export function keyMarker(key: string): string {
	return `crmsync${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

/** The HTML line appended to a marker-mode body. */
export function markerLine(key: string): string {
	return `<p>Ref: ${escapeHtml(keyMarker(key))}</p>`;
}

/** Properties that carry the key for exact-mode kinds (marker kinds carry it in the body). */
export function keyProperties(kind: ActivityKind, key: string): Record<string, string> {
	const store = ACTIVITY_KEY_STORES[kind];
	return store.mode === 'exact' ? { [store.property]: key } : {};
}

export function keyFilter(kind: ActivityKind, key: string): SearchFilter {
	const store = ACTIVITY_KEY_STORES[kind];
	return store.mode === 'exact'
		? { propertyName: store.property, operator: 'EQ', value: key }
		: { propertyName: store.property, operator: 'CONTAINS_TOKEN', value: keyMarker(key) };
}

/** Client-side confirmation of a search hit. */
export function carriesKey(
	kind: ActivityKind,
	properties: Record<string, string | null>,
	key: string,
): boolean {
	const store = ACTIVITY_KEY_STORES[kind];
	const value = properties[store.property];
	if (typeof value !== 'string') return false;
	return store.mode === 'exact' ? value === key : value.includes(keyMarker(key));
}
