/**
 * The gate's "Sync Log CRMs" setting. It is read once per run and may be an expression (the
 * templates derive it from their per-CRM on/off switches), so its value is checked here: a list
 * or a comma-separated text of CRM names, each one the pack knows.
 */
import { NodeOperationError, type INode } from 'n8n-workflow';

import { CRM_NAMES, type CrmName } from '../shared/model';

const KNOWN = new Set<string>(CRM_NAMES);

export function syncLogCrmsOf(node: INode, value: unknown): CrmName[] {
	const names = Array.isArray(value)
		? value
		: typeof value === 'string'
			? value.split(',')
			: undefined;
	if (!names)
		throw new NodeOperationError(node, 'Sync Log CRMs must be a list of CRM names', {
			description: `Got ${value === null ? 'null' : typeof value}; pick the CRMs from the list, or give an expression returning e.g. ["hubspot", "salesforce"].`,
		});
	const crms: CrmName[] = [];
	for (const raw of names) {
		const name = typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
		if (name === '') continue;
		if (typeof name !== 'string' || !KNOWN.has(name))
			throw new NodeOperationError(
				node,
				`Sync Log CRMs: "${String(raw)}" is not a CRM this node knows`,
				{
					description: `Use any of: ${CRM_NAMES.join(', ')}.`,
				},
			);
		if (!crms.includes(name as CrmName)) crms.push(name as CrmName);
	}
	return crms;
}
