/**
 * Salesforce's WhoId/WhatId rule for Events and Tasks, as a pure function.
 *
 * An activity has one Who (a Contact or a Lead) and one What (an Account, Opportunity or
 * other object). Salesforce rejects a WhatId next to a Lead WhoId, because a lead is not
 * yet related to any account or opportunity, so with a Lead as Who the What stays empty.
 */
import { withoutKeys } from '../../logic/withoutKeys';
import type { CrmRef } from '../../model';

export interface WhoWhat {
	WhoId?: string;
	WhatId?: string;
	/** Targets that could not be attached (a second contact, an account next to a lead, …). */
	unattached: CrmRef[];
}

/** Lead ids start with the key prefix 00Q; used when a ref's kind is missing or generic. */
export function isLeadRef(ref: CrmRef): boolean {
	return ref.kind === 'lead' || ref.objectType === 'Lead' || ref.id.startsWith('00Q');
}

/** Who: the first contact, else the first lead. What: the first deal, else the first company — unless Who is a lead. */
export function resolveWhoWhat(targets: readonly CrmRef[]): WhoWhat {
	const contact = targets.find((ref) => ref.kind === 'contact' && !isLeadRef(ref));
	const who = contact ?? targets.find(isLeadRef);
	const whoIsLead = who !== undefined && isLeadRef(who);
	const what = whoIsLead
		? undefined
		: (targets.find((ref) => ref.kind === 'deal') ?? targets.find((ref) => ref.kind === 'company'));
	const result: WhoWhat = { unattached: targets.filter((ref) => ref !== who && ref !== what) };
	if (who) result.WhoId = who.id;
	if (what) result.WhatId = what.id;
	return result;
}

/** Applies the rule to an outgoing record whatever put Who/What there (e.g. native properties). */
export function enforceLeadRule(fields: Record<string, unknown>): Record<string, unknown> {
	const whoId = fields.WhoId;
	if (typeof whoId === 'string' && whoId.startsWith('00Q') && fields.WhatId) {
		return withoutKeys(fields, 'WhatId');
	}
	return fields;
}
