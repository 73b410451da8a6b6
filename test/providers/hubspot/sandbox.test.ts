/**
 * The HubSpot provider against the local CRM sandbox (127.0.0.1): the same code path as
 * production — SDK, transport, real HTTP — on HubSpot-shaped seeded data.
 */
import type { CrmProvider } from '../../../nodes/shared/providers/CrmProvider';
import { createHubSpotProvider } from '../../../nodes/shared/providers/hubspot/HubSpotProvider';
import { clientCredentialsToken, localNetworkOnly } from '../../sandbox/helpers';
import { HUBSPOT_SEED_IDS, startSandbox, type SandboxHandle } from '../../sandbox/server';
import { findOneActivity } from '../../support/findOneActivity';

describe('HubSpot provider on the sandbox', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let provider: CrmProvider;

	beforeAll(async () => {
		sandbox = await startSandbox({ rateLimits: { hubspot: false } });
		const token = await clientCredentialsToken(sandbox.url, 'hubspot');
		provider = createHubSpotProvider({
			tokens: {
				getAccessToken: async () => token,
				refresh: async () => clientCredentialsToken(sandbox.url, 'hubspot'),
			},
			apiBaseUrl: `${sandbox.url}/hubspot`,
			limiterKey: `hubspot-sandbox-${sandbox.port}`,
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.admin.seed('hubspot'));

	it('matches a nationally stored phone and an email in one contact search, with companies and open deals', async () => {
		sandbox.admin.clearRequests();
		const sets = await provider.findMatches(
			[
				// Bob's phone is stored as "415.555.0102": found through the calculated national digits.
				{ phones: ['+14155550102'], emails: [], domains: [] },
				{ phones: [], emails: ['Alice.Nguyen@acme.example'], domains: [] },
			],
			{ kinds: ['contact', 'company', 'deal'], openDealsOnly: true },
		);

		expect(sets[0]?.contact.map((ref) => ref.id)).toEqual([HUBSPOT_SEED_IDS.contacts.bob]);
		expect(sets[1]?.contact.map((ref) => ref.id)).toEqual([HUBSPOT_SEED_IDS.contacts.alice]);
		// Bob: Acme as his primary company; Alice: Acme by her e-mail domain (and as her primary).
		expect(sets[0]?.company.map((ref) => [ref.id, ref.matchedBy])).toEqual([
			[HUBSPOT_SEED_IDS.companies.acme, 'association'],
		]);
		expect(sets[1]?.company.map((ref) => [ref.id, ref.matchedBy])).toEqual([
			[HUBSPOT_SEED_IDS.companies.acme, 'domain'],
		]);
		// Both reach Acme's open deals, expansion and renewal (the won pilot is closed).
		for (const set of sets)
			expect(new Set(set?.deal.map((ref) => ref.id))).toEqual(
				new Set([HUBSPOT_SEED_IDS.deals['acme-expansion'], HUBSPOT_SEED_IDS.deals['acme-renewal']]),
			);
		const paths = sandbox.admin.requests('hubspot').map((request) => request.path);
		expect(paths.filter((path) => path.endsWith('/contacts/search'))).toHaveLength(1);
		// Acme was read by id; acme.example is its domain, so no companies search.
		expect(paths.filter((path) => path.endsWith('/companies/batch/read'))).toHaveLength(1);
		expect(paths.filter((path) => path.endsWith('/companies/search'))).toHaveLength(0);
	});

	it('creates a note on a contact, then finds it again by its key', async () => {
		const key = 'crmsync:sandbox-conv:note:summary';
		const [result] = await provider.createActivities([
			{
				key,
				kind: 'note',
				body: 'Discussed <pricing> & timing',
				startAt: '2026-11-21T09:00:00Z',
				targets: [
					{
						crm: 'hubspot',
						kind: 'contact',
						objectType: 'contacts',
						id: HUBSPOT_SEED_IDS.contacts.alice!,
					},
				],
			},
		]);
		expect(result?.ok).toBe(true);

		const found = await findOneActivity(provider, { kind: 'note', key });

		expect(found?.id).toBe(result?.ok ? result.id : 'missing');
		expect(
			await findOneActivity(provider, { kind: 'note', key: 'crmsync:other:note:summary' }),
		).toBeUndefined();
	});

	it('creates a call, a meeting and a task the sandbox validates, and finds the meeting by start time on the contact', async () => {
		const alice = {
			crm: 'hubspot' as const,
			kind: 'contact' as const,
			objectType: 'contacts',
			id: HUBSPOT_SEED_IDS.contacts.alice!,
		};
		const results = await provider.createActivities([
			{
				key: 'k-call',
				kind: 'call',
				subject: 'Inbound',
				body: 'Call',
				startAt: '2026-11-21T09:00:00Z',
				durationSeconds: 60,
				direction: 'inbound',
				targets: [alice],
			},
			{
				key: 'k-meeting',
				kind: 'meeting',
				subject: 'Demo',
				body: 'Notes',
				startAt: '2026-11-21T09:00:00Z',
				activityType: 'Demo',
				outcome: 'completed',
				targets: [alice],
			},
			{
				key: 'k-task',
				kind: 'task',
				subject: 'Follow up',
				body: 'Send deck',
				dueAt: '2026-11-25',
				priority: 'normal',
				targets: [alice],
			},
		]);
		expect(results.every((result) => result.ok)).toBe(true);

		const meeting = await findOneActivity(provider, {
			kind: 'meeting',
			startAt: '2026-11-21T09:03:00Z',
			toleranceMinutes: 5,
			contactId: alice.id,
		});
		const byKey = await findOneActivity(provider, { kind: 'call', key: 'k-call' });

		expect(meeting?.id).toBe(results[1]?.ok ? results[1].id : 'missing');
		expect(byKey?.id).toBe(results[0]?.ok ? results[0].id : 'missing');
	});

	it('looks a batch of meetings up in one search, and reads the contacts of hits inside two contacts’ windows', async () => {
		const contact = (id: string) => ({
			crm: 'hubspot' as const,
			kind: 'contact' as const,
			objectType: 'contacts',
			id,
		});
		const alice = contact(HUBSPOT_SEED_IDS.contacts.alice!);
		const bob = contact(HUBSPOT_SEED_IDS.contacts.bob!);
		const meeting = (key: string, startAt: string, target: typeof alice) => ({
			key,
			kind: 'meeting' as const,
			subject: key,
			body: 'Notes',
			startAt,
			targets: [target],
		});
		const written = await provider.createActivities([
			meeting('mb-alice-9', '2026-11-22T09:00:00Z', alice),
			meeting('mb-bob-9', '2026-11-22T09:02:00Z', bob),
			meeting('MB-Alice-15', '2026-11-22T15:00:00Z', alice),
		]);
		const ids = written.map((result) => (result.ok ? result.id : 'failed'));

		sandbox.admin.clearRequests();
		const found = await provider.findActivities([
			// Alice's 09:00 meeting is the closest to Bob's lookup, but it is not with Bob.
			{ kind: 'meeting', startAt: '2026-11-22T09:01:00Z', toleranceMinutes: 5, contactId: bob.id },
			{
				kind: 'meeting',
				startAt: '2026-11-22T09:01:00Z',
				toleranceMinutes: 5,
				contactId: alice.id,
			},
			{ kind: 'meeting', key: 'MB-Alice-15', contactId: alice.id },
			{ kind: 'meeting', key: 'mb-none', startAt: '2026-11-22T12:00:00Z', contactId: alice.id },
		]);

		expect(found.map((ref) => [ref?.id, ref?.matchedBy])).toEqual([
			[ids[1], 'startTime'],
			[ids[0], 'startTime'],
			[ids[2], 'key'],
			[undefined, undefined],
		]);
		// One search (the keys, Alice's windows of the day, Bob's window) and one association
		// read for the two hits both contacts' windows contain.
		// HubSpot wants lower-case values in IN filters on text; the exact key is confirmed client-side.
		const search = sandbox.admin.requests('hubspot')[0].body as {
			filterGroups: Array<{ filters: Array<{ values?: string[] }> }>;
		};
		expect(search.filterGroups[0].filters[0].values).toEqual(['mb-alice-15', 'mb-none']);
		expect(sandbox.admin.requests('hubspot').map((request) => request.route)).toEqual([
			'/hubspot/crm/v3/objects/:objectType/search',
			expect.stringMatching(/associations/),
		]);
	});

	it('upserts contacts by email, reads them back and lists them as changed', async () => {
		const results = await provider.upsertRecords('contacts', [
			{
				idProperty: 'email',
				idValue: 'alice.nguyen@acme.example',
				properties: { jobtitle: 'COO' },
			},
			{ idProperty: 'email', idValue: 'new.person@acme.example', properties: { firstname: 'New' } },
		]);
		expect(results.map((result) => (result.ok ? result.created : result.error.message))).toEqual([
			false,
			true,
		]);

		const ids = results.map((result) => (result.ok ? result.id : ''));
		const records = await provider.getRecords('contacts', ids, ['email', 'jobtitle']);
		expect(records.map((record) => record?.properties.email)).toEqual([
			'alice.nguyen@acme.example',
			'new.person@acme.example',
		]);
		expect(records[0]?.properties.jobtitle).toBe('COO');

		const page = await provider.listChanged({
			objectType: 'contacts',
			since: '2026-06-01T00:00:00Z',
			properties: ['email'],
		});
		expect(new Set(page.records.map((record) => record.id))).toEqual(new Set(ids));
	});

	it('describes objects and resolves owners from the sandbox', async () => {
		const meetings = await provider.describeObject('meetings', { refresh: true });
		const types = meetings.fields.find((field) => field.name === 'hs_activity_type');
		expect(types?.options?.map((option) => option.value)).toEqual([
			'Discovery call',
			'Demo',
			'Follow-up',
			'Negotiation',
		]);

		const owners = await provider.resolveOwners([
			'Ava.Stone@sales.example',
			'nobody@sales.example',
		]);
		expect([...owners.keys()]).toEqual(['ava.stone@sales.example']);
		expect(owners.get('ava.stone@sales.example')).toBe(HUBSPOT_SEED_IDS.owners['owner-ava']);
	});
});
