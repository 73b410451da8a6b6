/**
 * A source record's stored value → the target field's neutral value. Read leniently with the
 * source field's type, then coerced into the target field's type; picklist values travel by
 * value first and by label second (HubSpot "lead" ↔ Salesforce "Lead"), and a picklist value
 * written to text keeps its label.
 *
 * Pure: no I/O.
 */
import {
	coerceValue,
	findOption,
	readStoredValue,
	type FieldSpec,
	type NeutralValue,
} from '../../CrmContactFieldMerge/logic/fieldValues';

export type Converted =
	{ ok: true; value: NeutralValue | undefined } | { ok: false; reason: string };

function label(spec: FieldSpec, value: string): string | undefined {
	const option = (spec.options ?? []).find((o) => o.value === value);
	return option?.label;
}

/** A source picklist value as the target picklist's value (by value, then by the source label). */
function picklistValue(source: FieldSpec, target: FieldSpec, value: string): string {
	const options = target.options ?? [];
	if (options.length === 0) return value;
	const byValue = findOption(options, value);
	if (byValue) return byValue.value;
	const sourceLabel = label(source, value);
	return (sourceLabel ? findOption(options, sourceLabel)?.value : undefined) ?? value;
}

function translate(source: FieldSpec, target: FieldSpec, value: NeutralValue): unknown {
	const isPicklist = (spec: FieldSpec) => spec.type === 'enum' || spec.type === 'multiEnum';
	if (isPicklist(source) && isPicklist(target)) {
		const values = Array.isArray(value) ? value : [String(value)];
		const mapped = values.map((v) => picklistValue(source, target, v));
		return target.type === 'enum' ? mapped[0] : mapped;
	}
	if (isPicklist(source) && target.type === 'string') {
		const values = Array.isArray(value) ? value : [String(value)];
		return values.map((v) => label(source, v) ?? v).join(';');
	}
	return value;
}

export function convertValue(raw: unknown, source: FieldSpec, target: FieldSpec): Converted {
	const read = readStoredValue(raw, source);
	if (read === undefined) return { ok: true, value: undefined };
	const coerced = coerceValue(translate(source, target, read), target);
	if (coerced.kind === 'empty') return { ok: true, value: undefined };
	if (coerced.kind === 'invalid') return { ok: false, reason: coerced.reason };
	return { ok: true, value: coerced.value };
}

/** A target record's stored value in neutral form (for comparison and fingerprints). */
export function storedValue(raw: unknown, spec: FieldSpec): NeutralValue | undefined {
	return readStoredValue(raw, spec);
}
