/** listChanged cursor paging, the static client description, owners and capabilities. */
import { AUTOCHAT_PROFILE } from '../../../nodes/shared/providers/autochat/profile';
import { CLOCK_START, api, client, isolateNetwork, listBody, makeProvider, p } from './helpers';

describe('autoch.at provider: listing, metadata, owners', () => {
	isolateNetwork();

	it('pages listChanged with updated_since, limit and the API cursor until there is no next page', async () => {
		const since = '2026-11-20T08:00:00.000Z';
		api()
			.get(p('/clients'))
			.query({ updated_since: since, limit: '2' })
			.reply(200, listBody([client('a', { email: 'a@x.example' }), client('b')], 'cursor-2'))
			.get(p('/clients'))
			.query({ updated_since: since, limit: '2', cursor: 'cursor-2' })
			.reply(200, listBody([client('c', { updated_at: '2026-11-20T09:00:00.000Z' })]));
		const { provider } = makeProvider();

		const first = await provider.listChanged({
			objectType: 'client',
			since: '2026-11-20T09:00:00+01:00',
			properties: ['email'],
			pageSize: 2,
		});
		const second = await provider.listChanged({
			objectType: 'client',
			since: '2026-11-20T09:00:00+01:00',
			properties: ['email'],
			pageSize: 2,
			cursor: first.nextCursor,
		});

		expect(first.records.map((record) => [record.id, record.properties])).toEqual([
			['a', { email: 'a@x.example' }],
			['b', { email: null }],
		]);
		expect(first.nextCursor).toBe('cursor-2');
		expect(second.records).toEqual([
			{
				id: 'c',
				objectType: 'client',
				properties: { email: null },
				createdAt: '2026-01-01T00:00:00.000Z',
				updatedAt: '2026-11-20T09:00:00.000Z',
			},
		]);
		expect(second.nextCursor).toBeUndefined();
	});

	it('caps the page size at 100 and refuses an inclusion filter or a bad timestamp before sending', async () => {
		api()
			.get(p('/clients'))
			.query({ updated_since: '2026-11-01T00:00:00.000Z', limit: '100' })
			.reply(200, listBody([]));
		const { provider } = makeProvider();

		await provider.listChanged({
			objectType: 'client',
			since: '2026-11-01T00:00:00Z',
			properties: [],
			pageSize: 5000,
		});
		await expect(
			provider.listChanged({
				objectType: 'client',
				since: '2026-11-01T00:00:00Z',
				properties: [],
				filter: 'status=lead',
			}),
		).rejects.toThrow('does not support an inclusion filter');
		await expect(
			provider.listChanged({ objectType: 'client', since: 'yesterday', properties: [] }),
		).rejects.toThrow('not a valid timestamp');
		expect(provider.usage().calls).toBe(1);
	});

	it('describes the client fields statically, with email and phone usable to match', async () => {
		const { provider } = makeProvider();

		const description = await provider.describeObject('client');

		expect(description.objectType).toBe('client');
		expect(description.fetchedAt).toBe(CLOCK_START);
		const byName = new Map(description.fields.map((field) => [field.name, field]));
		expect([...byName.keys()]).toEqual(
			expect.arrayContaining([
				'name',
				'first_name',
				'last_name',
				'email',
				'phone',
				'company',
				'address',
				'city',
				'notes',
				'status',
				'tags',
			]),
		);
		expect(byName.get('email')).toMatchObject({
			type: 'string',
			canBeUsedToMatch: true,
			readOnly: false,
		});
		expect(byName.get('phone')?.canBeUsedToMatch).toBe(true);
		expect(byName.get('name')?.required).toBe(true);
		expect(byName.get('updated_at')).toMatchObject({ type: 'datetime', readOnly: true });
		expect(byName.get('tags')?.type).toBe('other');
		await expect(provider.describeObject('deal')).rejects.toThrow('no object type "deal"');
		expect(provider.usage().calls).toBe(0);
	});

	it('resolves no owners (no users API) and declares one-record batches, single-client activities', async () => {
		const { provider } = makeProvider();

		const owners = await provider.resolveOwners(['ava.stone@sales.example']);

		expect(owners.size).toBe(0);
		expect(provider.profile).toBe(AUTOCHAT_PROFILE);
		expect(AUTOCHAT_PROFILE).toMatchObject({
			crm: 'autochat',
			objects: { contact: { objectType: 'client', label: 'Client' } },
			activityKinds: ['note', 'call', 'meeting'],
			singleTargetActivityKinds: ['note', 'call', 'meeting'],
			writeBatchSize: 1,
		});
		expect(provider.usage().calls).toBe(0);
	});
});
