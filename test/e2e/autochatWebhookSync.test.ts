/**
 * autochat-crm-webhook-sync.json in a real n8n: a signed autoch.at client.created delivery is
 * stored in the "Platform contacts" Data Table (and logged); an update of the same client
 * replaces its row; a wrongly signed delivery is answered 401 and stores nothing; five
 * concurrent copies of one delivery run the workflow once; with the default max event age a
 * delivery from 2020 is refused.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';

import {
	dataTableRowsByName,
	PLATFORM_CONTACTS_TABLE,
	SYNC_LOGS_TABLE,
} from '../../scripts/runtime/dataTables';
import { waitForWebhook } from '../../scripts/runtime/n8nApi';
import { waitFor } from '../../scripts/runtime/waitFor';
import { readTemplates, withCredentials } from '../../scripts/runtime/workflows';
import { signWebhookBody } from '../sandbox/server';
import { REPO_ROOT, startE2eStack, STACK_START_TIMEOUT_MS, type E2eStack } from './harness';

// The sandbox autoch.at credential's signing secret (scripts/runtime/sandboxCredentials.ts).
const SECRET = 'sandbox-webhook-secret';

let stack: E2eStack;
let url: string;
let workflowId: string;

beforeAll(async () => {
	stack = await startE2eStack();
	const workflow = stack.workflows.find(
		(imported) => imported.file === 'autochat-crm-webhook-sync.json',
	);
	expect(workflow?.active).toBe(true);
	workflowId = workflow!.id;
	// A non-Webhook trigger's production URL is /webhook/<webhookId>/<path of the node's webhook>.
	url = `${stack.n8n.publicUrl.replace(/\/+$/, '')}/webhook/7d2c4b1e-9a3f-4e5d-8c6b-2f1a0e9d8c7b/autochat-crm`;
}, STACK_START_TIMEOUT_MS);

afterAll(async () => {
	await stack?.teardown();
});

async function post(
	body: string,
	signature: string,
	to = url,
): Promise<{ status: number; text: string }> {
	const response = await fetch(to, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-webhook-signature': signature },
		body,
		signal: AbortSignal.timeout(30_000),
	});
	return { status: response.status, text: await response.text() };
}

async function deliver(
	event: string,
	client: Record<string, unknown>,
	signature?: string,
): Promise<number> {
	const body = JSON.stringify({ event, timestamp: new Date().toISOString(), data: client });
	return (await post(body, signature ?? signWebhookBody(SECRET, body))).status;
}

interface Execution {
	id: string;
	status: string;
}

const executions = () => stack.api.list<Execution>(`/executions?workflowId=${workflowId}`);

interface ContactRow {
	clientId: string;
	name: string;
	email: string;
	phone: string;
	company: string;
	source: string;
}

// The tables exist once the template's first run has created them; until then there are no rows.
const logRowsOf = (clientId: string) =>
	dataTableRowsByName<{ crm: string; type: string; status: string }>(
		stack.api,
		SYNC_LOGS_TABLE.name,
		[{ columnName: 'client', condition: 'eq', value: clientId }],
	);

const rowsOf = (clientId: string) =>
	dataTableRowsByName<ContactRow>(stack.api, PLATFORM_CONTACTS_TABLE.name, [
		{ columnName: 'clientId', condition: 'eq', value: clientId },
	]);

test('a signed client.created is stored in Platform contacts and logged; client.updated updates the same row', async () => {
	const id = randomUUID();
	expect(
		await deliver('client.created', {
			id,
			name: 'Lee Park',
			email: 'lee@parkfleet.example',
			phone: '+1 312 555 0190',
			company: 'Park Fleet',
		}),
	).toBe(200);

	const stored = await waitFor(
		async () => ((await rowsOf(id)).length > 0 ? await rowsOf(id) : undefined),
		{
			timeoutMs: 20_000,
			intervalMs: 200,
			what: 'the contact row',
		},
	);
	expect(stored).toHaveLength(1);
	expect(stored[0]).toMatchObject({
		clientId: id,
		name: 'Lee Park',
		email: 'lee@parkfleet.example',
		phone: '+1 312 555 0190',
		company: 'Park Fleet',
		source: 'autochat',
	});

	const logs = await waitFor(
		async () => {
			const rows = await logRowsOf(id);
			return rows.length > 0 ? rows : undefined;
		},
		{ timeoutMs: 20_000, intervalMs: 200, what: 'the sync-log row' },
	);
	expect(logs.map((row) => `${row.crm}:${row.type}:${row.status}`)).toEqual([
		'autochat:receive-client-created:success',
	]);

	expect(
		await deliver('client.updated', {
			id,
			name: 'Lee Park',
			email: 'lee@park.example',
			phone: '+1 312 555 0190',
			company: 'Park Fleet',
		}),
	).toBe(200);
	await waitFor(
		async () => ((await rowsOf(id))[0]?.email === 'lee@park.example' ? true : undefined),
		{ timeoutMs: 20_000, intervalMs: 200, what: 'the updated row' },
	);
	expect(await rowsOf(id)).toHaveLength(1);
});

test('a delivery with a wrong signature is answered 401 and stores nothing', async () => {
	const id = randomUUID();
	const body = JSON.stringify({
		event: 'client.created',
		timestamp: new Date().toISOString(),
		data: { id, name: 'Mallory' },
	});
	expect(
		await deliver(
			'client.created',
			{ id, name: 'Mallory' },
			signWebhookBody('not-the-secret', body),
		),
	).toBe(401);
	expect(await deliver('client.created', { id, name: 'Mallory' }, 'sha256=00')).toBe(401);
	// Give a (wrongly) started run time to write before checking that none did.
	await new Promise((resolve) => setTimeout(resolve, 1000));
	expect(await rowsOf(id)).toEqual([]);
});

test('five concurrent copies of one signed delivery run the workflow once: one execution, one row, one log entry', async () => {
	const before = (await executions()).length;
	const id = randomUUID();
	const body = JSON.stringify({
		event: 'client.created',
		timestamp: new Date().toISOString(),
		data: { id, name: 'Ari Concurrent', email: 'ari@copies.example' },
	});
	const signature = signWebhookBody(SECRET, body);

	const answers = await Promise.all(Array.from({ length: 5 }, () => post(body, signature)));

	expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
	expect(answers.filter((answer) => answer.text.includes('"duplicate":true'))).toHaveLength(4);
	await waitFor(async () => ((await logRowsOf(id)).length > 0 ? true : undefined), {
		timeoutMs: 20_000,
		intervalMs: 200,
		what: 'the sync-log row',
	});
	// Every copy has been answered, so any run a copy started already exists. The public API
	// lists running executions only when asked for them: wait until none runs and one finished.
	const runs = await waitFor(
		async () => {
			if (
				(await stack.api.list<Execution>(`/executions?workflowId=${workflowId}&status=running`))
					.length > 0
			)
				return undefined;
			const finished = await executions();
			return finished.length > before ? finished : undefined;
		},
		{ timeoutMs: 30_000, intervalMs: 250, what: 'the executions to finish' },
	);
	expect(runs.length - before).toBe(1);
	expect(await rowsOf(id)).toHaveLength(1);
	expect(await logRowsOf(id)).toHaveLength(1);
});

test('with the default Max Event Age, a correctly signed delivery from 2020 is answered 400 and starts nothing', async () => {
	// The template sets its own max age; a copy with the option left at its default is imported.
	const templates = await readTemplates(join(REPO_ROOT, 'workflows-templates'));
	const template = templates.find(
		(candidate) => candidate.file === 'autochat-crm-webhook-sync.json',
	)!.template;
	const webhookId = randomUUID();
	const nodes = template.nodes.map((node) => {
		if (node.type !== 'n8n-nodes-crm-sync.autochatCrmTrigger') return node;
		const { options: _options, ...parameters } = node.parameters ?? {};
		return { ...node, webhookId, parameters };
	});
	const copy = withCredentials(
		{ ...template, name: `${template.name} (default max age)`, nodes },
		stack.credentials,
	).template;
	const created = await stack.api.request<{ id: string }>('POST', '/workflows', {
		name: copy.name,
		nodes: copy.nodes,
		connections: copy.connections,
		settings: copy.settings ?? { executionOrder: 'v1' },
	});
	await stack.api.request('POST', `/workflows/${created.id}/activate`);
	const copyUrl = `${stack.n8n.publicUrl.replace(/\/+$/, '')}/webhook/${webhookId}/autochat-crm`;
	await waitForWebhook(copyUrl);
	const copyExecutions = () => stack.api.list<Execution>(`/executions?workflowId=${created.id}`);

	const id = randomUUID();
	const old = JSON.stringify({
		event: 'client.created',
		timestamp: '2020-03-01T09:00:00.000Z',
		data: { id, name: 'Old Capture' },
	});
	const answer = await post(old, signWebhookBody(SECRET, old), copyUrl);
	expect(answer.status).toBe(400);
	expect(JSON.parse(answer.text)).toEqual({
		error:
			'The event was sent at 2020-03-01T09:00:00.000Z, more than 5 minutes ago (Max Event Age)',
	});
	expect(await copyExecutions()).toEqual([]);
	expect(await rowsOf(id)).toEqual([]);

	// The same client, sent now, runs (the check does not refuse everything).
	const fresh = JSON.stringify({
		event: 'client.created',
		timestamp: new Date().toISOString(),
		data: { id, name: 'Fresh Capture' },
	});
	expect((await post(fresh, signWebhookBody(SECRET, fresh), copyUrl)).status).toBe(200);
	await waitFor(async () => ((await rowsOf(id)).length > 0 ? true : undefined), {
		timeoutMs: 20_000,
		intervalMs: 200,
		what: 'the fresh row',
	});
	expect(await copyExecutions()).toHaveLength(1);
});
