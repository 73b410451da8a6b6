/**
 * Per-field sync rules: given a mapped field's value on the source record and on its
 * counterpart in the target CRM (both in neutral form, already converted to the target
 * field's type) and when each record last changed, the value to write to the target — or
 * nothing. The CRMs keep one change time per record, not per field, so "most recent change"
 * compares the records' change times.
 *
 * - twoWay: the newer record wins; a value blanked on the newer side is blanked on the other
 *   (deletes propagate). An unknown target time counts as older: the source brings a change.
 * - preferTarget: the target keeps its value; the source fills it only while it is blank.
 * - alwaysSource: the target always gets the source value, blank included.
 * - none: never written.
 *
 * Pure: no I/O.
 */
import type { FieldType } from '../../shared/model';
import { sameValue, type NeutralValue } from '../../CrmContactFieldMerge/logic/fieldValues';

export const SYNC_RULES = ['twoWay', 'preferTarget', 'alwaysSource', 'none'] as const;
export type SyncRule = (typeof SYNC_RULES)[number];

export function isSyncRule(value: unknown): value is SyncRule {
	return (SYNC_RULES as readonly unknown[]).includes(value);
}

export interface FieldSide {
	/** Undefined = blank. */
	value: NeutralValue | undefined;
	/** When the record last changed (ms since epoch), if known. */
	modifiedAt?: number;
}

export type RuleDecision =
	| { write: false; reason: string }
	/** `value` undefined = clear the target field. */
	| { write: true; value: NeutralValue | undefined };

const keep = (reason: string): RuleDecision => ({ write: false, reason });

export function decideField(
	rule: SyncRule,
	source: FieldSide,
	target: FieldSide,
	type: FieldType,
): RuleDecision {
	if (rule === 'none') return keep("the field is set to Don't Sync");
	if (sameValue(source.value, target.value, type)) return keep('already equal');
	switch (rule) {
		case 'preferTarget':
			if (target.value !== undefined) return keep('the target keeps its value (not blank)');
			return { write: true, value: source.value };
		case 'alwaysSource':
			return { write: true, value: source.value };
		case 'twoWay': {
			const sourceAt = source.modifiedAt;
			const targetAt = target.modifiedAt;
			if (sourceAt !== undefined && targetAt !== undefined && targetAt >= sourceAt)
				return keep('the target changed more recently');
			if (sourceAt === undefined && targetAt !== undefined)
				return keep('the source has no change time; the target is kept');
			return { write: true, value: source.value };
		}
	}
}
