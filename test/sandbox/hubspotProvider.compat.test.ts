/**
 * Compatibility: the pack's own HubSpot provider, unmodified, against the sandbox
 * (what e2e and the demo do). Proves the sandbox answers the way the provider expects.
 */
import type { CrmRef } from '../../nodes/shared/model';
import { createHubSpotProvider } from '../../nodes/shared/providers/hubspot';
import type { TokenSource } from '../../nodes/shared/transport/types';
import { localNetworkOnly } from './helpers';
import { HUBSPOT_SEED_IDS, startSandbox, type SandboxHandle } from './server';
import { findOneActivity } from '../support/findOneActivity';

describe('HubSpot provider against the sandbox', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let limiter = 0;

	beforeAll(async () => {
		sandbox = await startSandbox({ rateLimits: { hubspot: false } });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.admin.seed('hubspot'));

	function provider() {
		const tokens: TokenSource = {
			getAccessToken: async () => 'pat-na1-compat',
			refresh: async () => 'pat-na1-compat',
		};
		return createHubSpotProvider({
			tokens,
			apiBaseUrl: `${sandbox.url}/hubspot`,
			limiterKey: `sandbox-compat-${++limiter}`,
			transport: { sleep: async () => undefined },
		});
	}

	it('matches participants by E.164 phone, email and domain, with open deals of the matches', async () => {
		const [alice, bob, carolByEmail, nobody] = await provider().findMatches(
			[
				{ phones: ['+14155550101'], emails: [], domains: [] },
				{ phones: ['+14155550102'], emails: [], domains: [] },
				{ phones: [], emails: ['carol.hughes@globex.example'], domains: [] },
				{ phones: ['+15550000000'], emails: [], domains: [] },
			],
			{ kinds: ['contact', 'company', 'deal'], openDealsOnly: true },
		);
		const ids = (refs: CrmRef[]) => refs.map((r) => r.id).sort();
		expect(ids(alice.contact)).toEqual([HUBSPOT_SEED_IDS.contacts.alice]);
		expect(ids(alice.deal)).toEqual(
			[HUBSPOT_SEED_IDS.deals['acme-expansion'], HUBSPOT_SEED_IDS.deals['acme-renewal']].sort(),
		);
		// Bob's phone is stored as '415.555.0102': found through the calculated searchable number.
		expect(ids(bob.contact)).toEqual([HUBSPOT_SEED_IDS.contacts.bob]);
		expect(ids(carolByEmail.contact)).toEqual([HUBSPOT_SEED_IDS.contacts.carol]);
		expect(nobody.contact).toEqual([]);
		const calls = sandbox.admin.counters().vendors.hubspot!.routes;
		expect(calls['POST /hubspot/crm/v3/objects/:objectType/search']).toBeGreaterThan(0);
	});

	it('creates a note associated to a contact and a deal, and describes meeting types', async () => {
		const p = provider();
		const contact: CrmRef = {
			crm: 'hubspot',
			kind: 'contact',
			objectType: 'contacts',
			id: HUBSPOT_SEED_IDS.contacts.alice,
		};
		const deal: CrmRef = {
			crm: 'hubspot',
			kind: 'deal',
			objectType: 'deals',
			id: HUBSPOT_SEED_IDS.deals['acme-expansion'],
		};
		const [written] = await p.createActivities([
			{
				key: 'conv-1:note:summary',
				kind: 'note',
				conversationId: 'conv-1',
				body: 'Summary <b>with</b> markup',
				startAt: '2026-11-21T09:00:00Z',
				targets: [contact, deal],
			},
		]);
		expect(written).toMatchObject({ ok: true, created: true });
		const notes = sandbox.admin.records('hubspot', 'notes');
		expect(notes).toHaveLength(1);
		const links = sandbox.store
			.linksFrom('hubspot', 'notes', notes[0].id)
			.map((l) => [l.toType, l.typeId]);
		expect(links.sort()).toEqual([
			['contacts', 202],
			['deals', 214],
		]);

		const meetings = await p.describeObject('meetings');
		const type = meetings.fields.find((f) => f.name === 'hs_activity_type');
		expect(type?.options?.map((o) => o.value)).toEqual([
			'Discovery call',
			'Demo',
			'Follow-up',
			'Negotiation',
		]);
		const owners = await p.resolveOwners(['chloe.martin@sales.example', 'nobody@sales.example']);
		expect([...owners.entries()]).toEqual([
			['chloe.martin@sales.example', HUBSPOT_SEED_IDS.owners['owner-chloe']],
		]);
	});

	it('writes a meeting, a call and a task with their keys, and finds each again by key (replay-safe)', async () => {
		const p = provider();
		const contact: CrmRef = {
			crm: 'hubspot',
			kind: 'contact',
			objectType: 'contacts',
			id: HUBSPOT_SEED_IDS.contacts.carol,
		};
		const company: CrmRef = {
			crm: 'hubspot',
			kind: 'company',
			objectType: 'companies',
			id: HUBSPOT_SEED_IDS.companies.globex,
		};
		const results = await p.createActivities([
			{
				key: 'conv-9:meeting',
				kind: 'meeting',
				conversationId: 'conv-9',
				subject: 'Discovery',
				body: 'Agenda',
				startAt: '2026-11-21T09:00:00Z',
				durationSeconds: 1800,
				activityType: 'Discovery call',
				outcome: 'completed',
				targets: [contact, company],
			},
			{
				key: 'conv-9:call',
				kind: 'call',
				conversationId: 'conv-9',
				subject: 'Inbound call',
				body: 'Talked pricing',
				startAt: '2026-11-21T09:00:00Z',
				durationSeconds: 300,
				direction: 'inbound',
				fromNumber: '+442079460958',
				targets: [contact],
			},
			{
				key: 'conv-9:task:0',
				kind: 'task',
				conversationId: 'conv-9',
				subject: 'Send quote',
				body: 'Quote for 40 seats',
				dueAt: '2026-11-25',
				priority: 'high',
				targets: [contact],
			},
		]);
		expect(results.map((r) => r.ok)).toEqual([true, true, true]);
		expect(sandbox.admin.records('hubspot', 'calls')[0].fields).toMatchObject({
			hs_call_duration: '300000',
			hs_call_direction: 'INBOUND',
			hs_call_external_id: 'conv-9:call',
		});
		expect(sandbox.admin.records('hubspot', 'meetings')[0].fields).toMatchObject({
			hs_activity_type: 'Discovery call',
			hs_meeting_outcome: 'COMPLETED',
		});

		for (const kind of ['meeting', 'call', 'task'] as const) {
			const key = kind === 'task' ? 'conv-9:task:0' : `conv-9:${kind}`;
			const found = await findOneActivity(p, { kind, key });
			const stored = sandbox.admin.records('hubspot', `${kind}s`);
			expect(found?.id).toBe(stored[0].id);
		}
	});
});
