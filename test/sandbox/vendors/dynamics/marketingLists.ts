/**
 * Marketing-list membership as a marketing user changes it: a contact, lead or account joins
 * a static list as a `listmember` row and leaves it when the row is deleted. Lists and rows
 * are ordinary tables, so the Web API reads them with $filter/$orderby/$top as usual.
 */
import { randomUUID } from 'node:crypto';

import type { VendorContext } from '../../core/types';
import { LOGICAL_NAME_ANNOTATION } from './rows';

const MEMBER_TYPES: Readonly<Record<number, string>> = { 1: 'account', 2: 'contact', 4: 'lead' };

export function changeListMembers(
	ctx: VendorContext,
	listId: string,
	change: { add: string[]; remove: string[] },
): string | undefined {
	const key = listId.toLowerCase();
	const list = ctx.store.get('dynamics', 'list', key);
	if (!list) return `Dynamics 365 marketing list ${listId} does not exist`;
	const memberType = MEMBER_TYPES[Number(list.fields.createdfromcode ?? 2)];
	if (!memberType) return `marketing list ${listId} has no member type`;
	const rows = () =>
		ctx.store.list('dynamics', 'listmember').filter((row) => row.fields._listid_value === key);
	for (const raw of change.add) {
		const id = raw.toLowerCase();
		if (!ctx.store.get('dynamics', memberType, id)) return `no ${memberType} ${raw}`;
		if (rows().some((row) => row.fields._entityid_value === id)) continue;
		ctx.store.insert('dynamics', 'listmember', randomUUID(), {
			_listid_value: key,
			[`_listid_value${LOGICAL_NAME_ANNOTATION}`]: 'list',
			_entityid_value: id,
			[`_entityid_value${LOGICAL_NAME_ANNOTATION}`]: memberType,
			entitytype: memberType,
		});
	}
	for (const raw of change.remove) {
		const id = raw.toLowerCase();
		for (const row of rows())
			if (row.fields._entityid_value === id) ctx.store.remove('dynamics', 'listmember', row.id);
	}
	return undefined;
}
