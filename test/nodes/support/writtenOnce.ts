/**
 * What the "written once" node suites share: the processed call they deliver, the writer chain
 * (CRM Link → Note Router → Tasks, failures to the error output) and the rule that a redelivered
 * workflow keeps its node ids, as in n8n (the write ledger is kept per workflow + node).
 */
import type { IDataObject } from 'n8n-workflow';

import type { ChainStep } from './packHarness';

export const writtenOnceCall = (id: string, summary = 'Agreed on fleet expansion scope.') => ({
	id,
	startedAt: '2026-11-20T15:00:00Z',
	endedAt: '2026-11-20T15:30:00Z',
	direction: 'outbound',
	participants: [
		{ name: 'Rep', email: 'rep@ours.example', internal: true },
		{ name: 'Alice', phone: '+1 415 555 0101' },
	],
	summary,
	actionItems: [{ text: 'Send proposal' }, { text: 'Book follow-up demo' }],
});

/** CRM Link → Note Router → Tasks on one CRM, routed to contacts; `timeoutSeconds` is the writers' request timeout. */
export function writerChain(auth: IDataObject, timeoutSeconds = 60): ChainStep[] {
	const routing = {
		targetObjectTypes: ['contact'],
		routing: 'oneType',
		priority: { entries: [{ objectType: 'contact' }] },
	};
	const options = { requestTimeoutSeconds: timeoutSeconds };
	return [
		{ name: 'CRM Link', packNode: 'crmLink', parameters: { ...auth, objectTypes: ['contact'] } },
		{
			name: 'CRM Note Router',
			packNode: 'crmNoteRouter',
			parameters: { ...auth, contentSource: 'summary', ...routing, options },
			settings: { onError: 'continueErrorOutput' },
		},
		{
			name: 'Tasks',
			packNode: 'crmActionItemsToTasks',
			parameters: {
				...auth,
				...routing,
				ownerSource: 'none',
				dueBusinessDays: 2,
				timezone: 'UTC',
				taskPriority: 'normal',
				options,
			},
			settings: { onError: 'continueErrorOutput' },
		},
	];
}

/** The same workflow with other input items keeps its node ids, as in n8n (the ledger's scope). */
export function sameWorkflow<T extends { nodes: Array<{ id: string }> }>(base: T, next: T): T {
	next.nodes.forEach((node, index) => (node.id = base.nodes[index].id));
	return next;
}
