/**
 * Plans every located item against its record's current values. Items that target the same
 * record are planned in input order against the values the earlier items leave behind, so
 * the record gets one combined write and no item undoes another.
 */
import type { FieldChange, ObjectKind } from '../shared/model';
import type { NeutralValue } from './logic/fieldValues';
import {
	collectPlan,
	planRecord,
	resolveAiMerge,
	type FieldDecision,
	type FieldUpdate,
	type MergeContext,
} from './logic/merge';
import { NO_MODEL_MESSAGE, type AiMerger } from './aiMerge';
import type { MergeFieldSpec } from './fieldSpecs';

export interface Target {
	objectType: string;
	kind: ObjectKind;
	specs: Map<string, MergeFieldSpec>;
	/** Existing record id; undefined when the item will create a record (or has no match). */
	recordId?: string;
	/** Current values; undefined for a new record. */
	current?: Record<string, unknown>;
}

export type PlanOutcome =
	| { ok: true; changes: FieldChange[]; properties: Record<string, NeutralValue> }
	| { ok: false; changes: FieldChange[]; field: string; reason: string };

export interface PlanDependencies {
	context: MergeContext;
	/** Resolves the connected chat model once, on first need; undefined when none is connected. */
	aiMerger: () => Promise<AiMerger | undefined>;
}

/**
 * Record states, updated as items are planned: keyed by record (existing records) or by
 * person identity (a record one item of the batch creates and later items join).
 */
export class RecordStates {
	private readonly states = new Map<string, Record<string, unknown>>();

	/** The state earlier items left, else `fetched` (undefined for a record not created yet). */
	current(
		key: string,
		fetched: Record<string, unknown> | undefined,
	): Record<string, unknown> | undefined {
		return this.states.get(key) ?? fetched;
	}

	apply(
		key: string,
		before: Record<string, unknown> | undefined,
		properties: Record<string, NeutralValue>,
	): void {
		this.states.set(key, { ...before, ...properties });
	}
}

export async function planItem(
	updates: FieldUpdate[],
	target: Target,
	deps: PlanDependencies,
): Promise<PlanOutcome> {
	const plan = planRecord(
		{ updates, fields: target.specs, current: target.current, objectLabel: target.objectType },
		deps.context,
	);
	if (plan.pending.length === 0)
		return { ok: true, changes: plan.decisions.map((d) => d.change), properties: plan.properties };

	let merge: AiMerger | undefined;
	try {
		merge = await deps.aiMerger();
	} catch (error) {
		// e.g. a sub-node that is not a chat model on the Chat Model input
		const field = plan.pending[0].change.field;
		return {
			ok: false,
			changes: plan.decisions.map((d) => d.change),
			field,
			reason: error instanceof Error ? error.message : String(error),
		};
	}
	const decisions: FieldDecision[] = [];
	for (const decision of plan.decisions) {
		if (decision.status !== 'needsModel') {
			decisions.push(decision);
			continue;
		}
		const field = decision.change.field;
		if (!merge)
			return {
				ok: false,
				changes: plan.decisions.map((d) => d.change),
				field,
				reason: NO_MODEL_MESSAGE,
			};
		let answer: string;
		try {
			answer = await merge(decision.request, target.specs.get(field)?.label ?? field);
		} catch (error) {
			const text = error instanceof Error ? error.message : 'unknown error';
			return {
				ok: false,
				changes: plan.decisions.map((d) => d.change),
				field,
				reason: `the language model failed: ${text}`,
			};
		}
		decisions.push(resolveAiMerge(decision, answer));
	}
	const resolved = collectPlan(decisions);
	return {
		ok: true,
		changes: resolved.decisions.map((d) => d.change),
		properties: resolved.properties,
	};
}
