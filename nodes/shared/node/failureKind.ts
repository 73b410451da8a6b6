/**
 * What a failed item means for whoever is waiting for an answer (a webhook caller, an
 * error branch): the caller's data was wrong, the CRM refused, the CRM is away for now, or
 * the outcome of a write is unknown. Every node's failure path stamps this on the item, so
 * workflows branch on fields instead of parsing messages.
 */
import type { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { CRM_NAMES, type CrmName } from '../model';
import { CrmRequestError, type CrmFailureKind } from '../transport/errors';

export type FailureKind = 'invalid-input' | 'crm-rejected' | 'crm-unavailable' | 'uncertain';

export interface FailureClassification {
	kind: FailureKind;
	/** The HTTP status a webhook answering for this item should use. */
	httpStatus: number;
	crm?: CrmName;
	/** The input field at fault (`participants`, `actionItems.2.text`), for invalid input. */
	field?: string;
	reason: string;
	/** For `crm-unavailable`: when the caller may try again. */
	retryAfterSeconds?: number;
}

/**
 * What a node may state on `error.context` when it knows better than the error's type:
 * `failureKind` / `field` / `httpStatus` for input checks, `uncertain: true` for a write
 * whose outcome is unknown, `retryAfterSeconds` / `crm` for CRM failures.
 */
export interface FailureMarks {
	failureKind?: FailureKind;
	field?: string;
	httpStatus?: number;
	crm?: CrmName;
	uncertain?: boolean;
	retryAfterSeconds?: number;
}

export const HTTP_STATUS: Record<FailureKind, number> = {
	'invalid-input': 422,
	'crm-rejected': 502,
	'crm-unavailable': 503,
	uncertain: 502,
};

/** A malformed item (wrong type, missing field): the request itself is bad. */
export const MALFORMED_INPUT_STATUS = 400;
/** An item beyond a configured size limit. */
export const TOO_LARGE_STATUS = 413;
/** When the CRM gave no wait time: long enough for a retry burst or a short outage to pass. */
export const DEFAULT_RETRY_AFTER_SECONDS = 60;

type NodeError = NodeApiError | NodeOperationError;

/** Adds marks to an error's context (kept with the error into n8n's execution data). */
export function markFailure<E extends NodeError>(error: E, marks: FailureMarks): E {
	for (const [key, value] of Object.entries(marks))
		if (value !== undefined) error.context[key] = value;
	return error;
}

/** Marks that describe a CRM request failure the transport threw (its wait time, its CRM). */
export function crmFailureMarks(error: unknown): FailureMarks {
	if (!(error instanceof CrmRequestError)) return {};
	const marks: FailureMarks = { crm: error.crm };
	if (error.retryAfterMs !== undefined)
		marks.retryAfterSeconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
	return marks;
}

/** The fields a CRM request failure carries, whichever wrapper it arrives in. */
interface CrmFailureFacts {
	crm?: CrmName;
	kind?: CrmFailureKind;
	status?: number;
	retryAfterMs?: number;
}

function isCrmName(value: unknown): value is CrmName {
	return typeof value === 'string' && (CRM_NAMES as readonly string[]).includes(value);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
	return typeof value === 'object' && value !== null
		? (value as Record<string, unknown>)
		: undefined;
}

function statusOf(value: unknown): number | undefined {
	const status =
		typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
	return Number.isInteger(status) && status >= 100 && status <= 599 ? status : undefined;
}

/** The transport's error, or the response it left on the NodeApiError it was turned into. */
function crmFacts(error: unknown): CrmFailureFacts | undefined {
	if (error instanceof CrmRequestError) {
		return {
			crm: error.crm,
			kind: error.kind,
			status: error.status,
			retryAfterMs: error.retryAfterMs,
		};
	}
	const response = asRecord(asRecord(error)?.errorResponse);
	if (!response || !isCrmName(response.crm)) return undefined;
	return {
		crm: response.crm,
		kind: typeof response.kind === 'string' ? (response.kind as CrmFailureKind) : undefined,
		status: statusOf(response.httpCode) ?? statusOf(asRecord(error)?.httpCode),
		retryAfterMs: typeof response.retryAfterMs === 'number' ? response.retryAfterMs : undefined,
	};
}

function kindOfCrmFailure(facts: CrmFailureFacts): FailureKind {
	switch (facts.kind) {
		case 'ambiguous':
			return 'uncertain';
		case 'rate-limited':
		case 'gave-up':
		case 'budget':
			return 'crm-unavailable';
		case 'rejected':
		case 'unauthorized':
		case 'token':
			return 'crm-rejected';
		default:
			// No kind (a NodeApiError from elsewhere) or 'unexpected': the status decides; no status = never answered.
			if (facts.status === undefined) return 'crm-unavailable';
			return facts.status === 429 ||
				facts.status === 502 ||
				facts.status === 503 ||
				facts.status === 504
				? 'crm-unavailable'
				: 'crm-rejected';
	}
}

const TRANSPORT_KINDS: readonly string[] = [
	'rejected',
	'unauthorized',
	'token',
	'rate-limited',
	'gave-up',
	'ambiguous',
	'budget',
	'unexpected',
];

/**
 * Marks for a write the CRM did not carry out, reported per record (`{ message, code, status }`):
 * a provider passes the transport's failure kind as `code` when a whole request failed, else
 * the CRM's own error code with the HTTP status.
 */
export function writeFailureMarks(
	crm: CrmName,
	info: { code?: string; status?: number; transportKind?: string },
): FailureMarks {
	const named = info.transportKind ?? info.code;
	const kind =
		named !== undefined && TRANSPORT_KINDS.includes(named) ? (named as CrmFailureKind) : undefined;
	return {
		failureKind: kindOfCrmFailure({
			kind: kind ?? (info.status === undefined ? 'rejected' : undefined),
			status: info.status,
		}),
		crm,
	};
}

/** `field "participants.3.email"` is how the pack's item errors name a field. */
const FIELD_IN_MESSAGE = /\bfield "([^"]+)"/;

function messageOf(error: unknown): string {
	if (error instanceof Error) return error.message;
	const message = asRecord(error)?.message;
	return typeof message === 'string' ? message : String(error);
}

/**
 * Classifies a failed item's error. Pure: reads the error's type, its context marks and the
 * CRM facts the transport recorded; never the network or a clock.
 */
export function classifyFailure(error: unknown): FailureClassification {
	const reason = messageOf(error);
	const marks = (asRecord(asRecord(error)?.context) ?? {}) as FailureMarks;
	const facts = crmFacts(error);
	const crm = marks.crm ?? facts?.crm;

	let kind: FailureKind;
	if (marks.uncertain === true) kind = 'uncertain';
	else if (marks.failureKind) kind = marks.failureKind;
	else if (facts) kind = kindOfCrmFailure(facts);
	else kind = 'invalid-input';

	const classification: FailureClassification = {
		kind,
		httpStatus: statusOf(marks.httpStatus) ?? HTTP_STATUS[kind],
		reason,
	};
	if (crm && kind !== 'invalid-input') classification.crm = crm;
	if (kind === 'invalid-input') {
		const field = marks.field ?? FIELD_IN_MESSAGE.exec(reason)?.[1];
		if (field) classification.field = field;
	}
	if (kind === 'crm-unavailable') {
		const fromCrm =
			facts?.retryAfterMs === undefined
				? undefined
				: Math.max(1, Math.ceil(facts.retryAfterMs / 1000));
		classification.retryAfterSeconds =
			marks.retryAfterSeconds ?? fromCrm ?? DEFAULT_RETRY_AFTER_SECONDS;
	}
	return classification;
}
