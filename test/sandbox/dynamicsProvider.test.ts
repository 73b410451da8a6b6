/**
 * The Dynamics 365 provider end to end against the sandbox's Dataverse Web API: default
 * fetch transport, the shared transport (retry, 429 waits, token refresh) and `$batch`
 * over real HTTP on 127.0.0.1. Call counts come from the sandbox's request log.
 */
import type { CrmRef } from '../../nodes/shared/model';
import type { CrmProvider } from '../../nodes/shared/providers/CrmProvider';
import { createDynamicsProvider } from '../../nodes/shared/providers/dynamics/DynamicsProvider';
import { clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle, type SandboxOptions } from './server';
import { DYNAMICS_SEED_IDS } from './vendors/dynamics';

/** Web API requests only (the vendor's log also holds its token endpoint). */
const webApi = (sandbox: SandboxHandle) =>
	sandbox.admin.requests('dynamics').filter((request) => request.path.includes('/api/data/'));

const ref = (kind: CrmRef['kind'], objectType: string, id: string): CrmRef => ({
	crm: 'dynamics',
	kind,
	objectType,
	id,
});

interface Harness {
	sandbox: SandboxHandle;
	provider: CrmProvider;
	waits: number[];
	refreshes: () => number;
}

/** A sandbox and a provider sharing one test clock: waits advance it instead of sleeping. */
async function start(options: SandboxOptions = {}): Promise<Harness> {
	let clock = Date.parse('2026-11-21T08:00:00Z');
	const now = () => clock;
	const sandbox = await startSandbox({ ...options, now });
	let token = await clientCredentialsToken(sandbox.url, 'dynamics');
	let refreshes = 0;
	const waits: number[] = [];
	const provider = createDynamicsProvider({
		tokens: {
			getAccessToken: async () => token,
			refresh: async () => {
				refreshes += 1;
				token = await clientCredentialsToken(sandbox.url, 'dynamics');
				return token;
			},
		},
		orgUrl: `${sandbox.url}/dynamics`,
		limiterKey: `dynamics-sandbox-${sandbox.port}`,
		transport: {
			now,
			sleep: async (ms) => {
				waits.push(ms);
				clock += ms;
			},
		},
	});
	return { sandbox, provider, waits, refreshes: () => refreshes };
}

describe('Dynamics 365 provider on the sandbox', () => {
	localNetworkOnly();
	let h: Harness;

	beforeAll(async () => {
		h = await start();
	});
	afterAll(() => h.sandbox.close());
	beforeEach(() => {
		h.sandbox.admin.seed('dynamics');
		h.sandbox.admin.clearRequests();
	});

	const batches = () =>
		h.sandbox.admin.requests('dynamics').filter((request) => request.path.endsWith('/$batch'));

	it('matches phones, emails and domains and finds open opportunities in one $batch call', async () => {
		const sets = await h.provider.findMatches(
			[
				// Erin's mobile is stored nationally ("07700 900123"), Hank's lead phone as "030 901820".
				{ phones: ['+447700900123'], emails: [], domains: [] },
				{ phones: [], emails: ['ALICE.NGUYEN@acme.example'], domains: ['acme.example'] },
				{ phones: ['+4930901820'], emails: [], domains: [] },
			],
			{ kinds: ['contact', 'company', 'deal', 'lead'], openDealsOnly: true },
		);

		expect(sets[0].contact.map((r) => [r.id, r.matchedBy])).toEqual([
			[DYNAMICS_SEED_IDS.contacts.erin, 'phone'],
		]);
		expect(sets[1].contact.map((r) => [r.id, r.matchedBy])).toEqual([
			[DYNAMICS_SEED_IDS.contacts.alice, 'email'],
		]);
		expect(sets[1].company.map((r) => [r.id, r.matchedBy])).toEqual([
			[DYNAMICS_SEED_IDS.accounts.acme, 'domain'],
		]);
		// Acme's open opportunities; the won pilot is closed (statecode 1).
		expect(new Set(sets[1].deal.map((r) => r.id))).toEqual(
			new Set([
				DYNAMICS_SEED_IDS.opportunities['acme-expansion'],
				DYNAMICS_SEED_IDS.opportunities['acme-renewal'],
			]),
		);
		expect(sets[1].deal.every((deal) => deal.isOpen === true)).toBe(true);
		expect(sets[2].lead.map((r) => r.id)).toEqual([DYNAMICS_SEED_IDS.leads.hank]);
		expect(batches()).toHaveLength(1);
	});

	it('matches phones stored in any format (dots, brackets, spaces, extensions) in one $batch', async () => {
		const sets = await h.provider.findMatches(
			[
				{ phones: ['+14155550101'], emails: [], domains: [] }, // stored "+1 (415) 555-0101"
				{ phones: ['+14155550102'], emails: [], domains: [] }, // stored "415.555.0102"
				{ phones: ['+442079460958'], emails: [], domains: [] }, // stored "+44 20 7946 0958"
				{ phones: ['+12125550199'], emails: [], domains: [] }, // stored "(212) 555-0199 x12"
			],
			{ kinds: ['contact'], openDealsOnly: true },
		);
		expect(sets.map((set) => set.contact.map((r) => r.id))).toEqual([
			[DYNAMICS_SEED_IDS.contacts.alice],
			[DYNAMICS_SEED_IDS.contacts.bob],
			[DYNAMICS_SEED_IDS.contacts.carol],
			[DYNAMICS_SEED_IDS.contacts.dan],
		]);
		expect(batches()).toHaveLength(1);
	});

	it('writes 450 rows in one $batch with a change set each; only the invalid row fails', async () => {
		const writes = Array.from({ length: 450 }, (_, i) => ({
			properties: {
				firstname: 'Bulk',
				lastname: i === 9 ? 'x'.repeat(51) : `Row ${i}`,
				emailaddress1: `row${i}@bulk.example`,
			},
		}));

		const results = await h.provider.upsertRecords('contact', writes);

		expect(batches()).toHaveLength(1);
		expect(webApi(h.sandbox)).toHaveLength(1);
		expect(results.filter((r) => r.ok)).toHaveLength(449);
		expect(results[9]).toMatchObject({ ok: false, error: { code: '0x80044331', status: 400 } });
		expect(h.sandbox.admin.records('dynamics', 'contact')).toHaveLength(6 + 449);

		const ids = results.flatMap((r) => (r.ok ? [r.id] : []));
		const updates = await h.provider.upsertRecords(
			'contact',
			ids.map((id) => ({ id, properties: { jobtitle: 'Buyer' } })),
		);
		expect(updates.every((r) => r.ok && !r.created)).toBe(true);
		const read = await h.provider.getRecords(
			'contacts',
			[ids[0], ids[448], '00000000-0000-4000-8000-000000000000'],
			['fullname', 'jobtitle'],
		);
		expect(read[0]?.properties).toMatchObject({ fullname: 'Bulk Row 0', jobtitle: 'Buyer' });
		expect(read[1]?.properties.jobtitle).toBe('Buyer');
		expect(read[2]).toBeUndefined();
	});

	it('refuses an upsert by a property without sending it (Dataverse has no unique person key the pack uses)', async () => {
		const before = webApi(h.sandbox).length;
		const [refused] = await h.provider.upsertRecords('contact', [
			{
				idProperty: 'emailaddress1',
				idValue: "o'hara@keys.example",
				properties: { lastname: "O'Hara" },
			},
		]);
		expect(refused).toMatchObject({
			ok: false,
			error: { message: expect.stringContaining('no upsert by a unique property') },
		});
		expect(webApi(h.sandbox)).toHaveLength(before);
	});

	it('creates a note, an appointment, a task and a phone call in one $batch and finds them again', async () => {
		const alice = ref('contact', 'contact', DYNAMICS_SEED_IDS.contacts.alice);
		const deal = ref('deal', 'opportunity', DYNAMICS_SEED_IDS.opportunities['acme-expansion']);
		const ava = DYNAMICS_SEED_IDS.users['owner-ava'];
		// Wildcard characters in the key must be matched literally by contains().
		const noteKey = 'conv-1:note:100%_[a]';
		const results = await h.provider.createActivities([
			{
				key: noteKey,
				kind: 'note',
				subject: 'Summary',
				body: 'Pricing & timing',
				targets: [alice],
			},
			{
				key: 'conv-1:meeting',
				kind: 'meeting',
				subject: 'Demo',
				body: 'Agenda',
				startAt: '2026-11-21T09:00:00Z',
				ownerId: ava,
				targets: [alice],
			},
			{
				key: 'conv-1:task:1',
				kind: 'task',
				subject: 'Send deck',
				body: 'Deck',
				dueAt: '2026-11-25',
				priority: 'high',
				targets: [deal],
			},
			{
				key: 'conv-1:call',
				kind: 'call',
				subject: 'Call',
				body: 'Talked',
				startAt: '2026-11-21T09:00:00Z',
				durationSeconds: 95,
				direction: 'inbound',
				fromNumber: '+14155550101',
				ownerId: ava,
				targets: [alice],
			},
			{ key: 'conv-1:note:two', kind: 'note', body: 'Two targets', targets: [alice, deal] },
		]);

		expect(results.slice(0, 4).map((r) => r.ok)).toEqual([true, true, true, true]);
		expect(results[4]).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
		expect(batches()).toHaveLength(1);
		const ids = results.map((r) => (r.ok ? r.id : ''));
		const note = h.sandbox.admin.records('dynamics', 'annotation')[0];
		expect(note.fields).toMatchObject({ _objectid_value: alice.id, objecttypecode: 'contact' });
		const call = h.sandbox.admin.records('dynamics', 'phonecall').find((row) => row.id === ids[3]);
		expect(call?.fields).toMatchObject({
			_regardingobjectid_value: alice.id,
			directioncode: false,
			actualdurationminutes: 2,
			phonenumber: '+14155550101',
		});
		const parties = h.sandbox.admin
			.records('dynamics', 'activityparty')
			.filter((party) => party.fields._activityid_value === ids[3]);
		expect(
			parties.map((party) => [party.fields._partyid_value, party.fields.participationtypemask]),
		).toEqual([
			[alice.id, 1],
			[ava, 2],
		]);

		h.sandbox.admin.clearRequests();
		const found = await h.provider.findActivities([
			{ kind: 'note', key: noteKey },
			{ kind: 'note', key: 'conv-1:note:100x_[a]' },
			{ kind: 'call', key: 'conv-1:call' },
			{ kind: 'task', key: 'conv-1:task:1' },
			// No key: the appointment at about that time with Alice as an attendee.
			{
				kind: 'meeting',
				startAt: '2026-11-21T09:03:00Z',
				toleranceMinutes: 5,
				contactId: alice.id,
			},
		]);
		// The whole batch of lookups is one $batch request.
		expect(h.sandbox.admin.requests('dynamics').map((r) => r.method)).toEqual(['POST']);
		expect(found.map((ref) => ref?.id)).toEqual([ids[0], undefined, ids[3], ids[2], ids[1]]);
		expect(found[3]).toMatchObject({ kind: 'deal', matchedBy: 'key' });
		expect(found[4]).toMatchObject({ matchedBy: 'startTime' });
	});

	it('updates an activity with If-Match and reports a missing one', async () => {
		const alice = ref('contact', 'contact', DYNAMICS_SEED_IDS.contacts.alice);
		const draft = {
			key: 'conv-4:task',
			kind: 'task' as const,
			subject: 'Call back',
			body: 'Soon',
			dueAt: '2026-11-30',
			targets: [alice],
		};
		const [created] = await h.provider.createActivities([draft]);
		const id = created.ok ? created.id : '';
		const results = await h.provider.updateActivities([
			{ id, draft: { ...draft, subject: 'Call back today', priority: 'high' } },
			{ id: '00000000-0000-4000-8000-0000000000ff', draft },
		]);

		expect(results[0]).toMatchObject({ ok: true, id, created: false });
		expect(results[1]).toMatchObject({ ok: false, error: { status: 404, code: '0x80040217' } });
		const task = h.sandbox.admin.records('dynamics', 'task').find((row) => row.id === id);
		expect(task?.fields).toMatchObject({
			subject: 'Call back today',
			prioritycode: 2,
			scheduledend: '2026-11-30T12:00:00Z',
		});
		expect(h.sandbox.admin.records('dynamics', 'task')).toHaveLength(1);
	});

	it('describes a table from EntityDefinitions, resolves owners and pages listChanged', async () => {
		const contact = await h.provider.describeObject('contact');
		const field = (name: string) => contact.fields.find((f) => f.name === name);
		expect(field('lastname')).toMatchObject({ required: true, type: 'string' });
		expect(field('birthdate')?.type).toBe('date');
		expect(field('emailaddress1')?.canBeUsedToMatch).toBe(true);
		expect(field('preferredcontactmethodcode')?.options).toEqual([
			{ value: '1', label: 'Any' },
			{ value: '2', label: 'Email' },
			{ value: '3', label: 'Phone' },
		]);
		expect(field('parentcustomeridname')).toBeUndefined();
		expect(batches()).toHaveLength(1);

		const owners = await h.provider.resolveOwners([
			'Ben.Okafor@sales.example',
			'ghost@sales.example',
		]);
		expect([...owners]).toEqual([
			['ben.okafor@sales.example', DYNAMICS_SEED_IDS.users['owner-ben']],
		]);

		const pages = [];
		let cursor: string | undefined;
		do {
			const page = await h.provider.listChanged({
				objectType: 'contact',
				since: '2026-01-01T00:00:00Z',
				properties: ['fullname'],
				pageSize: 4,
				cursor,
			});
			pages.push(page.records.map((record) => record.id));
			cursor = page.nextCursor;
		} while (cursor);
		expect(pages.map((page) => page.length)).toEqual([4, 2]);
		expect(new Set(pages.flat())).toEqual(new Set(Object.values(DYNAMICS_SEED_IDS.contacts)));
	});

	it('recovers from an expired token with one refresh', async () => {
		const before = h.refreshes();
		h.sandbox.admin.expireTokens('dynamics');
		const [alice] = await h.provider.getRecords(
			'contact',
			[DYNAMICS_SEED_IDS.contacts.alice],
			['fullname'],
		);

		expect(alice?.id).toBe(DYNAMICS_SEED_IDS.contacts.alice);
		expect(h.refreshes()).toBe(before + 1);
		expect(webApi(h.sandbox).map((request) => request.status)).toEqual([401, 200]);
	});
});

describe('Dynamics 365 provider under the sandbox service-protection limit', () => {
	localNetworkOnly();
	let h: Harness;

	beforeAll(async () => {
		h = await start({ rateLimits: { dynamics: { requests: 2, windowMs: 20_000 } } });
	});
	afterAll(() => h.sandbox.close());

	it('counts a $batch as one request and waits exactly Retry-After on the 429', async () => {
		await h.provider.resolveOwners(['ava.stone@sales.example']);
		const writes = await h.provider.upsertRecords(
			'account',
			Array.from({ length: 300 }, (_, i) => ({ properties: { name: `Limited ${i}` } })),
		);
		expect(writes.every((r) => r.ok)).toBe(true);
		expect(webApi(h.sandbox).map((request) => request.status)).toEqual([200, 200]);

		const sets = await h.provider.findMatches(
			[{ phones: [], emails: ['carol.hughes@globex.example'], domains: [] }],
			{ kinds: ['contact'], openDealsOnly: true },
		);

		expect(sets[0].contact.map((r) => r.id)).toEqual([DYNAMICS_SEED_IDS.contacts.carol]);
		expect(webApi(h.sandbox).map((request) => request.status)).toEqual([200, 200, 429, 200]);
		// The transport reads Dataverse's remaining-requests header: 2 per window, the last call used one.
		expect(h.provider.usage().reported).toEqual({ remaining: 1, window: '5min' });
		expect(h.waits).toEqual([20_000]);
	});
});
