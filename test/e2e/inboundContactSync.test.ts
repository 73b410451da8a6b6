/**
 * crm-contacts-inbound-sync.json in a real n8n, imported as a user imports it (no table made
 * by hand): 1,000 contacts changed in the CRM sandbox reach the "Platform contacts" Data Table
 * — created by the template's first run with the shared schema — in one poll, keyed by phone,
 * with the number of CRM API calls at the physical minimum (pages of 200, plus one, plus the
 * one object description that gives the ready mappings their labels). Lead source and
 * lifecycle stage land as typed columns; a contact without them stays empty (unknown).
 */
import {
	dataTableColumns,
	dataTableRowsByName,
	findDataTable,
	PLATFORM_CONTACTS_TABLE,
	SYNC_LOGS_TABLE,
} from '../../scripts/runtime/dataTables';
import type { SandboxHandle } from '../sandbox/server';
import { startE2eStack, STACK_START_TIMEOUT_MS, type E2eStack } from './harness';

let stack: E2eStack;
let sandbox: SandboxHandle;
let workflowId: string;

beforeAll(async () => {
	stack = await startE2eStack();
	sandbox = stack.sandbox!;
	const workflow = stack.workflows.find((w) => w.file === 'crm-contacts-inbound-sync.json');
	expect(workflow?.active).toBe(true);
	workflowId = workflow!.id;
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

const COUNT = 1000;
const PAGE = 200;
const WAIT_MS = 480_000;

test(
	'1,000 changed contacts reach the Data Table after one poll, in ≤ ceil(1000/200) + 2 CRM calls, with typed lead source and lifecycle stage',
	async () => {
		// Changed two minutes ago: past the trigger's settle delay, inside its 24 h first-poll window.
		const changedAt = new Date(Date.now() - 120_000).toISOString();
		for (let i = 0; i < COUNT; i++) {
			const line = String(1000 + i).padStart(4, '0');
			sandbox.store.insert(
				'hubspot',
				'contacts',
				String(9_000_000 + i),
				{
					firstname: 'Inbound',
					lastname: `Contact ${i}`,
					email: `inbound.${i}@bulk.example`,
					phone: `+1 415 600 ${line}`,
					// Every other contact has a lead source and a stage; the rest have neither.
					...(i % 2 === 1
						? { hs_analytics_source: 'OFFLINE', lifecyclestage: 'salesqualifiedlead' }
						: {}),
					createdate: changedAt,
					lastmodifieddate: changedAt,
				},
				changedAt,
			);
		}
		sandbox.admin.clearRequests();
		// Re-activating polls at once (n8n runs the first poll on activation).
		await stack.api.request('POST', `/workflows/${workflowId}/deactivate`);
		await stack.api.request('POST', `/workflows/${workflowId}/activate`);

		type Row = {
			phone: string;
			crmId: string;
			doNotCall: boolean;
			name: string;
			leadSource: string | null;
			leadSourceLabel: string | null;
			lifecycleStage: string | null;
			lifecycleStageLabel: string | null;
		};
		let rows: Row[] = [];
		// A wait, not a speed check: n8n writes the rows one upsert at a time, slow on a busy 2-core box.
		const waitStarted = Date.now();
		const deadline = waitStarted + WAIT_MS;
		while (Date.now() < deadline) {
			try {
				rows = (
					await dataTableRowsByName<Row>(stack.api, PLATFORM_CONTACTS_TABLE.name, [
						{ columnName: 'source', condition: 'eq', value: 'crm' },
					])
				).filter((row) => row.phone.startsWith('+1415600'));
			} catch (error) {
				// n8n is busy writing the rows: the read may outlast the client's timeout on a loaded
				// machine — ask again (a reset socket is already retried by the API client).
				if ((error as { name?: unknown }).name !== 'TimeoutError') throw error;
			}
			if (rows.length >= COUNT) break;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		expect(rows).toHaveLength(COUNT);
		expect(new Set(rows.map((row) => row.phone)).size).toBe(COUNT);
		// HubSpot has no standard do-not-call field: unknown stays unknown (empty), never "callable".
		expect(rows.find((row) => row.crmId === '9000007')).toMatchObject({
			phone: '+14156001007',
			name: 'Inbound Contact 7',
			doNotCall: null,
			leadSource: 'OFFLINE',
			leadSourceLabel: 'Offline Sources',
			lifecycleStage: 'salesqualifiedlead',
			lifecycleStageLabel: 'Sales Qualified Lead',
		});
		// No lead source or stage in the CRM: empty, not a default.
		expect(rows.find((row) => row.crmId === '9000008')).toMatchObject({
			leadSource: null,
			leadSourceLabel: null,
			lifecycleStage: null,
			lifecycleStageLabel: null,
		});
		expect(rows.filter((row) => row.lifecycleStage === 'salesqualifiedlead')).toHaveLength(
			COUNT / 2,
		);

		const calls = sandbox.admin.requests('hubspot');
		const searches = calls.filter((r) => r.path.endsWith('/contacts/search'));
		console.log(
			`inbound sync: ${COUNT} contacts, ${calls.filter((r) => r.path.includes('/contacts')).length} HubSpot contact calls (${searches.length} searches), all rows stored ${Math.round((Date.now() - waitStarted) / 1000)} s after activation`,
		);
		// The search pages (plus one), and at most one description of the contact properties for the
		// ready mappings' labels (none when the activation poll's description is still cached).
		expect(calls.filter((r) => r.path.endsWith('/properties/contacts')).length).toBeLessThanOrEqual(
			1,
		);
		// Other templates active in the same n8n (the timeline sync) poll HubSpot too: only the
		// contact requests are this workflow's.
		const own = calls.filter((r) => r.path.includes('/contacts'));
		expect(own.length).toBeLessThanOrEqual(Math.ceil(COUNT / PAGE) + 2);

		// The first run created both tables with the one schema every template shares.
		for (const spec of [PLATFORM_CONTACTS_TABLE, SYNC_LOGS_TABLE]) {
			const id = await findDataTable(stack.api, spec.name);
			expect({
				table: spec.name,
				columns: id === undefined ? [] : await dataTableColumns(stack.api, id),
			}).toEqual({
				table: spec.name,
				columns: spec.columns.map(({ name, type }) => ({ name, type })),
			});
		}
	},
	WAIT_MS + 60_000,
);
