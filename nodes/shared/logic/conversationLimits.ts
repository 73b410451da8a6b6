/**
 * Per-conversation size limits. A processed call comes from outside (a webhook anyone with
 * the secret can post to), and every participant becomes CRM search keys and every action
 * item a CRM write: without a bound, one request could cost thousands of API calls.
 * Checked on the raw item, before schema validation, so an oversized item is reported as
 * too large whatever else is wrong with it.
 */

export interface ConversationLimits {
	maxParticipants: number;
	maxActionItems: number;
	/** Characters of `summary`. */
	maxSummaryLength: number;
	/** Characters of `dealInsights`: the text, or every label and value of the list together. */
	maxDealInsightsLength: number;
	/** Characters of each action item's `text`. */
	maxActionItemLength: number;
}

export const DEFAULT_CONVERSATION_LIMITS: ConversationLimits = {
	maxParticipants: 50,
	maxActionItems: 50,
	maxSummaryLength: 20_000,
	maxDealInsightsLength: 20_000,
	maxActionItemLength: 2_000,
};

/** The option names users see, so an error says which setting to raise. */
export const CONVERSATION_LIMIT_LABELS: Record<keyof ConversationLimits, string> = {
	maxParticipants: 'Max Participants',
	maxActionItems: 'Max Action Items',
	maxSummaryLength: 'Max Summary Length',
	maxDealInsightsLength: 'Max Deal Insights Length',
	maxActionItemLength: 'Max Action Item Length',
};

export interface LimitViolation {
	/** Path of the field, e.g. `participants` or `actionItems.3.text`. */
	field: string;
	limit: keyof ConversationLimits;
	cap: number;
	actual: number;
	unit: 'entries' | 'characters';
}

function textLength(value: unknown): number {
	return typeof value === 'string' ? value.length : 0;
}

function dealInsightsLength(value: unknown): number {
	if (typeof value === 'string') return value.length;
	if (!Array.isArray(value)) return 0;
	let total = 0;
	for (const entry of value as unknown[]) {
		if (typeof entry !== 'object' || entry === null) continue;
		const insight = entry as { label?: unknown; value?: unknown };
		total += textLength(insight.label) + textLength(insight.value);
	}
	return total;
}

/** The first limit the raw item exceeds, counts before texts; undefined when it fits. */
export function findLimitViolation(
	json: Record<string, unknown>,
	limits: ConversationLimits,
): LimitViolation | undefined {
	const count = (
		field: 'participants' | 'actionItems',
		limit: 'maxParticipants' | 'maxActionItems',
	): LimitViolation | undefined => {
		const list = json[field];
		return Array.isArray(list) && list.length > limits[limit]
			? { field, limit, cap: limits[limit], actual: list.length, unit: 'entries' }
			: undefined;
	};
	const overCount =
		count('participants', 'maxParticipants') ?? count('actionItems', 'maxActionItems');
	if (overCount) return overCount;

	const summary = textLength(json.summary);
	if (summary > limits.maxSummaryLength) {
		return {
			field: 'summary',
			limit: 'maxSummaryLength',
			cap: limits.maxSummaryLength,
			actual: summary,
			unit: 'characters',
		};
	}
	const insights = dealInsightsLength(json.dealInsights);
	if (insights > limits.maxDealInsightsLength) {
		return {
			field: 'dealInsights',
			limit: 'maxDealInsightsLength',
			cap: limits.maxDealInsightsLength,
			actual: insights,
			unit: 'characters',
		};
	}
	if (Array.isArray(json.actionItems)) {
		const items = json.actionItems as unknown[];
		for (let index = 0; index < items.length; index++) {
			const entry = items[index];
			const length =
				typeof entry === 'object' && entry !== null
					? textLength((entry as { text?: unknown }).text)
					: 0;
			if (length > limits.maxActionItemLength) {
				return {
					field: `actionItems.${index}.text`,
					limit: 'maxActionItemLength',
					cap: limits.maxActionItemLength,
					actual: length,
					unit: 'characters',
				};
			}
		}
	}
	return undefined;
}

/** `field "participants" has 10000 entries; the limit is 50 (option "Max Participants")` */
export function describeViolation(violation: LimitViolation): string {
	return (
		`field "${violation.field}" has ${violation.actual} ${violation.unit}; the limit is ${violation.cap}` +
		` (option "${CONVERSATION_LIMIT_LABELS[violation.limit]}")`
	);
}

/** Settings as stored by n8n (missing or non-positive values fall back to the defaults). */
export function resolveLimits(
	settings: Partial<Record<keyof ConversationLimits, unknown>>,
): ConversationLimits {
	const resolved = { ...DEFAULT_CONVERSATION_LIMITS };
	for (const key of Object.keys(resolved) as Array<keyof ConversationLimits>) {
		const value = settings[key];
		if (typeof value === 'number' && Number.isFinite(value) && value >= 1)
			resolved[key] = Math.floor(value);
	}
	return resolved;
}
