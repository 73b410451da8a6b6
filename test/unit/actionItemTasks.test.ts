import fc from 'fast-check';

import { activityKey, actionItemSlot } from '../../nodes/shared/logic/activityKeys';
import {
	actionItemTaskDrafts,
	ownerEmailsToResolve,
	reportsEarlierTasks,
	taskBody,
	taskOwner,
	taskSubject,
	type TaskSettings,
} from '../../nodes/shared/logic/actionItemTasks';
import { ConversationSchema, type Conversation, type CrmRef } from '../../nodes/shared/model';

const conversation = (actionItems: unknown[], summary?: string): Conversation =>
	ConversationSchema.parse({
		id: 'call-7',
		startedAt: '2026-11-20T10:00:00Z',
		participants: [{ name: 'Alice', phone: '+1 415 555 0101' }],
		...(summary === undefined ? {} : { summary }),
		actionItems,
	});

const DEAL: CrmRef = {
	crm: 'hubspot',
	kind: 'deal',
	objectType: 'deals',
	id: '900',
	ownerId: 'owner-of-deal',
};
const CONTACT: CrmRef = { crm: 'hubspot', kind: 'contact', objectType: 'contacts', id: '100' };

const SETTINGS: TaskSettings = {
	ownerSource: 'itemThenRecord',
	timezone: 'UTC',
	businessDays: 2,
	priority: 'high',
	dueHour: 9,
	includeSummary: true,
};

describe('action-item tasks', () => {
	it('drafts one task per action item with the key CRM Action Items → Tasks has always used', () => {
		const call = conversation(
			[{ text: '  Send   proposal ', ownerEmail: 'Ava@Sales.example' }, { text: 'Book demo' }],
			'Scope agreed.',
		);
		const owners = new Map([['ava@sales.example', 'owner-ava']]);
		const drafted = actionItemTaskDrafts(call, [DEAL, CONTACT], SETTINGS, owners);
		expect(drafted.ok).toBe(true);
		if (!drafted.ok) return;
		expect(drafted.drafts).toEqual([
			{
				key: activityKey('call-7', 'task', actionItemSlot('Send proposal')),
				kind: 'task',
				conversationId: 'call-7',
				subject: 'Send proposal',
				body: 'Send   proposal\n\nFrom the call on 2026-11-20:\nScope agreed.',
				// Friday + 2 business days = Tuesday, 09:00 UTC.
				dueAt: '2026-11-24T09:00:00.000Z',
				dueDate: '2026-11-24',
				priority: 'high',
				ownerId: 'owner-ava',
				targets: [DEAL, CONTACT],
			},
			expect.objectContaining({
				subject: 'Book demo',
				ownerId: 'owner-of-deal',
				key: activityKey('call-7', 'task', actionItemSlot('book demo')),
			}),
		]);
	});

	it('names the action item whose due date cannot be read', () => {
		const call = conversation([{ text: 'Send proposal' }, { text: 'Book demo', due: 'next week' }]);
		expect(actionItemTaskDrafts(call, [CONTACT], SETTINGS, new Map())).toMatchObject({
			ok: false,
			field: 'actionItems.1.due',
		});
	});

	it('assigns by the chosen owner source', () => {
		const item = { text: 'x', ownerEmail: 'ava@sales.example' };
		const unknownItem = { text: 'x', ownerEmail: 'nobody@sales.example' };
		const owners = new Map([['ava@sales.example', 'owner-ava']]);
		const targets = [CONTACT, DEAL];
		expect(taskOwner(item, targets, 'item', owners)).toBe('owner-ava');
		expect(taskOwner(unknownItem, targets, 'item', owners)).toBeUndefined();
		expect(taskOwner(unknownItem, targets, 'itemThenRecord', owners)).toBe('owner-of-deal');
		expect(taskOwner(item, targets, 'record', owners)).toBe('owner-of-deal');
		expect(taskOwner(item, targets, 'none', owners)).toBeUndefined();
	});

	it('asks for owner emails only when the owner source uses them, each once, lower-cased', () => {
		const calls = [
			conversation([{ text: 'a', ownerEmail: 'Ava@Sales.example' }, { text: 'b' }]),
			conversation([{ text: 'c', ownerEmail: 'ava@sales.example' }]),
		];
		expect(ownerEmailsToResolve(calls, 'itemThenRecord')).toEqual(['ava@sales.example']);
		expect(ownerEmailsToResolve(calls, 'item')).toEqual(['ava@sales.example']);
		expect(ownerEmailsToResolve(calls, 'record')).toEqual([]);
		expect(ownerEmailsToResolve(calls, 'none')).toEqual([]);
	});

	it('keeps subjects on one line within 255 characters', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1, maxLength: 600 }), (text) => {
				const subject = taskSubject(text);
				expect(subject.length).toBeLessThanOrEqual(255);
				expect(subject).not.toMatch(/\s{2}|\n/);
			}),
		);
	});

	it('adds the summary below the action item only when asked and present', () => {
		const withSummary = conversation([{ text: 'Send proposal' }], 'Scope agreed.');
		const [item] = withSummary.actionItems;
		expect(taskBody(item, withSummary, false)).toBe('Send proposal');
		expect(taskBody(item, conversation([{ text: 'Send proposal' }]), true)).toBe('Send proposal');
	});

	it('sees tasks an earlier node reported on the item, and nothing else', () => {
		expect(reportsEarlierTasks({ crm: { tasks: [{ kind: 'task', status: 'success' }] } })).toBe(
			true,
		);
		expect(reportsEarlierTasks({ crm: { tasks: [] } })).toBe(false);
		expect(reportsEarlierTasks({ crm: { notes: [{ kind: 'note' }] } })).toBe(false);
		expect(reportsEarlierTasks({ crm: 'tasks' })).toBe(false);
		expect(reportsEarlierTasks({ crm: [{ tasks: [1] }] })).toBe(false);
		expect(reportsEarlierTasks({})).toBe(false);
	});
});
