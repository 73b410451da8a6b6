import fc from 'fast-check';

import {
	containsKeyword,
	matchKeywords,
	parseKeywordList,
} from '../../nodes/CrmQualificationGate/logic/keywords';
import {
	evaluationOrder,
	qualify,
	statusRank,
	type Criterion,
	type QualificationEvidence,
} from '../../nodes/CrmQualificationGate/logic/qualification';
import {
	effectiveStatus,
	qualifiedClientEntry,
} from '../../nodes/CrmQualificationGate/logic/stickyQualification';

const evidence = (over: Partial<QualificationEvidence> = {}): QualificationEvidence => ({
	text: 'We need pricing for 20 seats and a demo next week.',
	messageCount: 8,
	ended: false,
	contact: { email: 'ana@acme.example', phone: '+14155550101', company: 'Acme' },
	score: 70,
	...over,
});

const keywords = (words: string[], mode: 'any' | 'all' = 'any', priority = 30): Criterion => ({
	kind: 'keywords',
	enabled: true,
	priority,
	keywords: words,
	mode,
});
const messages = (minimum: number, priority = 40): Criterion => ({
	kind: 'messageCount',
	enabled: true,
	priority,
	minimum,
});
const fields = (list: Array<'email' | 'phone' | 'company'>, priority = 20): Criterion => ({
	kind: 'contactFields',
	enabled: true,
	priority,
	fields: list,
});
const score = (minimum: number, priority = 10): Criterion => ({
	kind: 'score',
	enabled: true,
	priority,
	minimum,
});

describe('keyword matching', () => {
	it('is case-insensitive and whole-word', () => {
		expect(containsKeyword('Send me PRICING please', 'pricing')).toBe(true);
		expect(containsKeyword('we are repricing our plans', 'pricing')).toBe(false);
		expect(containsKeyword('pricing, please', 'pricing')).toBe(true);
		expect(containsKeyword('the price-list', 'price')).toBe(true);
	});

	it('is unicode-aware: non-Latin scripts, accents in either normal form, no match inside a word', () => {
		expect(containsKeyword('Какая ЦЕНА у тарифа?', 'цена')).toBe(true);
		expect(containsKeyword('бесценная помощь', 'цена')).toBe(false);
		expect(containsKeyword('Un CAFÉ por favor', 'café')).toBe(true);
		// "café" written with a combining acute accent (NFD) still matches the NFC keyword
		expect(containsKeyword('un cafe\u0301 noir', 'café')).toBe(true);
		expect(containsKeyword('cafés', 'café')).toBe(false);
		expect(containsKeyword('Größe der Flotte', 'größe')).toBe(true);
	});

	it('matches multi-word keywords across any whitespace and escapes regex characters', () => {
		expect(containsKeyword('we want a\n  free   trial', 'free trial')).toBe(true);
		expect(containsKeyword('c++ support', 'c++')).toBe(true);
		expect(containsKeyword('cxx support', 'c.+')).toBe(false);
	});

	it('splits keyword lists on commas and new lines', () => {
		expect(parseKeywordList(' pricing, demo\nfree trial ,, ')).toEqual([
			'pricing',
			'demo',
			'free trial',
		]);
		expect(matchKeywords('pricing only', ['pricing', 'demo', ' '])).toEqual({
			found: ['pricing'],
			missing: ['demo'],
		});
	});

	it('property: a keyword made of letters is always found when surrounded by spaces, in any case', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[a-zà-öø-ÿ]{1,12}$/),
				fc.string({ maxLength: 30 }),
				fc.string({ maxLength: 30 }),
				(word, before, after) => {
					expect(containsKeyword(`${before} ${word.toUpperCase()} ${after}`, word)).toBe(true);
				},
			),
		);
	});

	it('property: a keyword glued to letters on both sides is never found', () => {
		fc.assert(
			fc.property(
				fc.stringMatching(/^[a-z]{1,10}$/),
				fc.stringMatching(/^[a-z]{1,5}$/),
				(word, glue) => {
					expect(containsKeyword(`${glue}${word}${glue}`, word)).toBe(false);
				},
			),
		);
	});
});

describe('each criterion', () => {
	it('required keywords (any): met by one, failed by none, undecided without text', () => {
		expect(qualify([keywords(['demo', 'contract'])], evidence()).status).toBe('qualified');
		const none = qualify([keywords(['contract', 'invoice'])], evidence());
		expect(none).toMatchObject({ status: 'unqualified', decidedBy: { kind: 'keywords' } });
		expect(none.reason).toContain('none of the keywords "contract", "invoice"');
		expect(qualify([keywords(['demo'])], evidence({ text: '  ' })).status).toBe('pending');
	});

	it('required keywords (all): every keyword must occur, the missing ones are named', () => {
		expect(qualify([keywords(['pricing', 'demo'], 'all')], evidence()).status).toBe('qualified');
		const partial = qualify([keywords(['pricing', 'contract', 'budget'], 'all')], evidence());
		expect(partial.status).toBe('unqualified');
		expect(partial.reason).toBe(
			'Required keywords: missing required keywords "contract", "budget"',
		);
	});

	it('minimum message count: met at the minimum, pending below it while open, unqualified once ended', () => {
		expect(qualify([messages(8)], evidence()).status).toBe('qualified');
		expect(qualify([messages(9)], evidence())).toMatchObject({
			status: 'pending',
			reason: 'Minimum message count: only 8 of 9 messages so far',
		});
		expect(qualify([messages(9)], evidence({ ended: true })).status).toBe('unqualified');
		expect(qualify([messages(1)], evidence({ messageCount: undefined })).status).toBe('pending');
	});

	it('required contact fields: each of email, phone, company; blanks count as missing', () => {
		expect(qualify([fields(['email', 'phone', 'company'])], evidence()).status).toBe('qualified');
		const missing = qualify(
			[fields(['email', 'phone', 'company'])],
			evidence({ contact: { email: 'a@b.example', phone: ' ' } }),
		);
		expect(missing).toMatchObject({
			status: 'unqualified',
			reason: 'Required contact fields: missing contact fields: phone, company',
		});
		expect(qualify([fields(['company'])], evidence({ contact: { company: 'Acme' } })).status).toBe(
			'qualified',
		);
	});

	it('minimum score: met at the threshold, unqualified below, pending when not scored yet', () => {
		expect(qualify([score(70)], evidence()).status).toBe('qualified');
		expect(qualify([score(71)], evidence())).toMatchObject({
			status: 'unqualified',
			reason: 'Minimum score: score 70 is below the minimum of 71',
		});
		expect(qualify([score(1)], evidence({ score: undefined })).status).toBe('pending');
	});

	it('disabled criteria are ignored; with none enabled the result is pending without a deciding criterion', () => {
		expect(qualify([{ ...score(99), enabled: false }, messages(1)], evidence()).status).toBe(
			'qualified',
		);
		expect(qualify([{ ...score(99), enabled: false }], evidence())).toMatchObject({
			status: 'pending',
			decidedBy: null,
		});
	});

	it('a qualified result is provisional and names the last criterion checked', () => {
		const result = qualify(
			[messages(2), keywords(['demo']), fields(['email']), score(50)],
			evidence(),
		);
		expect(result).toMatchObject({
			status: 'qualified',
			provisional: true,
			decidedBy: { kind: 'score', priority: 10 },
		});
		expect(result.checks.map((check) => check.kind)).toEqual([
			'messageCount',
			'keywords',
			'contactFields',
			'score',
		]);
	});
});

describe('priority order: the first criterion that is not met decides', () => {
	const failing = evidence({ messageCount: 2, score: 10 });

	it('message count first ⇒ pending; score first ⇒ unqualified', () => {
		expect(qualify([messages(5, 40), score(50, 10)], failing)).toMatchObject({
			status: 'pending',
			decidedBy: { kind: 'messageCount' },
		});
		expect(qualify([messages(5, 10), score(50, 40)], failing)).toMatchObject({
			status: 'unqualified',
			decidedBy: { kind: 'score' },
		});
	});

	it('evaluation stops at the deciding criterion', () => {
		const result = qualify([keywords(['contract'], 'any', 50), messages(100, 40)], failing);
		expect(result.checks).toHaveLength(1);
	});

	it('ties keep the fixed kind order (message count, keywords, contact fields, score)', () => {
		const order = evaluationOrder([
			score(5, 1),
			fields(['email'], 1),
			keywords(['x'], 'any', 1),
			messages(1, 1),
		]);
		expect(order.map((c) => c.kind)).toEqual([
			'messageCount',
			'keywords',
			'contactFields',
			'score',
		]);
	});

	it('property: the decision equals the verdict of the highest-priority criterion that is not met', () => {
		const criterion = fc.oneof(
			fc.record({
				kind: fc.constant('score' as const),
				enabled: fc.boolean(),
				priority: fc.integer({ min: -5, max: 5 }),
				minimum: fc.integer({ min: 0, max: 100 }),
			}),
			fc.record({
				kind: fc.constant('messageCount' as const),
				enabled: fc.boolean(),
				priority: fc.integer({ min: -5, max: 5 }),
				minimum: fc.integer({ min: 0, max: 20 }),
			}),
			fc.record({
				kind: fc.constant('contactFields' as const),
				enabled: fc.boolean(),
				priority: fc.integer({ min: -5, max: 5 }),
				fields: fc.subarray(['email', 'phone', 'company'] as Array<'email' | 'phone' | 'company'>),
			}),
		);
		const facts = fc.record({
			score: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
			messageCount: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
			ended: fc.boolean(),
			email: fc.option(fc.constant('a@b.example'), { nil: undefined }),
			phone: fc.option(fc.constant('+14155550101'), { nil: undefined }),
		});
		fc.assert(
			fc.property(fc.array(criterion, { maxLength: 6 }), facts, (criteria, f) => {
				const ev: QualificationEvidence = {
					text: '',
					messageCount: f.messageCount,
					ended: f.ended,
					score: f.score,
					contact: { email: f.email, phone: f.phone },
				};
				const result = qualify(criteria, ev);
				const enabled = criteria.filter((c) => c.enabled);
				if (enabled.length === 0) return expect(result.status).toBe('pending');
				const maxPriority = Math.max(...enabled.map((c) => c.priority));
				if (result.status === 'qualified') {
					expect(result.checks).toHaveLength(enabled.length);
					expect(result.checks.every((c) => c.verdict === 'met')).toBe(true);
				} else {
					const last = result.checks[result.checks.length - 1];
					expect(result.decidedBy?.kind).toBe(last.kind);
					expect(last.verdict).toBe(result.status === 'pending' ? 'undecided' : 'failed');
					expect(result.checks.slice(0, -1).every((c) => c.verdict === 'met')).toBe(true);
				}
				// walked from the highest priority down
				expect(result.checks[0].priority).toBe(maxPriority);
				const priorities = result.checks.map((c) => c.priority);
				expect([...priorities].sort((a, b) => b - a)).toEqual(priorities);
			}),
		);
	});
});

describe('sticky qualification', () => {
	it('a client with an earlier qualified conversation stays qualified (sticky) whatever this conversation says', () => {
		expect(effectiveStatus('unqualified', true)).toEqual({ status: 'qualified', sticky: true });
		expect(effectiveStatus('pending', true)).toEqual({ status: 'qualified', sticky: true });
		expect(effectiveStatus('qualified', true)).toEqual({ status: 'qualified', sticky: false });
		expect(effectiveStatus('unqualified', false)).toEqual({ status: 'unqualified', sticky: false });
		expect(qualifiedClientEntry('c-1')).toBe('qualified-client:c-1');
	});

	it('ranks statuses unqualified < pending < qualified', () => {
		expect(statusRank('unqualified')).toBeLessThan(statusRank('pending'));
		expect(statusRank('pending')).toBeLessThan(statusRank('qualified'));
	});
});
