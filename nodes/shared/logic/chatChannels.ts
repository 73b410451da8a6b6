/** The messaging channels a chat log names, as people read them. */
import type { ChatChannel } from '../model';

export const CHAT_CHANNEL_LABELS: Readonly<Record<ChatChannel, string>> = {
	WHATS_APP: 'WhatsApp',
	LINKEDIN_MESSAGE: 'LinkedIn',
	SMS: 'SMS',
};

/** `Channel: WhatsApp` — the line a chat carries where the CRM has no channel field. */
export function channelLine(channel: ChatChannel | undefined): string | undefined {
	return channel ? `Channel: ${CHAT_CHANNEL_LABELS[channel]}` : undefined;
}
