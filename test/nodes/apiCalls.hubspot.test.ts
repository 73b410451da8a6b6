/**
 * API calls per processed call for the call-processed flow on HubSpot (CRM Link → CRM Note
 * Router → CRM Action Items → Tasks), counted by the sandbox: 2 matched contacts, 1 company,
 * its open deals, 3 action items: contacts search, the contacts' primary company by id (a batch
 * read, off the search limit; Bob's domain is that company's, so no companies search), deals
 * search, one notes batch create, one tasks batch create = 5, of which 2 are searches. The Note
 * Router's "Create Action Item Tasks" keeps 5: HubSpot creates notes and tasks through separate
 * batch endpoints (sent at the same time), so nothing is shared.
 */
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { addSandboxCredentials, chainWorkflow } from './support/packHarness';
import {
	callProcessedFlow,
	callProcessedHarness,
	combinedCallFlow,
	processedCall,
} from './support/callProcessedFlow';

const flow = callProcessedFlow('hubspot');
const call = processedCall;

describe('API calls per processed call — HubSpot', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('is 5 with 2 searches, and 6 only when an owner email needs the (cached) owners list', async () => {
		const harness = callProcessedHarness();
		const credentials = addSandboxCredentials(harness, sandbox.url);

		sandbox.admin.clearRequests();
		const run = await harness.run(chainWorkflow([call('count-1')], flow, credentials));
		expect(run.error('Tasks')).toBeUndefined();
		const calls = sandbox.admin
			.requests('hubspot')
			.map((r) => `${r.method} ${r.path.replace('/hubspot', '')}`);
		expect(calls).toEqual([
			'POST /crm/v3/objects/contacts/search',
			'POST /crm/v3/objects/companies/batch/read',
			'POST /crm/v3/objects/deals/search',
			'POST /crm/v3/objects/notes/batch/create',
			'POST /crm/v3/objects/tasks/batch/create',
		]);
		expect(calls.filter((line) => line.endsWith('/search'))).toHaveLength(2);
		expect(sandbox.store.list('hubspot', 'tasks')).toHaveLength(3);
		// The note still reaches both contacts, Acme and its open deals.
		const [note] = sandbox.store.list('hubspot', 'notes');
		const linked = (type: string) =>
			sandbox.store.linksFrom('hubspot', 'notes', note!.id, type).map((link) => link.toId);
		expect(new Set(linked('companies')).size).toBe(1);
		expect(new Set(linked('contacts')).size).toBe(2);
		expect(new Set(linked('deals')).size).toBeGreaterThan(0);

		sandbox.admin.clearRequests();
		await harness.run(
			chainWorkflow([call('count-2', 'ava.stone@sales.example')], flow, credentials),
		);
		expect(sandbox.admin.requests('hubspot').length).toBe(6);
		sandbox.admin.clearRequests();
		await harness.run(
			chainWorkflow([call('count-3', 'ava.stone@sales.example')], flow, credentials),
		);
		expect(sandbox.admin.requests('hubspot').length).toBe(5);
	});

	it('stays 5 with the Note Router creating the action-item tasks: notes and tasks are two batch endpoints', async () => {
		const harness = callProcessedHarness();
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const combined = combinedCallFlow('hubspot');
		const tasksBefore = sandbox.store.list('hubspot', 'tasks').length;

		sandbox.admin.clearRequests();
		const run = await harness.run(chainWorkflow([call('combined-1')], combined, credentials));
		expect(run.error('Notes')).toBeUndefined();
		const calls = sandbox.admin
			.requests('hubspot')
			.map((r) => `${r.method} ${r.path.replace('/hubspot', '')}`);
		expect(calls.slice(0, 3)).toEqual([
			'POST /crm/v3/objects/contacts/search',
			'POST /crm/v3/objects/companies/batch/read',
			'POST /crm/v3/objects/deals/search',
		]);
		// Sent in parallel: either may arrive first.
		expect(calls.slice(3).sort()).toEqual([
			'POST /crm/v3/objects/notes/batch/create',
			'POST /crm/v3/objects/tasks/batch/create',
		]);
		expect(sandbox.store.list('hubspot', 'tasks').length - tasksBefore).toBe(3);
	});
});
