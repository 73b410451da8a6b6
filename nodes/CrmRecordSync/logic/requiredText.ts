/**
 * Required text fields on create. Salesforce refuses a Lead without Company or LastName (and
 * any record without its required text fields); HubSpot's own Salesforce integration fills them
 * with "[not provided]". Record Sync does the same on create — never on update — and reads the
 * placeholder back as blank, so it never travels to the other CRM.
 *
 * Pure: no I/O.
 */
import type { FieldDescription } from '../../shared/providers/CrmProvider';

export interface RequiredFill {
	field: string;
	label: string;
	value: string;
}

/** The required text fields a new record would lack, each with the placeholder to send. */
export function requiredTextFills(
	fields: Iterable<FieldDescription>,
	properties: Readonly<Record<string, unknown>>,
	placeholder: string | undefined,
): RequiredFill[] {
	if (!placeholder) return [];
	const fills: RequiredFill[] = [];
	for (const field of fields) {
		if (!field.required || field.readOnly || field.type !== 'string') continue;
		const value = properties[field.name];
		if (typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null)
			continue;
		fills.push({ field: field.name, label: field.label, value: placeholder });
	}
	return fills;
}

/** A source value that is only the placeholder counts as blank. */
export function withoutPlaceholder(value: unknown, placeholder: string | undefined): unknown {
	return placeholder !== undefined && typeof value === 'string' && value.trim() === placeholder
		? null
		: value;
}
