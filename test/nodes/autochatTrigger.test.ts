/**
 * autoch.at CRM Trigger served on a local HTTP server through n8n-core's real WebhookContext:
 * signed deliveries from the sandbox start the workflow; a tampered body, a wrong secret or a
 * missing header are answered 401 and start nothing; too old deliveries are answered 400;
 * replays and concurrent copies are answered `duplicate` and start nothing, also after a
 * restart and after thousands of other deliveries.
 */
import { randomUUID } from 'node:crypto';

import type { IDataObject, INode, INodeType } from 'n8n-workflow';

import { AutochatCrmTrigger } from '../../nodes/AutochatCrmTrigger/AutochatCrmTrigger.node';
import { startSandbox, signWebhookBody, type SandboxHandle } from '../sandbox/server';
import { WebhookRunner } from './harness/runWebhook';
import { PACK, packHarness } from './support/packHarness';

const SECRET = 'whsec_sandbox_secret';
const API_KEY = 'ak_sandbox_key';

describe('autoch.at CRM Trigger — signed webhooks', () => {
	let sandbox: SandboxHandle;
	let runner: WebhookRunner;
	let hookUrl: string;

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});
	afterEach(async () => {
		sandbox.admin.clearWebhooks();
		await runner.close();
	});

	/** A fresh copy of the node module, as a restarted n8n process loads it (no claims in memory). */
	async function restartedNodeType(): Promise<INodeType> {
		let fresh: INodeType | undefined;
		await jest.isolateModulesAsync(async () => {
			const module = await import('../../nodes/AutochatCrmTrigger/AutochatCrmTrigger.node');
			fresh = new module.AutochatCrmTrigger();
		});
		return fresh!;
	}

	async function serve(
		options: {
			secret?: string;
			events?: string[];
			maxEventAgeMinutes?: number;
			nodeId?: string;
			nodeType?: INodeType;
			staticData?: IDataObject;
		} = {},
	) {
		const nodeType = options.nodeType ?? new AutochatCrmTrigger();
		const harness = packHarness({ autochatCrmTrigger: nodeType });
		const credential = harness.addCredential({
			id: 'ac-hook',
			name: 'autoch.at hook',
			type: 'crmSyncAutochatApi',
			data: {
				baseUrl: `${sandbox.url}/autochat/v1`,
				apiKey: API_KEY,
				webhookSigningSecret: options.secret ?? SECRET,
			},
		});
		const node: INode = {
			// One trigger per test: claims live in the process for the whole file.
			id: options.nodeId ?? randomUUID(),
			name: 'autoch.at CRM Trigger',
			type: `${PACK}.autochatCrmTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				events: options.events ?? ['client.created', 'client.updated'],
				...(options.maxEventAgeMinutes === undefined
					? {}
					: { options: { maxEventAgeMinutes: options.maxEventAgeMinutes } }),
			},
			credentials: { crmSyncAutochatApi: credential as { id: string; name: string } },
		};
		runner = new WebhookRunner(harness.credentials, node.type, nodeType, node);
		if (options.staticData) runner.staticData = options.staticData;
		hookUrl = await runner.listen();
		return node.id;
	}

	const now = () => new Date().toISOString();
	const memoryOf = () =>
		((runner.staticData['node:autoch.at CRM Trigger'] as IDataObject | undefined)?.seen ??
			{}) as IDataObject;

	async function createAndUpdateClient() {
		const api = `${sandbox.url}/autochat/v1/clients`;
		const headers = { Authorization: `Bearer ${API_KEY}`, 'Content-Type': 'application/json' };
		const created = await fetch(api, {
			method: 'POST',
			headers,
			body: JSON.stringify({ name: 'Dana Webb', email: 'dana@webb.example' }),
		});
		expect(created.status).toBe(201);
		const { data } = (await created.json()) as { data: { id: string } };
		const updated = await fetch(`${api}/${data.id}`, {
			method: 'PATCH',
			headers,
			body: JSON.stringify({ phone: '+1 415 555 0199' }),
		});
		expect(updated.status).toBe(200);
		await sandbox.admin.settleWebhooks();
		return data.id;
	}

	const post = (body: string, signature?: string) =>
		fetch(hookUrl, {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				...(signature === undefined ? {} : { 'X-Webhook-Signature': signature }),
			},
			body,
		});

	it('starts the workflow for signed client.created and client.updated deliveries from the sandbox', async () => {
		await serve();
		sandbox.admin.addWebhook({ vendor: 'autochat', url: hookUrl, secret: SECRET, events: [] });
		const id = await createAndUpdateClient();

		expect(sandbox.admin.webhooks().deliveries.map((d) => [d.event, d.status])).toEqual([
			['client.created', 200],
			['client.updated', 200],
		]);
		const started = runner.startedItems().map((items) => items.map((item) => item.json));
		expect(started).toHaveLength(2);
		const [[created], [updated]] = started;
		expect(created).toMatchObject({
			event: 'client.created',
			client: { id, name: 'Dana Webb', email: 'dana@webb.example' },
		});
		expect(typeof created.timestamp).toBe('string');
		expect(updated).toMatchObject({
			event: 'client.updated',
			client: { id, phone: '+1 415 555 0199' },
		});
		expect(updated.syncLog).toEqual([
			expect.objectContaining({
				crm: 'autochat',
				operation: 'receive-client-updated',
				status: 'success',
				target: { type: 'client', id },
				apiCalls: 0,
			}),
		]);
		expect(JSON.stringify(started)).not.toContain(SECRET);
	});

	it('answers 401 and starts nothing when the sender signs with another secret', async () => {
		await serve();
		sandbox.admin.addWebhook({
			vendor: 'autochat',
			url: hookUrl,
			secret: 'whsec_someone_else',
			events: [],
		});
		await createAndUpdateClient();
		expect(sandbox.admin.webhooks().deliveries.map((d) => d.status)).toEqual([401, 401]);
		expect(runner.startedItems()).toHaveLength(0);
	});

	it('answers 401 for a tampered body, a missing header or a malformed header, and starts nothing', async () => {
		await serve();
		const body = JSON.stringify({
			event: 'client.created',
			timestamp: now(),
			data: { id: 'c1', email: 'a@b.example' },
		});
		const tampered = await post(
			body.replace('a@b.example', 'evil@b.example'),
			signWebhookBody(SECRET, body),
		);
		expect(tampered.status).toBe(401);
		expect(await tampered.json()).toEqual({ error: 'Invalid webhook signature' });
		expect((await post(body)).status).toBe(401);
		expect((await post(body, 'sha256=nothex')).status).toBe(401);
		expect(runner.startedItems()).toHaveLength(0);
		expect(runner.deliveries.map((d) => d.status)).toEqual([401, 401, 401]);

		// the same body, correctly signed, runs (the check is not simply rejecting everything)
		expect((await post(body, signWebhookBody(SECRET, body))).status).toBe(200);
		expect(runner.startedItems()).toHaveLength(1);
	});

	it('verifies the exact bytes received: whitespace and key order are part of the signed body', async () => {
		await serve();
		const pretty = `{\n  "timestamp": "${now()}",\n  "event": "client.updated",\n  "data": { "id": "c9" }\n}`;
		expect((await post(pretty, signWebhookBody(SECRET, pretty))).status).toBe(200);
		const compact = JSON.stringify(JSON.parse(pretty));
		expect((await post(compact, signWebhookBody(SECRET, pretty))).status).toBe(401);
		expect(runner.startedItems()).toHaveLength(1);
	});

	it('answers 401 when the credential has no signing secret', async () => {
		await serve({ secret: '' });
		const body = JSON.stringify({ event: 'client.created', timestamp: now(), data: { id: 'c1' } });
		const response = await post(body, signWebhookBody('', body));
		expect(response.status).toBe(401);
		expect(await response.json()).toEqual({ error: 'Webhook signing secret is not configured' });
		expect(runner.startedItems()).toHaveLength(0);
	});

	it('drops a replayed delivery (same timestamp and body) and a repeated event id', async () => {
		await serve();
		const body = JSON.stringify({
			event: 'client.updated',
			timestamp: now(),
			data: { id: 'c2', name: 'Lee' },
		});
		const signature = signWebhookBody(SECRET, body);
		expect((await post(body, signature)).status).toBe(200);
		const replay = await post(body, signature);
		expect(replay.status).toBe(200);
		expect(await replay.json()).toEqual({ received: true, duplicate: true });

		const withId = (name: string, timestamp: string) =>
			JSON.stringify({
				id: 'evt_77',
				event: 'client.updated',
				timestamp,
				data: { id: 'c3', name },
			});
		const first = withId('Kim', now());
		const again = withId('Kim B.', new Date(Date.now() + 5000).toISOString());
		expect((await post(first, signWebhookBody(SECRET, first))).status).toBe(200);
		expect(await (await post(again, signWebhookBody(SECRET, again))).json()).toEqual({
			received: true,
			duplicate: true,
		});

		const started = runner.startedItems().map((items) => items[0].json as IDataObject);
		expect(started.map((json) => (json.client as IDataObject).id)).toEqual(['c2', 'c3']);
		expect(started[1].eventId).toBe('evt_77');
		// the memory lives in the node's workflow static data, as n8n persists it: one key per
		// accepted delivery + one per event id
		expect(Object.keys(memoryOf())).toHaveLength(3);
	});

	it('acknowledges but does not run events that are not selected, and rejects a body that is not an event', async () => {
		await serve({ events: ['client.created'] });
		sandbox.admin.addWebhook({ vendor: 'autochat', url: hookUrl, secret: SECRET, events: [] });
		await createAndUpdateClient();
		expect(sandbox.admin.webhooks().deliveries.map((d) => d.status)).toEqual([200, 200]);
		expect(runner.startedItems().map((items) => items[0].json.event)).toEqual(['client.created']);

		const notJson = 'event=client.created';
		expect((await post(notJson, signWebhookBody(SECRET, notJson))).status).toBe(400);
		const noData = JSON.stringify({ event: 'client.created' });
		expect((await post(noData, signWebhookBody(SECRET, noData))).status).toBe(400);
		expect(runner.startedItems()).toHaveLength(1);
	});

	it('answers 400 to a delivery from 2020 with the default settings (max age 5 minutes) and starts nothing', async () => {
		await serve();
		const old = JSON.stringify({
			event: 'client.updated',
			timestamp: '2020-03-01T09:00:00.000Z',
			data: { id: 'c-2020' },
		});
		const answer = await post(old, signWebhookBody(SECRET, old));
		expect(answer.status).toBe(400);
		expect(await answer.json()).toEqual({
			error:
				'The event was sent at 2020-03-01T09:00:00.000Z, more than 5 minutes ago (Max Event Age)',
		});

		const noTimestamp = JSON.stringify({ event: 'client.updated', data: { id: 'c-none' } });
		const missing = await post(noTimestamp, signWebhookBody(SECRET, noTimestamp));
		expect(missing.status).toBe(400);
		expect(await missing.json()).toEqual({
			error: 'The delivery has no timestamp, so its age cannot be checked',
		});

		const ahead = JSON.stringify({
			event: 'client.updated',
			timestamp: new Date(Date.now() + 60 * 60_000).toISOString(),
			data: { id: 'c-ahead' },
		});
		expect((await post(ahead, signWebhookBody(SECRET, ahead))).status).toBe(400);

		// epoch seconds, as some senders write it, inside the window: runs
		const epoch = JSON.stringify({
			event: 'client.updated',
			timestamp: Math.floor(Date.now() / 1000) - 30,
			data: { id: 'c-epoch' },
		});
		expect((await post(epoch, signWebhookBody(SECRET, epoch))).status).toBe(200);
		expect(runner.startedItems().map((items) => (items[0].json.client as IDataObject).id)).toEqual([
			'c-epoch',
		]);
		expect(runner.deliveries.map((d) => d.status)).toEqual([400, 400, 400, 200]);
	});

	it('with a longer maximum event age, rejects older deliveries and runs fresh ones; 0 turns the check off', async () => {
		await serve({ maxEventAgeMinutes: 60 });
		const event = (timestamp: string, id: string) =>
			JSON.stringify({ event: 'client.updated', timestamp, data: { id } });
		const old = event(new Date(Date.now() - 2 * 60 * 60_000).toISOString(), 'c-old');
		const fresh = event(new Date(Date.now() - 30 * 60_000).toISOString(), 'c-fresh');
		const oldAnswer = await post(old, signWebhookBody(SECRET, old));
		expect(oldAnswer.status).toBe(400);
		expect(await oldAnswer.json()).toEqual({
			error: expect.stringContaining('more than 60 minutes ago (Max Event Age)'),
		});
		expect((await post(fresh, signWebhookBody(SECRET, fresh))).status).toBe(200);
		expect(runner.startedItems().map((items) => (items[0].json.client as IDataObject).id)).toEqual([
			'c-fresh',
		]);
		await runner.close();

		await serve({ maxEventAgeMinutes: 0 });
		const ancient = event('2020-03-01T09:00:00.000Z', 'c-2020');
		expect((await post(ancient, signWebhookBody(SECRET, ancient))).status).toBe(200);
		expect(await (await post(ancient, signWebhookBody(SECRET, ancient))).json()).toEqual({
			received: true,
			duplicate: true,
		});
		expect(runner.startedItems()).toHaveLength(1);
	});

	it('runs exactly one of 5 concurrent copies of a signed delivery; the others are answered duplicate', async () => {
		await serve();
		const body = JSON.stringify({
			event: 'client.created',
			timestamp: now(),
			data: { id: 'c-burst', name: 'Burst' },
		});
		const signature = signWebhookBody(SECRET, body);
		const answers = await Promise.all(Array.from({ length: 5 }, () => post(body, signature)));
		const bodies = await Promise.all(
			answers.map((answer) => answer.json() as Promise<IDataObject>),
		);

		expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200]);
		expect(bodies.filter((json) => json.duplicate === true)).toHaveLength(4);
		expect(runner.startedItems()).toHaveLength(1);
		expect(runner.deliveries).toHaveLength(5);
		expect(Object.keys(memoryOf())).toHaveLength(1);
	});

	it('refuses a replay of the first of 5,000 distinct deliveries, in the same process and after a restart', async () => {
		// A day's max age: the test must not depend on how fast this machine sends 5,000 deliveries.
		const maxEventAgeMinutes = 24 * 60;
		const nodeId = await serve({ maxEventAgeMinutes });
		const deliveries: string[] = [];
		const concurrency = 8;
		for (let start = 0; start < 5_000; start += concurrency) {
			const batch = Array.from({ length: concurrency }, (_, i) =>
				JSON.stringify({
					event: 'client.updated',
					timestamp: now(),
					data: { id: `c-${start + i}` },
				}),
			);
			deliveries.push(...batch);
			const statuses = await Promise.all(
				batch.map(async (body) => (await post(body, signWebhookBody(SECRET, body))).status),
			);
			expect(statuses).toEqual(batch.map(() => 200));
		}
		expect(runner.startedItems()).toHaveLength(5_000);
		// every one of them is in the persisted memory, although copies were saved last-writer-wins
		expect(Object.keys(memoryOf())).toHaveLength(5_000);

		const first = deliveries[0];
		expect(await (await post(first, signWebhookBody(SECRET, first))).json()).toEqual({
			received: true,
			duplicate: true,
		});

		// A restarted process (fresh module: no claims) reads the saved memory and still refuses it.
		const saved = runner.staticData;
		await runner.close();
		await serve({
			nodeId,
			maxEventAgeMinutes,
			nodeType: await restartedNodeType(),
			staticData: saved,
		});
		const replay = await post(first, signWebhookBody(SECRET, first));
		expect(replay.status).toBe(200);
		expect(await replay.json()).toEqual({ received: true, duplicate: true });
		const last = deliveries[4_999];
		expect(await (await post(last, signWebhookBody(SECRET, last))).json()).toEqual({
			received: true,
			duplicate: true,
		});
		expect(runner.startedItems()).toHaveLength(0);
	}, 900_000);
});
