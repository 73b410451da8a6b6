/**
 * post-call-analysis-to-crm.json in a real n8n with the sandbox (standard HubSpot properties
 * only): analysis fields go into the contact per their update modes and the call is logged
 * once, even when delivered twice.
 */
import type { SandboxHandle } from '../sandbox/server';
import { HUBSPOT_SEED_IDS } from '../sandbox/vendors/hubspot/seed';
import { postJson, secretHeader, startE2eStack, STACK_START_TIMEOUT_MS, type E2eStack } from './harness';

let stack: E2eStack;
let sandbox: SandboxHandle;
let base: string;

beforeAll(async () => {
	stack = await startE2eStack();
	sandbox = stack.sandbox as unknown as SandboxHandle;
	base = stack.n8n.publicUrl.replace(/\/+$/, '');
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

const analysed = {
	id: 'analysed-1',
	startedAt: '2026-11-20T09:00:00Z',
	endedAt: '2026-11-20T09:04:10Z',
	direction: 'inbound',
	participants: [{ name: 'Alice', phone: '(415) 555-0101' }],
	summary: 'Asked for the enterprise plan.',
	analysis: { summary: 'Wants the enterprise plan', leadStatus: 'IN_PROGRESS', jobTitle: 'Someone Else', budget: 25000, decisionMaker: true },
};

test('updates only the mapped fields per their modes and logs the call once over two deliveries', async () => {
	const alice = HUBSPOT_SEED_IDS.contacts.alice;
	const jobBefore = sandbox.store.get('hubspot', 'contacts', alice)!.fields.jobtitle;
	const callsBefore = sandbox.store.list('hubspot', 'calls').length;

	const first = await postJson(`${base}/webhook/call-analysed`, analysed, secretHeader(stack));
	expect(first.status).toBe(200);
	const second = await postJson(`${base}/webhook/call-analysed`, analysed, secretHeader(stack));
	expect(second.status).toBe(200);

	const fields = sandbox.store.get('hubspot', 'contacts', alice)!.fields;
	expect(fields.hs_lead_status).toBe('IN_PROGRESS');
	expect(fields.jobtitle).toBe(jobBefore); // fill if empty: Alice already has a job title
	// merge: the decision-maker role is added to Alice's buying roles once, not once per delivery
	expect(String(fields.hs_buying_role).split(';').filter((role) => role === 'DECISION_MAKER')).toHaveLength(1);
	expect(sandbox.store.list('hubspot', 'calls').length).toBe(callsBefore + 1);

	const changes = (second.json as { fieldChanges: Array<{ field: string; applied: boolean }> }).fieldChanges;
	expect(changes.filter((change) => change.applied)).toEqual([]);
	// Which fields changed and how, never the contact's values (unless "respond_with_record_details" is on).
	expect(changes.every((change) => !('before' in change) && !('after' in change))).toBe(true);
	expect(JSON.stringify(first.json)).not.toContain(String(jobBefore));
});

test('an unknown caller takes the no-match path', async () => {
	const { status, json } = await postJson(`${base}/webhook/call-analysed`, { ...analysed, id: 'analysed-2', participants: [{ phone: '+1 202 555 0111' }] }, secretHeader(stack));
	expect(status).toBe(200);
	expect((json as { matched: boolean }).matched).toBe(false);
});
