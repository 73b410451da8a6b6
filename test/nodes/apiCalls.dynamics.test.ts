/**
 * API calls per processed call for the call-processed flow on Dynamics 365 (CRM Link → CRM
 * Note Router → CRM Action Items → Tasks), counted by the sandbox: 2 matched contacts (phone
 * and e-mail), their account and its open opportunities, 3 action items. Matching is ONE
 * `$batch` of GETs: people and accounts by their keys, and the opportunities whose parent
 * contact or account has those keys (filtered through the opportunity's lookups, so no second
 * round waits for the people's ids); the notes (one per target, by client-chosen id) go out in
 * one `$batch` and the tasks in one `$batch`. Note and tasks come from two nodes, so one write call
 * each is the floor.
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

const dyn = SANDBOX_AUTH.dynamics;
const flow = [
	{ name: 'Link', packNode: 'crmLink', parameters: { ...dyn } },
	{
		name: 'Notes',
		packNode: 'crmNoteRouter',
		parameters: { ...dyn, targetObjectTypes: ['deal', 'contact', 'company'], routing: 'allTypes' },
	},
	{
		name: 'Tasks',
		packNode: 'crmActionItemsToTasks',
		parameters: {
			...dyn,
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

describe('API calls per processed call — Dynamics 365', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('is 3 (was 4): one $batch to match people, accounts and their opportunities, one $batch for the notes, one for the tasks', async () => {
		const harness = packHarness({
			crmLink: new CrmLink(),
			crmNoteRouter: new CrmNoteRouter(),
			crmActionItemsToTasks: new CrmActionItemsToTasks(),
		});
		const credentials = addSandboxCredentials(harness, sandbox.url);
		// The first run also obtains the client-credentials token through n8n (once per credential).
		await harness.run(chainWorkflow([call('warm-up')], flow, credentials));

		sandbox.admin.clearRequests();
		const notesBefore = sandbox.admin.records('dynamics', 'annotation').length;
		const tasksBefore = sandbox.admin.records('dynamics', 'task').length;
		const run = await harness.run(chainWorkflow([call('count-1')], flow, credentials));
		expect(run.error('Tasks')).toBeUndefined();
		const calls = sandbox.admin
			.requests('dynamics')
			.map((r) => `${r.method} ${r.path.replace(/^.*\/v9\.2/, '')}`);
		expect(calls).toEqual(['POST /$batch', 'POST /$batch', 'POST /$batch']);
		const bodies = sandbox.admin.requests('dynamics').map((r) => String(r.body));
		expect(bodies[0]).toMatch(/GET \S+\/contacts\?/);
		expect(bodies[0]).toMatch(/GET \S+\/opportunities\?/);
		expect(bodies[1]).toMatch(/(POST|PATCH) \S+\/annotations/);
		expect(bodies[2]).toMatch(/(POST|PATCH) \S+\/tasks/);
		// Alice, Bob, Acme and its two open opportunities each get the note.
		expect(sandbox.admin.records('dynamics', 'annotation').length - notesBefore).toBe(5);
		expect(sandbox.admin.records('dynamics', 'task').length - tasksBefore).toBe(3);
	});
});
