/**
 * Associations of a listed page, from lookup columns read with the rows themselves (no
 * extra call): a contact's company (`parentcustomerid` when it points at an account), an
 * opportunity's account and contacts (`parentaccountid`, `parentcontactid`, and
 * `customerid` by the table it points at). Accounts and leads carry none.
 */
import type { RecordAssociations } from '../CrmProvider';
import { DYNAMICS_PROFILE } from './profile';

const { objects } = DYNAMICS_PROFILE;
const LOGICAL_NAME = '@Microsoft.Dynamics.CRM.lookuplogicalname';

/** Lookup columns of each watched table: the column, and the table it must point at (any when absent). */
const LOOKUPS: Readonly<
	Record<string, ReadonlyArray<{ column: string; kind: 'company' | 'contact'; table?: string }>>
> = {
	[objects.contact.objectType]: [
		{ column: 'parentcustomerid', kind: 'company', table: objects.company.objectType },
	],
	[objects.deal.objectType]: [
		{ column: 'parentaccountid', kind: 'company' },
		{ column: 'customerid', kind: 'company', table: objects.company.objectType },
		{ column: 'parentcontactid', kind: 'contact' },
		{ column: 'customerid', kind: 'contact', table: objects.contact.objectType },
	],
};

/** The Web API columns to select so the lookups come with the rows. */
export function associationColumns(logicalName: string): string[] {
	return [...new Set((LOOKUPS[logicalName] ?? []).map((lookup) => `_${lookup.column}_value`))];
}

export function associationsOf(
	logicalName: string,
	row: Record<string, unknown>,
): RecordAssociations {
	const lookups = LOOKUPS[logicalName] ?? [];
	const associations: RecordAssociations = {};
	for (const lookup of lookups) {
		const list = (associations[lookup.kind] ??= []);
		const value = row[`_${lookup.column}_value`];
		if (typeof value !== 'string' || value === '') continue;
		if (
			lookup.table !== undefined &&
			row[`_${lookup.column}_value${LOGICAL_NAME}`] !== lookup.table
		)
			continue;
		if (!list.includes(value)) list.push(value);
	}
	return associations;
}
