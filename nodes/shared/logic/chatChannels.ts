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

/**
 * The platform's conversation channel types (its `channel`/`channel_type` values, in any
 * spelling) as people read them; the key is the value folded to lower-case letters and digits.
 */
const CONVERSATION_CHANNEL_LABELS: Readonly<Record<string, string>> = {
	whatsapp: 'WhatsApp',
	sms: 'SMS',
	text: 'SMS',
	mms: 'MMS',
	webchat: 'Web chat',
	web: 'Web chat',
	chat: 'Web chat',
	livechat: 'Web chat',
	widget: 'Web chat',
	voice: 'Voice',
	phone: 'Voice',
	call: 'Voice',
	email: 'Email',
	mail: 'Email',
	messenger: 'Messenger',
	facebook: 'Messenger',
	facebookmessenger: 'Messenger',
	instagram: 'Instagram',
	telegram: 'Telegram',
	linkedin: 'LinkedIn',
	linkedinmessage: 'LinkedIn',
};

const MAX_CHANNEL_LABEL = 30;

/**
 * A conversation's channel for a note subject: a known channel type by its usual name
 * (`WHATS_APP`, `web_chat`, `Voice` → WhatsApp, Web chat, Voice); another value as given, on
 * one line and short; nothing when the conversation names none.
 */
export function conversationChannelLabel(raw: unknown): string | undefined {
	if (typeof raw !== 'string') return undefined;
	const text = [...raw]
		.map((char) => (char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f ? ' ' : char))
		.join('')
		.replace(/\s+/g, ' ')
		.trim();
	if (text === '') return undefined;
	const known = CONVERSATION_CHANNEL_LABELS[text.toLowerCase().replace(/[^a-z0-9]/g, '')];
	return known ?? text.slice(0, MAX_CHANNEL_LABEL).trim();
}
