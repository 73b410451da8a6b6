/**
 * Rule-based lead qualification (the seed's "real-time qualification").
 *
 * Every enabled criterion gives a verdict on the conversation:
 * - `met`        the requirement holds;
 * - `failed`     it does not hold and more conversation will not change that;
 * - `undecided`  not enough evidence yet (see each criterion below).
 *
 * Criteria are requirements. They are walked by priority, highest first (ties keep the
 * order of CRITERION_KINDS), and the first criterion that is not `met` is decisive:
 * `failed` ⇒ unqualified, `undecided` ⇒ pending. When every enabled criterion is met the
 * conversation is qualified — provisionally, until an AI review confirms it.
 *
 * Pending, precisely: a criterion cannot be decided yet because
 * - the conversation has fewer messages than the minimum and has not ended, or its
 *   message count is unknown;
 * - no score has been computed yet;
 * - there is no text yet to look for keywords in (no text, summary or message text).
 */
import { matchKeywords, type KeywordMode } from './keywords';

export const QUALIFICATION_STATUSES = ['qualified', 'unqualified', 'pending'] as const;
export type QualificationStatus = (typeof QUALIFICATION_STATUSES)[number];

export const CRITERION_KINDS = ['messageCount', 'keywords', 'contactFields', 'score'] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];

export const CONTACT_FIELDS = ['email', 'phone', 'company'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

interface CriterionBase {
	enabled: boolean;
	/** Higher is evaluated first. */
	priority: number;
}

export interface KeywordsCriterion extends CriterionBase {
	kind: 'keywords';
	keywords: string[];
	mode: KeywordMode;
}
export interface MessageCountCriterion extends CriterionBase {
	kind: 'messageCount';
	minimum: number;
}
export interface ContactFieldsCriterion extends CriterionBase {
	kind: 'contactFields';
	fields: ContactField[];
}
export interface ScoreCriterion extends CriterionBase {
	kind: 'score';
	minimum: number;
}
export type Criterion =
	KeywordsCriterion | MessageCountCriterion | ContactFieldsCriterion | ScoreCriterion;

/** What the rules look at, already extracted from the input item. */
export interface QualificationEvidence {
	/** All text of the conversation (summary, text, messages), '' when there is none. */
	text: string;
	/** undefined when neither messages nor a message count were given. */
	messageCount?: number;
	/** True when the conversation is over, so missing messages will not arrive. */
	ended: boolean;
	contact: Partial<Record<ContactField, string>>;
	score?: number;
}

export type Verdict = 'met' | 'failed' | 'undecided';

export interface CriterionCheck {
	kind: CriterionKind;
	priority: number;
	verdict: Verdict;
	reason: string;
}

export interface QualificationDecision {
	status: QualificationStatus;
	/** True for a rules-based "qualified": an AI review may still change it. */
	provisional: boolean;
	/** The criterion that decided; for `qualified`, the last one checked (all were met). */
	decidedBy: { kind: CriterionKind; priority: number } | null;
	reason: string;
	/** Verdicts in evaluation order, up to and including the deciding criterion. */
	checks: CriterionCheck[];
}

const KIND_ORDER = new Map<CriterionKind, number>(
	CRITERION_KINDS.map((kind, index) => [kind, index]),
);

/** Enabled criteria in evaluation order: priority descending, ties in CRITERION_KINDS order. */
export function evaluationOrder(criteria: readonly Criterion[]): Criterion[] {
	return criteria
		.filter((criterion) => criterion.enabled)
		.map((criterion, index) => ({ criterion, index }))
		.sort(
			(a, b) =>
				b.criterion.priority - a.criterion.priority ||
				(KIND_ORDER.get(a.criterion.kind) ?? 0) - (KIND_ORDER.get(b.criterion.kind) ?? 0) ||
				a.index - b.index,
		)
		.map(({ criterion }) => criterion);
}

export function checkCriterion(
	criterion: Criterion,
	evidence: QualificationEvidence,
): CriterionCheck {
	const base = { kind: criterion.kind, priority: criterion.priority };
	switch (criterion.kind) {
		case 'messageCount':
			return { ...base, ...checkMessageCount(criterion, evidence) };
		case 'keywords':
			return { ...base, ...checkKeywords(criterion, evidence) };
		case 'contactFields':
			return { ...base, ...checkContactFields(criterion, evidence) };
		case 'score':
			return { ...base, ...checkScore(criterion, evidence) };
	}
}

type Outcome = Pick<CriterionCheck, 'verdict' | 'reason'>;

function checkMessageCount(
	criterion: MessageCountCriterion,
	evidence: QualificationEvidence,
): Outcome {
	const count = evidence.messageCount;
	if (count === undefined)
		return { verdict: 'undecided', reason: 'the message count is not known yet' };
	if (count >= criterion.minimum)
		return { verdict: 'met', reason: `${count} messages (minimum ${criterion.minimum})` };
	if (evidence.ended)
		return {
			verdict: 'failed',
			reason: `the conversation ended with ${count} of the ${criterion.minimum} messages required`,
		};
	return { verdict: 'undecided', reason: `only ${count} of ${criterion.minimum} messages so far` };
}

function checkKeywords(criterion: KeywordsCriterion, evidence: QualificationEvidence): Outcome {
	const keywords = criterion.keywords.filter((keyword) => keyword.trim() !== '');
	if (keywords.length === 0) return { verdict: 'met', reason: 'no keywords are required' };
	if (evidence.text.trim() === '')
		return { verdict: 'undecided', reason: 'there is no conversation text yet' };
	const { found, missing } = matchKeywords(evidence.text, keywords);
	const met = criterion.mode === 'all' ? missing.length === 0 : found.length > 0;
	if (met)
		return {
			verdict: 'met',
			reason: `found keyword${found.length > 1 ? 's' : ''} ${quoteList(found)}`,
		};
	return criterion.mode === 'all'
		? {
				verdict: 'failed',
				reason: `missing required keyword${missing.length > 1 ? 's' : ''} ${quoteList(missing)}`,
			}
		: { verdict: 'failed', reason: `none of the keywords ${quoteList(keywords)} was mentioned` };
}

function checkContactFields(
	criterion: ContactFieldsCriterion,
	evidence: QualificationEvidence,
): Outcome {
	const missing = criterion.fields.filter((field) => !(evidence.contact[field] ?? '').trim());
	if (missing.length === 0)
		return {
			verdict: 'met',
			reason: criterion.fields.length
				? `has ${criterion.fields.join(', ')}`
				: 'no contact fields are required',
		};
	return {
		verdict: 'failed',
		reason: `missing contact field${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
	};
}

function checkScore(criterion: ScoreCriterion, evidence: QualificationEvidence): Outcome {
	const score = evidence.score;
	if (score === undefined)
		return { verdict: 'undecided', reason: 'no score has been computed yet' };
	if (score >= criterion.minimum)
		return { verdict: 'met', reason: `score ${score} (minimum ${criterion.minimum})` };
	return {
		verdict: 'failed',
		reason: `score ${score} is below the minimum of ${criterion.minimum}`,
	};
}

const LABELS: Record<CriterionKind, string> = {
	messageCount: 'Minimum message count',
	keywords: 'Required keywords',
	contactFields: 'Required contact fields',
	score: 'Minimum score',
};

export function criterionLabel(kind: CriterionKind): string {
	return LABELS[kind];
}

export function qualify(
	criteria: readonly Criterion[],
	evidence: QualificationEvidence,
): QualificationDecision {
	const order = evaluationOrder(criteria);
	if (order.length === 0)
		return {
			status: 'pending',
			provisional: false,
			decidedBy: null,
			reason: 'No qualification criterion is enabled',
			checks: [],
		};
	const checks: CriterionCheck[] = [];
	for (const criterion of order) {
		const check = checkCriterion(criterion, evidence);
		checks.push(check);
		if (check.verdict === 'met') continue;
		const status: QualificationStatus = check.verdict === 'failed' ? 'unqualified' : 'pending';
		return {
			status,
			provisional: false,
			decidedBy: { kind: check.kind, priority: check.priority },
			reason: `${LABELS[check.kind]}: ${check.reason}`,
			checks,
		};
	}
	const last = checks[checks.length - 1];
	return {
		status: 'qualified',
		provisional: true,
		decidedBy: { kind: last.kind, priority: last.priority },
		reason: `All ${checks.length} enabled criteria met (${checks.map((check) => LABELS[check.kind].toLowerCase()).join(', ')})`,
		checks,
	};
}

const RANK: Record<QualificationStatus, number> = { unqualified: 0, pending: 1, qualified: 2 };

/** unqualified < pending < qualified: the order upgrades and downgrades are measured in. */
export function statusRank(status: QualificationStatus): number {
	return RANK[status];
}

export function isQualificationStatus(value: unknown): value is QualificationStatus {
	return typeof value === 'string' && (QUALIFICATION_STATUSES as readonly string[]).includes(value);
}

function quoteList(values: readonly string[]): string {
	return values.map((value) => `"${value}"`).join(', ');
}
