/**
 * CRM Action Items → Tasks on HubSpot through the real engine and the sandbox.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmActionItemsToTasks } from '../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { addSandboxCredentials, chainWorkflow, jsonOf, packHarness } from './support/packHarness';

const call = {
	id: 'call-tasks-1',
	startedAt: '2026-11-20T16:00:00Z',
	participants: [{ name: 'Alice', phone: '+1 415 555 0101' }],
	summary: 'Renewal call.',
	actionItems: [
		{ text: 'Send the renewal quote', ownerEmail: 'ben.okafor@sales.example', due: '2026-11-24' },
		{ text: 'Book a demo for the ops team' },
		{ text: 'Share security docs', ownerEmail: 'nobody@unknown.example' },
	],
};

describe('CRM Action Items → Tasks — HubSpot through the engine', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('creates one task per action item with owner, due date and associations, once', async () => {
		const harness = packHarness({
			crmLink: new CrmLink(),
			crmActionItemsToTasks: new CrmActionItemsToTasks(),
		});
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const workflow = chainWorkflow(
			[call],
			[
				{
					name: 'CRM Link',
					packNode: 'crmLink',
					parameters: {
						crm: 'hubspot',
						hubspotAuthentication: 'privateApp',
						objectTypes: ['contact', 'deal'],
					},
				},
				{
					name: 'Tasks',
					packNode: 'crmActionItemsToTasks',
					parameters: {
						crm: 'hubspot',
						hubspotAuthentication: 'privateApp',
						targetObjectTypes: ['contact', 'deal'],
						routing: 'allTypes',
						dueBusinessDays: 2,
						timezone: 'America/Los_Angeles',
						taskPriority: 'high',
					},
				},
			],
			credentials,
		);
		sandbox.admin.clearRequests();
		const run = await harness.run(workflow);
		expect(run.error('Tasks')).toBeUndefined();
		const [out] = jsonOf(run, 'Tasks');
		const tasks = (out.crm as IDataObject).tasks as Array<{ status: string }>;
		expect(tasks.map((t) => t.status)).toEqual(['success', 'success', 'success']);

		const stored = sandbox.store.list('hubspot', 'tasks');
		expect(stored).toHaveLength(3);
		const bySubject = new Map(stored.map((t) => [String(t.fields.hs_task_subject), t.fields]));
		const quote = bySubject.get('Send the renewal quote')!;
		const ben = sandbox.store
			.list('hubspot', 'owners')
			.find((o) => o.fields.email === 'ben.okafor@sales.example');
		expect(quote.hubspot_owner_id).toBe(ben?.id);
		expect(quote.hs_task_priority).toBe('HIGH');
		// explicit date-only due date: that day, 09:00 in Los Angeles
		expect(new Date(String(quote.hs_timestamp)).toISOString()).toBe('2026-11-24T17:00:00.000Z');
		// no due date: 2 business days after Friday 2026-11-20 = Tuesday 2026-11-24
		const demo = bySubject.get('Book a demo for the ops team')!;
		expect(new Date(String(demo.hs_timestamp)).toISOString().slice(0, 10)).toBe('2026-11-24');
		// unknown owner email falls back to the record owner (Alice's owner)
		expect(bySubject.get('Share security docs')!.hubspot_owner_id).toBeTruthy();
		expect(
			sandbox.admin.requests().filter((r) => r.path.includes('/tasks/batch/create')),
		).toHaveLength(1);

		await harness.run(workflow);
		expect(sandbox.store.list('hubspot', 'tasks')).toHaveLength(3);
	});
	it('a due-hour expression that fails for one item fails that item only; the other task is written', async () => {
		const harness = packHarness({
			crmLink: new CrmLink(),
			crmActionItemsToTasks: new CrmActionItemsToTasks(),
		});
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const before = sandbox.store.list('hubspot', 'tasks').length;
		const one = {
			...call,
			id: 'call-tasks-boundary-1',
			actionItems: [{ text: 'Boundary task one' }],
		};
		const two = {
			...call,
			id: 'call-tasks-boundary-2',
			actionItems: [{ text: 'Boundary task two' }],
			failHere: true,
		};
		const run = await harness.run(
			chainWorkflow(
				[one, two],
				[
					{
						name: 'CRM Link',
						packNode: 'crmLink',
						parameters: {
							crm: 'hubspot',
							hubspotAuthentication: 'privateApp',
							objectTypes: ['contact'],
						},
					},
					{
						name: 'Tasks',
						packNode: 'crmActionItemsToTasks',
						parameters: {
							crm: 'hubspot',
							hubspotAuthentication: 'privateApp',
							targetObjectTypes: ['contact'],
							timezone: 'UTC',
							options: { dueHour: "={{ $json.failHere ? $('No Such Node').item.json.x : 10 }}" },
						},
						settings: { onError: 'continueErrorOutput' },
					},
				],
				credentials,
			),
		);
		expect(run.error('Tasks')).toBeUndefined();
		const [written, errors] = run.output('Tasks');
		expect(written.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
		expect(String(errors[0].json.error)).toMatch(/^Item 1: /);
		const subjects = sandbox.store
			.list('hubspot', 'tasks')
			.slice(before)
			.map((t) => t.fields.hs_task_subject);
		expect(subjects).toEqual(['Boundary task one']);
	});
});
