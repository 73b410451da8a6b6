import fc from 'fast-check';

import { conversationChannelLabel } from '../../nodes/shared/logic/chatChannels';
import {
	composeNote,
	noteSubject,
	truncateText,
	TRUNCATION_MARKER,
} from '../../nodes/shared/logic/noteContent';
import { ConversationSchema } from '../../nodes/shared/model';

const conversation = ConversationSchema.parse({
	id: 'call-1',
	startedAt: '2026-11-20T15:04:00Z',
	direction: 'outbound',
	participants: [{ name: 'Ana', email: 'ana@acme.example' }],
	summary: 'Discussed renewal and pricing.',
	actionItems: [
		{ text: 'Send proposal', ownerEmail: 'rep@ours.example', due: '2026-11-25' },
		{ text: 'Book demo' },
	],
	dealInsights: [
		{ label: 'Budget', value: 'Approved for Q1' },
		{ label: 'Timeline', value: 'Decision in 3 weeks' },
	],
});

describe('composeNote', () => {
	it('Summary = recap + action items', () => {
		const note = composeNote(conversation, 'summary', { limit: 10_000 });
		expect(note.body).toBe(
			'Discussed renewal and pricing.\n\nAction items:\n- Send proposal (owner rep@ours.example, due 2026-11-25)\n- Book demo',
		);
		expect(note.subject).toBe('Call outbound 2026-11-20');
		expect(note.empty).toBe(false);
	});

	it('Deal Insights only', () => {
		expect(composeNote(conversation, 'dealInsights', { limit: 10_000 }).body).toBe(
			'- Budget: Approved for Q1\n- Timeline: Decision in 3 weeks',
		);
	});

	it('Summary + Deal Insights in one entry, with headings', () => {
		const body = composeNote(conversation, 'summaryAndDealInsights', { limit: 10_000 }).body;
		expect(body.startsWith('Summary\nDiscussed renewal')).toBe(true);
		expect(body).toContain('\n\nDeal insights\n- Budget: Approved for Q1');
	});

	it('accepts insights given as free text and reports empty content', () => {
		const textual = ConversationSchema.parse({
			...conversation,
			dealInsights: '  Strong champion.  ',
		});
		expect(composeNote(textual, 'dealInsights', { limit: 100 }).body).toBe('Strong champion.');
		const bare = ConversationSchema.parse({ ...conversation, dealInsights: undefined });
		expect(composeNote(bare, 'dealInsights', { limit: 100 }).empty).toBe(true);
	});

	it('cuts over-long content visibly and within the limit', () => {
		const long = 'line of text\n'.repeat(1000);
		const cut = truncateText(long, 500);
		expect(cut.truncated).toBe(true);
		expect(cut.text.length).toBeLessThanOrEqual(500);
		expect(cut.text.endsWith(TRUNCATION_MARKER)).toBe(true);
		expect(truncateText('short', 500)).toEqual({ text: 'short', truncated: false });
	});
});

describe('channel type in the note subject', () => {
	const chat = (channel: unknown, extra: Record<string, unknown> = {}) =>
		ConversationSchema.parse({
			id: 'conv-7',
			startedAt: '2026-11-21T09:30:00Z',
			direction: 'inbound',
			participants: [{ name: 'Ana', phone: '+14155550101' }],
			summary: 'Asked for a quote.',
			...(channel === undefined ? {} : { channel }),
			...extra,
		});

	it('names the channel after the prefix: "Conversation (WhatsApp) inbound <date>"', () => {
		const note = composeNote(chat('whatsapp'), 'summary', {
			limit: 10_000,
			subjectPrefix: 'Conversation',
		});
		expect(note.subject).toBe('Conversation (WhatsApp) inbound 2026-11-21');
	});

	it('reads the platform spellings of every channel type', () => {
		const cases: Array<[string, string]> = [
			['WHATS_APP', 'WhatsApp'],
			['sms', 'SMS'],
			['web_chat', 'Web chat'],
			['WebChat', 'Web chat'],
			['voice', 'Voice'],
			['phone', 'Voice'],
			['email', 'Email'],
			['facebook_messenger', 'Messenger'],
			['LINKEDIN_MESSAGE', 'LinkedIn'],
			['instagram', 'Instagram'],
		];
		for (const [raw, label] of cases) expect(conversationChannelLabel(raw)).toBe(label);
	});

	it('keeps an unknown channel as given, on one line and short; none for blank or non-text', () => {
		expect(conversationChannelLabel('Kiosk\nLobby')).toBe('Kiosk Lobby');
		expect(conversationChannelLabel('x'.repeat(80))).toHaveLength(30);
		for (const raw of ['', '   ', 7, null, undefined, {}])
			expect(conversationChannelLabel(raw)).toBeUndefined();
	});

	it('also reads channel_type / channelType, and leaves the subject as before without a channel', () => {
		expect(
			composeNote(chat(undefined, { channel_type: 'sms' }), 'summary', { limit: 100 }).subject,
		).toBe('Call (SMS) inbound 2026-11-21');
		expect(
			composeNote(chat(undefined, { channelType: 'voice' }), 'summary', { limit: 100 }).subject,
		).toBe('Call (Voice) inbound 2026-11-21');
		expect(composeNote(chat(undefined), 'summary', { limit: 100 }).subject).toBe(
			'Call inbound 2026-11-21',
		);
	});

	it('does not repeat a channel the prefix already names', () => {
		expect(
			noteSubject({
				prefix: 'WhatsApp chat',
				channel: 'WhatsApp',
				direction: 'inbound',
				date: 'd',
			}),
		).toBe('WhatsApp chat inbound d');
	});

	it('the subject is always one line, whatever the channel text', () => {
		fc.assert(
			fc.property(fc.string(), (raw) => {
				const subject = composeNote(chat(raw), 'summary', { limit: 100 }).subject;
				return !/[\r\n]/.test(subject) && subject.startsWith('Call');
			}),
		);
	});
});
