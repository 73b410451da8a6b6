/**
 * The Salesforce provider end to end against the sandbox: jsforce, the shared transport
 * and real HTTP on 127.0.0.1, with Salesforce-shaped seeded data. Call counts come from
 * the sandbox's request log.
 */
import type { CrmProvider } from '../../nodes/shared/providers/CrmProvider';
import { createSalesforceProvider } from '../../nodes/shared/providers/salesforce/SalesforceProvider';
import type { CrmRef } from '../../nodes/shared/model';
import { clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';
import { SALESFORCE_SEED_IDS } from './vendors/salesforce';
import { findOneActivity } from '../support/findOneActivity';

const ref = (kind: CrmRef['kind'], objectType: string, id: string): CrmRef => ({
	crm: 'salesforce',
	kind,
	objectType,
	id,
});

const emptySet = { contact: [], company: [], deal: [], lead: [] } as unknown as Parameters<
	typeof Object.keys
>[0] &
	Record<'contact' | 'company' | 'deal' | 'lead', CrmRef[]>;

describe('Salesforce provider on the sandbox', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let provider: CrmProvider;
	let refreshes = 0;
	const waits: number[] = [];
	let clock = Date.parse('2026-11-21T08:00:00Z');

	beforeAll(async () => {
		sandbox = await startSandbox();
		let token = await clientCredentialsToken(sandbox.url, 'salesforce');
		provider = createSalesforceProvider({
			tokens: {
				getAccessToken: async () => token,
				refresh: async () => {
					refreshes += 1;
					token = await clientCredentialsToken(sandbox.url, 'salesforce');
					return token;
				},
			},
			instanceUrl: `${sandbox.url}/salesforce`,
			apiVersion: '62.0',
			limiterKey: `salesforce-sandbox-${sandbox.port}`,
			// Waits are recorded and advance a test clock instead of sleeping: fast, and Retry-After is visible.
			transport: {
				now: () => clock,
				sleep: async (ms) => {
					waits.push(ms);
					clock += ms;
				},
			},
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		sandbox.admin.seed('salesforce');
		sandbox.admin.clearRequests();
		sandbox.admin.clearFaults();
		waits.length = 0;
	});

	const routeCount = (method: string, suffix: string) =>
		sandbox.admin
			.requests('salesforce')
			.filter((request) => request.method === method && request.route?.endsWith(suffix)).length;

	it('matches phones in mixed formats, emails and domains, with open opportunities, in a fixed number of calls', async () => {
		const sets = await provider.findMatches(
			[
				// Stored as "415.555.0102" and "(212) 555-0199 x12": the phone patterns match the digits, the provider confirms.
				{ phones: ['+14155550102'], emails: [], domains: [] },
				{ phones: ['+12125550199'], emails: [], domains: [] },
				{ phones: [], emails: ['Carol.Hughes@globex.example'], domains: ['initech.example'] },
				{ phones: ['+16465550142'], emails: [], domains: [] },
			],
			{ kinds: ['contact', 'company', 'deal', 'lead'], openDealsOnly: true },
		);

		expect(sets[0].contact.map((r) => r.id)).toEqual([SALESFORCE_SEED_IDS.contacts.bob]);
		expect(sets[0].company.map((r) => r.id)).toEqual([SALESFORCE_SEED_IDS.accounts.acme]);
		// Acme's open deals; the won pilot is closed.
		expect(new Set(sets[0].deal.map((r) => r.id))).toEqual(
			new Set([
				SALESFORCE_SEED_IDS.opportunities['acme-expansion'],
				SALESFORCE_SEED_IDS.opportunities['acme-renewal'],
			]),
		);
		expect(sets[0].deal.every((deal) => deal.isOpen === true)).toBe(true);
		expect(sets[1].contact.map((r) => r.id)).toEqual([SALESFORCE_SEED_IDS.contacts.dan]);
		expect(sets[2].contact.map((r) => [r.id, r.matchedBy])).toEqual([
			[SALESFORCE_SEED_IDS.contacts.carol, 'email'],
		]);
		expect(new Set(sets[2].company.map((r) => r.id))).toEqual(
			new Set([SALESFORCE_SEED_IDS.accounts.globex, SALESFORCE_SEED_IDS.accounts.initech]),
		);
		expect(sets[3].lead.map((r) => r.id)).toEqual([SALESFORCE_SEED_IDS.leads.grace]);
		expect(sets[3].contact).toEqual([]);

		// Matching is ONE call: no SOSL, no separate query.
		expect(routeCount('GET', '/search')).toBe(0);
		expect(routeCount('GET', '/query')).toBe(0);
		// Contacts, leads, accounts, opportunities of the contacts' accounts and contact roles in
		// one composite (Initech, matched by its website, is also Dan's account: covered).
		const composites = sandbox.admin
			.requests('salesforce')
			.filter((request) => request.route?.endsWith('/composite'))
			.map((request) =>
				(request.body as { compositeRequest: Array<{ url: string }> }).compositeRequest.map((sub) =>
					decodeURIComponent(sub.url),
				),
			);
		expect(composites.map((subs) => subs.map((url) => /FROM (\w+)/.exec(url)?.[1]))).toEqual([
			['Contact', 'Lead', 'Account', 'Opportunity', 'OpportunityContactRole'],
		]);
	});

	it('reads the opportunities of an account matched only by its website in a second composite round', async () => {
		const [set] = await provider.findMatches(
			[{ phones: [], emails: [], domains: ['acme.example'] }],
			{ kinds: ['company', 'deal'], openDealsOnly: true },
		);
		expect(set.company.map((r) => [r.id, r.matchedBy])).toEqual([
			[SALESFORCE_SEED_IDS.accounts.acme, 'domain'],
		]);
		expect(new Set(set.deal.map((r) => r.id))).toEqual(
			new Set([
				SALESFORCE_SEED_IDS.opportunities['acme-expansion'],
				SALESFORCE_SEED_IDS.opportunities['acme-renewal'],
			]),
		);
		const composites = sandbox.admin
			.requests('salesforce')
			.filter((request) => request.route?.endsWith('/composite'))
			.map((request) =>
				(request.body as { compositeRequest: Array<{ url: string }> }).compositeRequest.map((sub) =>
					decodeURIComponent(sub.url),
				),
			);
		expect(composites).toHaveLength(2);
		expect(composites[0].map((url) => /FROM (\w+)/.exec(url)?.[1])).toEqual(['Account']);
		expect(composites[1]).toHaveLength(1);
		expect(composites[1][0]).toContain(`AccountId IN ('${SALESFORCE_SEED_IDS.accounts.acme}')`);
	});

	it('reads the account and opportunities of a person found by phone (stored in another spelling) in the same composite', async () => {
		// Alice's phone is stored as "+1 (415) 555-0101": the pattern %4%1%5%5%5%5%0%1%0%1% matches it.
		const [set] = await provider.findMatches(
			[{ phones: ['+14155550101'], emails: [], domains: [] }],
			{ kinds: ['contact', 'company', 'deal'], openDealsOnly: true },
		);
		expect(set.contact.map((r) => [r.id, r.matchedBy])).toEqual([
			[SALESFORCE_SEED_IDS.contacts.alice, 'phone'],
		]);
		expect(set.company.map((r) => [r.id, r.matchedBy])).toEqual([
			[SALESFORCE_SEED_IDS.accounts.acme, 'association'],
		]);
		expect(new Set(set.deal.map((r) => r.id))).toEqual(
			new Set([
				SALESFORCE_SEED_IDS.opportunities['acme-expansion'],
				SALESFORCE_SEED_IDS.opportunities['acme-renewal'],
			]),
		);
		expect(routeCount('GET', '/search')).toBe(0);
		expect(routeCount('POST', '/composite')).toBe(1);
		expect(routeCount('GET', '/query')).toBe(0);
	});

	it('matches a batch of 200 queries in more composites of at most 5 query subrequests, each url bounded, with the same results as one by one', async () => {
		const seeded = [
			{ phones: ['+14155550102'], emails: [], domains: [] },
			{ phones: [], emails: ['carol.hughes@globex.example'], domains: [] },
			{ phones: ['+14155550101'], emails: [], domains: [] },
		];
		const queries = Array.from({ length: 200 }, (_, i) =>
			i < seeded.length
				? seeded[i]
				: {
						phones: [`+1646555${String(1000 + i).padStart(4, '0')}`],
						emails: [`nobody.${i}.${'x'.repeat(40)}@unknown-${i}.example`],
						domains: [`unknown-${i}.example`],
					},
		);
		const options = {
			kinds: ['contact', 'company', 'deal', 'lead'] as CrmRef['kind'][],
			openDealsOnly: true,
		};
		const batch = await provider.findMatches(queries, options);
		const composites = sandbox.admin
			.requests('salesforce')
			.filter((request) => request.route?.endsWith('/composite'));
		expect(composites.length).toBeGreaterThan(1);
		for (const request of composites) {
			const subs = (request.body as { compositeRequest: Array<{ url: string }> }).compositeRequest;
			expect(subs.length).toBeLessThanOrEqual(5);
			for (const sub of subs) expect(sub.url.length).toBeLessThan(16_384);
			expect(request.status).toBe(200);
		}
		const single = await Promise.all(
			seeded.map(async (query) => (await provider.findMatches([query], options))[0]),
		);
		const ids = (set: (typeof batch)[number]) =>
			Object.fromEntries(
				(['contact', 'company', 'deal', 'lead'] as const).map((kind) => [
					kind,
					set[kind].map((r) => r.id).sort(),
				]),
			);
		expect(batch.slice(0, seeded.length).map(ids)).toEqual(single.map(ids));
		expect(batch[0].contact.map((r) => r.id)).toEqual([SALESFORCE_SEED_IDS.contacts.bob]);
		expect(batch[2].contact.map((r) => r.id)).toEqual([SALESFORCE_SEED_IDS.contacts.alice]);
		expect(batch[2].deal.length).toBe(2);
		for (const set of batch.slice(seeded.length)) expect(ids(set)).toEqual(ids(emptySet));
	});

	it('writes 450 records in exactly 3 collection calls, failing only the invalid record', async () => {
		const writes = Array.from({ length: 450 }, (_, i) => ({
			properties:
				i === 7
					? { FirstName: 'No last name' }
					: { LastName: `Bulk ${i}`, Email: `bulk${i}@bulk.example` },
		}));

		const results = await provider.upsertRecords('Contact', writes);

		expect(routeCount('POST', '/composite/sobjects')).toBe(3);
		expect(results.filter((r) => r.ok)).toHaveLength(449);
		expect(results[7]).toMatchObject({ ok: false, error: { code: 'REQUIRED_FIELD_MISSING' } });
		const ids = results.flatMap((r) => (r.ok ? [r.id] : []));
		sandbox.admin.clearRequests();

		const updates = await provider.upsertRecords(
			'Contact',
			ids.map((id) => ({ id, properties: { Title: 'Bulk buyer' } })),
		);
		expect(updates.every((r) => r.ok && !r.created)).toBe(true);
		expect(routeCount('PATCH', '/composite/sobjects')).toBe(3);

		const read = await provider.getRecords(
			'Contact',
			[ids[0], ids[448]],
			['LastName', 'Title', 'SystemModstamp'],
		);
		expect(read.map((record) => record?.properties.Title)).toEqual(['Bulk buyer', 'Bulk buyer']);
		expect(read[0]?.updatedAt).toMatch(/\+0000$/);
	});

	it('refuses an upsert by an external id field without sending it', async () => {
		const before = sandbox.admin.requests('salesforce').length;
		const [refused] = await provider.upsertRecords('Contact', [
			{ idProperty: 'External_Id__c', idValue: 'ext-42', properties: { LastName: 'External' } },
		]);

		expect(refused).toEqual({
			ok: false,
			error: expect.objectContaining({ code: 'UNSUPPORTED_ID_PROPERTY' }),
		});
		expect(sandbox.admin.requests('salesforce')).toHaveLength(before);
	});

	it('creates notes with links, an event, a task and a call log, and finds them by key', async () => {
		const alice = ref('contact', 'Contact', SALESFORCE_SEED_IDS.contacts.alice);
		const deal = ref('deal', 'Opportunity', SALESFORCE_SEED_IDS.opportunities['acme-expansion']);
		const grace = ref('lead', 'Lead', SALESFORCE_SEED_IDS.leads.grace);
		const results = await provider.createActivities([
			{
				key: 'conv-1:note',
				kind: 'note',
				subject: 'Summary',
				body: 'Pricing <ok> & timing',
				targets: [alice, deal],
			},
			{
				key: 'conv-1:meeting',
				kind: 'meeting',
				subject: 'Demo',
				body: 'Agenda',
				startAt: '2026-11-21T09:00:00Z',
				durationSeconds: 1800,
				targets: [alice, deal],
			},
			// A lead with a deal: the provider leaves WhatId empty, which the sandbox requires.
			{
				key: 'conv-2:meeting',
				kind: 'meeting',
				subject: 'Intro',
				body: '',
				startAt: '2026-11-22T09:00:00Z',
				targets: [grace, deal],
			},
			{
				key: 'conv-1:task:1',
				kind: 'task',
				subject: 'Send deck',
				body: 'Deck',
				dueAt: '2026-11-25',
				priority: 'high',
				targets: [alice],
			},
			{
				key: 'conv-1:call',
				kind: 'call',
				subject: 'Call',
				body: 'Talked',
				startAt: '2026-11-21T09:00:00Z',
				durationSeconds: 95,
				direction: 'inbound',
				targets: [alice, deal],
			},
		]);

		expect(results.map((r) => r.ok)).toEqual([true, true, true, true, true]);
		const ids = results.map((r) => (r.ok ? r.id : ''));
		expect(ids[0]).toMatch(/^069/);
		expect(ids[1]).toMatch(/^00U/);
		expect(ids[3]).toMatch(/^00T/);
		const links = sandbox.admin
			.records('salesforce', 'ContentDocumentLink')
			.map((link) => link.fields.LinkedEntityId);
		expect(new Set(links)).toEqual(new Set([alice.id, deal.id]));
		const leadEvent = sandbox.admin
			.records('salesforce', 'Event')
			.find((event) => event.id === ids[2]);
		expect(leadEvent?.fields).toMatchObject({ WhoId: grace.id });
		expect(leadEvent?.fields.WhatId).toBeUndefined();
		const call = sandbox.admin.records('salesforce', 'Task').find((task) => task.id === ids[4]);
		expect(call?.fields).toMatchObject({
			TaskSubtype: 'Call',
			CallType: 'Inbound',
			CallDurationInSeconds: 95,
			WhatId: deal.id,
		});

		expect((await findOneActivity(provider, { kind: 'call', key: 'conv-1:call' }))?.id).toBe(
			ids[4],
		);
		expect((await findOneActivity(provider, { kind: 'task', key: 'conv-1:task:1' }))?.id).toBe(
			ids[3],
		);
		const meeting = await findOneActivity(provider, {
			kind: 'meeting',
			key: 'conv-1:meeting',
			startAt: '2026-11-21T09:02:00Z',
			toleranceMinutes: 5,
			contactId: alice.id,
		});
		expect(meeting?.id).toBe(ids[1]);
		expect(await findOneActivity(provider, { kind: 'task', key: 'conv-9:task:1' })).toBeUndefined();
	});

	it('updates an event in place and writes legacy Notes, one per target', async () => {
		const alice = ref('contact', 'Contact', SALESFORCE_SEED_IDS.contacts.alice);
		const acme = ref('company', 'Account', SALESFORCE_SEED_IDS.accounts.acme);
		const draft = {
			key: 'conv-3:meeting',
			kind: 'meeting' as const,
			subject: 'Review',
			body: 'First',
			startAt: '2026-11-23T10:00:00Z',
			targets: [alice, acme],
		};
		const [created] = await provider.createActivities([draft]);
		const id = created.ok ? created.id : '';
		const [updated] = await provider.updateActivities([
			{ id, draft: { ...draft, subject: 'Review (moved)', startAt: '2026-11-23T11:00:00Z' } },
		]);
		expect(updated).toMatchObject({ ok: true, id, created: false });
		const event = sandbox.admin.records('salesforce', 'Event').find((row) => row.id === id);
		expect(event?.fields).toMatchObject({
			Subject: 'Review (moved)',
			StartDateTime: '2026-11-23T11:00:00.000+0000',
			WhatId: acme.id,
		});

		const legacy = createSalesforceProvider({
			tokens: {
				getAccessToken: () => clientCredentialsToken(sandbox.url, 'salesforce'),
				refresh: () => clientCredentialsToken(sandbox.url, 'salesforce'),
			},
			instanceUrl: `${sandbox.url}/salesforce`,
			limiterKey: `salesforce-sandbox-legacy-${sandbox.port}`,
			noteStyle: 'legacyNote',
		});
		const [note] = await legacy.createActivities([
			{
				key: 'conv-3:note',
				kind: 'note',
				subject: 'Summary',
				body: 'Legacy body',
				targets: [alice, acme],
			},
		]);
		expect(note.ok).toBe(true);
		const notes = sandbox.admin.records('salesforce', 'Note');
		expect(notes.map((row) => row.fields.ParentId).sort()).toEqual([alice.id, acme.id].sort());
		expect(String(notes[0].fields.Body)).toContain('Ref: conv-3:note');
	});

	it('describes an object, resolves owners and pages listChanged with the query locator', async () => {
		const lead = await provider.describeObject('Lead');
		expect(
			lead.fields.find((field) => field.name === 'Status')?.options?.map((option) => option.value),
		).toContain('Working - Contacted');
		expect(lead.fields.find((field) => field.name === 'LastName')).toMatchObject({
			required: true,
			type: 'string',
		});
		expect(lead.fields.find((field) => field.name === 'Email')?.canBeUsedToMatch).toBe(true);

		const owners = await provider.resolveOwners([
			'Ava.Stone@sales.example',
			'nobody@sales.example',
		]);
		expect([...owners]).toEqual([
			['ava.stone@sales.example', SALESFORCE_SEED_IDS.users['owner-ava']],
		]);

		sandbox.admin.putRecords(
			'salesforce',
			'Account',
			Array.from({ length: 250 }, (_, i) => ({ Name: `Changed ${i}` })),
		);
		const first = await provider.listChanged({
			objectType: 'Account',
			since: '2026-01-01T00:00:00Z',
			properties: ['Name'],
			pageSize: 200,
		});
		expect(first.records).toHaveLength(200);
		expect(first.nextCursor).toBeDefined();
		const second = await provider.listChanged({
			objectType: 'Account',
			since: '2026-01-01T00:00:00Z',
			properties: ['Name'],
			cursor: first.nextCursor,
			pageSize: 200,
		});
		expect(second.records).toHaveLength(53);
		expect(second.nextCursor).toBeUndefined();
		const stamps = [...first.records, ...second.records].map((record) => record.updatedAt ?? '');
		expect([...stamps].sort()).toEqual(stamps);
	});

	it('waits out a 429 burst and recovers from an expired session with one refresh', async () => {
		sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: '/query',
			kind: 'status',
			status: 429,
			retryAfterSeconds: 2,
			count: 2,
		});
		const owners = await provider.resolveOwners(['ben.okafor@sales.example']);
		expect(owners.get('ben.okafor@sales.example')).toBe(SALESFORCE_SEED_IDS.users['owner-ben']);
		// Exactly the Retry-After of each 429, nothing blind.
		expect(waits).toEqual([2000, 2000]);
		expect(
			sandbox.admin.requests('salesforce').filter((request) => request.status === 429),
		).toHaveLength(2);

		const before = refreshes;
		sandbox.admin.expireTokens('salesforce');
		const [alice] = await provider.getRecords(
			'Contact',
			[SALESFORCE_SEED_IDS.contacts.alice],
			['LastName'],
		);
		expect(alice?.id).toBe(SALESFORCE_SEED_IDS.contacts.alice);
		expect(refreshes).toBe(before + 1);
		expect(sandbox.admin.requests('salesforce').some((request) => request.status === 401)).toBe(
			true,
		);
	});
});
