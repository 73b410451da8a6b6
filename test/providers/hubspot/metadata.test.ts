import nock from 'nock';

import { API, hsObject, isolateNetwork, makeProvider } from './helpers';

const CONTACT_PROPERTIES = {
	results: [
		{
			name: 'email',
			label: 'Email',
			type: 'string',
			fieldType: 'text',
			options: [],
			hasUniqueValue: false,
			groupName: 'contactinformation',
			description: '',
		},
		{
			name: 'lifecyclestage',
			label: 'Lifecycle Stage',
			type: 'enumeration',
			fieldType: 'radio',
			options: [
				// Out of order on purpose: the portal's display order (stage order) wins, -1 goes last.
				{ label: 'Other', value: 'other', hidden: false, displayOrder: -1 },
				{ label: 'Customer', value: 'customer', hidden: false, displayOrder: 2 },
				{ label: 'Retired', value: 'retired', hidden: true, displayOrder: 1 },
				{ label: 'Lead', value: 'lead', hidden: false, displayOrder: 0 },
			],
			groupName: 'contactinformation',
			description: '',
		},
		{
			name: 'hs_buying_role',
			label: 'Buying Role',
			type: 'enumeration',
			fieldType: 'checkbox',
			options: [{ label: 'Champion', value: 'CHAMPION', hidden: false }],
			groupName: 'contactinformation',
			description: '',
		},
		{
			name: 'vip',
			label: 'VIP',
			type: 'enumeration',
			fieldType: 'booleancheckbox',
			options: [{ label: 'Yes', value: 'true', hidden: false }],
			groupName: 'g',
			description: '',
		},
		{
			name: 'external_id',
			label: 'External ID',
			type: 'string',
			fieldType: 'text',
			options: [],
			hasUniqueValue: true,
			groupName: 'g',
			description: '',
		},
		{
			name: 'birthday',
			label: 'Birthday',
			type: 'date',
			fieldType: 'date',
			options: [],
			groupName: 'g',
			description: '',
		},
		{
			name: 'num_visits',
			label: 'Visits',
			type: 'number',
			fieldType: 'number',
			options: [],
			calculated: true,
			groupName: 'g',
			description: '',
		},
		{
			name: 'createdate',
			label: 'Create Date',
			type: 'datetime',
			fieldType: 'date',
			options: [],
			modificationMetadata: { readOnlyValue: true, readOnlyDefinition: true, archivable: false },
			groupName: 'g',
			description: '',
		},
	],
};

describe('HubSpot metadata, owners and change lists', () => {
	isolateNetwork();

	it('describes an object with neutral types and picklists, and caches it per credential (hit / refresh / clear)', async () => {
		let requests = 0;
		nock(API)
			.get('/crm/v3/properties/contacts')
			.query({ archived: 'false' })
			.times(3)
			.reply(() => {
				requests++;
				return [200, CONTACT_PROPERTIES];
			});
		const limiterKey = `hubspot-metadata-${Date.now()}`;
		const { provider } = makeProvider({ limiterKey });

		const first = await provider.describeObject('contacts');
		expect(requests).toBe(1);
		expect(first.objectType).toBe('contacts');
		expect(
			first.fields.map((field) => [field.name, field.type, field.canBeUsedToMatch, field.readOnly]),
		).toEqual([
			['email', 'string', true, false],
			['lifecyclestage', 'enum', false, false],
			['hs_buying_role', 'multiEnum', false, false],
			['vip', 'boolean', false, false],
			['external_id', 'string', true, false],
			['birthday', 'date', false, false],
			['num_visits', 'number', false, true],
			['createdate', 'datetime', false, true],
		]);
		expect(first.fields[1]?.options).toEqual([
			{ value: 'lead', label: 'Lead' },
			{ value: 'customer', label: 'Customer' },
			{ value: 'other', label: 'Other' },
		]);
		expect(first.fields[1]?.nativeType).toBe('enumeration/radio');

		// Hit: same credential, even through another provider instance (a later execution).
		await provider.describeObject('contacts');
		await makeProvider({ limiterKey }).provider.describeObject('contacts');
		expect(requests).toBe(1);

		await provider.describeObject('contacts', { refresh: true });
		expect(requests).toBe(2);

		provider.clearMetadataCache();
		await provider.describeObject('contacts');
		expect(requests).toBe(3);
	});

	it('keeps the metadata of two credentials apart', async () => {
		let requests = 0;
		nock(API)
			.get('/crm/v3/properties/deals')
			.query(true)
			.times(2)
			.reply(() => {
				requests++;
				return [200, { results: [] }];
			});
		await makeProvider({ limiterKey: `hubspot-a-${Date.now()}` }).provider.describeObject('deals');
		await makeProvider({ limiterKey: `hubspot-b-${Date.now()}` }).provider.describeObject('deals');
		expect(requests).toBe(2);
	});

	it('resolves owners by email from the paged owners list (one call per page), then from a short cache', async () => {
		nock(API)
			.get('/crm/v3/owners/')
			.query({ limit: '500', archived: 'false' })
			.reply(200, {
				results: [
					{
						id: '77',
						email: 'ann@acme.com',
						type: 'PERSON',
						archived: false,
						createdAt: '2026-01-01T00:00:00Z',
						updatedAt: '2026-01-01T00:00:00Z',
					},
				],
				paging: { next: { after: 'page2', link: '' } },
			})
			.get('/crm/v3/owners/')
			.query({ after: 'page2', limit: '500', archived: 'false' })
			.reply(200, {
				results: [
					{
						id: '78',
						email: 'Bob@Acme.com',
						type: 'PERSON',
						archived: false,
						createdAt: '2026-01-01T00:00:00Z',
						updatedAt: '2026-01-01T00:00:00Z',
					},
				],
			});
		const { provider } = makeProvider();

		const owners = await provider.resolveOwners([
			'Ann@acme.com',
			'bob@acme.com',
			'nobody@acme.com',
		]);
		const again = await provider.resolveOwners(['ann@acme.com']);

		expect([...owners]).toEqual([
			['ann@acme.com', '77'],
			['bob@acme.com', '78'],
		]);
		expect([...again]).toEqual([['ann@acme.com', '77']]);
		expect(provider.usage().calls).toBe(2);
	});

	it('lists changed records oldest first, paging with an opaque cursor until HubSpot has no next page', async () => {
		const since = '2026-11-01T00:00:00.000Z';
		const sinceMs = String(Date.parse(since));
		const bodies: unknown[] = [];
		const record = (id: string, modified: string) =>
			hsObject(id, { email: `${id}@acme.com`, lastmodifieddate: modified });
		nock(API)
			.post('/crm/v3/objects/contacts/search', (body) => {
				bodies.push(body);
				return true;
			})
			.reply(200, {
				total: 3,
				results: [record('1', '2026-11-02T00:00:00Z'), record('2', '2026-11-03T00:00:00Z')],
				paging: { next: { after: '2', link: '' } },
			})
			.post('/crm/v3/objects/contacts/search', (body) => {
				bodies.push(body);
				return true;
			})
			.reply(200, { total: 3, results: [record('3', '2026-11-04T00:00:00Z')] });
		const { provider } = makeProvider();
		const filter = '[{"propertyName":"lifecyclestage","operator":"EQ","value":"lead"}]';

		const page1 = await provider.listChanged({
			objectType: 'contacts',
			since,
			properties: ['email'],
			pageSize: 2,
			filter,
		});
		const page2 = await provider.listChanged({
			objectType: 'contacts',
			since,
			properties: ['email'],
			pageSize: 2,
			filter,
			cursor: page1.nextCursor,
		});

		const expected = (after?: string) => ({
			filterGroups: [
				{
					filters: [
						{ propertyName: 'lastmodifieddate', operator: 'GTE', value: sinceMs },
						{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' },
					],
				},
			],
			sorts: [{ propertyName: 'lastmodifieddate', direction: 'ASCENDING' }],
			properties: ['email', 'lastmodifieddate', 'createdate'],
			limit: 2,
			...(after ? { after } : {}),
		});
		expect(bodies).toEqual([expected(), expected('2')]);
		expect(page1.records.map((entry) => [entry.id, entry.updatedAt])).toEqual([
			['1', '2026-11-02T00:00:00.000Z'],
			['2', '2026-11-03T00:00:00.000Z'],
		]);
		expect(typeof page1.nextCursor).toBe('string');
		expect(page2.records.map((entry) => entry.id)).toEqual(['3']);
		expect(page2.nextCursor).toBeUndefined();
	});

	it('restarts the window at the last modification time before HubSpot’s 10,000-result paging cap', async () => {
		const bodies: Array<Record<string, unknown>> = [];
		nock(API)
			.post('/crm/v3/objects/deals/search', (body) => {
				bodies.push(body as Record<string, unknown>);
				return true;
			})
			.times(2)
			.reply(200, {
				total: 20_000,
				results: [hsObject('9', { hs_lastmodifieddate: '2026-11-10T00:00:00Z' })],
				paging: { next: { after: '9999' } },
			});
		const { provider } = makeProvider();

		const page = await provider.listChanged({
			objectType: 'deals',
			since: '2026-11-01T00:00:00Z',
			properties: [],
			pageSize: 200,
			cursor: undefined,
		});
		await provider.listChanged({
			objectType: 'deals',
			since: '2026-11-01T00:00:00Z',
			properties: [],
			pageSize: 200,
			cursor: page.nextCursor,
		});

		expect(bodies[1]?.filterGroups).toEqual([
			{
				filters: [
					{
						propertyName: 'hs_lastmodifieddate',
						operator: 'GTE',
						value: String(Date.parse('2026-11-10T00:00:00Z')),
					},
				],
			},
		]);
		expect(bodies[1]?.after).toBeUndefined();
	});

	it('rejects a malformed inclusion filter before sending anything', async () => {
		const { provider } = makeProvider();
		await expect(
			provider.listChanged({
				objectType: 'contacts',
				since: '2026-11-01T00:00:00Z',
				properties: [],
				filter: 'lifecyclestage = lead',
			}),
		).rejects.toThrow('JSON array of search filters');
		expect(provider.usage().calls).toBe(0);
	});
});
