/**
 * Composes the text pushed to the CRM from a processed conversation, per the seed's
 * content sources: Summary (recap + action items), Deal Insights, or both in one entry.
 * Output is sanitised plain text; providers convert/escape it for their storage (HTML for
 * HubSpot, ContentNote and Dataverse) and fit it, with their key line, to the field's limit.
 * Over-long content is cut at a line boundary with a visible marker, never silently.
 */
import type { ActionItem, Conversation, DealInsight } from '../model';
import { conversationChannelLabel } from './chatChannels';
import { sanitizeText, truncateText } from './text';

export { truncateText, TRUNCATION_MARKER } from './text';

export type ContentSource = 'summary' | 'dealInsights' | 'summaryAndDealInsights';

export interface ComposedNote {
	subject: string;
	body: string;
	truncated: boolean;
	/** True when the chosen source had nothing to say (e.g. no insights). */
	empty: boolean;
}

function actionItemLine(item: ActionItem): string {
	const details = [
		item.ownerEmail ? `owner ${item.ownerEmail}` : '',
		item.due ? `due ${item.due}` : '',
	]
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
	if (conversation.actionItems.length)
		parts.push(['Action items:', ...conversation.actionItems.map(actionItemLine)].join('\n'));
	return parts.join('\n\n');
}

/**
 * `<prefix> (<channel>) <direction> <date>`, e.g. "Conversation (WhatsApp) inbound 2026-11-21".
 * The channel is left out when the prefix already names it ("WhatsApp chat").
 */
export function noteSubject(parts: {
	prefix: string;
	channel?: string;
	direction?: string;
	date: string;
}): string {
	const { prefix, channel, direction, date } = parts;
	const named = channel !== undefined && prefix.toLowerCase().includes(channel.toLowerCase());
	const via = channel && !named ? ` (${channel})` : '';
	return sanitizeText(`${prefix}${via} ${direction ? `${direction} ` : ''}${date}`)
		.replace(/\s+/g, ' ')
		.trim();
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
		if (insights)
			sections.push(source === 'dealInsights' ? insights : `Deal insights\n${insights}`);
	}
	const subject = noteSubject({
		prefix: options.subjectPrefix ?? 'Call',
		channel: conversationChannelLabel(
			conversation.channel ?? conversation.channel_type ?? conversation.channelType,
		),
		direction: conversation.direction,
		date: conversation.startedAt.slice(0, 10),
	});
	const { text, truncated } = truncateText(sanitizeText(sections.join('\n\n')), options.limit);
	return { subject, body: text, truncated, empty: sections.length === 0 };
}
