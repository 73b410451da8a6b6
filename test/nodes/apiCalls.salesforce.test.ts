/**
 * API calls per processed call for the call-processed flow on Salesforce (CRM Link → CRM Note
 * Router → CRM Action Items → Tasks), counted by the sandbox: 2 matched contacts (phone and
 * e-mail), their account and its open opportunities, 3 action items. Matching is one
 * Composite call carrying the 5 SOQL subrequests, phones included (LIKE patterns, confirmed
 * client-side); the Search Index phone matching adds its SOSL call before it. The note goes to every matched record (contacts, account, opportunities) as one ContentNote
 * with all its links in one Composite Graph call; the 3 Tasks in one collection call. With the
 * Note Router's "Create Action Item Tasks" the Tasks are graphs of the note's Composite Graph
 * request: 2 calls.
 */
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { addSandboxCredentials, chainWorkflow } from './support/packHarness';
import {
	callProcessedFlow,
	callProcessedHarness,
	combinedCallFlow,
	processedCall,
} from './support/callProcessedFlow';

const flow = callProcessedFlow('salesforce');
const call = processedCall;

describe('API calls per processed call — Salesforce', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('is 3 (was 10): one composite with the 5 queries, one graph for the note and all its links, one collection for the tasks', async () => {
		const harness = callProcessedHarness();
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
		expect(calls).toEqual(['POST /composite', 'POST /composite/graph', 'POST /composite/sobjects']);
		const composite = sandbox.admin
			.requests('salesforce')
			.find((r) => r.path.endsWith('/composite'));
		const subrequests = (composite?.body as { compositeRequest: Array<{ url: string }> })
			.compositeRequest;
		// Contacts, leads, accounts by domain, opportunities of the contacts' accounts, contact roles.
		const soqls = subrequests.map((sub) => decodeURIComponent(sub.url.replace(/^.*\?q=/, '')));
		expect(soqls.map((soql) => /FROM (\w+)/.exec(soql)?.[1])).toEqual([
			'Contact',
			'Lead',
			'Account',
			'Opportunity',
			'OpportunityContactRole',
		]);
		// Alice's number (+1 415 555 0101) as its national digits between wildcards.
		expect(soqls[0]).toContain("Phone LIKE '%4%1%5%5%5%5%0%1%0%1%'");
		expect(soqls[0]).toContain("MobilePhone LIKE '%4%1%5%5%5%5%0%1%0%1%'");
		const notes = sandbox.admin.records('salesforce', 'ContentNote');
		expect(notes).toHaveLength(2);
		// Alice, Bob, Acme and its two open opportunities.
		expect(sandbox.admin.records('salesforce', 'ContentDocumentLink').length - before).toBe(5);
		expect(sandbox.admin.records('salesforce', 'Task')).toHaveLength(6);
	});

	it('is 4 with Search Index phone matching: the SOSL call comes before the composite', async () => {
		const harness = callProcessedHarness();
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const bySearchIndex = flow.map((step) =>
			step.name === 'Link'
				? { ...step, parameters: { ...step.parameters, phoneMatching: 'searchIndex' } }
				: step,
		);
		await harness.run(chainWorkflow([call('index-warm-up')], bySearchIndex, credentials));

		sandbox.admin.clearRequests();
		const linksBefore = sandbox.admin.records('salesforce', 'ContentDocumentLink').length;
		const run = await harness.run(chainWorkflow([call('index-1')], bySearchIndex, credentials));
		expect(run.error('Tasks')).toBeUndefined();
		expect(
			sandbox.admin
				.requests('salesforce')
				.map((r) => `${r.method} ${r.path.replace(/^.*\/v\d+\.\d/, '')}`),
		).toEqual([
			'GET /search',
			'POST /composite',
			'POST /composite/graph',
			'POST /composite/sobjects',
		]);
		// The same five records as with query matching.
		expect(sandbox.admin.records('salesforce', 'ContentDocumentLink').length - linksBefore).toBe(5);
	});

	it('is 2 with the Note Router creating the action-item tasks: one composite to match, one graph request for the note, its links and the 3 Tasks', async () => {
		const harness = callProcessedHarness();
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const combined = combinedCallFlow('salesforce');
		await harness.run(chainWorkflow([call('combined-warm-up')], combined, credentials));

		sandbox.admin.clearRequests();
		const notesBefore = sandbox.admin.records('salesforce', 'ContentNote').length;
		const linksBefore = sandbox.admin.records('salesforce', 'ContentDocumentLink').length;
		const tasksBefore = sandbox.admin.records('salesforce', 'Task').length;
		const run = await harness.run(chainWorkflow([call('combined-1')], combined, credentials));
		expect(run.error('Notes')).toBeUndefined();
		const requests = sandbox.admin.requests('salesforce');
		expect(requests.map((r) => `${r.method} ${r.path.replace(/^.*\/v\d+\.\d/, '')}`)).toEqual([
			'POST /composite',
			'POST /composite/graph',
		]);
		const graphs = (requests[1].body as { graphs: Array<{ compositeRequest: unknown[] }> }).graphs;
		// The note with its 5 links, then one graph per Task.
		expect(graphs.map((graph) => graph.compositeRequest.length)).toEqual([6, 1, 1, 1]);
		expect(sandbox.admin.records('salesforce', 'ContentNote').length - notesBefore).toBe(1);
		expect(sandbox.admin.records('salesforce', 'ContentDocumentLink').length - linksBefore).toBe(5);
		expect(sandbox.admin.records('salesforce', 'Task').length - tasksBefore).toBe(3);
	});

	it('is 2 with legacy notes too: one Note per target as one graph, the Tasks as graphs of the same request', async () => {
		const harness = callProcessedHarness();
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const legacy = combinedCallFlow('salesforce').map((step) =>
			step.name === 'Notes'
				? {
						...step,
						parameters: { ...step.parameters, options: { salesforceNoteStyle: 'legacyNote' } },
					}
				: step,
		);
		await harness.run(chainWorkflow([call('legacy-warm-up')], legacy, credentials));

		sandbox.admin.clearRequests();
		const notesBefore = sandbox.admin.records('salesforce', 'Note').length;
		const tasksBefore = sandbox.admin.records('salesforce', 'Task').length;
		const run = await harness.run(chainWorkflow([call('legacy-1')], legacy, credentials));
		expect(run.error('Notes')).toBeUndefined();
		const requests = sandbox.admin.requests('salesforce');
		expect(requests.map((r) => `${r.method} ${r.path.replace(/^.*\/v\d+\.\d/, '')}`)).toEqual([
			'POST /composite',
			'POST /composite/graph',
		]);
		const graphs = (requests[1].body as { graphs: Array<{ compositeRequest: unknown[] }> }).graphs;
		expect(graphs.map((graph) => graph.compositeRequest.length)).toEqual([5, 1, 1, 1]);
		expect(sandbox.admin.records('salesforce', 'Note').length - notesBefore).toBe(5);
		expect(sandbox.admin.records('salesforce', 'Task').length - tasksBefore).toBe(3);
	});
});
