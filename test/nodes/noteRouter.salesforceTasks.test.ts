/**
 * Note Router → Salesforce completed Tasks through the real engine and the sandbox: one Task
 * per target (a contact as Name, its account as Related To), written once under concurrent
 * deliveries, a lost answer and a retry — asserted on the sandbox's Task records.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { SALESFORCE_SEED_IDS } from '../sandbox/vendors/salesforce';
import {
	SANDBOX_AUTH,
	chainWorkflow,
	jsonOf,
	sandboxHarness,
	type ChainStep,
} from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';
import { sameWorkflow, writtenOnceCall } from './support/writtenOnce';

const ALICE = SALESFORCE_SEED_IDS.contacts.alice;
const ACME = SALESFORCE_SEED_IDS.accounts.acme;

const steps = (timeoutSeconds = 60): ChainStep[] => [
	{
		name: 'CRM Link',
		packNode: 'crmLink',
		parameters: { ...SANDBOX_AUTH.salesforce, objectTypes: ['contact', 'company'] },
	},
	{
		name: 'CRM Note Router',
		packNode: 'crmNoteRouter',
		parameters: {
			...SANDBOX_AUTH.salesforce,
			contentSource: 'summary',
			salesforceDestination: 'task',
			targetObjectTypes: ['contact', 'company'],
			routing: 'allTypes',
			options: { requestTimeoutSeconds: timeoutSeconds },
		},
		settings: { onError: 'continueErrorOutput' },
	},
];

const noteResults = (run: Parameters<typeof jsonOf>[0]) =>
	(jsonOf(run, 'CRM Note Router')[0].crm as IDataObject).notes as IDataObject[];

describe('Note Router → Salesforce completed Tasks', () => {
	const suite = seededSandbox();
	const setup = () =>
		sandboxHarness(
			{ crmLink: new CrmLink(), crmNoteRouter: new CrmNoteRouter() },
			suite.sandbox.url,
		);
	const tasksOf = (id: string) =>
		suite.sandbox.store
			.list('salesforce', 'Task')
			.filter((task) => String(task.fields.CallObject).includes(`:${id}:`));
	/** One completed Task on Alice and one on Acme, with the summary — 0 duplicates, 0 lost. */
	const expectOneTaskPerTarget = (id: string) => {
		const tasks = tasksOf(id);
		expect(tasks).toHaveLength(2);
		const links = tasks.map((task) => [task.fields.WhoId ?? null, task.fields.WhatId ?? null]);
		expect(links).toEqual(
			expect.arrayContaining([
				[ALICE, null],
				[null, ACME],
			]),
		);
		for (const task of tasks) {
			expect(task.fields).toMatchObject({
				Status: 'Completed',
				ActivityDate: '2026-11-20',
				Subject: expect.stringMatching(/^Call/),
			});
			expect(String(task.fields.Description)).toContain('Agreed on fleet expansion scope.');
		}
		expect(suite.sandbox.store.list('salesforce', 'ContentNote')).toHaveLength(0);
	};

	it('writes one completed Task per target instead of a note', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(chainWorkflow([writtenOnceCall('nt-1')], steps(), credentials));
		expect(run.error('CRM Note Router')).toBeUndefined();
		expect(noteResults(run).map((r) => r.status)).toEqual(['success', 'success']);
		expectOneTaskPerTarget('nt-1');
		const log = jsonOf(run, 'CRM Note Router')[0].syncLog as IDataObject[];
		expect(log.at(-1)).toMatchObject({ operation: 'add-note-task', status: 'success' });
	});

	it('a conversation with its channel type: each Task subject names it ("Conversation (WhatsApp) …")', async () => {
		const { harness, credentials } = setup();
		const conversation = { ...writtenOnceCall('nt-channel'), channel: 'WHATS_APP' };
		const withPrefix = steps().map((step) =>
			step.name === 'CRM Note Router'
				? {
						...step,
						parameters: {
							...step.parameters,
							options: {
								...(step.parameters.options as IDataObject),
								subjectPrefix: 'Conversation',
							},
						},
					}
				: step,
		);
		const run = await harness.run(chainWorkflow([conversation], withPrefix, credentials));
		expect(run.error('CRM Note Router')).toBeUndefined();
		const subjects = tasksOf('nt-channel').map((task) => task.fields.Subject);
		expect(subjects).toHaveLength(2);
		for (const subject of subjects)
			expect(subject).toMatch(/^Conversation \(WhatsApp\) .*2026-11-20$/);
	});

	it('10 concurrent deliveries of the same call: still one Task per target', async () => {
		const { harness, credentials } = setup();
		const workflow = chainWorkflow([writtenOnceCall('nt-conc')], steps(), credentials);
		const runs = await Promise.all(Array.from({ length: 10 }, () => harness.run(workflow)));
		for (const run of runs) expect(run.error('CRM Note Router')).toBeUndefined();
		expectOneTaskPerTarget('nt-conc');
		const statuses = runs.flatMap((run) => noteResults(run).map((r) => r.status));
		expect(statuses.filter((status) => status === 'success')).toHaveLength(2);
		expect(statuses.filter((status) => status === 'skipped')).toHaveLength(18);
	});

	it('the answer of the Task create is lost after Salesforce stored them: the retry finds them — one per target, none lost', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: 'composite/sobjects',
			method: 'POST',
			kind: 'dropAnswer',
			status: 500,
			count: 1,
		});
		const workflow = chainWorkflow([writtenOnceCall('nt-lost')], steps(), credentials);
		const first = await harness.run(workflow);
		expect(first.error('CRM Note Router')).toBeUndefined();
		const creates = suite.sandbox.admin
			.requests('salesforce')
			.filter(
				(request) => request.method === 'POST' && request.path.endsWith('/composite/sobjects'),
			);
		expect(creates.map((request) => request.status)).toEqual([500]);
		expectOneTaskPerTarget('nt-lost');
		const replay = await harness.run(workflow);
		expect(noteResults(replay).map((r) => r.status)).toEqual(['skipped', 'skipped']);
		expectOneTaskPerTarget('nt-lost');
	});

	it('Salesforce stores the Tasks after the client gave up: uncertain, then the replay finds them — one per target', async () => {
		const { harness, credentials } = setup();
		suite.sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: 'composite/sobjects',
			method: 'POST',
			kind: 'slow',
			delayMs: 2500,
			count: 1,
		});
		const workflow = chainWorkflow([writtenOnceCall('nt-late')], steps(1), credentials);
		const run = await harness.run(workflow);
		const failed = run.output('CRM Note Router')[1] ?? [];
		expect(failed).toHaveLength(1);
		expect(String(failed[0].json.error)).toMatch(/uncertain — not retried/i);
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const replay = await harness.run(workflow);
		expect(replay.error('CRM Note Router')).toBeUndefined();
		expect(noteResults(replay).map((r) => r.status)).toEqual(['success', 'success']);
		expectOneTaskPerTarget('nt-late');
	});

	it('corrected content updates both Tasks instead of adding more', async () => {
		const { harness, credentials } = setup();
		const first = chainWorkflow([writtenOnceCall('nt-fix', 'First draft.')], steps(), credentials);
		await harness.run(first);
		const corrected = sameWorkflow(
			first,
			chainWorkflow(
				[writtenOnceCall('nt-fix', 'Agreed on fleet expansion scope.')],
				steps(),
				credentials,
			),
		);
		const run = await harness.run(corrected);
		expect(noteResults(run).map((r) => r.created)).toEqual([false, false]);
		expectOneTaskPerTarget('nt-fix');
	});
});
