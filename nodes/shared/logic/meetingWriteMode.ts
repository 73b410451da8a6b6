/**
 * The seed's "When to write to HubSpot meetings": always create, update if a matching
 * meeting exists, or update only. Pure decision; finding the match is the provider's job
 * (same conversation id, else same start time ± tolerance on the same contact).
 */
export const MEETING_WRITE_MODES = ['alwaysCreate', 'updateIfExists', 'updateOnly'] as const;
export type MeetingWriteMode = (typeof MEETING_WRITE_MODES)[number];

export type MeetingWriteDecision =
	{ action: 'create' } | { action: 'update'; id: string } | { action: 'skip'; reason: string };

export function decideMeetingWrite(
	mode: MeetingWriteMode,
	existingId: string | undefined,
): MeetingWriteDecision {
	switch (mode) {
		case 'alwaysCreate':
			return { action: 'create' };
		case 'updateIfExists':
			return existingId ? { action: 'update', id: existingId } : { action: 'create' };
		case 'updateOnly':
			return existingId
				? { action: 'update', id: existingId }
				: {
						action: 'skip',
						reason: 'no matching meeting exists and the write mode is "Update only"',
					};
	}
}

/** Whether a lookup in the CRM is needed before writing (saves a search for alwaysCreate). */
export function needsExistingLookup(mode: MeetingWriteMode): boolean {
	return mode !== 'alwaysCreate';
}

/**
 * The mode actually applied in a CRM that cannot update an activity (autoch.at CRM): there
 * "update if a matching meeting exists" creates (a replay of the same conversation is still
 * found by its key and written once) and "update only" can never write.
 */
export function modeWithoutUpdates(mode: MeetingWriteMode): MeetingWriteMode | 'none' {
	if (mode === 'updateOnly') return 'none';
	return 'alwaysCreate';
}
