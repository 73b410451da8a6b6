/** A chat's channel from an item's parameter (pure): the API value, or a reason it is unknown. */
import { CHAT_CHANNELS, type ChatChannel } from '../../shared/model';
import { CHAT_CHANNEL_LABELS } from '../../shared/logic/chatChannels';
import { singleLine } from '../../shared/logic/text';
import type { Checked } from './callOutcome';

const fold = (text: string) => text.toLowerCase().replace(/[\s_-]+/g, '');

/** `WHATS_APP`, `WhatsApp`, `whatsapp`, `LinkedIn`, `sms` … → the channel. */
export function parseChatChannel(raw: string): Checked<ChatChannel> {
	const given = fold(raw);
	const found = CHAT_CHANNELS.find(
		(channel) =>
			fold(channel) === given ||
			fold(CHAT_CHANNEL_LABELS[channel]) === given ||
			(channel === 'LINKEDIN_MESSAGE' && given === 'linkedinmessage'),
	);
	if (found) return { ok: true, value: found };
	return {
		ok: false,
		message: `"${singleLine(raw, 60)}" is not a chat channel (WhatsApp, LinkedIn, SMS)`,
	};
}
