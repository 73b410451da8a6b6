/**
 * API calls per processed call for the call-processed flow on Salesforce (CRM Link → CRM Note
 * Router → CRM Action Items → Tasks), counted by the sandbox: 2 matched contacts (phone and
 * e-mail), their account and its open opportunities, 3 action items. Matching is one SOSL
 * (Composite does not accept SOSL) and one Composite call carrying the SOQL subrequests;
 * the note goes to every matched record (contacts, account, opportunities) as one ContentNote
 * with all its links in one Composite Graph call; the 3 Tasks in one collection call. Note
 * and tasks come from two nodes, so one write call each is the floor.
 */
import { CrmActionItemsToTasks } from '../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import {
	SANDBOX_AUTH,
	addSandboxCredentials,
	chainWorkflow,
	packHarness,
} from './support/packHarness';

const sf = SANDBOX_AUTH.salesforce;
const flow = [
	{ name: 'Link', packNode: 'crmLink', parameters: { ...sf } },
	{
		name: 'Notes',
		packNode: 'crmNoteRouter',
		parameters: { ...sf, targetObjectTypes: ['deal', 'contact', 'company'], routing: 'allTypes' },
	},
	{
		name: 'Tasks',
		packNode: 'crmActionItemsToTasks',
		parameters: {
			...sf,
			targetObjectTypes: ['deal', 'contact'],
			timezone: 'UTC',
			dueBusinessDays: 2,
			taskPriority: 'normal',
		},
	},
];
const call = (id: string) => ({
	id,
	startedAt: '2026-11-20T10:00:00Z',
	participants: [
		{ name: 'Alice', phone: '+1 415 555 0101' },
		{ name: 'Bob', email: 'bob.ramirez@acme.example' },
	],
	summary: 'Scope agreed.',
	actionItems: [{ text: 'Send proposal' }, { text: 'Book demo' }, { text: 'Share pricing' }],
});

describe('API calls per processed call — Salesforce', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('is 4 (was 10): one search, one composite with the 5 queries, one graph for the note and all its links, one collection for the tasks', async () => {
		const harness = packHarness({
			crmLink: new CrmLink(),
			crmNoteRouter: new CrmNoteRouter(),
			crmActionItemsToTasks: new CrmActionItemsToTasks(),
		});
		const credentials = addSandboxCredentials(harness, sandbox.url);
		// The first run also obtains the client-credentials token through n8n (once per credential).
		await harness.run(chainWorkflow([call('warm-up')], flow, credentials));

		sandbox.admin.clearRequests();
		const before = sandbox.admin.records('salesforce', 'ContentDocumentLink').length;
		const run = await harness.run(chainWorkflow([call('count-1')], flow, credentials));
		expect(run.error('Tasks')).toBeUndefined();
		const calls = sandbox.admin
			.requests('salesforce')
			.map((r) => `${r.method} ${r.path.replace(/^.*\/v\d+\.\d/, '')}`);
		expect(calls).toEqual([
			'GET /search',
			'POST /composite',
			'POST /composite/graph',
			'POST /composite/sobjects',
		]);
		const composite = sandbox.admin
			.requests('salesforce')
			.find((r) => r.path.endsWith('/composite'));
		const subrequests = (composite?.body as { compositeRequest: Array<{ url: string }> })
			.compositeRequest;
		// Contacts, leads, accounts by domain, opportunities of the contacts' accounts, contact roles.
		expect(subrequests.map((sub) => /FROM (\w+)/.exec(decodeURIComponent(sub.url))?.[1])).toEqual([
			'Contact',
			'Lead',
			'Account',
			'Opportunity',
			'OpportunityContactRole',
		]);
		const notes = sandbox.admin.records('salesforce', 'ContentNote');
		expect(notes).toHaveLength(2);
		// Alice, Bob, Acme and its two open opportunities.
		expect(sandbox.admin.records('salesforce', 'ContentDocumentLink').length - before).toBe(5);
		expect(sandbox.admin.records('salesforce', 'Task')).toHaveLength(6);
	});
});
