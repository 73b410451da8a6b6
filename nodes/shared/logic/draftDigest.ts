/**
 * A digest of what an activity says (not where it goes), so a replay with the same content
 * is recognised and corrected content for the same conversation is noticed.
 */
import { createHash } from 'node:crypto';

import type { ActivityDraft } from '../model';
import { withoutKeys } from './withoutKeys';

/** Object keys sorted at every level, so equal content always serialises the same way. */
function canonical(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(canonical);
	if (value && typeof value === 'object') {
		return Object.fromEntries(
			Object.entries(value as Record<string, unknown>)
				.filter(([, inner]) => inner !== undefined)
				.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
				.map(([key, inner]) => [key, canonical(inner)]),
		);
	}
	return value;
}

export function draftDigest(draft: ActivityDraft): string {
	const content = withoutKeys(draft, 'key', 'targets', 'conversationId');
	return createHash('sha256')
		.update(JSON.stringify(canonical(content)))
		.digest('base64url')
		.slice(0, 22);
}
