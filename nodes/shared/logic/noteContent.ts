/**
 * Composes the text pushed to the CRM from a processed conversation, per the seed's
 * content sources: Summary (recap + action items), Deal Insights, or both in one entry.
 * Output is plain text; providers convert/escape it for their storage (HTML for HubSpot and
 * ContentNote). Over-long content is cut at a line boundary with a visible marker, never
 * silently.
 */
import type { ActionItem, Conversation, DealInsight } from '../model';

export type ContentSource = 'summary' | 'dealInsights' | 'summaryAndDealInsights';

/** Largest body each CRM stores in one note (characters). */
export const NOTE_BODY_LIMITS = {
	hubspot: 65_536,
	salesforce: 131_072,
	dynamics: 100_000,
	autochat: 10_000,
} as const;

export const TRUNCATION_MARKER = '\n[… truncated by n8n CRM Sync: the full text did not fit the CRM field]';

export interface ComposedNote {
	subject: string;
	body: string;
	truncated: boolean;
	/** True when the chosen source had nothing to say (e.g. no insights). */
	empty: boolean;
}

function actionItemLine(item: ActionItem): string {
	const details = [item.ownerEmail ? `owner ${item.ownerEmail}` : '', item.due ? `due ${item.due}` : '']
		.filter(Boolean)
		.join(', ');
	return `- ${item.text.trim()}${details ? ` (${details})` : ''}`;
}

function insightsText(insights: Conversation['dealInsights']): string {
	if (insights === undefined) return '';
	if (typeof insights === 'string') return insights.trim();
	return insights
		.filter((insight: DealInsight) => insight.label.trim() || insight.value.trim())
		.map((insight: DealInsight) => `- ${insight.label.trim()}: ${insight.value.trim()}`)
		.join('\n');
}

function summaryText(conversation: Conversation): string {
	const parts: string[] = [];
	if (conversation.summary?.trim()) parts.push(conversation.summary.trim());
	if (conversation.actionItems.length) parts.push(['Action items:', ...conversation.actionItems.map(actionItemLine)].join('\n'));
	return parts.join('\n\n');
}

/** Cuts `text` to at most `limit` characters including the marker, preferring a line break. */
export function truncateText(text: string, limit: number): { text: string; truncated: boolean } {
	if (text.length <= limit) return { text, truncated: false };
	const room = Math.max(0, limit - TRUNCATION_MARKER.length);
	const cut = text.slice(0, room);
	const lastBreak = cut.lastIndexOf('\n');
	const kept = lastBreak > room * 0.8 ? cut.slice(0, lastBreak) : cut;
	return { text: kept + TRUNCATION_MARKER, truncated: true };
}

export function composeNote(
	conversation: Conversation,
	source: ContentSource,
	options: { limit: number; subjectPrefix?: string },
): ComposedNote {
	const sections: string[] = [];
	if (source !== 'dealInsights') {
		const summary = summaryText(conversation);
		if (summary) sections.push(source === 'summary' ? summary : `Summary\n${summary}`);
	}
	if (source !== 'summary') {
		const insights = insightsText(conversation.dealInsights);
		if (insights) sections.push(source === 'dealInsights' ? insights : `Deal insights\n${insights}`);
	}
	const date = conversation.startedAt.slice(0, 10);
	const direction = conversation.direction ? `${conversation.direction} ` : '';
	const subject = `${options.subjectPrefix ?? 'Call'} ${direction}${date}`.replace(/\s+/g, ' ').trim();
	const { text, truncated } = truncateText(sections.join('\n\n'), options.limit);
	return { subject, body: text, truncated, empty: sections.length === 0 };
}
