/**
 * The call-processed flow (CRM Link → CRM Note Router → CRM Action Items → Tasks) on one CRM,
 * and the processed call its call-count tests and the benchmark send: Alice by phone, Bob by
 * e-mail (both at Acme, which has open deals), a summary and three action items.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmActionItemsToTasks } from '../../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmLink } from '../../../nodes/CrmLink/CrmLink.node';
import { CrmNoteRouter } from '../../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { SANDBOX_AUTH, packHarness, type SandboxCrm } from './packHarness';

/** The three nodes of the flow, each named as chainWorkflow expects. */
export function callProcessedHarness() {
	return packHarness({
		crmLink: new CrmLink(),
		crmNoteRouter: new CrmNoteRouter(),
		crmActionItemsToTasks: new CrmActionItemsToTasks(),
	});
}

/** The flow's steps for `crm`: notes to every matched type, tasks on deals and contacts. */
export function callProcessedFlow(crm: SandboxCrm) {
	const auth: IDataObject = { ...SANDBOX_AUTH[crm] };
	return [
		{ name: 'Link', packNode: 'crmLink', parameters: { ...auth } },
		{
			name: 'Notes',
			packNode: 'crmNoteRouter',
			parameters: {
				...auth,
				targetObjectTypes: ['deal', 'contact', 'company'],
				routing: 'allTypes',
			},
		},
		{
			name: 'Tasks',
			packNode: 'crmActionItemsToTasks',
			parameters: {
				...auth,
				targetObjectTypes: ['deal', 'contact'],
				timezone: 'UTC',
				dueBusinessDays: 2,
				taskPriority: 'normal',
			},
		},
	];
}

/**
 * The same processed call written by two nodes: CRM Link → CRM Note Router with "Create
 * Action Item Tasks" (the tasks with the Tasks step's settings, in the note's write call).
 */
export function combinedCallFlow(crm: SandboxCrm) {
	const [link, notes] = callProcessedFlow(crm);
	return [
		link,
		{
			...notes,
			parameters: {
				...notes.parameters,
				createActionItemTasks: true,
				taskTargetObjectTypes: ['deal', 'contact'],
				timezone: 'UTC',
				dueBusinessDays: 2,
				taskPriority: 'normal',
			},
		},
	];
}

/** One processed call; `ownerEmail` assigns the first action item. */
export function processedCall(id: string, ownerEmail?: string): IDataObject {
	return {
		id,
		startedAt: '2026-11-20T10:00:00Z',
		participants: [
			{ name: 'Alice', phone: '+1 415 555 0101' },
			{ name: 'Bob', email: 'bob.ramirez@acme.example' },
		],
		summary: 'Scope agreed.',
		actionItems: [
			{ text: 'Send proposal', ...(ownerEmail === undefined ? {} : { ownerEmail }) },
			{ text: 'Book demo' },
			{ text: 'Share pricing' },
		],
	};
}
