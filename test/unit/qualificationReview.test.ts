import fc from 'fast-check';

import {
	buildReviewPrompt,
	clipTranscript,
	parseReviewAnswer,
	verdictFor,
} from '../../nodes/CrmQualificationGate/logic/qualificationReview';
import { QUALIFICATION_STATUSES } from '../../nodes/CrmQualificationGate/logic/qualification';

describe('AI review prompt', () => {
	it('gives the model the current status, contact, score, rule checks, transcript and the answer format', () => {
		const prompt = buildReviewPrompt({
			currentStatus: 'qualified',
			transcript: 'Client: we need 20 seats\nAgent: sure',
			contact: { name: 'Ana', email: 'ana@acme.example', company: '' },
			score: 72,
			messageCount: 2,
			checks: [{ kind: 'score', priority: 10, verdict: 'met', reason: 'score 72 (minimum 50)' }],
			instructions: 'Only fleets over 10 vehicles count.',
		});
		expect(prompt.system).toContain('currently "qualified"');
		expect(prompt.system).toContain('"verdict": "confirmed" | "upgraded" | "downgraded"');
		expect(prompt.system).toContain('Team guidance: Only fleets over 10 vehicles count.');
		expect(prompt.user).toContain('Contact: name: Ana; email: ana@acme.example');
		expect(prompt.user).not.toContain('company:');
		expect(prompt.user).toContain('Score: 72');
		expect(prompt.user).toContain('- Minimum score: met (score 72 (minimum 50))');
		expect(prompt.user).toContain('Client: we need 20 seats');
	});

	it('clips long transcripts keeping the beginning and the end', () => {
		const text = `START${'x'.repeat(50_000)}END`;
		const clipped = clipTranscript(text, 1_000);
		expect(clipped.length).toBeLessThanOrEqual(1_100);
		expect(clipped.startsWith('START')).toBe(true);
		expect(clipped.endsWith('END')).toBe(true);
		expect(clipped).toContain('characters omitted');
	});
});

describe('AI review answer parsing', () => {
	it('reads a plain JSON answer', () => {
		expect(
			parseReviewAnswer(
				'{"verdict":"confirmed","status":"qualified","reason":"Clear budget and timeline."}',
				'qualified',
			),
		).toEqual({
			ok: true,
			review: {
				verdict: 'confirmed',
				previousStatus: 'qualified',
				status: 'qualified',
				reason: 'Clear budget and timeline.',
			},
		});
	});

	it('finds JSON inside prose and code fences, with braces inside strings', () => {
		const answer =
			'Sure! Here is my review:\n```json\n{"verdict": "downgraded", "status": "unqualified", "reason": "Only a student {project}."}\n```\nHope it helps.';
		const parsed = parseReviewAnswer(answer, 'qualified');
		expect(parsed).toEqual({
			ok: true,
			review: {
				verdict: 'downgraded',
				previousStatus: 'qualified',
				status: 'unqualified',
				reason: 'Only a student {project}.',
			},
		});
	});

	it('skips brace groups that are not the answer object', () => {
		const parsed = parseReviewAnswer(
			'Context {not json} and {"a":1} then {"status":"Qualified","reason":"ok"}',
			'pending',
		);
		expect(parsed).toMatchObject({
			ok: true,
			review: { verdict: 'upgraded', status: 'qualified' },
		});
	});

	it('derives the verdict from the statuses and notes a contradicting verdict word', () => {
		const parsed = parseReviewAnswer(
			'{"verdict":"confirmed","status":"unqualified","reason":"No budget"}',
			'qualified',
		);
		expect(parsed).toMatchObject({
			ok: true,
			review: { verdict: 'downgraded', status: 'unqualified' },
		});
		expect(parsed.ok && parsed.review.note).toContain('The model said "confirmed"');
	});

	it('accepts a verdict without a status when the status it implies is clear', () => {
		expect(
			parseReviewAnswer('{"verdict":"upgrade","reason":"wants a demo"}', 'unqualified'),
		).toMatchObject({ ok: true, review: { status: 'qualified' } });
		expect(parseReviewAnswer('{"verdict":"downgraded"}', 'qualified')).toMatchObject({
			ok: true,
			review: { status: 'unqualified', reason: 'The model gave no reason' },
		});
		expect(parseReviewAnswer('{"verdict":"confirmed"}', 'pending')).toMatchObject({
			ok: true,
			review: { status: 'pending' },
		});
	});

	it('reads spelling variants of the status', () => {
		expect(parseReviewAnswer('{"status":"not qualified"}', 'qualified')).toMatchObject({
			ok: true,
			review: { status: 'unqualified' },
		});
		expect(parseReviewAnswer('{"new_status":"DISQUALIFIED"}', 'pending')).toMatchObject({
			ok: true,
			review: { status: 'unqualified' },
		});
	});

	it('fails clearly on answers it cannot use', () => {
		expect(parseReviewAnswer('I think the lead is great.', 'pending')).toEqual({
			ok: false,
			error:
				'The model\'s answer contains no JSON object with a status or verdict: "I think the lead is great."',
		});
		expect(parseReviewAnswer('{"status":"maybe"}', 'pending')).toMatchObject({
			ok: false,
			error: expect.stringContaining('unknown status "maybe"'),
		});
		expect(parseReviewAnswer('{"verdict":"perhaps"}', 'pending')).toMatchObject({
			ok: false,
			error: expect.stringContaining('unknown verdict'),
		});
		expect(parseReviewAnswer('{"verdict":"upgraded"}', 'qualified')).toMatchObject({
			ok: false,
			error: expect.stringContaining('cannot be upgraded'),
		});
		expect(parseReviewAnswer('{"status": "qualified"', 'pending').ok).toBe(false);
	});

	it('shortens very long reasons', () => {
		const parsed = parseReviewAnswer(
			JSON.stringify({ status: 'qualified', reason: 'r'.repeat(2_000) }),
			'qualified',
		);
		expect(parsed.ok && parsed.review.reason.length).toBe(500);
	});

	it('property: any status answer round-trips and its verdict agrees with the rank change', () => {
		const status = fc.constantFrom(...QUALIFICATION_STATUSES);
		fc.assert(
			fc.property(
				status,
				status,
				fc.string({ maxLength: 40 }),
				fc.string({ maxLength: 40 }),
				(previous, next, before, reason) => {
					const answer = `${before.replace(/[{}]/g, '')}\n${JSON.stringify({ status: next, reason })}`;
					const parsed = parseReviewAnswer(answer, previous);
					expect(parsed.ok).toBe(true);
					if (!parsed.ok) return;
					expect(parsed.review.status).toBe(next);
					expect(parsed.review.verdict).toBe(verdictFor(previous, next));
					expect(parsed.review.verdict === 'confirmed').toBe(previous === next);
				},
			),
		);
	});

	it('property: arbitrary text never throws', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 200 }), (text) => {
				const parsed = parseReviewAnswer(text, 'pending');
				expect(typeof parsed.ok).toBe('boolean');
			}),
		);
	});
});
