/**
 * Reads what CRM Link attached to an item (`crm.provider`, `crm.matches`, `crm.linkedKinds`),
 * so writer nodes can route to the matched records. Items that were not linked, or were
 * linked in another CRM, get a clear error naming the item.
 */
import { NodeOperationError, type IDataObject, type INode } from 'n8n-workflow';

import {
	MatchSetSchema,
	ObjectKindSchema,
	type CrmName,
	type MatchSet,
	type ObjectKind,
} from '../model';

export interface LinkedRecords {
	matches: MatchSet;
	/** Object types CRM Link searched for; undefined when the item came from elsewhere. */
	linkedKinds?: ObjectKind[];
}

export type LinkedResult =
	{ ok: true; linked: LinkedRecords } | { ok: false; error: NodeOperationError };

export function readLinkedRecords(
	node: INode,
	json: IDataObject,
	crm: CrmName,
	itemIndex: number,
): LinkedResult {
	const crmField = json.crm as IDataObject | undefined;
	const fail = (message: string, description: string): LinkedResult => ({
		ok: false,
		error: new NodeOperationError(node, `Item ${itemIndex}: ${message}`, {
			itemIndex,
			description,
		}),
	});
	if (!crmField || typeof crmField !== 'object') {
		return fail(
			'field "crm.matches" is missing',
			'Connect a CRM Link node before this node, or provide crm.matches yourself.',
		);
	}
	if (crmField.provider !== undefined && crmField.provider !== crm) {
		return fail(
			`field "crm.provider" is "${String(crmField.provider)}" but this node writes to ${crm}`,
			'Use the same CRM in CRM Link and in this node.',
		);
	}
	const parsed = MatchSetSchema.safeParse(crmField.matches);
	if (!parsed.success) {
		const issue = parsed.error.issues[0];
		return fail(
			`field "crm.matches.${issue.path.join('.')}" is invalid: ${issue.message}`,
			'The matches must come from CRM Link.',
		);
	}
	const kinds = Array.isArray(crmField.linkedKinds)
		? crmField.linkedKinds.filter((k): k is ObjectKind => ObjectKindSchema.safeParse(k).success)
		: undefined;
	return { ok: true, linked: { matches: parsed.data, linkedKinds: kinds } };
}
