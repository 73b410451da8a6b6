/**
 * autochat-crm-webhook-sync.json in a real n8n: a signed autoch.at client.created delivery is
 * stored in the "Platform contacts" Data Table (and logged) and written at once to every CRM
 * switched on (one record each, address included), their record ids stored back in the row;
 * client.updated uses those ids (no phone/email search, no new record); a wrongly signed
 * delivery is answered 401 and stores nothing; ten concurrent copies of one delivery plus a
 * replay run the workflow once; with the default max event age a delivery from 2020 is refused.
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
import { signWebhookBody, type SandboxHandle } from '../sandbox/server';
import { isPersonSearch, type SearchedCrm } from '../nodes/support/searchRequests';
import { REPO_ROOT, startE2eStack, STACK_START_TIMEOUT_MS, type E2eStack } from './harness';

// The sandbox autoch.at credential's signing secret (scripts/runtime/sandboxCredentials.ts).
const SECRET = 'sandbox-webhook-secret';

let stack: E2eStack;
let sandbox: SandboxHandle;
let url: string;
let workflowId: string;

beforeAll(async () => {
	stack = await startE2eStack();
	const workflow = stack.workflows.find(
		(imported) => imported.file === 'autochat-crm-webhook-sync.json',
	);
	expect(workflow?.active).toBe(true);
	workflowId = workflow!.id;
	sandbox = stack.sandbox!;
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
	hubspot_id: string | null;
	salesforce_id: string | null;
	salesforce_object: string | null;
	dynamics_id: string | null;
}

/** Where each CRM keeps the client, and its email field. */
const CRM_RECORDS: Record<SearchedCrm, { type: string; email: string; column: keyof ContactRow }> =
	{
		hubspot: { type: 'contacts', email: 'email', column: 'hubspot_id' },
		salesforce: { type: 'Lead', email: 'Email', column: 'salesforce_id' },
		dynamics: { type: 'contact', email: 'emailaddress1', column: 'dynamics_id' },
	};
const TARGETS = Object.keys(CRM_RECORDS) as SearchedCrm[];

/** The client's records in each CRM, found by email in the sandbox's store. */
const recordsOf = (crm: SearchedCrm, email: string) =>
	sandbox.store
		.list(crm, CRM_RECORDS[crm].type)
		.filter((record) => record.fields[CRM_RECORDS[crm].email] === email);

/** A phone number no seed record has. */
const uniquePhone = () => `+1 646 555 ${String(2000 + Math.floor(Math.random() * 7000))}`;

async function finishedRuns(before: number, expected: number): Promise<number> {
	const runs = await waitFor(
		async () => {
			if (
				(await stack.api.list<Execution>(`/executions?workflowId=${workflowId}&status=running`))
					.length > 0
			)
				return undefined;
			const finished = await executions();
			return finished.length >= before + expected ? finished : undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 250, what: 'the executions to finish' },
	);
	return runs.length - before;
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
			return rows.length >= 4 ? rows : undefined;
		},
		{ timeoutMs: 30_000, intervalMs: 200, what: 'the sync-log rows' },
	);
	expect(logs.map((row) => `${row.crm}:${row.type}:${row.status}`).sort()).toEqual([
		'autochat:receive-client-created:success',
		'dynamics:create-contact:success',
		'hubspot:create-contact:success',
		'salesforce:create-lead:success',
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

test('ten concurrent copies of one signed delivery and a replay run the workflow once: one execution, one row, one record per CRM', async () => {
	const before = (await executions()).length;
	const id = randomUUID();
	const body = JSON.stringify({
		event: 'client.created',
		timestamp: new Date().toISOString(),
		data: { id, name: 'Ari Concurrent', email: `ari.${id.slice(0, 8)}@copies.example` },
	});
	const signature = signWebhookBody(SECRET, body);

	const answers = await Promise.all(Array.from({ length: 10 }, () => post(body, signature)));
	answers.push(await post(body, signature));

	expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 11 }, () => 200));
	expect(answers.filter((answer) => answer.text.includes('"duplicate":true'))).toHaveLength(10);
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
	const email = `ari.${id.slice(0, 8)}@copies.example`;
	const logs = await waitFor(
		async () => {
			const rows = await logRowsOf(id);
			return rows.length >= 4 ? rows : undefined;
		},
		{ timeoutMs: 30_000, intervalMs: 200, what: 'the sync-log rows' },
	);
	expect(logs).toHaveLength(4);
	for (const crm of TARGETS)
		expect({ crm, records: recordsOf(crm, email).length }).toEqual({ crm, records: 1 });
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
	// The row is written before the CRM steps: wait until the run has finished.
	const finished = await waitFor(
		async () => {
			const running = await stack.api.list<Execution>(
				`/executions?workflowId=${created.id}&status=running`,
			);
			const done = await copyExecutions();
			return running.length === 0 && done.length > 0 ? done : undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 250, what: 'the fresh run to finish' },
	);
	expect(finished).toHaveLength(1);
});

test('client created → one record in every CRM, address mapped, ids stored in Platform contacts; client updated uses the ids (no search, no new record)', async () => {
	const id = randomUUID();
	const email = `noor.${id.slice(0, 8)}@haddad.example`;
	const client = {
		id,
		name: 'Noor Haddad',
		first_name: 'Noor',
		last_name: 'Haddad',
		email,
		phone: uniquePhone(),
		company: 'Haddad Freight',
		address: '12 Harbor St',
		city: 'Austin',
		state: 'TX',
		zip: '78701',
		country: 'USA',
	};
	const before = (await executions()).length;
	expect(await deliver('client.created', client)).toBe(200);
	const [row] = await waitFor(
		async () => {
			const rows = await rowsOf(id);
			return rows[0]?.hubspot_id && rows[0]?.salesforce_id && rows[0]?.dynamics_id
				? rows
				: undefined;
		},
		{ timeoutMs: 60_000, intervalMs: 250, what: 'the CRM ids in the contact row' },
	);
	expect(await finishedRuns(before, 1)).toBe(1);
	expect(row.salesforce_object).toBe('Lead');
	for (const crm of TARGETS) {
		const records = recordsOf(crm, email);
		expect({ crm, ids: records.map((record) => record.id) }).toEqual({
			crm,
			ids: [row[CRM_RECORDS[crm].column]],
		});
	}
	// The address, states and countries as each CRM stores them.
	expect(recordsOf('hubspot', email)[0].fields).toMatchObject({
		address: '12 Harbor St',
		city: 'Austin',
		state: 'Texas',
		zip: '78701',
		country: 'United States',
	});
	expect(recordsOf('salesforce', email)[0].fields).toMatchObject({
		Street: '12 Harbor St',
		City: 'Austin',
		State: 'TX',
		PostalCode: '78701',
		Country: 'USA',
	});
	expect(recordsOf('dynamics', email)[0].fields).toMatchObject({
		address1_line1: '12 Harbor St',
		address1_city: 'Austin',
		address1_stateorprovince: 'Texas',
		address1_postalcode: '78701',
		address1_country: 'United States',
	});

	// The client moves and changes phone: the stored ids find the records, nothing is searched.
	sandbox.admin.clearRequests();
	const next = (await executions()).length;
	expect(
		await deliver('client.updated', {
			...client,
			phone: uniquePhone(),
			city: 'Denver',
			state: 'CO',
			zip: '80202',
		}),
	).toBe(200);
	await waitFor(
		async () =>
			recordsOf('dynamics', email)[0]?.fields.address1_city === 'Denver' &&
			recordsOf('hubspot', email)[0]?.fields.city === 'Denver' &&
			recordsOf('salesforce', email)[0]?.fields.City === 'Denver'
				? true
				: undefined,
		{ timeoutMs: 60_000, intervalMs: 250, what: 'the updated records' },
	);
	expect(await finishedRuns(next, 1)).toBe(1);
	for (const crm of TARGETS) {
		expect({
			crm,
			searches: sandbox.admin.requests(crm).filter((r) => isPersonSearch(crm, r)),
		}).toEqual({
			crm,
			searches: [],
		});
		expect({ crm, ids: recordsOf(crm, email).map((record) => record.id) }).toEqual({
			crm,
			ids: [row[CRM_RECORDS[crm].column]],
		});
	}
	expect(recordsOf('hubspot', email)[0].fields.state).toBe('Colorado');
	const [after] = await rowsOf(id);
	expect(after).toMatchObject({
		hubspot_id: row.hubspot_id,
		salesforce_id: row.salesforce_id,
		dynamics_id: row.dynamics_id,
	});
	expect(await rowsOf(id)).toHaveLength(1);
});
