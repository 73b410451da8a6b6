/**
 * The call-autofill nodes on Salesforce through the real engine and the sandbox:
 * ContentNote + links (one-type routing with two matches, all types), Events with a single
 * target (a Lead WhoId never gets a WhatId), tasks with date-only due dates, call logs.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmActionItemsToTasks } from '../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmMeetingWriter } from '../../nodes/CrmMeetingWriter/CrmMeetingWriter.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { SALESFORCE_SEED_IDS as SF } from '../sandbox/vendors/salesforce/seed';
import { SANDBOX_AUTH, chainWorkflow, jsonOf, sandboxHarness } from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';

const sf = SANDBOX_AUTH.salesforce;
const link = (objectTypes: string[]) => ({
	name: 'Link',
	packNode: 'crmLink',
	parameters: { ...sf, objectTypes },
});
const call = (id: string, participants: object[]) => ({
	id,
	startedAt: '2026-11-20T15:00:00Z',
	endedAt: '2026-11-20T15:20:00Z',
	direction: 'outbound',
	participants: [{ name: 'Rep', phone: '+1 415 555 0000', internal: true }, ...participants],
	summary: 'Discussed the rollout.',
	actionItems: [{ text: `Send the rollout plan (${id})`, due: '2026-11-27' }],
});
const aliceAndBob = [{ phone: '+1 415 555 0101' }, { email: 'bob.ramirez@acme.example' }];

describe('call autofill — Salesforce through the engine', () => {
	const suite = seededSandbox();
	const setup = () =>
		sandboxHarness(
			{
				crmLink: new CrmLink(),
				crmNoteRouter: new CrmNoteRouter(),
				crmActionItemsToTasks: new CrmActionItemsToTasks(),
				crmMeetingWriter: new CrmMeetingWriter(),
			},
			suite.sandbox.url,
		);
	const links = () =>
		suite.sandbox.store
			.list('salesforce', 'ContentDocumentLink')
			.map((l) => String(l.fields.LinkedEntityId));

	it('one-type routing: ONE ContentNote linked to both matched contacts', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			chainWorkflow(
				[call('sf-1', aliceAndBob)],
				[
					link(['deal', 'contact', 'company']),
					{
						name: 'Notes',
						packNode: 'crmNoteRouter',
						parameters: {
							...sf,
							salesforceDestination: 'note',
							targetObjectTypes: ['contact', 'company'],
							routing: 'oneType',
							priority: { entries: [{ objectType: 'contact' }, { objectType: 'company' }] },
						},
					},
				],
				credentials,
			),
		);
		expect(run.error('Notes')).toBeUndefined();
		expect(suite.sandbox.store.list('salesforce', 'ContentNote')).toHaveLength(1);
		expect(links().sort()).toEqual([SF.contacts.alice, SF.contacts.bob].sort());
	});

	it('all-types routing links the one note to the opportunities, contacts and account', async () => {
		const { harness, credentials } = setup();
		await harness.run(
			chainWorkflow(
				[call('sf-2', aliceAndBob)],
				[
					link(['deal', 'contact', 'company']),
					{
						name: 'Notes',
						packNode: 'crmNoteRouter',
						parameters: {
							...sf,
							targetObjectTypes: ['deal', 'contact', 'company'],
							routing: 'allTypes',
						},
					},
				],
				credentials,
			),
		);
		expect(suite.sandbox.store.list('salesforce', 'ContentNote')).toHaveLength(1);
		expect(new Set(links())).toEqual(
			new Set([
				SF.contacts.alice,
				SF.contacts.bob,
				SF.accounts.acme,
				SF.opportunities['acme-expansion'],
				SF.opportunities['acme-renewal'],
			]),
		);
	});

	it('Events use a single target: a Lead WhoId and never a WhatId', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			chainWorkflow(
				[call('sf-3', [{ phone: '+1 646 555 0142', email: 'grace.kim@umbrella.example' }])],
				[
					link(['lead', 'contact', 'company', 'deal']),
					{
						name: 'Events',
						packNode: 'crmNoteRouter',
						parameters: {
							...sf,
							salesforceDestination: 'event',
							targetObjectTypes: ['lead', 'contact', 'deal'],
							routing: 'allTypes',
							priority: { entries: [{ objectType: 'lead' }, { objectType: 'deal' }] },
						},
					},
				],
				credentials,
			),
		);
		expect(run.error('Events')).toBeUndefined();
		const events = suite.sandbox.store.list('salesforce', 'Event');
		expect(events).toHaveLength(1);
		expect(events[0].fields.WhoId).toBe(SF.leads.grace);
		expect(events[0].fields.WhatId ?? null).toBeNull();
	});

	it('tasks get a date-only ActivityDate, associations and one collection call; call logs are call Tasks', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.clearRequests();
		const run = await harness.run(
			chainWorkflow(
				[call('sf-4', aliceAndBob)],
				[
					link(['deal', 'contact']),
					{
						name: 'Tasks',
						packNode: 'crmActionItemsToTasks',
						parameters: {
							...sf,
							targetObjectTypes: ['deal', 'contact'],
							routing: 'allTypes',
							timezone: 'UTC',
							dueBusinessDays: 2,
							taskPriority: 'high',
						},
					},
					{
						name: 'Log',
						packNode: 'crmMeetingWriter',
						parameters: { ...sf, operation: 'logCall', targetObjectTypes: ['contact'] },
					},
				],
				credentials,
			),
		);
		expect(run.error('Log')).toBeUndefined();
		const tasks = suite.sandbox.store.list('salesforce', 'Task');
		const followUp = tasks.find((t) => String(t.fields.Subject).includes('rollout plan'))!;
		expect(followUp.fields).toMatchObject({ ActivityDate: '2026-11-27', Priority: 'High' });
		const callLog = tasks.find((t) => t.fields.TaskSubtype === 'Call')!;
		expect(callLog.fields).toMatchObject({ CallDurationInSeconds: 1200, CallType: 'Outbound' });
		expect(String(callLog.fields.CallObject)).toContain('sf-4');
		const out = jsonOf(run, 'Log')[0];
		expect(((out.crm as IDataObject).calls as Array<{ status: string }>)[0].status).toBe('success');
	});
});
