import fc from 'fast-check';

import {
	DEFAULT_CONVERSATION_LIMITS,
	describeViolation,
	findLimitViolation,
	resolveLimits,
	type ConversationLimits,
} from '../../nodes/shared/logic/conversationLimits';

const limits: ConversationLimits = {
	maxParticipants: 3,
	maxActionItems: 2,
	maxSummaryLength: 10,
	maxDealInsightsLength: 8,
	maxActionItemLength: 5,
};

const people = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ phone: `+1415555${String(i).padStart(4, '0')}` }));

describe('findLimitViolation', () => {
	it('accepts a conversation at every limit', () => {
		const json = {
			participants: people(3),
			actionItems: [{ text: 'abcde' }, { text: 'x' }],
			summary: '0123456789',
			dealInsights: [{ label: 'ab', value: 'cdefgh' }],
		};
		expect(findLimitViolation(json, limits)).toBeUndefined();
	});

	it('names the field, the count and the cap one past each limit', () => {
		expect(findLimitViolation({ participants: people(4) }, limits)).toEqual({
			field: 'participants',
			limit: 'maxParticipants',
			cap: 3,
			actual: 4,
			unit: 'entries',
		});
		expect(
			findLimitViolation({ actionItems: [{ text: 'a' }, { text: 'b' }, { text: 'c' }] }, limits),
		).toMatchObject({ field: 'actionItems', actual: 3, cap: 2 });
		expect(findLimitViolation({ summary: '01234567890' }, limits)).toMatchObject({
			field: 'summary',
			actual: 11,
			cap: 10,
			unit: 'characters',
		});
		expect(findLimitViolation({ dealInsights: 'nine char' }, limits)).toMatchObject({
			field: 'dealInsights',
			actual: 9,
		});
		expect(
			findLimitViolation(
				{
					dealInsights: [
						{ label: 'abc', value: 'def' },
						{ label: 'g', value: 'hi' },
					],
				},
				limits,
			),
		).toMatchObject({ field: 'dealInsights', actual: 9 });
		expect(
			findLimitViolation({ actionItems: [{ text: 'ok' }, { text: 'toolong' }] }, limits),
		).toMatchObject({ field: 'actionItems.1.text', actual: 7, cap: 5 });
	});

	it('reports counts before texts, and leaves wrongly typed fields to schema validation', () => {
		expect(
			findLimitViolation({ participants: people(10_000), summary: 'x'.repeat(100) }, limits)?.field,
		).toBe('participants');
		expect(
			findLimitViolation(
				{
					participants: 'not a list',
					actionItems: [null, { text: 42 }],
					summary: 12,
					dealInsights: [null, 'x'],
				},
				limits,
			),
		).toBeUndefined();
	});

	it('describes a violation with the option to raise', () => {
		const violation = findLimitViolation(
			{ participants: people(10_000) },
			DEFAULT_CONVERSATION_LIMITS,
		);
		expect(violation && describeViolation(violation)).toBe(
			'field "participants" has 10000 entries; the limit is 50 (option "Max Participants")',
		);
	});

	it('never lets a list longer than its cap through (property)', () => {
		fc.assert(
			fc.property(fc.nat({ max: 200 }), fc.integer({ min: 1, max: 100 }), (count, cap) => {
				const violation = findLimitViolation(
					{ participants: people(count) },
					{ ...DEFAULT_CONVERSATION_LIMITS, maxParticipants: cap },
				);
				expect(violation !== undefined).toBe(count > cap);
			}),
		);
	});
});

describe('resolveLimits', () => {
	it('fills missing or unusable settings with the defaults and keeps whole positive numbers', () => {
		expect(resolveLimits({})).toEqual(DEFAULT_CONVERSATION_LIMITS);
		expect(
			resolveLimits({
				maxParticipants: 200,
				maxActionItems: 0,
				maxSummaryLength: -5,
				maxDealInsightsLength: 'big',
				maxActionItemLength: 99.7,
			}),
		).toEqual({
			...DEFAULT_CONVERSATION_LIMITS,
			maxParticipants: 200,
			maxActionItemLength: 99,
		});
	});
});
