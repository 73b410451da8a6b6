/**
 * Dynamics 365 activities are created exactly once under production faults, end to end on
 * the sandbox's Dataverse: every activity carries its own deterministic id, so a create sent
 * again (lost answer, 500, a Dataverse that stores after the client timed out, another
 * process replaying the same call) is refused by Dataverse as "already exists" — one record,
 * and a user's edit of it is never overwritten.
 */
import type { ActivityDraft, CrmRef } from '../../nodes/shared/model';
import type { CrmProvider } from '../../nodes/shared/providers/CrmProvider';
import { createDynamicsProvider } from '../../nodes/shared/providers/dynamics/DynamicsProvider';
import { clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';
import { DYNAMICS_SEED_IDS } from './vendors/dynamics';

const ref = (kind: CrmRef['kind'], objectType: string, id: string): CrmRef => ({
	crm: 'dynamics',
	kind,
	objectType,
	id,
});
const alice = ref('contact', 'contact', DYNAMICS_SEED_IDS.contacts.alice);
const deal = ref('deal', 'opportunity', DYNAMICS_SEED_IDS.opportunities['acme-expansion']);

/** One call's activities: a note, a task, a phone call and a meeting. */
function callDrafts(conversation: string, subject = 'Summary'): ActivityDraft[] {
	return [
		{
			key: `${conversation}:note`,
			kind: 'note',
			subject,
			body: 'Pricing & timing',
			targets: [alice],
		},
		{
			key: `${conversation}:task:0`,
			kind: 'task',
			subject: 'Send deck',
			body: 'Deck',
			dueAt: '2026-11-25',
			targets: [deal],
		},
		{
			key: `${conversation}:call`,
			kind: 'call',
			subject: 'Call',
			body: 'Talked',
			direction: 'inbound',
			fromNumber: '+14155550101',
			targets: [alice],
		},
		{
			key: `${conversation}:meeting`,
			kind: 'meeting',
			subject: 'Demo',
			body: '',
			startAt: '2026-11-26T09:00:00Z',
			targets: [alice],
		},
	];
}

const TABLES = ['annotation', 'task', 'phonecall', 'appointment'] as const;

let processes = 0;

describe('Dynamics 365 activities written once on the sandbox', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let token: string;

	/** A provider as a separate process would have it: its own transport, limiter and state. */
	function newProcess(requestTimeoutMs = 60_000): CrmProvider {
		processes += 1;
		return createDynamicsProvider({
			tokens: { getAccessToken: async () => token, refresh: async () => token },
			orgUrl: `${sandbox.url}/dynamics`,
			limiterKey: `dynamics-create-once-${processes}`,
			transport: { retry: { baseDelayMs: 10, maxDelayMs: 20, requestTimeoutMs } },
		});
	}
	const rows = (table: (typeof TABLES)[number]) => sandbox.store.list('dynamics', table);
	const counts = () => TABLES.map((table) => rows(table).length);
	const batches = () =>
		sandbox.admin.requests('dynamics').filter((request) => request.path.endsWith('/$batch'));

	beforeAll(async () => {
		sandbox = await startSandbox();
		token = await clientCredentialsToken(sandbox.url, 'dynamics');
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		sandbox.admin.reset();
		sandbox.admin.seed();
		sandbox.admin.clearRequests();
		sandbox.admin.clearFaults();
	});

	it("another process replaying the call gets the same ids, creates nothing and leaves a user's edit alone", async () => {
		const first = await newProcess().createActivities(callDrafts('conv-1'));
		expect(first.map((result) => result.ok && result.created)).toEqual([true, true, true, true]);
		const ids = first.map((result) => (result.ok ? result.id : ''));
		expect(TABLES.map((table) => rows(table).map((row) => row.id))).toEqual(ids.map((id) => [id]));
		// A user edits the note in Dynamics 365.
		sandbox.store.update('dynamics', 'annotation', ids[0], { subject: 'Edited by a user' });

		const replay = await newProcess().createActivities(
			callDrafts('conv-1', 'Summary from the replay'),
		);

		expect(replay).toEqual(ids.map((id) => ({ ok: true, id, created: false })));
		expect(counts()).toEqual([1, 1, 1, 1]);
		expect(rows('annotation')[0].fields.subject).toBe('Edited by a user');
		expect(sandbox.store.list('dynamics', 'activityparty')).toHaveLength(2);
	});

	it('the answer is lost after Dataverse stored the batch: sent again at once, 412s count as written — one record each', async () => {
		sandbox.admin.addFault({
			vendor: 'dynamics',
			pathPattern: '$batch',
			method: 'POST',
			kind: 'dropAnswer',
			count: 1,
		});
		const results = await newProcess().createActivities(callDrafts('conv-2'));
		expect(results.map((result) => result.ok && result.created)).toEqual([
			false,
			false,
			false,
			false,
		]);
		expect(counts()).toEqual([1, 1, 1, 1]);
		expect(batches().map((request) => request.status)).toEqual([0, 200]);
	});

	it('a 500 after storing, and a 500 with nothing stored: both sent again, one record each', async () => {
		sandbox.admin.addFault({
			vendor: 'dynamics',
			pathPattern: '$batch',
			method: 'POST',
			kind: 'dropAnswer',
			status: 500,
			count: 1,
		});
		const stored = await newProcess().createActivities(callDrafts('conv-3'));
		sandbox.admin.addFault({
			vendor: 'dynamics',
			pathPattern: '$batch',
			method: 'POST',
			kind: 'status',
			status: 500,
			count: 1,
		});
		const notStored = await newProcess().createActivities(callDrafts('conv-4'));

		expect(stored.every((result) => result.ok && !result.created)).toBe(true);
		expect(notStored.every((result) => result.ok && result.created)).toBe(true);
		expect(counts()).toEqual([2, 2, 2, 2]);
		expect(batches().map((request) => request.status)).toEqual([500, 200, 500, 200]);
	});

	it('Dataverse holds the batch past the client\'s deadline and stores it later: the retry writes it, the held one lands as "exists" — one record each', async () => {
		sandbox.admin.addFault({
			vendor: 'dynamics',
			pathPattern: '$batch',
			method: 'POST',
			kind: 'slow',
			delayMs: 1500,
			count: 1,
		});
		const results = await newProcess(300).createActivities(callDrafts('conv-5'));

		expect(results.every((result) => result.ok)).toBe(true);
		expect(counts()).toEqual([1, 1, 1, 1]);
		// The held request is answered (and logged) once Dataverse has carried it out.
		for (let waited = 0; batches().length < 2 && waited < 5000; waited += 50)
			await new Promise((resolve) => setTimeout(resolve, 50));
		expect(batches()).toHaveLength(2);
		expect(counts()).toEqual([1, 1, 1, 1]);
		expect(sandbox.store.list('dynamics', 'activityparty')).toHaveLength(2);
	});

	it('finds activities by their id, older ones (written before ids were deterministic) by key, and nothing else', async () => {
		const provider = newProcess();
		const [, task, call] = callDrafts('conv-6');
		expect(await provider.createActivities([task])).toMatchObject([{ ok: true }]);
		// A phone call from an earlier version of the pack: a Dataverse-assigned id, the key in subcategory.
		const legacy = await fetch(`${sandbox.url}/dynamics/api/data/v9.2/phonecalls`, {
			method: 'POST',
			headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
			body: JSON.stringify({
				subject: 'Old call',
				subcategory: call.key,
				'regardingobjectid_contact_phonecall@odata.bind': `/contacts(${alice.id})`,
			}),
		});
		const legacyId = /\(([^)]+)\)$/.exec(legacy.headers.get('odata-entityid') ?? '')?.[1];
		sandbox.admin.clearRequests();

		const found = await provider.findActivitiesByKey([task, call, callDrafts('conv-7')[0]]);

		expect(found).toEqual([
			{ status: 'found', id: rows('task')[0].id },
			{ status: 'found', id: legacyId },
			{ status: 'absent' },
		]);
		expect(batches()).toHaveLength(1);
	});
});
