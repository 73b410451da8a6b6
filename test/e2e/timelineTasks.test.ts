/**
 * hubspot-timeline-to-salesforce-tasks.json in a real n8n, imported and activated as a user
 * does: a HubSpot call and a HubSpot email logged on a contact become one completed Salesforce
 * Task each (Task Type Call / Email, on the Salesforce Contact with the same e-mail) after a
 * poll, and three more polls add none.
 */
import { dataTableRowsByName, SYNC_LOGS_TABLE } from '../../scripts/runtime/dataTables';
import { timelineKey } from '../../nodes/shared/logic/timelineKeys';
import type { SandboxHandle } from '../sandbox/server';
import { startE2eStack, STACK_START_TIMEOUT_MS, type E2eStack } from './harness';

let stack: E2eStack;
let sandbox: SandboxHandle;
let workflowId: string;

beforeAll(async () => {
	stack = await startE2eStack();
	sandbox = stack.sandbox!;
	const workflow = stack.workflows.find(
		(w) => w.file === 'hubspot-timeline-to-salesforce-tasks.json',
	);
	expect(workflow?.active).toBe(true);
	workflowId = workflow!.id;
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

const WAIT_MS = 240_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Re-activating polls at once (n8n runs the first poll on activation). */
async function pollNow(): Promise<void> {
	await stack.api.request('POST', `/workflows/${workflowId}/deactivate`);
	await stack.api.request('POST', `/workflows/${workflowId}/activate`);
}

const emailSearches = () =>
	sandbox.admin.requests('hubspot').filter((r) => r.path.endsWith('/objects/emails/search')).length;

function link(
	fromType: string,
	fromId: string,
	toType: string,
	toId: string,
	typeId: number,
	inverse: number,
) {
	const category = 'HUBSPOT_DEFINED';
	sandbox.admin.linkRecords('hubspot', { fromType, fromId, toType, toId, typeId, category });
	sandbox.admin.linkRecords('hubspot', {
		fromType: toType,
		fromId: toId,
		toType: fromType,
		toId: fromId,
		typeId: inverse,
		category,
	});
}

test(
	'a HubSpot call and email ⇒ one Salesforce Task each after a poll, none more after 3 polls',
	async () => {
		const [contact] = sandbox.admin.putRecords('hubspot', 'contacts', [
			{ firstname: 'Tess', lastname: 'Timeline', email: 'tess.timeline@e2e.example' },
		]);
		const [sfContact] = sandbox.admin.putRecords('salesforce', 'Contact', [
			{ FirstName: 'Tess', LastName: 'Timeline', Email: 'tess.timeline@e2e.example' },
		]);
		// Logged two minutes ago: past the trigger's settle delay, inside its 24 h first-poll window.
		const at = new Date(Date.now() - 120_000).toISOString();
		const stamps = { hs_createdate: at, hs_lastmodifieddate: at, hs_timestamp: at };
		sandbox.store.insert(
			'hubspot',
			'calls',
			'7100001',
			{
				hs_call_title: 'E2E discovery call',
				hs_call_body: '<p>Walked through the rollout.</p>',
				hs_call_direction: 'OUTBOUND',
				...stamps,
			},
			at,
		);
		sandbox.store.insert(
			'hubspot',
			'emails',
			'7100002',
			{
				hs_email_subject: 'E2E proposal',
				hs_email_text: 'The proposal is attached.',
				hs_email_direction: 'EMAIL',
				...stamps,
			},
			at,
		);
		link('calls', '7100001', 'contacts', contact.id, 194, 193);
		link('emails', '7100002', 'contacts', contact.id, 198, 197);

		const copies = () =>
			sandbox.store
				.list('salesforce', 'Task')
				.filter((task) =>
					String(task.fields.CallObject ?? '').startsWith('crmsync:timeline:hubspot:'),
				);
		await pollNow();
		const deadline = Date.now() + WAIT_MS;
		while (Date.now() < deadline && copies().length < 2) await sleep(1000);
		const written = copies();
		expect(written).toHaveLength(2);
		const byKey = (type: 'call' | 'email', id: string) =>
			written.find((task) => task.fields.CallObject === timelineKey({ crm: 'hubspot', type, id }))
				?.fields;
		expect(byKey('call', '7100001')).toMatchObject({
			Subject: 'E2E discovery call',
			Type: 'Call',
			Status: 'Completed',
			WhoId: sfContact.id,
		});
		expect(String(byKey('call', '7100001')?.Description)).toContain('Walked through the rollout.');
		expect(byKey('email', '7100002')).toMatchObject({
			Subject: 'E2E proposal',
			Type: 'Email',
			Status: 'Completed',
			WhoId: sfContact.id,
		});

		for (let poll = 1; poll <= 3; poll++) {
			const before = emailSearches();
			await pollNow();
			// The poll has listed every type once its last (emails) search was made.
			while (Date.now() < deadline && emailSearches() <= before) await sleep(500);
			expect(emailSearches()).toBeGreaterThan(before);
		}
		// Time for a run the polls might have started to write.
		await sleep(5_000);
		expect(copies()).toHaveLength(2);

		type Row = { type: string; status: string; record: string; workflow: string };
		const rows = (await dataTableRowsByName<Row>(stack.api, SYNC_LOGS_TABLE.name)).filter(
			(row) => row.type === 'copy-activity',
		);
		expect(rows.map((row) => row.status)).toEqual(['success', 'success']);
	},
	WAIT_MS + 60_000,
);
