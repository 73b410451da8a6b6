import { composeNote, truncateText, TRUNCATION_MARKER } from '../../nodes/shared/logic/noteContent';
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
