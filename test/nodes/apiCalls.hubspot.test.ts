/**
 * API calls per processed call for the call-processed flow on HubSpot (CRM Link → CRM Note
 * Router → CRM Action Items → Tasks), counted by the sandbox: 2 matched contacts, 1 company,
 * its open deals, 3 action items. Physical minimum: contacts search, companies search, deals
 * search, one notes batch create, one tasks batch create = 5.
 */
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { addSandboxCredentials, chainWorkflow } from './support/packHarness';
import {
	callProcessedFlow,
	callProcessedHarness,
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

	it('is 5 — the physical minimum — and 6 only when an owner email needs the (cached) owners list', async () => {
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
			'POST /crm/v3/objects/companies/search',
			'POST /crm/v3/objects/deals/search',
			'POST /crm/v3/objects/notes/batch/create',
			'POST /crm/v3/objects/tasks/batch/create',
		]);
		expect(sandbox.store.list('hubspot', 'tasks')).toHaveLength(3);

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
});
