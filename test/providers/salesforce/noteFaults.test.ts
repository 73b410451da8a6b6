/**
 * Salesforce notes under production faults, on the sandbox (real HTTP, jsforce, the shared
 * transport): the Composite Graph call's answer lost after Salesforce stored the notes, a 500
 * or reset with nothing stored, and a Salesforce that stores after the client gave up.
 * Every test asserts the sandbox's records: each note once, with all its links.
 */
import type { CrmProvider } from '../../../nodes/shared/providers/CrmProvider';
import { createSalesforceProvider } from '../../../nodes/shared/providers/salesforce';
import type { ActivityDraft, CrmRef } from '../../../nodes/shared/model';
import { clientCredentialsToken } from '../../sandbox/helpers';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import { SALESFORCE_SEED_IDS, salesforceId } from '../../sandbox/vendors/salesforce';
import { localNetworkOnly, uniqueLimiterKey, virtualClock } from './fakeSalesforce';

const ref = (kind: CrmRef['kind'], objectType: string, id: string): CrmRef => ({
	crm: 'salesforce',
	kind,
	objectType,
	id,
});
const ALICE = ref('contact', 'Contact', SALESFORCE_SEED_IDS.contacts.alice);
const BOB = ref('contact', 'Contact', SALESFORCE_SEED_IDS.contacts.bob);
const DEAL = ref('deal', 'Opportunity', SALESFORCE_SEED_IDS.opportunities['acme-expansion']);

const note = (key: string, targets: CrmRef[], body = `Summary of ${key}`): ActivityDraft => ({
	key,
	kind: 'note',
	subject: 'Call outbound 2026-11-20',
	body,
	targets,
});

describe('Salesforce notes under faults (sandbox)', () => {
	let sandbox: SandboxHandle;
	let token: string;
	beforeAll(localNetworkOnly);
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
		token = await clientCredentialsToken(sandbox.url, 'salesforce');
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		sandbox.admin.reset();
		sandbox.admin.seed();
		sandbox.admin.clearRequests();
		sandbox.admin.clearFaults();
	});

	function provider(
		options: { noteStyle?: 'contentNote' | 'legacyNote'; requestTimeoutMs?: number } = {},
	): CrmProvider {
		const clock = virtualClock();
		return createSalesforceProvider({
			tokens: {
				getAccessToken: async () => token,
				refresh: async () => (token = await clientCredentialsToken(sandbox.url, 'salesforce')),
			},
			instanceUrl: `${sandbox.url}/salesforce`,
			limiterKey: uniqueLimiterKey(),
			noteStyle: options.noteStyle,
			transport: {
				sleep: clock.sleep,
				now: clock.now,
				...(options.requestTimeoutMs
					? { retry: { requestTimeoutMs: options.requestTimeoutMs } }
					: {}),
			},
		});
	}

	const notes = () => sandbox.admin.records('salesforce', 'ContentNote');
	const linksOf = (noteId: string) =>
		sandbox.admin
			.records('salesforce', 'ContentDocumentLink')
			.filter((link) => link.fields.ContentDocumentId === noteId)
			.map((link) => String(link.fields.LinkedEntityId))
			.sort();
	const calls = () =>
		sandbox.admin
			.requests('salesforce')
			.map(
				(request) =>
					`${request.method} ${request.route?.replace(/^.*:version/, '') ?? request.path} ${request.status}`,
			);

	it('stores each note with all its links in one call', async () => {
		const results = await provider().createActivities([
			note('k-1', [ALICE, DEAL]),
			note('k-2', [BOB]),
		]);
		const ids = results.map((result) => (result.ok ? result.id : ''));
		expect(ids.every((id) => id.startsWith('069'))).toBe(true);
		expect(linksOf(ids[0])).toEqual([ALICE.id, DEAL.id].sort());
		expect(linksOf(ids[1])).toEqual([BOB.id]);
		expect(calls()).toEqual(['POST /composite/graph 200']);
	});

	it('a lost answer after Salesforce stored the notes: found through their links, not sent again', async () => {
		sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: 'composite/graph',
			method: 'POST',
			kind: 'dropAnswer',
			count: 1,
		});

		const results = await provider().createActivities([
			note('lost-1', [ALICE, DEAL]),
			note('lost-2', [BOB]),
		]);

		expect(notes()).toHaveLength(2);
		expect(results).toEqual(notes().map((stored) => ({ ok: true, id: stored.id, created: true })));
		expect(linksOf(notes()[0].id)).toEqual([ALICE.id, DEAL.id].sort());
		expect(calls()).toEqual([
			// Stored, then the connection dropped before the answer.
			'POST /composite/graph 0',
			'GET /query 200',
			'GET /sobjects/:type/:id/:field 200',
			'GET /sobjects/:type/:id/:field 200',
		]);
	});

	it('a lost answer (500) for the legacy Note style: every target’s Note found, none written twice', async () => {
		sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: 'composite/graph',
			method: 'POST',
			kind: 'dropAnswer',
			status: 500,
			count: 1,
		});
		const [result] = await provider({ noteStyle: 'legacyNote' }).createActivities([
			note('legacy-1', [ALICE, DEAL]),
		]);
		const stored = sandbox.admin.records('salesforce', 'Note');
		expect(stored.map((row) => row.fields.ParentId).sort()).toEqual([ALICE.id, DEAL.id].sort());
		expect(result).toEqual({
			ok: true,
			id: stored.find((row) => row.fields.ParentId === ALICE.id)?.id,
			created: true,
		});
	});

	it.each([
		['a 500', { kind: 'status' as const, status: 500 as const }],
		['a reset', { kind: 'reset' as const }],
	])(
		'%s with nothing stored: looked up, found absent, sent again in the same call — each note once',
		async (_, fault) => {
			sandbox.admin.addFault({
				vendor: 'salesforce',
				pathPattern: 'composite/graph',
				method: 'POST',
				count: 1,
				...fault,
			});
			const results = await provider().createActivities([
				note('retry-1', [ALICE]),
				note('retry-2', [BOB, DEAL]),
			]);
			expect(results.every((result) => result.ok)).toBe(true);
			expect(notes()).toHaveLength(2);
			const graphCalls = calls().filter((line) => line.startsWith('POST /composite/graph'));
			expect(graphCalls).toEqual([
				`POST /composite/graph ${fault.kind === 'reset' ? 0 : 500}`,
				'POST /composite/graph 200',
			]);
		},
	);

	it('a lost answer where one graph had failed: the stored note stands in, the other stays uncertain (never sent blindly)', async () => {
		sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: 'composite/graph',
			method: 'POST',
			kind: 'dropAnswer',
			count: 1,
		});
		// Linked to a record that does not exist: that graph fails and stores nothing.
		const missing = ref('contact', 'Contact', salesforceId('Contact', 999));
		const results = await provider().createActivities([
			note('partial-ok', [ALICE]),
			note('partial-bad', [missing]),
		]);
		expect(notes()).toHaveLength(1);
		expect(results[0]).toEqual({ ok: true, id: notes()[0].id, created: true });
		expect(results[1]).toEqual({
			ok: false,
			error: {
				uncertain: true,
				message: expect.stringMatching(
					/answer was lost.*not found, and Salesforce may still be storing it/,
				),
			},
		});
		expect(calls().filter((line) => line.startsWith('POST'))).toHaveLength(1);
	});

	it('Salesforce stores after the client timed out: uncertain and not re-sent; a later lookup finds the note', async () => {
		sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: 'composite/graph',
			method: 'POST',
			kind: 'slow',
			delayMs: 1500,
			count: 1,
		});
		const p = provider({ requestTimeoutMs: 400 });
		const draft = note('late-1', [ALICE, DEAL]);

		const [result] = await p.createActivities([draft]);

		expect(result).toMatchObject({
			ok: false,
			error: { uncertain: true, message: expect.stringMatching(/may still be carrying it out/) },
		});
		// Looked up while Salesforce still held the request: not found, and still not sent again.
		expect(calls()).toEqual(['GET /query 200']);
		await new Promise((resolve) => setTimeout(resolve, 2000));
		expect(calls()).toEqual(['GET /query 200', 'POST /composite/graph 200']);
		expect(notes()).toHaveLength(1);
		expect(await p.findActivitiesByKey([draft])).toEqual([{ status: 'found', id: notes()[0].id }]);
		expect(linksOf(notes()[0].id)).toEqual([ALICE.id, DEAL.id].sort());
	});

	it('lookups tell notes apart by key on shared targets and titles, and see a note the moment it is stored', async () => {
		const p = provider();
		const first = note('same-title-1', [ALICE]);
		const second = note('same-title-2', [ALICE, DEAL]);
		expect(await p.findActivitiesByKey([first, second])).toEqual([
			{ status: 'absent' },
			{ status: 'absent' },
		]);
		const [written] = await p.createActivities([first]);
		expect(await p.findActivitiesByKey([first, second])).toEqual([
			{ status: 'found', id: written.ok ? written.id : '' },
			{ status: 'absent' },
		]);
	});
});
