import nock from 'nock';

import { API, hsObject, isolateNetwork, makeProvider } from './helpers';

// Restated on purpose, not imported from search.ts (CONTACT_MATCH_PROPERTIES): this is the
// expected request body, so a change to the source list must fail this test.
const CONTACT_PROPERTIES = [
	'firstname',
	'lastname',
	'email',
	'hs_additional_emails',
	'phone',
	'mobilephone',
	'associatedcompanyid',
	'hubspot_owner_id',
	'createdate',
	'lastmodifieddate',
];

/** Records every request body sent to a path, in order. */
function capture(bodies: unknown[]) {
	return (body: unknown): boolean => {
		bodies.push(body);
		return true;
	};
}

const QUERIES = [
	{ phones: ['+12135550101'], emails: ['Jane@Acme.com'], domains: [] },
	{ phones: ['+442079460958'], emails: ['bob@gmail.com'], domains: [] },
];

describe('HubSpot findMatches', () => {
	isolateNetwork();

	it('searches contacts for a whole batch in ONE request with OR-ed IN filter groups, then confirms each hit client-side', async () => {
		const searchBodies: unknown[] = [];
		const contacts = nock(API)
			.post('/crm/v3/objects/contacts/search', capture(searchBodies))
			.reply(200, {
				total: 5,
				results: [
					// Nationally written phone: confirmed for item 0 by its digits.
					hsObject('101', {
						phone: '(213) 555-0101',
						email: 'jane.other@example.org',
						createdate: '2026-01-05T00:00:00Z',
					}),
					hsObject('102', {
						email: 'jane@acme.com',
						firstname: 'Jane',
						lastname: 'Doe',
						createdate: '2026-06-01T00:00:00Z',
					}),
					// A loose hit of the calculated phone search that is not the queried line: dropped.
					hsObject('999', { phone: '+1 213 555 0199', email: 'someone@else.com' }),
					hsObject('201', { mobilephone: '+44 20 7946 0958', createdate: '2026-02-01T00:00:00Z' }),
					hsObject('202', { email: 'BOB@gmail.com', createdate: '2026-01-01T00:00:00Z' }),
				],
			});
		const { provider } = makeProvider();

		const sets = await provider.findMatches(QUERIES, { kinds: ['contact'], openDealsOnly: true });

		contacts.done();
		expect(searchBodies).toEqual([
			{
				filterGroups: [
					{
						filters: [
							{ propertyName: 'phone', operator: 'IN', values: ['+12135550101', '+442079460958'] },
						],
					},
					{
						filters: [
							{
								propertyName: 'mobilephone',
								operator: 'IN',
								values: ['+12135550101', '+442079460958'],
							},
						],
					},
					{
						filters: [
							{
								propertyName: 'hs_searchable_calculated_phone_number',
								operator: 'IN',
								values: ['2135550101', '02079460958', '2079460958'],
							},
						],
					},
					{
						filters: [
							{
								propertyName: 'hs_searchable_calculated_mobile_number',
								operator: 'IN',
								values: ['2135550101', '02079460958', '2079460958'],
							},
						],
					},
					{
						filters: [
							{ propertyName: 'email', operator: 'IN', values: ['jane@acme.com', 'bob@gmail.com'] },
						],
					},
				],
				properties: CONTACT_PROPERTIES,
				limit: 200,
			},
		]);
		// Newest first within each item; each hit handed to the item it belongs to.
		expect(sets[0]?.contact.map((ref) => [ref.id, ref.matchedBy])).toEqual([
			['102', 'email'],
			['101', 'phone'],
		]);
		expect(sets[0]?.contact[0]).toMatchObject({
			crm: 'hubspot',
			kind: 'contact',
			objectType: 'contacts',
			name: 'Jane Doe',
		});
		expect(sets[1]?.contact.map((ref) => [ref.id, ref.matchedBy])).toEqual([
			['201', 'phone'],
			['202', 'email'],
		]);
		expect(sets.map((set) => [set.company, set.deal, set.lead])).toEqual([
			[[], [], []],
			[[], [], []],
		]);
		expect(provider.usage().calls).toBe(1);
	});

	it('finds companies by email domain (free-mail excluded) and their open deals newest first, via batch association reads', async () => {
		const bodies: Record<string, unknown[]> = {
			contacts: [],
			byEmail: [],
			companies: [],
			contactDeals: [],
			companyDeals: [],
			deals: [],
		};
		const scope = nock(API)
			.post('/crm/v3/objects/contacts/search', capture(bodies.contacts!))
			.reply(200, {
				total: 2,
				results: [
					hsObject('101', { email: 'jane@acme.com', createdate: '2026-01-05T00:00:00Z' }),
					hsObject('201', { phone: '+442079460958', createdate: '2026-02-01T00:00:00Z' }),
				],
			})
			// bob@gmail.com had no search hit: read by email (current at once); HubSpot has no such contact.
			.post('/crm/v3/objects/contacts/batch/read', capture(bodies.byEmail!))
			.query({ archived: 'false' })
			.reply(207, {
				status: 'COMPLETE',
				results: [],
				numErrors: 1,
				errors: [
					{
						status: 'error',
						category: 'OBJECT_NOT_FOUND',
						message: 'Could not get some CONTACT objects, they may be deleted or not exist.',
						context: { ids: ['bob@gmail.com'] },
					},
				],
				startedAt: '2026-11-21T10:00:00.000Z',
				completedAt: '2026-11-21T10:00:00.100Z',
			})
			.post('/crm/v3/objects/companies/search', capture(bodies.companies!))
			.reply(200, {
				total: 2,
				results: [
					hsObject('301', { name: 'Acme', domain: 'www.acme.com' }),
					// Fuzzy domain hit that is not the queried domain: dropped.
					hsObject('302', { name: 'Acme Co', domain: 'acme.co' }),
				],
			})
			.post('/crm/v4/associations/contacts/deals/batch/read', capture(bodies.contactDeals!))
			.reply(200, {
				status: 'COMPLETE',
				results: [
					{
						from: { id: '101' },
						to: [
							{
								toObjectId: 501,
								associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId: 4, label: null }],
							},
						],
					},
					{
						from: { id: '201' },
						to: [
							{ toObjectId: 502, associationTypes: [] },
							{ toObjectId: 503, associationTypes: [] },
						],
					},
				],
				startedAt: '2026-11-21T10:00:00.000Z',
				completedAt: '2026-11-21T10:00:00.100Z',
			})
			.post('/crm/v4/associations/companies/deals/batch/read', capture(bodies.companyDeals!))
			.reply(200, {
				status: 'COMPLETE',
				results: [{ from: { id: '301' }, to: [{ toObjectId: 504, associationTypes: [] }] }],
				startedAt: '2026-11-21T10:00:00.000Z',
				completedAt: '2026-11-21T10:00:00.100Z',
			})
			.post('/crm/v3/objects/deals/batch/read', capture(bodies.deals!))
			.query({ archived: 'false' })
			.reply(200, {
				status: 'COMPLETE',
				results: [
					hsObject('501', {
						dealname: 'Old open',
						hs_is_closed: 'false',
						createdate: '2026-03-01T00:00:00Z',
					}),
					hsObject('502', {
						dealname: 'Closed',
						hs_is_closed: 'true',
						createdate: '2026-07-01T00:00:00Z',
					}),
					hsObject('503', {
						dealname: 'UK open',
						hs_is_closed: 'false',
						createdate: '2026-04-01T00:00:00Z',
					}),
					hsObject('504', {
						dealname: 'New open',
						hs_is_closed: 'false',
						createdate: '2026-05-01T00:00:00Z',
						hubspot_owner_id: '77',
					}),
				],
				startedAt: '2026-11-21T10:00:00.000Z',
				completedAt: '2026-11-21T10:00:00.100Z',
			});
		const { provider } = makeProvider();

		const sets = await provider.findMatches(QUERIES, {
			kinds: ['contact', 'company', 'deal'],
			openDealsOnly: true,
		});

		scope.done();
		expect(bodies.companies).toEqual([
			{
				filterGroups: [
					{ filters: [{ propertyName: 'domain', operator: 'IN', values: ['acme.com'] }] },
				],
				properties: ['name', 'domain', 'hubspot_owner_id', 'createdate', 'hs_lastmodifieddate'],
				limit: 200,
			},
		]);
		expect(bodies.byEmail).toEqual([
			{ idProperty: 'email', inputs: [{ id: 'bob@gmail.com' }], properties: CONTACT_PROPERTIES },
		]);
		expect(bodies.contactDeals).toEqual([{ inputs: [{ id: '101' }, { id: '201' }] }]);
		expect(bodies.companyDeals).toEqual([{ inputs: [{ id: '301' }] }]);
		expect(bodies.deals).toEqual([
			{
				inputs: [{ id: '501' }, { id: '502' }, { id: '503' }, { id: '504' }],
				properties: [
					'dealname',
					'dealstage',
					'pipeline',
					'amount',
					'hs_is_closed',
					'closedate',
					'createdate',
					'hs_lastmodifieddate',
					'hubspot_owner_id',
				],
			},
		]);
		expect(sets[0]?.company.map((ref) => [ref.id, ref.matchedBy, ref.name])).toEqual([
			['301', 'domain', 'Acme'],
		]);
		expect(sets[1]?.company).toEqual([]);
		expect(sets[0]?.deal.map((ref) => ref.id)).toEqual(['504', '501']);
		expect(sets[0]?.deal[0]).toMatchObject({
			kind: 'deal',
			objectType: 'deals',
			isOpen: true,
			ownerId: '77',
			name: 'New open',
		});
		expect(sets[1]?.deal.map((ref) => ref.id)).toEqual(['503']);
		expect(provider.usage().calls).toBe(6);
	});

	it("reads emails the search did not find by HubSpot's unique email key, so a contact not indexed yet is still matched", async () => {
		const byEmail: unknown[] = [];
		nock(API)
			// Created seconds ago: not in the search index yet.
			.post('/crm/v3/objects/contacts/search')
			.reply(200, {
				total: 1,
				results: [hsObject('101', { email: 'jane@acme.com', createdate: '2026-01-05T00:00:00Z' })],
			})
			.post('/crm/v3/objects/contacts/batch/read', capture(byEmail))
			.query({ archived: 'false' })
			.reply(200, {
				status: 'COMPLETE',
				results: [
					hsObject('305', {
						email: 'bob@gmail.com',
						firstname: 'Bob',
						createdate: '2026-11-21T09:59:58Z',
					}),
				],
				startedAt: '2026-11-21T10:00:00.000Z',
				completedAt: '2026-11-21T10:00:00.100Z',
			});
		const { provider } = makeProvider();

		const sets = await provider.findMatches(
			[
				{ phones: [], emails: ['Jane@Acme.com'], domains: [] },
				{ phones: [], emails: ['bob@gmail.com'], domains: [] },
			],
			{ kinds: ['contact'], openDealsOnly: true },
		);

		// Only the email without a search hit is read.
		expect(byEmail).toEqual([
			{ idProperty: 'email', inputs: [{ id: 'bob@gmail.com' }], properties: CONTACT_PROPERTIES },
		]);
		expect(sets.map((set) => set.contact.map((ref) => [ref.id, ref.matchedBy]))).toEqual([
			[['101', 'email']],
			[['305', 'email']],
		]);
		expect(sets[1]?.contact[0]).toMatchObject({
			kind: 'contact',
			objectType: 'contacts',
			name: 'Bob',
		});
		expect(provider.usage().calls).toBe(2);
	});

	it('one item: finds its deals with ONE search by association; closed deals too when openDealsOnly is false, capped per kind', async () => {
		nock(API)
			.post('/crm/v3/objects/contacts/search')
			.reply(200, { total: 1, results: [hsObject('201', { phone: '+442079460958' })] })
			.post('/crm/v3/objects/deals/search', (body: { filterGroups: unknown }) => {
				expect(body.filterGroups).toEqual([
					{ filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: '201' }] },
				]);
				return true;
			})
			.reply(200, {
				total: 2,
				results: [
					hsObject('502', { hs_is_closed: 'true', createdate: '2026-07-01T00:00:00Z' }),
					hsObject('503', { hs_is_closed: 'false', createdate: '2026-04-01T00:00:00Z' }),
				],
			});
		const { provider } = makeProvider();

		const [set] = await provider.findMatches(
			[{ phones: ['+442079460958'], emails: [], domains: [] }],
			{
				kinds: ['deal'],
				openDealsOnly: false,
				maxPerKind: 1,
			},
		);

		expect(set?.deal.map((ref) => [ref.id, ref.isOpen])).toEqual([['502', false]]);
		// Contacts were searched only to reach the deals; they are not returned.
		expect(set?.contact).toEqual([]);
		expect(provider.usage().calls).toBe(2);
	});

	it("reads the matched contacts' primary companies by id and searches companies only for the domains none of them holds", async () => {
		const companyReads: unknown[] = [];
		const companySearches: unknown[] = [];
		const dealSearches: Array<{ filterGroups: unknown }> = [];
		nock(API)
			.post('/crm/v3/objects/contacts/search')
			.reply(200, {
				total: 2,
				results: [
					hsObject('101', { phone: '+12135550101', associatedcompanyid: '301' }),
					hsObject('102', { email: 'bob@acme.com', associatedcompanyid: '301' }),
				],
			})
			.post('/crm/v3/objects/companies/batch/read', capture(companyReads))
			.query({ archived: 'false' })
			.reply(200, {
				status: 'COMPLETE',
				results: [hsObject('301', { name: 'Acme', domain: 'https://www.Acme.com' })],
				startedAt: '2026-11-21T10:00:00.000Z',
				completedAt: '2026-11-21T10:00:00.100Z',
			})
			// globex.com is no matched contact's company: it is the one domain searched.
			.post('/crm/v3/objects/companies/search', capture(companySearches))
			.reply(200, {
				total: 1,
				results: [hsObject('302', { name: 'Globex', domain: 'globex.com' })],
			})
			.post('/crm/v3/objects/deals/search', (body: { filterGroups: unknown }) => {
				dealSearches.push(body);
				return true;
			})
			.reply(200, {
				total: 1,
				results: [hsObject('501', { hs_is_closed: 'false', dealname: 'Acme renewal' })],
			});
		const { provider } = makeProvider();

		const [set] = await provider.findMatches(
			[
				{
					phones: ['+12135550101'],
					emails: ['bob@acme.com'],
					domains: ['acme.com', 'www.globex.com'],
				},
			],
			{ kinds: ['contact', 'company', 'deal'], openDealsOnly: true },
		);

		expect(companyReads).toEqual([
			{
				inputs: [{ id: '301' }],
				properties: ['name', 'domain', 'hubspot_owner_id', 'createdate', 'hs_lastmodifieddate'],
			},
		]);
		expect(companySearches).toEqual([
			{
				filterGroups: [
					{ filters: [{ propertyName: 'domain', operator: 'IN', values: ['globex.com'] }] },
				],
				properties: ['name', 'domain', 'hubspot_owner_id', 'createdate', 'hs_lastmodifieddate'],
				limit: 200,
			},
		]);
		expect(set?.company.map((ref) => [ref.id, ref.matchedBy])).toEqual([
			['301', 'domain'],
			['302', 'domain'],
		]);
		expect(dealSearches[0]?.filterGroups).toEqual(
			['contact:101', 'contact:102', 'company:301', 'company:302'].map((key) => {
				const [object, id] = key.split(':');
				return {
					filters: [{ propertyName: `associations.${object}`, operator: 'EQ', value: id }],
				};
			}),
		);
		expect(set?.deal.map((ref) => ref.id)).toEqual(['501']);
		expect(provider.usage().calls).toBe(4);
	});

	it("links a contact's primary company by association without any company search when no domain is left to look for", async () => {
		nock(API)
			.post('/crm/v3/objects/contacts/search')
			.reply(200, {
				total: 1,
				results: [hsObject('201', { phone: '+442079460958', associatedcompanyid: '301' })],
			})
			.post('/crm/v3/objects/companies/batch/read')
			.query({ archived: 'false' })
			.reply(200, {
				status: 'COMPLETE',
				results: [hsObject('301', { name: 'UK Ltd', domain: 'uk.example' })],
				startedAt: '2026-11-21T10:00:00.000Z',
				completedAt: '2026-11-21T10:00:00.100Z',
			});
		const { provider } = makeProvider();

		const [set] = await provider.findMatches(
			[{ phones: ['+442079460958'], emails: [], domains: [] }],
			{ kinds: ['contact', 'company'], openDealsOnly: true },
		);

		expect(set?.company.map((ref) => [ref.id, ref.matchedBy, ref.name])).toEqual([
			['301', 'association', 'UK Ltd'],
		]);
		expect(provider.usage().calls).toBe(2);
	});

	it('sends nothing for items without usable keys and says leads are not supported', async () => {
		const { provider } = makeProvider();
		const sets = await provider.findMatches(
			[{ phones: ['not a phone'], emails: ['broken'], domains: ['gmail.com'] }],
			{
				kinds: ['contact', 'company', 'lead'],
				openDealsOnly: true,
			},
		);
		expect(sets).toEqual([{ contact: [], company: [], deal: [], lead: [] }]);
		expect(provider.usage().calls).toBe(0);
		expect(
			Object.fromEntries(
				Object.entries(provider.profile.objects).map(([kind, info]) => [kind, info?.objectType]),
			),
		).toEqual({
			contact: 'contacts',
			company: 'companies',
			deal: 'deals',
		});
		expect(provider.profile.objects.lead).toBeUndefined();
	});
});

describe('HubSpot findMatches with hostile key counts', () => {
	isolateNetwork();

	type Body = {
		filterGroups: Array<{ filters: Array<{ propertyName: string; values?: string[] }> }>;
	};

	/** 10,000 distinct UK landline numbers (+44 20 7xxx xxxx). */
	const phones = Array.from(
		{ length: 10_000 },
		(_, i) => `+44207${String(1_000_000 + i).slice(1)}`,
	);

	it('sends 10,000 phones and 10,000 emails of ONE item in bounded requests: ≤ 100 values per IN filter, ≤ 5 groups, every key exactly once', async () => {
		const bodies: Body[] = [];
		nock(API)
			.persist()
			.post('/crm/v3/objects/contacts/search', (body: Body) => {
				bodies.push(body);
				return true;
			})
			.reply(200, (_uri, body) => {
				// One stored contact for the last phone: the hit must reach the item from the request that found it.
				const values = (body as Body).filterGroups[0]?.filters[0]?.values ?? [];
				return {
					total: 0,
					results: values.includes(phones[9_999])
						? [hsObject('9999', { phone: phones[9_999] })]
						: [],
				};
			});
		// Emails the (lagging) search did not find are read by email: bounded at 100 per batch read too.
		const reads: Array<{ idProperty?: string; inputs: Array<{ id: string }> }> = [];
		nock(API)
			.persist()
			.post(
				'/crm/v3/objects/contacts/batch/read',
				(body: { idProperty?: string; inputs: Array<{ id: string }> }) => {
					reads.push(body);
					return true;
				},
			)
			.query(true)
			.reply(200, { status: 'COMPLETE', results: [] });
		const emails = Array.from({ length: 10_000 }, (_, i) => `person${i}@example.org`);
		const { provider } = makeProvider();

		const [set] = await provider.findMatches([{ phones, emails, domains: [] }], {
			kinds: ['contact'],
			openDealsOnly: true,
		});

		nock.cleanAll();
		expect(set?.contact.map((ref) => ref.id)).toEqual(['9999']);
		// 10,000 phones and 10,000 emails at ≤ 100 per filter: about 200 requests, none with 10,000 values.
		expect(bodies.length).toBeGreaterThanOrEqual(100);
		expect(bodies.length).toBeLessThanOrEqual(200);
		for (const read of reads) {
			expect(read.idProperty).toBe('email');
			expect(read.inputs.length).toBeLessThanOrEqual(100);
		}
		expect(reads.flatMap((read) => read.inputs.map((input) => input.id)).sort()).toEqual(
			[...emails].sort(),
		);
		expect(provider.usage().calls).toBe(bodies.length + reads.length);
		for (const body of bodies) {
			expect(body.filterGroups.length).toBeLessThanOrEqual(5);
			for (const group of body.filterGroups) {
				expect(group.filters).toHaveLength(1);
				expect(group.filters[0]?.values?.length).toBeLessThanOrEqual(100);
			}
		}
		const sent = (property: string) =>
			bodies.flatMap((body) =>
				body.filterGroups.flatMap((g) =>
					g.filters.filter((f) => f.propertyName === property).flatMap((f) => f.values ?? []),
				),
			);
		expect(sent('phone').sort()).toEqual([...phones].sort());
		expect(sent('email')).toHaveLength(10_000);
		expect(new Set(sent('email')).size).toBe(10_000);
	});

	it('spreads 250 email domains over three company searches of ≤ 100 values', async () => {
		const bodies: Body[] = [];
		nock(API)
			.post('/crm/v3/objects/companies/search', (body: Body) => {
				bodies.push(body);
				return true;
			})
			.times(3)
			.reply(200, { total: 0, results: [] });
		const { provider } = makeProvider();
		const domains = Array.from({ length: 250 }, (_, i) => `company${i}.example`);

		await provider.findMatches([{ phones: [], emails: [], domains }], {
			kinds: ['company'],
			openDealsOnly: true,
		});

		expect(bodies.map((body) => body.filterGroups[0]?.filters[0]?.values?.length)).toEqual([
			100, 100, 50,
		]);
	});
});
