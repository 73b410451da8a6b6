/**
 * Whether a source field's values can be written to a target field, from the neutral types
 * of both CRMs' field descriptions. Checked once per mapping before anything is read, so a
 * mistake in the mapping fails the run with the field pair named instead of one item at a
 * time.
 *
 * Compatible: same type; anything → text; picklist → multi-select (one value);
 * date ↔ date-time (a date-time gives its day, a date becomes midnight UTC); a number or a
 * boolean → picklist (by value). Picklist values are matched by value, then by label, when
 * the value is converted; a value the target's picklist lacks fails only its item.
 *
 * Pure: no I/O.
 */
import type { FieldType } from '../../shared/model';

export interface MappedFieldFacts {
	name: string;
	label: string;
	/** Neutral type from the describe, or undefined when the pack cannot convert it (references, compound fields). */
	type: FieldType | undefined;
	nativeType: string;
	readOnly: boolean;
}

const TYPE_WORDS: Record<FieldType, string> = {
	string: 'text',
	number: 'number',
	boolean: 'boolean',
	date: 'date',
	datetime: 'date-time',
	enum: 'picklist',
	multiEnum: 'multi-select picklist',
};

const ALSO_ACCEPTS: Record<FieldType, readonly FieldType[]> = {
	string: ['number', 'boolean', 'date', 'datetime', 'enum', 'multiEnum'],
	number: [],
	boolean: [],
	date: ['datetime'],
	datetime: ['date'],
	enum: ['number', 'boolean'],
	multiEnum: ['enum'],
};

export function typeWord(facts: MappedFieldFacts): string {
	return facts.type ? TYPE_WORDS[facts.type] : `${facts.nativeType} (not convertible)`;
}

function shownName(facts: MappedFieldFacts): string {
	return facts.label && facts.label !== facts.name ? `${facts.label} (${facts.name})` : facts.name;
}

export function fieldPairName(source: MappedFieldFacts, target: MappedFieldFacts): string {
	return `"${shownName(source)}" → "${shownName(target)}"`;
}

export type Compatibility = { ok: true } | { ok: false; reason: string };

export function checkCompatibility(
	source: MappedFieldFacts,
	target: MappedFieldFacts,
): Compatibility {
	const pair = `Field pair ${fieldPairName(source, target)}`;
	if (target.readOnly) return { ok: false, reason: `${pair}: the target field is read-only` };
	if (!source.type || !target.type)
		return {
			ok: false,
			reason: `${pair}: a ${typeWord(source)} field cannot be synced to a ${typeWord(target)} field`,
		};
	if (source.type === target.type || ALSO_ACCEPTS[target.type].includes(source.type))
		return { ok: true };
	return {
		ok: false,
		reason: `${pair}: a ${typeWord(source)} field cannot be written to a ${typeWord(target)} field`,
	};
}
