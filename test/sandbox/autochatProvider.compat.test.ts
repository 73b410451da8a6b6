/** Compatibility: the pack's autoch.at provider, unmodified, against the sandbox. */
import { createAutochatProvider } from '../../nodes/shared/providers/autochat';
import { localNetworkOnly } from './helpers';
import { AUTOCHAT_SEED_IDS, startSandbox, type SandboxHandle } from './server';
import { findOneActivity } from '../support/findOneActivity';

describe('autoch.at provider against the sandbox', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let limiter = 0;

	beforeAll(async () => {
		sandbox = await startSandbox({ rateLimits: { autochat: false } });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.admin.seed('autochat'));

	const provider = () =>
		createAutochatProvider({
			apiKey: 'ak_compat',
			baseUrl: `${sandbox.url}/autochat/v1`,
			limiterKey: `autochat-compat-${++limiter}`,
			transport: { sleep: async () => undefined },
		});

	it('matches clients by phone and email, writes a note activity once and finds it again by key', async () => {
		const p = provider();
		const [byPhone, byEmail] = await p.findMatches(
			[
				{ phones: ['+442079460958'], emails: [], domains: [] },
				{ phones: [], emails: ['grace.kim@umbrella.example'], domains: [] },
			],
			{ kinds: ['contact'], openDealsOnly: true },
		);
		expect(byPhone.contact.map((c) => c.id)).toEqual([AUTOCHAT_SEED_IDS.carol]);
		expect(byEmail.contact.map((c) => c.id)).toEqual([AUTOCHAT_SEED_IDS.grace]);

		const target = byPhone.contact[0];
		const [written] = await p.createActivities([
			{
				key: 'conv-7:note:summary',
				kind: 'note',
				conversationId: 'conv-7',
				body: 'Wants a quote for 40 seats.',
				startAt: '2026-11-21T09:30:00Z',
				targets: [target],
			},
		]);
		expect(written.ok).toBe(true);
		const stored = sandbox.admin.records('autochat', 'activities');
		expect(stored).toHaveLength(1);
		expect(stored[0].fields).toMatchObject({
			client_id: AUTOCHAT_SEED_IDS.carol,
			type: 'note',
			external_id: 'conv-7:note:summary',
		});

		const found = await findOneActivity(p, {
			kind: 'note',
			key: 'conv-7:note:summary',
			contactId: AUTOCHAT_SEED_IDS.carol,
		});
		expect(found?.id).toBe(stored[0].id);
	});
});
