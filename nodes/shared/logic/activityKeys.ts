/**
 * Stable identities for what the pack writes, so a replayed conversation is recognised:
 * the same conversation, activity kind and slot always give the same key. Keys fit the
 * tightest CRM home we use (Salesforce CallObject, 255 chars) by hashing long inputs.
 */
import { createHash } from 'node:crypto';

import type { ActivityKind, CrmName } from '../model';

const MAX_KEY_LENGTH = 120;

function digest(text: string): string {
	return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** `crmsync:<conversation>:<kind>:<slot>`, hashed when it would be too long or unsafe. */
export function activityKey(conversationId: string, kind: ActivityKind, slot: string): string {
	const raw = `crmsync:${conversationId}:${kind}:${slot}`;
	const safe = /^[\w:.@+-]+$/.test(raw);
	return safe && raw.length <= MAX_KEY_LENGTH ? raw : `crmsync:${digest(raw)}:${kind}`;
}

/** Slot of an action item: its normalised text, so re-ordered items keep their identity. */
export function actionItemSlot(text: string): string {
	return `task-${digest(text.trim().toLowerCase().replace(/\s+/g, ' ')).slice(0, 16)}`;
}

/** Entry in n8n's processed-items store: one per CRM, activity and target record. */
export function processedEntry(crm: CrmName, key: string, targetId: string): string {
	return `${crm}|${key}|${targetId}`;
}
