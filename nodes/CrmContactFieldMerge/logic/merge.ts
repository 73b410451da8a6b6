/**
 * The field merge: given a CRM record's current values and an item's incoming values,
 * decide per field what to write under its update mode, and explain every decision as a
 * FieldChange. Rules that always hold:
 * - an unchanged value is never written;
 * - an empty incoming value never blanks a field;
 * - Fill if empty never touches a field that has a value;
 * - Merge is idempotent (merging the same value again changes nothing);
 * - Only move forward never writes a stage before the current one in the picklist's order.
 * AI merge cannot be decided here: it returns a request for the connected model, and
 * `resolveAiMerge` finishes the field with the model's answer.
 *
 * Pure: no I/O; `today` is passed in so the dated merge line is deterministic.
 */
import type { FieldChange, UpdateMode } from '../../shared/model';
import {
	coerceValue,
	findOption,
	isEmptyValue,
	readStoredValue,
	sameValue,
	type CoerceOptions,
	type FieldSpec,
	type NeutralValue,
} from './fieldValues';

export interface FieldUpdate {
	field: string;
	value: unknown;
	mode: UpdateMode;
}

/** The old and new text of a field in AI-merge mode, for the language model to combine. */
export interface AiMergeRequest {
	field: string;
	before: string;
	incoming: string;
}

export type FieldDecision =
	| { status: 'write'; change: FieldChange; value: NeutralValue }
	| { status: 'keep'; change: FieldChange }
	| { status: 'needsModel'; change: FieldChange; request: AiMergeRequest };

export interface MergeContext extends CoerceOptions {
	/** The day merge lines are dated with, `YYYY-MM-DD`. */
	today: string;
}

export const REASONS = {
	empty: 'no value given (an empty input never clears a field)',
	unchanged: 'unchanged',
	filled: 'field already has a value (Fill if empty)',
	alreadyMerged: 'already contains this value',
	needsModel: 'needs model',
	modelEmpty: 'the language model returned no text',
	notForward: 'the CRM is already at this stage or a later one (Only move forward)',
	notOrdered: "Only move forward needs a picklist with the CRM's options; this field has none",
} as const;

const DATE_PREFIX = /^\d{4}-\d{2}-\d{2}:\s?/;

function lines(text: string): string[] {
	return text
		.split(/\r?\n/)
		.map((line) => line.trim())
		.filter((line) => line !== '');
}

/** A line's content without a leading `YYYY-MM-DD: ` merge date. */
function content(line: string): string {
	return line.replace(DATE_PREFIX, '').trim();
}

/**
 * Text merge: each incoming line not already present (with or without a merge date) is
 * appended as `YYYY-MM-DD: line`. Returns the current text when nothing is new.
 */
export function appendDatedLines(
	current: string | undefined,
	incoming: string,
	today: string,
): string {
	const existing = current ?? '';
	const present = new Set(lines(existing).flatMap((line) => [line, content(line)]));
	const added: string[] = [];
	for (const line of lines(incoming)) {
		const text = content(line);
		if (present.has(text)) continue;
		present.add(text);
		added.push(`${today}: ${text}`);
	}
	if (!added.length) return existing;
	return existing.trim() === ''
		? added.join('\n')
		: `${existing.replace(/\s+$/, '')}\n${added.join('\n')}`;
}

/** Multi-select merge: current values first, then new ones in their order. */
export function unionValues(current: readonly string[], incoming: readonly string[]): string[] {
	return [...new Set([...current, ...incoming])];
}

function asList(value: NeutralValue | undefined): string[] {
	if (value === undefined) return [];
	return Array.isArray(value) ? value : [String(value)];
}

function deterministicMerge(
	spec: FieldSpec,
	before: NeutralValue | undefined,
	incoming: NeutralValue,
	today: string,
): NeutralValue {
	if (spec.type === 'string')
		return appendDatedLines(
			before === undefined ? undefined : String(before),
			String(incoming),
			today,
		);
	if (spec.type === 'multiEnum') return unionValues(asList(before), asList(incoming));
	// Numbers, booleans, dates, single picklists: the newest value wins.
	return incoming;
}

function change(
	update: FieldUpdate,
	before: NeutralValue | undefined,
	after: NeutralValue | undefined,
	applied: boolean,
	reason?: string,
): FieldChange {
	const result: FieldChange = {
		field: update.field,
		before: before ?? null,
		after: after ?? null,
		mode: update.mode,
		applied,
	};
	if (reason) result.reason = reason;
	return result;
}

/** Writes `target` unless it equals the current value. */
function decideTarget(
	update: FieldUpdate,
	spec: FieldSpec,
	before: NeutralValue | undefined,
	target: NeutralValue,
	unchangedReason: string = REASONS.unchanged,
): FieldDecision {
	if (isEmptyValue(target) || sameValue(before, target, spec.type)) {
		return { status: 'keep', change: change(update, before, before, false, unchangedReason) };
	}
	return { status: 'write', change: change(update, before, target, true), value: target };
}

/**
 * Position of a stage in the picklist's order (the CRM's option order), or undefined when the
 * value is not one of its options.
 */
export function stageIndex(spec: FieldSpec, value: NeutralValue | undefined): number | undefined {
	if (value === undefined || Array.isArray(value) || !spec.options?.length) return undefined;
	const option = findOption(spec.options, String(value));
	return option === undefined ? undefined : spec.options.indexOf(option);
}

/**
 * Only move forward: an empty field or a current value outside the picklist takes the new
 * stage; otherwise only a later stage is written.
 */
function decideForward(
	update: FieldUpdate,
	spec: FieldSpec,
	before: NeutralValue | undefined,
	incoming: NeutralValue,
): FieldDecision {
	if (spec.type !== 'enum' || !spec.options?.length)
		return { status: 'keep', change: change(update, before, before, false, REASONS.notOrdered) };
	const from = stageIndex(spec, before);
	const to = stageIndex(spec, incoming);
	if (from !== undefined && to !== undefined && to <= from)
		return { status: 'keep', change: change(update, before, before, false, REASONS.notForward) };
	return decideTarget(update, spec, before, incoming);
}

/** Text AI merge has nothing to ask when the old text already holds the new one. */
function containsText(before: string, incoming: string): boolean {
	const present = new Set(lines(before).map(content));
	return lines(incoming).every((line) => present.has(content(line)));
}

/**
 * Decides one field. `current` is the raw value the CRM returned (undefined when the field is
 * empty or the record is new), `update.value` the raw incoming value.
 */
export function planField(
	update: FieldUpdate,
	spec: FieldSpec,
	current: unknown,
	context: MergeContext,
): FieldDecision {
	const before = readStoredValue(current, spec);
	const coerced = coerceValue(update.value, spec, context);
	if (coerced.kind === 'empty')
		return { status: 'keep', change: change(update, before, before, false, REASONS.empty) };
	if (coerced.kind === 'invalid')
		return { status: 'keep', change: change(update, before, before, false, coerced.reason) };
	const incoming = coerced.value;

	switch (update.mode) {
		case 'overwrite':
			return decideTarget(update, spec, before, incoming);
		case 'fillIfEmpty':
			if (before !== undefined)
				return { status: 'keep', change: change(update, before, before, false, REASONS.filled) };
			return decideTarget(update, spec, before, incoming);
		case 'advanceOnly':
			return decideForward(update, spec, before, incoming);
		case 'merge':
			return decideTarget(
				update,
				spec,
				before,
				deterministicMerge(spec, before, incoming, context.today),
				REASONS.alreadyMerged,
			);
		case 'aiMerge': {
			// Only free text needs a model; other types merge deterministically.
			if (spec.type !== 'string') {
				return decideTarget(
					update,
					spec,
					before,
					deterministicMerge(spec, before, incoming, context.today),
					REASONS.alreadyMerged,
				);
			}
			if (before === undefined) return decideTarget(update, spec, before, incoming);
			const beforeText = String(before);
			const incomingText = String(incoming);
			if (containsText(beforeText, incomingText)) {
				return {
					status: 'keep',
					change: change(update, before, before, false, REASONS.alreadyMerged),
				};
			}
			return {
				status: 'needsModel',
				change: change(update, before, before, false, REASONS.needsModel),
				request: { field: update.field, before: beforeText, incoming: incomingText },
			};
		}
	}
}

/** Finishes an AI-merge field with the model's combined text (never blanking the field). */
export function resolveAiMerge(
	decision: FieldDecision & { status: 'needsModel' },
	modelText: string,
): FieldDecision {
	const before = decision.request.before;
	const update: FieldUpdate = { field: decision.change.field, value: modelText, mode: 'aiMerge' };
	const combined = modelText.trim();
	if (combined === '')
		return { status: 'keep', change: change(update, before, before, false, REASONS.modelEmpty) };
	return decideTarget(update, { name: update.field, type: 'string' }, before, combined);
}

/** A field the record cannot take: unknown or read-only. */
export function rejectField(update: FieldUpdate, current: unknown, reason: string): FieldDecision {
	const before = isEmptyValue(current) ? undefined : (current as NeutralValue);
	return { status: 'keep', change: change(update, before, before, false, reason) };
}

export interface RecordPlan {
	decisions: FieldDecision[];
	/** Only the fields whose value changes, in neutral form. */
	properties: Record<string, NeutralValue>;
	/** Fields waiting for the language model. */
	pending: Array<FieldDecision & { status: 'needsModel' }>;
}

export interface PlanRecordInput {
	updates: FieldUpdate[];
	/** Field specs by field name (from the CRM's object description). */
	fields: ReadonlyMap<string, FieldSpec & { readOnly?: boolean }>;
	/** Current values; undefined for a record about to be created. */
	current: Record<string, unknown> | undefined;
	objectLabel: string;
}

/** Collects decisions into the minimal property set to write. */
export function collectPlan(decisions: FieldDecision[]): RecordPlan {
	const properties: Record<string, NeutralValue> = {};
	const pending: RecordPlan['pending'] = [];
	for (const decision of decisions) {
		if (decision.status === 'write') properties[decision.change.field] = decision.value;
		if (decision.status === 'needsModel') pending.push(decision);
	}
	return { decisions, properties, pending };
}

/** Plans every mapped field of one record. */
export function planRecord(input: PlanRecordInput, context: MergeContext): RecordPlan {
	const current = input.current ?? {};
	const decisions = input.updates.map((update): FieldDecision => {
		const spec = input.fields.get(update.field);
		if (!spec)
			return rejectField(
				update,
				undefined,
				`unknown field "${update.field}" on ${input.objectLabel}`,
			);
		if (spec.readOnly)
			return rejectField(update, current[update.field], `field "${update.field}" is read-only`);
		return planField(update, spec, current[update.field], context);
	});
	return collectPlan(decisions);
}
