/**
 * The provider against the local CRM sandbox's autoch.at vendor over real HTTP on
 * 127.0.0.1: proves the provider and the sandbox agree on paths, query parameters,
 * envelopes and the (assumed) activities route. Provider and sandbox share one virtual
 * clock, which the injected sleep advances.
 */
import nock from 'nock';

import { createAutochatProvider } from '../../../nodes/shared/providers/autochat';
import type { CrmProvider } from '../../../nodes/shared/providers/CrmProvider';
import { AUTOCHAT_SEED_IDS, startSandbox, type SandboxHandle } from '../../sandbox/server';
import { findOneActivity } from '../../support/findOneActivity';

const API_KEY = 'ak_test_provider_sandbox_0001';
const CONTACTS = { kinds: ['contact' as const], openDealsOnly: true };

describe('autoch.at provider against the local sandbox', () => {
	let sandbox: SandboxHandle;
	let time = Date.parse('2026-11-21T09:00:00.000Z');
	const sleeps: number[] = [];
	let providerCount = 0;

	const provider = (apiKey = API_KEY): CrmProvider =>
		createAutochatProvider({
			apiKey,
			baseUrl: `${sandbox.url}/autochat/v1`,
			limiterKey: `autochat-sandbox-${++providerCount}`,
			transport: {
				now: () => time,
				random: () => 0.5,
				sleep: async (ms) => {
					sleeps.push(ms);
					time += ms;
				},
			},
		});

	beforeAll(async () => {
		nock.disableNetConnect();
		nock.enableNetConnect('127.0.0.1');
		sandbox = await startSandbox({
			port: 0,
			now: () => time,
			rateLimits: { autochat: { requests: 5, windowMs: 60_000 } },
		});
	});
	afterAll(async () => {
		await sandbox.close();
		nock.enableNetConnect();
	});
	beforeEach(() => {
		sandbox.admin.seed('autochat');
		sandbox.admin.clearFaults();
		sandbox.admin.resetRateLimits();
		sleeps.length = 0;
	});

	it('matches seeded clients by E.164 phone (stored in other formats, with an extension) and by email', async () => {
		const crm = provider();

		const [alice, dan, carol, nobody] = await crm.findMatches(
			[
				{ phones: ['+14155550101'], emails: [], domains: [] },
				{ phones: ['+12125550199'], emails: [], domains: [] },
				{ phones: [], emails: ['carol.hughes@globex.example'], domains: [] },
				{ phones: [], emails: ['nobody@nowhere.example'], domains: [] },
			],
			CONTACTS,
		);

		expect(alice.contact.map((ref) => [ref.id, ref.name, ref.matchedBy])).toEqual([
			[AUTOCHAT_SEED_IDS.alice, 'Alice Nguyen', 'phone'],
		]);
		expect(dan.contact.map((ref) => ref.id)).toEqual([AUTOCHAT_SEED_IDS.dan]);
		expect(carol.contact.map((ref) => [ref.id, ref.matchedBy])).toEqual([
			[AUTOCHAT_SEED_IDS.carol, 'email'],
		]);
		expect(nobody.contact).toEqual([]);
		// One request each: the sandbox matches E.164 across formats, so no other spelling is needed.
		expect(crm.usage().calls).toBe(4);
	});

	it('creates a client, updates it by id, reads it back, and lists it as changed', async () => {
		const crm = provider();
		const since = new Date(time).toISOString();
		time += 1000;

		const [created] = await crm.upsertRecords('client', [
			{ properties: { name: 'Ivy Chen', email: 'ivy@wayne.example', phone: '+1 650 555 0123' } },
		]);
		time += 1000;
		const id = created.ok ? created.id : 'none';
		const [updated] = await crm.upsertRecords('client', [
			{ id, properties: { company: 'Wayne Enterprises' } },
		]);
		const [read] = await crm.getRecords('client', [id], ['name', 'email', 'company']);
		const changed = await crm.listChanged({ objectType: 'client', since, properties: ['email'] });

		expect(created).toMatchObject({ ok: true, created: true });
		expect(updated).toEqual({ ok: true, id, created: false });
		expect(read?.properties).toEqual({
			name: 'Ivy Chen',
			email: 'ivy@wayne.example',
			company: 'Wayne Enterprises',
		});
		expect(changed.records.map((record) => record.id)).toEqual([id]);
	});

	it('adds a note activity with external_id, finds it by key, and verifies instead of duplicating after a reset', async () => {
		const crm = provider();
		const alice = {
			crm: 'autochat' as const,
			kind: 'contact' as const,
			objectType: 'client',
			id: AUTOCHAT_SEED_IDS.alice,
		};

		const [note] = await crm.createActivities([
			{
				key: 'conv-7:note',
				kind: 'note',
				subject: 'Call summary',
				body: 'Wants 20 seats.',
				startAt: '2026-11-21T08:30:00Z',
				targets: [alice],
			},
		]);
		const found = await findOneActivity(crm, {
			kind: 'note',
			key: 'conv-7:note',
			contactId: alice.id,
		});
		// The next POST is cut off before the sandbox processes it.
		sandbox.admin.addFault({
			vendor: 'autochat',
			kind: 'reset',
			method: 'POST',
			pathPattern: '/activities',
			count: 1,
		});
		const [call] = await crm.createActivities([
			{
				key: 'conv-7:call',
				kind: 'call',
				body: 'Inbound, 4 min.',
				durationSeconds: 240,
				targets: [alice],
			},
		]);

		expect(note).toMatchObject({ ok: true, created: true });
		expect(found).toMatchObject({
			id: note.ok ? note.id : '',
			matchedBy: 'key',
			properties: { subject: 'Call summary', external_id: 'conv-7:note' },
		});
		expect(call).toMatchObject({ ok: true, created: true });
		const stored = sandbox.admin
			.records('autochat', 'activities')
			.map((record) => [record.fields.type, record.fields.external_id]);
		expect(stored).toEqual([
			['note', 'conv-7:note'],
			['call', 'conv-7:call'],
		]);
		const routes = sandbox.admin
			.requests('autochat')
			.slice(-3)
			.map((entry) => `${entry.method} ${entry.status}`);
		expect(routes).toEqual(['POST 0', 'GET 200', 'POST 201']);
	});

	it('waits out the sandbox rate limit through its headers and carries on', async () => {
		const crm = provider();
		const ids = [
			AUTOCHAT_SEED_IDS.alice,
			AUTOCHAT_SEED_IDS.bob,
			AUTOCHAT_SEED_IDS.carol,
			AUTOCHAT_SEED_IDS.dan,
			AUTOCHAT_SEED_IDS.erin,
			AUTOCHAT_SEED_IDS.frank,
		];

		const records = await crm.getRecords('client', ids, ['name']);

		expect(records.map((record) => record?.properties.name)).toEqual([
			'Alice Nguyen',
			'Bob Ramirez',
			'Carol Hughes',
			"Dan O'Brien",
			'Erin Schulz',
			'Frank Li',
		]);
		// Five requests fit the window; the sixth got a 429 and waited the sandbox's Retry-After once.
		expect(sleeps).toHaveLength(1);
		expect(sleeps[0]).toBeGreaterThan(0);
		expect(sleeps[0]).toBeLessThanOrEqual(60_000);
		expect(crm.usage()).toMatchObject({
			calls: 7,
			retries: 1,
			reported: { limit: 5, window: 'minute' },
		});
	});

	it('rejects a wrong key with a clear message that does not show it', async () => {
		const wrongKey = 'sk_not_an_autochat_key_123';

		const [good] = await provider().getRecords('client', [AUTOCHAT_SEED_IDS.alice], ['name']);
		const bad = await provider(wrongKey)
			.getRecords('client', [AUTOCHAT_SEED_IDS.alice], ['name'])
			.then(
				() => undefined,
				(error: unknown) => error as Error,
			);

		expect(good?.id).toBe(AUTOCHAT_SEED_IDS.alice);
		expect(bad?.message).toContain('API key rejected');
		expect(bad?.message).toContain('Invalid API key');
		expect(bad?.message).not.toContain(wrongKey);
	});
});
