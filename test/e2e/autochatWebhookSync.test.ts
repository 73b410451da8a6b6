/**
 * autochat-crm-webhook-sync.json in a real n8n: a signed autoch.at client.created delivery is
 * stored in the "Platform contacts" Data Table (and logged); an update of the same client
 * replaces its row; a wrongly signed delivery is answered 401 and stores nothing.
 */
import { randomUUID } from 'node:crypto';

import { dataTableRows, ensureDataTables } from '../../scripts/runtime/dataTables';
import { waitFor } from '../../scripts/runtime/waitFor';
import { signWebhookBody } from '../sandbox/server';
import { startE2eStack, STACK_START_TIMEOUT_MS, type E2eStack } from './harness';

// The sandbox autoch.at credential's signing secret (scripts/runtime/sandboxCredentials.ts).
const SECRET = 'sandbox-webhook-secret';

let stack: E2eStack;
let url: string;
let contactsTable: string;
let logTable: string;

beforeAll(async () => {
	stack = await startE2eStack();
	expect(stack.workflows.find((workflow) => workflow.file === 'autochat-crm-webhook-sync.json')?.active).toBe(true);
	// A non-Webhook trigger's production URL is /webhook/<webhookId>/<path of the node's webhook>.
	url = `${stack.n8n.publicUrl.replace(/\/+$/, '')}/webhook/7d2c4b1e-9a3f-4e5d-8c6b-2f1a0e9d8c7b/autochat-crm`;
	const tables = await ensureDataTables(stack.api);
	contactsTable = tables.find((table) => table.name === 'Platform contacts')!.id;
	logTable = tables.find((table) => table.name === 'CRM sync logs')!.id;
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

async function deliver(event: string, client: Record<string, unknown>, signature?: string): Promise<number> {
	const body = JSON.stringify({ event, timestamp: new Date().toISOString(), data: client });
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-webhook-signature': signature ?? signWebhookBody(SECRET, body) },
		body,
		signal: AbortSignal.timeout(30_000),
	});
	await response.arrayBuffer();
	return response.status;
}

interface ContactRow {
	clientId: string;
	name: string;
	email: string;
	phone: string;
	company: string;
	source: string;
}

const rowsOf = (clientId: string) => dataTableRows<ContactRow>(stack.api, contactsTable, [{ columnName: 'clientId', condition: 'eq', value: clientId }]);

test('a signed client.created is stored in Platform contacts and logged; client.updated updates the same row', async () => {
	const id = randomUUID();
	expect(await deliver('client.created', { id, name: 'Lee Park', email: 'lee@parkfleet.example', phone: '+1 312 555 0190', company: 'Park Fleet' })).toBe(200);

	const stored = await waitFor(async () => ((await rowsOf(id)).length > 0 ? await rowsOf(id) : undefined), {
		timeoutMs: 20_000,
		intervalMs: 200,
		what: 'the contact row',
	});
	expect(stored).toHaveLength(1);
	expect(stored[0]).toMatchObject({ clientId: id, name: 'Lee Park', email: 'lee@parkfleet.example', phone: '+1 312 555 0190', company: 'Park Fleet', source: 'autochat' });

	const logs = await waitFor(
		async () => {
			const rows = await dataTableRows<{ crm: string; type: string; status: string }>(stack.api, logTable, [{ columnName: 'client', condition: 'eq', value: id }]);
			return rows.length > 0 ? rows : undefined;
		},
		{ timeoutMs: 20_000, intervalMs: 200, what: 'the sync-log row' },
	);
	expect(logs.map((row) => `${row.crm}:${row.type}:${row.status}`)).toEqual(['autochat:receive-client-created:success']);

	expect(await deliver('client.updated', { id, name: 'Lee Park', email: 'lee@park.example', phone: '+1 312 555 0190', company: 'Park Fleet' })).toBe(200);
	await waitFor(async () => ((await rowsOf(id))[0]?.email === 'lee@park.example' ? true : undefined), { timeoutMs: 20_000, intervalMs: 200, what: 'the updated row' });
	expect(await rowsOf(id)).toHaveLength(1);
});

test('a delivery with a wrong signature is answered 401 and stores nothing', async () => {
	const id = randomUUID();
	const body = JSON.stringify({ event: 'client.created', timestamp: new Date().toISOString(), data: { id, name: 'Mallory' } });
	expect(await deliver('client.created', { id, name: 'Mallory' }, signWebhookBody('not-the-secret', body))).toBe(401);
	expect(await deliver('client.created', { id, name: 'Mallory' }, 'sha256=00')).toBe(401);
	// Give a (wrongly) started run time to write before checking that none did.
	await new Promise((resolve) => setTimeout(resolve, 1000));
	expect(await rowsOf(id)).toEqual([]);
});
