/**
 * API calls per processed call for the call-processed flow on Dynamics 365 (CRM Link → CRM
 * Note Router → CRM Action Items → Tasks), counted by the sandbox: 2 matched contacts (phone
 * and e-mail), their account and its open opportunities, 3 action items. Matching is ONE
 * `$batch` of GETs: people and accounts by their keys, and the opportunities whose parent
 * contact or account has those keys (filtered through the opportunity's lookups, so no second
 * round waits for the people's ids); the notes (one per target, by client-chosen id) go out in
 * one `$batch` and the tasks in one `$batch`. With the Note Router's "Create Action Item Tasks"
 * (no Action Items → Tasks node) note and tasks share one `$batch`: 2 calls.
 */
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { addSandboxCredentials, chainWorkflow } from './support/packHarness';
import {
	callProcessedFlow,
	callProcessedHarness,
	combinedCallFlow,
	processedCall,
} from './support/callProcessedFlow';

const flow = callProcessedFlow('dynamics');
const call = processedCall;

describe('API calls per processed call — Dynamics 365', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('is 3 (was 4): one $batch to match people, accounts and their opportunities, one $batch for the notes, one for the tasks', async () => {
		const harness = callProcessedHarness();
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

	it('is 2 with the Note Router creating the action-item tasks: one $batch to match, one $batch for the notes and the tasks', async () => {
		const harness = callProcessedHarness();
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const combined = combinedCallFlow('dynamics');
		await harness.run(chainWorkflow([call('combined-warm-up')], combined, credentials));

		sandbox.admin.clearRequests();
		const notesBefore = sandbox.admin.records('dynamics', 'annotation').length;
		const tasksBefore = sandbox.admin.records('dynamics', 'task').length;
		const run = await harness.run(chainWorkflow([call('combined-1')], combined, credentials));
		expect(run.error('Notes')).toBeUndefined();
		const requests = sandbox.admin.requests('dynamics');
		expect(requests.map((r) => `${r.method} ${r.path.replace(/^.*\/v9\.2/, '')}`)).toEqual([
			'POST /$batch',
			'POST /$batch',
		]);
		const write = String(requests[1].body);
		expect(write).toMatch(/(POST|PATCH) \S+\/annotations/);
		expect(write).toMatch(/(POST|PATCH) \S+\/tasks/);
		expect(sandbox.admin.records('dynamics', 'annotation').length - notesBefore).toBe(5);
		expect(sandbox.admin.records('dynamics', 'task').length - tasksBefore).toBe(3);
	});
});
