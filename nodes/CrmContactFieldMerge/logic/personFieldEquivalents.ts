/**
 * Values written for one person object that land on the other (Salesforce and Dynamics 365 keep
 * people as leads and contacts): an address field of a lead becomes the same part of the
 * contact's first address (`Street` → `MailingStreet`), and back. The address facts of the
 * CRM's profile say which field is which part; fields with no counterpart (a lead's Company) are
 * left as they are — the plan reports them as unknown on that object.
 *
 * Pure: no I/O.
 */
import type { ObjectKind } from '../../shared/model';
import type { AddressFacts, AddressFields } from '../../shared/providers/profile';
import type { FieldUpdate } from './merge';

const PARTS: ReadonlyArray<keyof AddressFields> = [
	'country',
	'state',
	'countryCode',
	'stateCode',
	'street',
	'city',
	'postalCode',
];

/** The target kind's field holding the same address part as `field` on another kind. */
export function equivalentAddressField(
	field: string,
	targetKind: ObjectKind,
	address: AddressFacts | undefined,
): string | undefined {
	const targets = address?.fields[targetKind] ?? [];
	for (const [kind, entries] of Object.entries(address?.fields ?? {})) {
		if (kind === targetKind) continue;
		for (const [index, entry] of (entries ?? []).entries())
			for (const part of PARTS)
				if (entry[part] === field) return (targets[index] ?? targets[0])?.[part];
	}
	return undefined;
}

/** Updates with other-kind address fields renamed where the target lacks them and has the counterpart. */
export function translatePersonUpdates(
	updates: FieldUpdate[],
	hasField: (name: string) => boolean,
	targetKind: ObjectKind,
	address: AddressFacts | undefined,
): FieldUpdate[] {
	const named = new Set(updates.map((update) => update.field));
	return updates.map((update) => {
		if (hasField(update.field)) return update;
		const counterpart = equivalentAddressField(update.field, targetKind, address);
		if (!counterpart || !hasField(counterpart) || named.has(counterpart)) return update;
		named.add(counterpart);
		return { ...update, field: counterpart };
	});
}
