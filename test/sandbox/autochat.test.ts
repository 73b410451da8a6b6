/** autoch.at CRM vendor over fetch: clients CRUD, activities, errors, auth, rate-limit headers and webhooks. */
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { call, localNetworkOnly } from './helpers';
import { AUTOCHAT_SEED_IDS, startSandbox, type SandboxHandle } from './server';

interface Client {
	id: string;
	name: string;
	email: string | null;
	phone: string | null;
	updated_at: string;
	created_at: string;
}

interface ErrorBody {
	error: { message: string; code: string };
}

describe('autoch.at vendor', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let now = Date.UTC(2026, 10, 21, 9);
	const token = 'ak_live_sandbox';

	beforeAll(async () => {
		sandbox = await startSandbox({
			now: () => now,
			rateLimits: { autochat: { requests: 8, windowMs: 60_000 } },
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		sandbox.admin.seed('autochat');
		sandbox.admin.resetRateLimits();
	});

	const api = (path: string) => `${sandbox.url}/autochat/v1${path}`;

	it('creates, reads, updates and lists clients in the { data } envelope', async () => {
		const created = await call<{ data: Client }>(api('/clients'), {
			token,
			body: { name: 'Ivy Chen', email: 'ivy@wayne.example', phone: '+1 (650) 555-0123' },
		});
		expect(created.status).toBe(201);
		expect(created.body.data).toMatchObject({
			name: 'Ivy Chen',
			email: 'ivy@wayne.example',
			phone: '+1 (650) 555-0123',
		});
		expect(created.body.data.id).toMatch(
			/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/,
		);

		const read = await call<{ data: Client }>(api(`/clients/${created.body.data.id}`), { token });
		expect(read.body.data).toEqual(created.body.data);

		now += 60_000;
		const patched = await call<{ data: Client }>(api(`/clients/${created.body.data.id}`), {
			token,
			method: 'PATCH',
			body: { phone: '650-555-0199' },
		});
		expect(patched.status).toBe(200);
		expect(patched.body.data).toMatchObject({ name: 'Ivy Chen', phone: '650-555-0199' });
		expect(Date.parse(patched.body.data.updated_at)).toBeGreaterThan(
			Date.parse(created.body.data.updated_at),
		);

		const byPhone = await call<{ data: Client[] }>(api('/clients?phone=%2B16505550199'), { token });
		expect(byPhone.body.data.map((c) => c.id)).toEqual([created.body.data.id]);
	});

	it('filters by phone across formats, email case-insensitively, and updated_since with cursor paging', async () => {
		const alice = await call<{ data: Client[] }>(api('/clients?phone=%2B14155550101'), { token });
		expect(alice.body.data.map((c) => c.id)).toEqual([AUTOCHAT_SEED_IDS.alice]);
		const dan = await call<{ data: Client[] }>(api('/clients?phone=2125550199'), { token });
		expect(dan.body.data.map((c) => c.id)).toEqual([AUTOCHAT_SEED_IDS.dan]);
		const carol = await call<{ data: Client[] }>(
			api('/clients?email=Carol.Hughes%40GLOBEX.example'),
			{ token },
		);
		expect(carol.body.data.map((c) => c.name)).toEqual(['Carol Hughes']);

		now += 1000;
		const since = new Date(now).toISOString();
		await call(api(`/clients/${AUTOCHAT_SEED_IDS.bob}`), {
			token,
			method: 'PATCH',
			body: { company: 'Acme Corp' },
		});
		await call(api(`/clients/${AUTOCHAT_SEED_IDS.erin}`), {
			token,
			method: 'PATCH',
			body: { city: 'Leeds' },
		});
		const page1 = await call<{
			data: Client[];
			pagination: { next_cursor: string | null; has_more: boolean };
		}>(api(`/clients?updated_since=${encodeURIComponent(since)}&limit=1`), { token });
		expect(page1.body.data.map((c) => c.id)).toEqual([AUTOCHAT_SEED_IDS.bob]);
		expect(page1.body.pagination.has_more).toBe(true);
		const page2 = await call<{ data: Client[]; pagination: { next_cursor: string | null } }>(
			api(
				`/clients?updated_since=${encodeURIComponent(since)}&limit=1&cursor=${page1.body.pagination.next_cursor}`,
			),
			{ token },
		);
		expect(page2.body.data.map((c) => c.id)).toEqual([AUTOCHAT_SEED_IDS.erin]);
		expect(page2.body.pagination.next_cursor).toBeNull();
	});

	it('validates writes: missing name and malformed email are 422, a non-object body 400, unknown id 404', async () => {
		const noName = await call<ErrorBody>(api('/clients'), {
			token,
			body: { email: 'x@y.example' },
		});
		expect(noName.status).toBe(422);
		expect(noName.body).toEqual({
			error: { message: 'name is required', code: 'validation_error' },
		});
		const badEmail = await call<ErrorBody>(api('/clients'), {
			token,
			body: { name: 'X', email: 'not-an-email' },
		});
		expect(badEmail.status).toBe(422);
		expect(badEmail.body.error.message).toContain('email');
		const badBody = await call<ErrorBody>(api('/clients'), { token, body: ['x'] });
		expect(badBody.status).toBe(400);
		const missing = await call<ErrorBody>(api('/clients/00000000-0000-4000-8000-999999999999'), {
			token,
		});
		expect(missing.status).toBe(404);
		expect(missing.body.error.code).toBe('not_found');
		expect(sandbox.admin.records('autochat', 'clients')).toHaveLength(8);
	});

	it('adds conversation activities to a client (assumed endpoint) and lists them', async () => {
		const added = await call<{
			data: { id: string; client_id: string; type: string; body: string };
		}>(api(`/clients/${AUTOCHAT_SEED_IDS.carol}/activities`), {
			token,
			body: {
				type: 'conversation',
				subject: 'WhatsApp',
				body: 'Asked for a quote.',
				occurred_at: '2026-11-20T10:00:00Z',
				external_id: 'conv-1',
			},
		});
		expect(added.status).toBe(201);
		expect(added.body.data).toMatchObject({
			client_id: AUTOCHAT_SEED_IDS.carol,
			type: 'conversation',
			body: 'Asked for a quote.',
		});
		const listed = await call<{ data: Array<{ id: string }>; pagination: unknown }>(
			api(`/clients/${AUTOCHAT_SEED_IDS.carol}/activities`),
			{ token },
		);
		expect(listed.body.data.map((a) => a.id)).toEqual([added.body.data.id]);
		expect(listed.body.pagination).toEqual({ limit: 50, has_more: false, next_cursor: null });
		const tooBig = await call<ErrorBody>(
			api(`/clients/${AUTOCHAT_SEED_IDS.carol}/activities?limit=101`),
			{ token },
		);
		expect(tooBig.status).toBe(400);
		const empty = await call<ErrorBody>(api(`/clients/${AUTOCHAT_SEED_IDS.carol}/activities`), {
			token,
			body: { type: 'note' },
		});
		expect(empty.status).toBe(422);
	});

	it('requires an ak_ API key as bearer token', async () => {
		const none = await call<ErrorBody>(api('/clients'));
		const wrong = await call<ErrorBody>(api('/clients'), { token: 'sk_wrong' });
		for (const answer of [none, wrong]) {
			expect(answer.status).toBe(401);
			expect(answer.body).toEqual({ error: { message: 'Invalid API key', code: 'unauthorized' } });
		}
	});

	it('sends X-RateLimit-* headers and answers 429 { error: { code: rate_limited } } past the limit', async () => {
		const answers = [];
		for (let i = 0; i < 9; i++)
			answers.push(await call<ErrorBody>(api('/clients?limit=1'), { token }));
		expect(answers.slice(0, 8).map((a) => a.headers.get('x-ratelimit-remaining'))).toEqual([
			'7',
			'6',
			'5',
			'4',
			'3',
			'2',
			'1',
			'0',
		]);
		expect(answers[0].headers.get('x-ratelimit-limit')).toBe('8');
		expect(Number(answers[0].headers.get('x-ratelimit-reset'))).toBe(
			Math.ceil((now + 60_000) / 1000),
		);
		expect(answers[8].status).toBe(429);
		expect(answers[8].body).toEqual({
			error: { message: 'Rate limit exceeded', code: 'rate_limited' },
		});
		expect(Number(answers[8].headers.get('retry-after'))).toBe(60);
	});

	it('sends signed client.created / client.updated webhooks to a subscribed local receiver', async () => {
		const received: Array<{ signature: string | undefined; body: string }> = [];
		const receiver = createServer((req, res) => {
			let body = '';
			req.on('data', (chunk: Buffer) => (body += chunk.toString()));
			req.on('end', () => {
				received.push({
					signature: req.headers['x-webhook-signature'] as string | undefined,
					body,
				});
				res.writeHead(204).end();
			});
		});
		await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
		try {
			const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webhook/autochat`;
			const subscribed = await call(`${sandbox.url}/__admin/webhooks`, {
				body: {
					vendor: 'autochat',
					url: hook,
					secret: 'whsec_test',
					events: ['client.created', 'client.updated'],
				},
			});
			expect(subscribed.status).toBe(201);
			const created = await call<{ data: Client }>(api('/clients'), {
				token,
				body: { name: 'Hook Test', email: 'hook@test.example' },
			});
			await call(api(`/clients/${created.body.data.id}`), {
				token,
				method: 'PATCH',
				body: { phone: '+1 415 555 0100' },
			});
			await sandbox.admin.settleWebhooks();

			expect(received).toHaveLength(2);
			const events = received.map(
				(r) => JSON.parse(r.body) as { event: string; timestamp: string; data: { client: Client } },
			);
			expect(events.map((e) => e.event)).toEqual(['client.created', 'client.updated']);
			expect(events[1].data.client).toMatchObject({
				id: created.body.data.id,
				phone: '+1 415 555 0100',
			});
			for (const r of received)
				expect(r.signature).toBe(
					`sha256=${createHmac('sha256', 'whsec_test').update(r.body).digest('hex')}`,
				);
			expect(sandbox.admin.webhooks().deliveries.map((d) => d.status)).toEqual([204, 204]);
			expect(JSON.stringify(sandbox.admin.webhooks())).not.toContain('whsec_test');

			const remote = await call(`${sandbox.url}/__admin/webhooks`, {
				body: { vendor: 'autochat', url: 'https://example.com/hook', secret: 's' },
			});
			expect(remote.status).toBe(400);
		} finally {
			sandbox.admin.clearWebhooks();
			await new Promise((resolve) => receiver.close(resolve));
		}
	});
});
