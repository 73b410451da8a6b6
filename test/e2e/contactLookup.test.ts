/**
 * inbound-call-contact-lookup.json in a real n8n with the built pack and the CRM sandbox: the
 * platform's call-connect webhook answers with the caller's CRM fields as prompt variables,
 * says "unknown caller" when nobody matches, and answers a bad number with a 400 naming the field.
 */
import {
	insertDataTableRows,
	PLATFORM_CONTACTS_TABLE,
	waitForDataTable,
} from '../../scripts/runtime/dataTables';
import type { SandboxHandle } from '../sandbox/server';
import {
	editWorkflow,
	postJson,
	secretHeader,
	startE2eStack,
	STACK_START_TIMEOUT_MS,
	type E2eStack,
} from './harness';

let stack: E2eStack;
let sandbox: SandboxHandle;
let url: string;

beforeAll(async () => {
	stack = await startE2eStack();
	sandbox = stack.sandbox!;
	url = `${stack.n8n.publicUrl.replace(/\/+$/, '')}/webhook/call-connected`;
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

interface Answer {
	call_id: string;
	found: boolean;
	source: string;
	dynamic_variables: Record<string, string>;
}

/** Lookup requests to the CRM: not the token exchange or the probe that fetches the first token. */
const crmCalls = (crm: 'hubspot' | 'salesforce') =>
	sandbox.admin.requests(crm).filter((request) => !/token|oauth2|\/limits$/i.test(request.path));

test("a known caller: the answer carries the contact's fields as prompt variables, in ≤ 2 CRM calls", async () => {
	sandbox.admin.clearRequests();
	const { status, json } = await postJson(
		url,
		{
			event: 'call_inbound',
			call_id: 'call-e2e-1',
			from_number: '+14155550101',
			to_number: '+14155550000',
		},
		secretHeader(stack),
	);
	expect(status).toBe(200);
	const answer = json as Answer;
	expect(answer.call_id).toBe('call-e2e-1');
	expect(answer.found).toBe(true);
	expect(answer.source).toBe('crm');
	expect(answer.dynamic_variables).toMatchObject({
		known_caller: 'true',
		first_name: 'Alice',
		last_name: 'Nguyen',
		full_name: 'Alice Nguyen',
		company: 'Acme Corporation',
		email: 'alice.nguyen@acme.example',
		crm_record_type: 'contact',
		open_deal_count: '2',
	});
	expect(answer.dynamic_variables.owner_id).not.toBe('');
	expect(['Acme – Fleet expansion', 'Acme – Support renewal']).toContain(
		answer.dynamic_variables.open_deal,
	);
	expect(answer.dynamic_variables.last_activity).toMatch(/^Last activity 2026-11-18 \(/);
	expect(Object.values(answer.dynamic_variables).every((value) => typeof value === 'string')).toBe(
		true,
	);
	expect(crmCalls('hubspot').length).toBeLessThanOrEqual(2);
});

test('an unknown caller: found false, known_caller "false" and empty variables — not an error', async () => {
	const { status, json } = await postJson(
		url,
		{ call: { call_id: 'call-e2e-2', from_number: '+1 202 555 0199' } },
		secretHeader(stack),
	);
	expect(status).toBe(200);
	const answer = json as Answer;
	expect(answer).toMatchObject({ call_id: 'call-e2e-2', found: false, source: 'none' });
	expect(answer.dynamic_variables).toMatchObject({
		known_caller: 'false',
		first_name: '',
		company: '',
		open_deal_count: '0',
	});
});

test('a caller the CRM does not know but the platform contact store does: answered from "Platform contacts"', async () => {
	// The template made its tables on its first run (the calls above).
	const table = await waitForDataTable(stack.api, PLATFORM_CONTACTS_TABLE.name);
	await insertDataTableRows(stack.api, table, [
		{
			clientId: 'client-77',
			name: 'Pat Store',
			firstName: 'Pat',
			lastName: 'Store',
			phone: '+12025550123',
			email: 'pat@store.example',
			company: 'Store & Co',
			conversationAt: '2026-12-01T10:00:00.000Z',
			source: 'conversation',
		},
	]);
	const { status, json } = await postJson(
		url,
		{ call_id: 'call-e2e-5', from_number: '(202) 555-0123' },
		secretHeader(stack),
	);
	expect(status).toBe(200);
	const answer = json as Answer;
	expect(answer).toMatchObject({ call_id: 'call-e2e-5', found: true, source: 'platform' });
	expect(answer.dynamic_variables).toMatchObject({
		known_caller: 'true',
		first_name: 'Pat',
		full_name: 'Pat Store',
		company: 'Store & Co',
		last_activity: 'Last conversation 2026-12-01',
		open_deal_count: '0',
	});
});

test('a number that is not one: 400 naming the field; no secret: 403', async () => {
	const bad = await postJson(
		url,
		{ call_id: 'call-e2e-3', from_number: 'anonymous' },
		secretHeader(stack),
	);
	expect(bad.status).toBe(400);
	expect(bad.json).toMatchObject({
		call_id: null,
		status: 'failed',
		error: { kind: 'invalid-input', field: 'phone', item: 0 },
	});
	expect(String((bad.json as { error: { reason: string } }).error.reason)).toMatch(/field "phone"/);
	expect((await postJson(url, { from_number: '+14155550101' })).status).toBe(403);
});

test('switched to Salesforce in the editor: the same webhook answers from Salesforce', async () => {
	const workflowId = stack.workflows.find((w) => w.file === 'inbound-call-contact-lookup.json')!.id;
	const credential = stack.credentials.crmSyncSalesforceClientCredentialsApi;
	expect(credential).toBeDefined();
	await editWorkflow(stack, workflowId, (workflow) => {
		const lookup = workflow.nodes.find((node) => node.name === 'CRM Contact Lookup')!;
		lookup.parameters = {
			...lookup.parameters,
			crm: 'salesforce',
			salesforceAuthentication: 'clientCredentials',
			fields: 'Title',
		};
		lookup.credentials = {
			crmSyncSalesforceClientCredentialsApi: { id: credential!.id, name: credential!.name },
		};
	});
	sandbox.admin.clearRequests();
	const { status, json } = await postJson(
		url,
		{ call_id: 'call-e2e-4', from_number: '415-555-0101' },
		secretHeader(stack),
	);
	expect(status).toBe(200);
	expect((json as Answer).dynamic_variables).toMatchObject({
		known_caller: 'true',
		first_name: 'Alice',
		last_name: 'Nguyen',
		open_deal_count: '2',
	});
	expect((json as Answer).dynamic_variables.last_activity).toMatch(/^Last activity 2026-11-18/);
	expect(crmCalls('salesforce').length).toBeLessThanOrEqual(2);
});
