/**
 * The key of a timeline copy: CRM Timeline Sync writes each source activity under a key made
 * of its CRM, type and id, so every later delivery of it (a second poll, a replay, a copy of
 * the workflow running at the same time) names the same write. The prefix also marks copies
 * in the CRM they were written to, so a sync in the other direction never copies them back.
 */
import { createHash } from 'node:crypto';

import type { CrmName, TimelineType } from '../model';

export const TIMELINE_KEY_PREFIX = 'crmsync:timeline:';

/** Keys stay well inside the tightest field they are stored in (Salesforce CallObject, 255). */
const MAX_KEY_LENGTH = 120;

export function timelineKey(source: { crm: CrmName; type: TimelineType; id: string }): string {
	const raw = `${TIMELINE_KEY_PREFIX}${source.crm}:${source.type}:${source.id}`;
	if (/^[\w:.@-]+$/.test(raw) && raw.length <= MAX_KEY_LENGTH) return raw;
	const digest = createHash('sha256').update(raw).digest('hex').slice(0, 40);
	return `${TIMELINE_KEY_PREFIX}${source.crm}:${source.type}:sha256-${digest}`;
}

/** Whether a stored key value belongs to a copy CRM Timeline Sync wrote. */
export function isTimelineCopyKey(value: unknown): boolean {
	return typeof value === 'string' && value.startsWith(TIMELINE_KEY_PREFIX);
}
