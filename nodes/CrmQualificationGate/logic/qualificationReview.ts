/**
 * The delayed AI review (seed: "after 24-48 hours, a full AI review is performed ... status
 * confirmed / upgraded / downgraded"). Pure: builds the prompt for a chat model and reads its
 * answer. The model is asked for one JSON object; the parser finds it inside prose or code
 * fences, accepts a few spellings, and derives the verdict from the old and new status so a
 * sloppy answer cannot say "confirmed" while changing the status.
 */
import {
	criterionLabel,
	isQualificationStatus,
	statusRank,
	type CriterionCheck,
	type QualificationStatus,
} from './qualification';

export const REVIEW_VERDICTS = ['confirmed', 'upgraded', 'downgraded'] as const;
export type ReviewVerdict = (typeof REVIEW_VERDICTS)[number];

export interface ReviewRequest {
	/** The conversation's status before the review (usually the provisional rules verdict). */
	currentStatus: QualificationStatus;
	transcript: string;
	contact: { name?: string; email?: string; phone?: string; company?: string };
	score?: number;
	messageCount?: number;
	/** The rules' verdicts, so the model sees why the lead was (not) qualified. */
	checks: CriterionCheck[];
	/** Extra guidance from the node's parameter (what a qualified lead means for this team). */
	instructions?: string;
}

export interface ReviewPrompt {
	system: string;
	user: string;
}

export interface QualificationReview {
	verdict: ReviewVerdict;
	previousStatus: QualificationStatus;
	status: QualificationStatus;
	reason: string;
	/** Set when the model's own verdict word disagreed with its status and was corrected. */
	note?: string;
}

export type ParsedReview = { ok: true; review: QualificationReview } | { ok: false; error: string };

/** Long transcripts keep their beginning and end: intent and outcome usually live there. */
export const MAX_TRANSCRIPT_CHARS = 24_000;
const MAX_REASON_CHARS = 500;

export function buildReviewPrompt(request: ReviewRequest): ReviewPrompt {
	const system = [
		'You review whether a sales lead is qualified, based on the complete conversation with the lead.',
		'Statuses: "qualified" (a real buying interest worth a sales follow-up), "unqualified" (no fit or no interest), "pending" (not enough information yet).',
		`The lead is currently "${request.currentStatus}". Decide the status it should have now.`,
		'Answer with exactly one JSON object and nothing else:',
		'{"verdict": "confirmed" | "upgraded" | "downgraded", "status": "qualified" | "unqualified" | "pending", "reason": "<one short sentence>"}',
		'"confirmed" keeps the current status, "upgraded" moves it towards qualified, "downgraded" moves it towards unqualified.',
		request.instructions?.trim() ? `Team guidance: ${request.instructions.trim()}` : '',
	]
		.filter(Boolean)
		.join('\n');

	const contact = Object.entries(request.contact)
		.filter(([, value]) => typeof value === 'string' && value.trim() !== '')
		.map(([field, value]) => `${field}: ${value}`);
	const rules = request.checks.map(
		(check) => `- ${criterionLabel(check.kind)}: ${check.verdict} (${check.reason})`,
	);
	const user = [
		`Current status: ${request.currentStatus}`,
		contact.length ? `Contact: ${contact.join('; ')}` : 'Contact: (no details)',
		request.score !== undefined ? `Score: ${request.score}` : '',
		request.messageCount !== undefined ? `Messages: ${request.messageCount}` : '',
		rules.length ? `Rule checks:\n${rules.join('\n')}` : '',
		`Conversation:\n${clipTranscript(request.transcript)}`,
	]
		.filter(Boolean)
		.join('\n\n');
	return { system, user };
}

export function clipTranscript(transcript: string, max = MAX_TRANSCRIPT_CHARS): string {
	const text = transcript.trim() || '(no conversation text)';
	if (text.length <= max) return text;
	const half = Math.floor((max - 40) / 2);
	return `${text.slice(0, half)}\n[… ${text.length - 2 * half} characters omitted …]\n${text.slice(text.length - half)}`;
}

export function parseReviewAnswer(
	answer: string,
	previousStatus: QualificationStatus,
): ParsedReview {
	const object = findJsonObject(answer);
	if (!object)
		return {
			ok: false,
			error: `The model's answer contains no JSON object with a status or verdict: "${preview(answer)}"`,
		};

	const rawStatus = object.status ?? object.newStatus ?? object.new_status;
	const rawVerdict = object.verdict ?? object.decision ?? object.result;
	const status = rawStatus === undefined ? undefined : readStatus(rawStatus);
	const claimed = rawVerdict === undefined ? undefined : readVerdict(rawVerdict);
	if (rawStatus !== undefined && status === undefined)
		return {
			ok: false,
			error: `The model answered an unknown status "${preview(String(rawStatus))}" (expected qualified, unqualified or pending)`,
		};
	if (rawVerdict !== undefined && claimed === undefined && status === undefined)
		return {
			ok: false,
			error: `The model answered an unknown verdict "${preview(String(rawVerdict))}" (expected confirmed, upgraded or downgraded)`,
		};

	const reason = readReason(object.reason ?? object.explanation);
	if (status !== undefined) {
		const verdict = verdictFor(previousStatus, status);
		const review: QualificationReview = { verdict, previousStatus, status, reason };
		if (claimed !== undefined && claimed !== verdict)
			review.note = `The model said "${claimed}" but moved the status from ${previousStatus} to ${status}; recorded as "${verdict}".`;
		return { ok: true, review };
	}
	if (claimed === undefined)
		return { ok: false, error: 'The model answered neither a status nor a verdict' };
	const implied = statusFor(previousStatus, claimed);
	if (implied === undefined)
		return {
			ok: false,
			error: `The model said "${claimed}" but a ${previousStatus} lead cannot be ${claimed} without a new status`,
		};
	return { ok: true, review: { verdict: claimed, previousStatus, status: implied, reason } };
}

export function verdictFor(
	previous: QualificationStatus,
	next: QualificationStatus,
): ReviewVerdict {
	const change = statusRank(next) - statusRank(previous);
	return change === 0 ? 'confirmed' : change > 0 ? 'upgraded' : 'downgraded';
}

function statusFor(
	previous: QualificationStatus,
	verdict: ReviewVerdict,
): QualificationStatus | undefined {
	if (verdict === 'confirmed') return previous;
	if (verdict === 'upgraded') return previous === 'qualified' ? undefined : 'qualified';
	return previous === 'unqualified' ? undefined : 'unqualified';
}

function readStatus(value: unknown): QualificationStatus | undefined {
	if (typeof value !== 'string') return undefined;
	const word = value
		.trim()
		.toLowerCase()
		.replace(/[\s_-]+/g, '');
	if (isQualificationStatus(word)) return word;
	if (['notqualified', 'disqualified'].includes(word)) return 'unqualified';
	if (['provisionallyqualified', 'provisional'].includes(word)) return 'qualified';
	return undefined;
}

function readVerdict(value: unknown): ReviewVerdict | undefined {
	if (typeof value !== 'string') return undefined;
	const word = value.trim().toLowerCase();
	if (['confirmed', 'confirm', 'unchanged'].includes(word)) return 'confirmed';
	if (['upgraded', 'upgrade'].includes(word)) return 'upgraded';
	if (['downgraded', 'downgrade'].includes(word)) return 'downgraded';
	return undefined;
}

function readReason(value: unknown): string {
	const text = typeof value === 'string' ? value.replace(/\s+/g, ' ').trim() : '';
	if (!text) return 'The model gave no reason';
	return text.length > MAX_REASON_CHARS ? `${text.slice(0, MAX_REASON_CHARS - 1)}…` : text;
}

/** The first balanced {...} in the text that parses as a JSON object with a status or verdict. */
function findJsonObject(text: string): Record<string, unknown> | undefined {
	for (let start = text.indexOf('{'); start !== -1; start = text.indexOf('{', start + 1)) {
		const end = matchingBrace(text, start);
		if (end === -1) continue;
		try {
			const value: unknown = JSON.parse(text.slice(start, end + 1));
			if (value && typeof value === 'object' && !Array.isArray(value)) {
				const record = value as Record<string, unknown>;
				if (
					['status', 'newStatus', 'new_status', 'verdict', 'decision', 'result'].some(
						(key) => key in record,
					)
				)
					return record;
			}
		} catch {
			// not JSON from this brace on; try the next one
		}
	}
	return undefined;
}

function matchingBrace(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const char = text[i];
		if (inString) {
			if (char === '\\') i++;
			else if (char === '"') inString = false;
			continue;
		}
		if (char === '"') inString = true;
		else if (char === '{') depth++;
		else if (char === '}' && --depth === 0) return i;
	}
	return -1;
}

function preview(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}
