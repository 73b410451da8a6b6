/**
 * Call-log details derived from a conversation: duration (from an explicit field, else from
 * start/end) and the two phone numbers, oriented by direction (inbound: the external party
 * called us).
 */
import type { Conversation } from '../../shared/model';

export function callDurationSeconds(conversation: Conversation): number | undefined {
	const explicit = (conversation as Record<string, unknown>).durationSeconds;
	if (typeof explicit === 'number' && Number.isFinite(explicit) && explicit >= 0)
		return Math.round(explicit);
	if (!conversation.endedAt) return undefined;
	const seconds = (Date.parse(conversation.endedAt) - Date.parse(conversation.startedAt)) / 1000;
	return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds) : undefined;
}

export function callParties(conversation: Conversation): { from?: string; to?: string } {
	const external = conversation.participants.find((p) => !p.internal && p.phone)?.phone;
	const internal = conversation.participants.find((p) => p.internal && p.phone)?.phone;
	return conversation.direction === 'inbound'
		? { from: external, to: internal }
		: { from: internal, to: external };
}
