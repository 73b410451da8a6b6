/** Client reads and writes: GET by id (404 ⇒ undefined), POST, PATCH, no upsert by a property, per-item errors. */
import { api, client, isolateNetwork, makeProvider, p } from './helpers';

describe('autoch.at provider: client records', () => {
	isolateNetwork();

	it('reads clients by id, picks the requested properties, and returns undefined for a 404', async () => {
		api()
			.get(p('/clients/c-1'))
			.reply(200, { data: client('c-1', { email: 'alice@acme.example', phone: '+14155550101' }) })
			.get(p('/clients/missing'))
			.reply(404, { error: { message: 'Client not found', code: 'not_found' } });
		const { provider } = makeProvider();

		const [found, missing] = await provider.getRecords(
			'client',
			['c-1', 'missing'],
			['email', 'company'],
		);

		expect(found).toEqual({
			id: 'c-1',
			objectType: 'client',
			properties: { email: 'alice@acme.example', company: null },
			createdAt: '2026-01-01T00:00:00.000Z',
			updatedAt: '2026-02-01T00:00:00.000Z',
		});
		expect(missing).toBeUndefined();
	});

	it('creates with POST and updates by id with PATCH, sending only the fields given', async () => {
		const bodies: unknown[] = [];
		api()
			.post(p('/clients'), (body) => {
				bodies.push(body);
				return true;
			})
			.reply(201, { data: client('new-1', { name: 'Ivy Chen' }) })
			.patch(p('/clients/c-2'), (body) => {
				bodies.push(body);
				return true;
			})
			.reply(200, { data: client('c-2', { company: 'Wayne' }) });
		const { provider } = makeProvider();

		const results = await provider.upsertRecords('client', [
			{ properties: { name: 'Ivy Chen', email: 'ivy@wayne.example', company: undefined } },
			{ id: 'c-2', properties: { company: 'Wayne', updated_at: 'ignored', id: 'ignored' } },
		]);

		expect(results).toEqual([
			{ ok: true, id: 'new-1', created: true },
			{ ok: true, id: 'c-2', created: false },
		]);
		expect(bodies).toEqual([
			{ name: 'Ivy Chen', email: 'ivy@wayne.example' },
			{ company: 'Wayne' },
		]);
	});

	it('fails only the rejected item with the API message and code; refuses other upsert keys without a request', async () => {
		api()
			.post(p('/clients'))
			.reply(422, { error: { message: 'name is required', code: 'validation_error' } })
			.post(p('/clients'))
			.reply(201, { data: client('ok-1') });
		const { provider } = makeProvider();

		const results = await provider.upsertRecords('client', [
			{ properties: { email: 'x@y.example' } },
			{ idProperty: 'company', idValue: 'Acme', properties: { name: 'X' } },
			{ properties: { name: 'Fine' } },
		]);

		expect(results[0]).toEqual({
			ok: false,
			error: {
				message: expect.stringContaining('name is required'),
				code: 'validation_error',
				status: 422,
			},
		});
		expect(results[1]).toEqual({
			ok: false,
			error: expect.objectContaining({ code: 'UNSUPPORTED_ID_PROPERTY' }),
		});
		expect(results[2]).toEqual({ ok: true, id: 'ok-1', created: true });
		expect(provider.usage().calls).toBe(2);
	});

	it('stops the batch on a rejected API key: later items fail unsent, earlier successes stay', async () => {
		api()
			.patch(p('/clients/a'))
			.reply(200, { data: client('a') })
			.patch(p('/clients/b'))
			.reply(401, { error: { message: 'Invalid API key', code: 'unauthorized' } });
		const { provider } = makeProvider();

		const results = await provider.upsertRecords('client', [
			{ id: 'a', properties: { notes: '1' } },
			{ id: 'b', properties: { notes: '2' } },
			{ id: 'c', properties: { notes: '3' } },
		]);

		expect(results[0]).toEqual({ ok: true, id: 'a', created: false });
		expect(results[1]).toMatchObject({ ok: false, error: { status: 401, code: 'unauthorized' } });
		expect(results[2]).toMatchObject({
			ok: false,
			error: { message: expect.stringContaining('Not sent because an earlier item failed') },
		});
		expect(provider.usage().calls).toBe(2);
	});

	it('refuses an upsert by email or phone without a request: with no unique key it could create a duplicate', async () => {
		const { provider } = makeProvider();

		const results = await provider.upsertRecords('client', [
			{ idProperty: 'phone', idValue: '+14155550101', properties: { name: 'A' } },
			{ idProperty: 'email', idValue: 'bob@acme.example', properties: { name: 'B' } },
		]);

		expect(results).toEqual([
			{
				ok: false,
				error: {
					code: 'UNSUPPORTED_ID_PROPERTY',
					message: 'autoch.at CRM has no upsert by a unique property: "phone" cannot be used',
				},
			},
			{
				ok: false,
				error: {
					code: 'UNSUPPORTED_ID_PROPERTY',
					message: 'autoch.at CRM has no upsert by a unique property: "email" cannot be used',
				},
			},
		]);
		expect(provider.usage().calls).toBe(0);
	});

	it('rejects an unknown object type before any request', async () => {
		const { provider } = makeProvider();
		await expect(provider.getRecords('contacts', ['1'], [])).rejects.toThrow(
			'autoch.at CRM has no object type "contacts"',
		);
		expect(provider.usage().calls).toBe(0);
	});
});
