/**
 * Issue 3's shared provider contract: ONE suite, the same test bodies, run against the
 * HubSpot, Salesforce, Dynamics 365 and autoch.at providers — each built by its real factory
 * and talking real HTTP to one local CRM sandbox. Waits are recorded by an injected sleep
 * (and advance a test clock) instead of sleeping; call counts come from the sandbox log.
 */
import { hasForbiddenCharacters, TRUNCATION_MARKER } from '../../../nodes/shared/logic/text';
import type { CrmRef } from '../../../nodes/shared/model';
import type {
	CrmProvider,
	MatchQuery,
	WriteResult,
} from '../../../nodes/shared/providers/CrmProvider';
import { CrmRequestError } from '../../../nodes/shared/transport/errors';
import { localNetworkOnly } from '../../sandbox/helpers';
import { startSandbox, type SandboxHandle } from '../../sandbox/server';
import {
	FIXTURES,
	type CountingTokens,
	type ProviderFixture,
	type ProviderOptions,
} from './fixtures';
import { findOneActivity } from '../../support/findOneActivity';

const contactsOnly = { kinds: ['contact' as const], openDealsOnly: true };
const byPhone = (phone: string): MatchQuery => ({ phones: [phone], emails: [], domains: [] });
const byEmail = (email: string): MatchQuery => ({ phones: [], emails: [email], domains: [] });

const HOSTILE = ["' OR Name LIKE '%", "x'); DROP--@evil.example", '} RETURNING User(Id)'];

const TRUNCATED = TRUNCATION_MARKER.trim();
const LONG_LINE = 'A long transcript line with the details of the call.';
/** About 200,000 characters of transcript, one line after another. */
const LONG_BODY = `${LONG_LINE}\n`.repeat(Math.ceil(200_000 / (LONG_LINE.length + 1)));
const char = (code: number) => String.fromCharCode(code);

async function aliceOf(p: CrmProvider): Promise<CrmRef> {
	const [set] = await p.findMatches([byPhone('+14155550101')], contactsOnly);
	return set.contact[0];
}

function createdId(result: WriteResult | undefined): string {
	expect(result).toMatchObject({ ok: true });
	return result?.ok ? result.id : '';
}

describe.each(FIXTURES.map((fixture) => [fixture.vendor, fixture] as const))(
	'provider contract: %s',
	(vendor, fixture: ProviderFixture) => {
		localNetworkOnly();
		let sandbox: SandboxHandle;
		let tokens: CountingTokens;
		const waits: number[] = [];
		let clock = Date.parse('2026-11-21T08:00:00Z');
		const now = () => clock;
		const transport = {
			now,
			random: () => 1,
			sleep: async (ms: number) => {
				waits.push(ms);
				clock += ms;
			},
		};
		const provider = (options?: ProviderOptions) =>
			fixture.create(sandbox, transport, tokens, options);
		const apiRequests = () =>
			sandbox.admin.requests(vendor).filter((request) => request.path.includes(fixture.apiPath));

		beforeAll(async () => {
			// No rate limits: the suite asserts call counts and injected faults, not the sandbox's windows.
			sandbox = await startSandbox({ port: 0, now, rateLimits: { [vendor]: false } });
			tokens = await fixture.tokens(sandbox);
		});
		afterAll(() => sandbox.close());
		beforeEach(() => {
			sandbox.admin.seed(vendor);
			sandbox.admin.clearFaults();
			sandbox.admin.clearRequests();
			waits.length = 0;
		});

		it('matches Alice by a differently formatted phone and Bob by email in one findMatches call, confirming each hit', async () => {
			const sets = await provider().findMatches(
				[byPhone('+14155550101'), byEmail('bob.ramirez@acme.example'), byPhone('+14155550199')],
				contactsOnly,
			);

			expect(sets).toHaveLength(3);
			expect(sets[0].contact.map((hit) => [hit.id, hit.matchedBy])).toEqual([
				[fixture.seeded.alice, 'phone'],
			]);
			expect(sets[1].contact.map((hit) => [hit.id, hit.matchedBy])).toEqual([
				[fixture.seeded.bob, 'email'],
			]);
			// A near miss (same prefix, different line) is not a match.
			expect(sets[2].contact).toEqual([]);
		});

		it('writes N records in exactly ceil(N / batchSize.write) write calls, results aligned with inputs', async () => {
			const p = provider();
			const n = fixture.batchRecords;
			const writes = Array.from({ length: n }, (_, i) => fixture.contact(i));

			const results = await p.upsertRecords(fixture.contactType, writes);

			const expectedCalls = Math.ceil(n / p.profile.writeBatchSize);
			expect(sandbox.admin.requests(vendor).filter(fixture.isWriteCall)).toHaveLength(
				expectedCalls,
			);
			expect(results).toHaveLength(n);
			expect(results.every((result) => result.ok && result.created)).toBe(true);
			// Alignment: reading result[i]'s id back gives input i's email.
			const picks = [0, Math.floor(n / 2), n - 1];
			const ids = picks.map((i) => (results[i].ok ? (results[i] as { id: string }).id : ''));
			const read = await p.getRecords(fixture.contactType, ids, [fixture.readProperty]);
			expect(read.map((record) => record?.properties[fixture.readProperty])).toEqual(
				picks.map((i) => `contract.${i}@bulk.example`),
			);
		});

		it('fails only the invalid record of a batch, with the CRM message', async () => {
			const writes = [fixture.contact(0), fixture.invalidContact, fixture.contact(2)];

			const results = await provider().upsertRecords(fixture.contactType, writes);

			expect(results.map((result) => result.ok)).toEqual([true, false, true]);
			const failure = results[1];
			expect(failure.ok).toBe(false);
			if (!failure.ok) expect(failure.error.message).toMatch(fixture.invalidMessage);
		});

		it('creates a note bound to Alice', async () => {
			const p = provider();
			const [aliceSet] = await p.findMatches([byPhone('+14155550101')], contactsOnly);
			const alice = aliceSet.contact[0];
			expect(alice.id).toBe(fixture.seeded.alice);

			const [note] = await p.createActivities([
				{
					key: `contract:${vendor}:note`,
					kind: 'note',
					body: 'Asked for a quote.',
					startAt: '2026-11-21T09:00:00Z',
					targets: [alice],
				},
			]);

			expect(note.ok).toBe(true);
			const noteId = note.ok ? note.id : '';
			expect(fixture.noteTargets(sandbox, noteId)).toContain(fixture.seeded.alice);
		});

		it('stores a 200,000-character note cut to the field with the marker, its key still findable', async () => {
			const p = provider();
			const alice = await aliceOf(p);
			const key = `contract:${vendor}:long-note`;

			const [note] = await p.createActivities([
				{ key, kind: 'note', body: LONG_BODY, startAt: '2026-11-21T09:00:00Z', targets: [alice] },
			]);

			const id = createdId(note);
			const stored = fixture.storedNote(sandbox, id);
			expect(stored.length).toBeLessThanOrEqual(fixture.noteLimit);
			// Cut near the limit, not far before it: the room is used.
			expect(stored.length).toBeGreaterThan(fixture.noteLimit * 0.9);
			expect(stored).toContain(LONG_LINE);
			expect(stored.split(TRUNCATED)).toHaveLength(2);
			if (fixture.findsNotesByKey) {
				const found = await findOneActivity(p, { kind: 'note', key, contactId: alice.id });
				expect(found?.id).toBe(id);
			} else {
				expect(stored.endsWith(fixture.noteKeyText?.(key) ?? '(no key line)')).toBe(true);
			}
		});

		it('strips NUL, bidi overrides and lone surrogates from a stored note, keeping the text around them', async () => {
			const p = provider();
			const alice = await aliceOf(p);
			const body = `Budget${char(0)} approved ${char(0x202e)}by the CFO${char(0x202c)}\nNext step${char(0xd800)}: contract${char(0x2066)}`;

			const [note] = await p.createActivities([
				{
					key: `contract:${vendor}:hygiene`,
					kind: 'note',
					body,
					startAt: '2026-11-21T09:00:00Z',
					targets: [alice],
				},
			]);

			const stored = fixture.storedNote(sandbox, createdId(note));
			expect(hasForbiddenCharacters(stored)).toBe(false);
			expect(stored).toContain('Budget approved by the CFO');
			expect(stored).toContain('Next step: contract');
		});

		it('stores markup escaped where the note field is rich text, and as written where it is plain text', async () => {
			const p = provider();
			const alice = await aliceOf(p);
			const body = `<script>alert("x")</script> Tom & Jerry's <b>deal</b>`;

			const [note] = await p.createActivities([
				{
					key: `contract:${vendor}:markup`,
					kind: 'note',
					body,
					startAt: '2026-11-21T09:00:00Z',
					targets: [alice],
				},
			]);

			const stored = fixture.storedNote(sandbox, createdId(note));
			if (fixture.noteIsRichText) {
				expect(stored).not.toMatch(/<script|<b>/);
				expect(stored).toContain(
					'&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Tom &amp; Jerry&#39;s &lt;b&gt;deal&lt;/b&gt;',
				);
			} else {
				expect(stored).toBe(body);
			}
		});

		if (fixture.task) {
			const task = fixture.task;
			it('stores a 200,000-character task description cut to the field with the marker', async () => {
				const p = provider();
				const alice = await aliceOf(p);

				const [created] = await p.createActivities([
					{
						key: `contract:${vendor}:long-task`,
						kind: 'task',
						subject: 'Follow up',
						body: LONG_BODY,
						dueAt: '2026-11-25',
						targets: [alice],
					},
				]);

				const stored = task.storedDescription(sandbox, createdId(created));
				expect(stored.length).toBeLessThanOrEqual(task.limit);
				expect(stored.length).toBeGreaterThan(task.limit * 0.9);
				expect(stored).toContain(TRUNCATED);
			});
		}

		it('waits exactly Retry-After on a 429, then succeeds', async () => {
			sandbox.admin.addFault({
				vendor,
				pathPattern: fixture.apiPath,
				kind: 'status',
				status: 429,
				retryAfterSeconds: 2,
				count: 1,
			});

			const read = await provider().getRecords(
				fixture.contactType,
				[fixture.seeded.alice],
				[fixture.readProperty],
			);

			expect(read[0]?.id).toBe(fixture.seeded.alice);
			expect(waits).toEqual([2000]);
			expect(apiRequests().map((request) => request.status)).toEqual([429, 200]);
		});

		it('backs off on 5xx: two failures then success; a persistent outage ends in a CrmRequestError', async () => {
			sandbox.admin.addFault({
				vendor,
				pathPattern: fixture.apiPath,
				kind: 'status',
				status: 500,
				count: 2,
			});
			const read = await provider().getRecords(
				fixture.contactType,
				[fixture.seeded.alice],
				[fixture.readProperty],
			);
			expect(read[0]?.id).toBe(fixture.seeded.alice);
			expect(waits).toHaveLength(2);
			expect(waits.every((ms) => ms > 0)).toBe(true);
			expect(apiRequests().map((request) => request.status)).toEqual([500, 500, 200]);

			sandbox.admin.clearRequests();
			waits.length = 0;
			sandbox.admin.addFault({
				vendor,
				pathPattern: fixture.apiPath,
				kind: 'status',
				status: 500,
				count: 10,
			});
			const failure = await provider()
				.getRecords(fixture.contactType, [fixture.seeded.alice], [fixture.readProperty])
				.then(
					() => undefined,
					(error: unknown) => error,
				);
			expect(failure).toBeInstanceOf(CrmRequestError);
			expect((failure as CrmRequestError).status).toBe(500);
			// Gave up before the outage ended: the retry limit, not the fault count, stopped it.
			expect(apiRequests().length).toBeLessThan(10);
			expect(waits.length).toBe(apiRequests().length - 1);
		});

		if (fixture.tokensExpire) {
			it('refreshes an expired token exactly once, then succeeds', async () => {
				const before = tokens.refreshes();
				sandbox.admin.expireTokens(vendor);

				const read = await provider().getRecords(
					fixture.contactType,
					[fixture.seeded.alice],
					[fixture.readProperty],
				);

				expect(read[0]?.id).toBe(fixture.seeded.alice);
				expect(tokens.refreshes()).toBe(before + 1);
				expect(apiRequests().map((request) => request.status)).toEqual([401, 200]);
			});
		} else {
			// API keys don't expire (autoch.at): a rejected key fails clearly, without the key in the message.
			it('fails clearly on a rejected API key, without leaking the key', async () => {
				const badKey = 'bad_contract_secret_9f2c';
				const failure = await provider({ apiKey: badKey })
					.getRecords(fixture.contactType, [fixture.seeded.alice], [fixture.readProperty])
					.then(
						() => undefined,
						(error: unknown) => error,
					);
				expect(failure).toBeInstanceOf(CrmRequestError);
				const error = failure as CrmRequestError;
				expect(error.status).toBe(401);
				expect(
					`${error.message} ${error.crmMessage} ${JSON.stringify(error.body ?? '')}`,
				).not.toContain(badKey);
				expect(apiRequests().map((request) => request.status)).toEqual([401]);
			});
		}

		it('keeps descriptions and owners per credential for the whole process: a second instance asks nothing, clearing asks again', async () => {
			const credential = `contract:${vendor}:shared-cache`;
			const describes = () => sandbox.admin.requests(vendor).filter(fixture.isDescribeCall).length;
			const ownerLookups = () =>
				sandbox.admin.requests(vendor).filter((request) => fixture.isOwnersCall?.(request) ?? false)
					.length;
			const owner = 'ava.stone@sales.example';
			const first = provider({ limiterKey: credential });
			const second = provider({ limiterKey: credential });

			const described = await first.describeObject(fixture.contactType);
			const again = await second.describeObject(fixture.contactType);
			const owners = await first.resolveOwners([owner]);
			const ownersAgain = await second.resolveOwners([owner]);

			expect(again.fields.map((field) => field.name)).toEqual(
				described.fields.map((field) => field.name),
			);
			expect(described.fields.length).toBeGreaterThan(0);
			expect(describes()).toBe(fixture.describeCalls);
			expect(ownersAgain).toEqual(owners);
			if (fixture.isOwnersCall) {
				expect(owners.get(owner)).toBeDefined();
				expect(ownerLookups()).toBe(1);
			}

			second.clearMetadataCache();
			await first.describeObject(fixture.contactType);
			await first.resolveOwners([owner]);
			expect(describes()).toBe(2 * fixture.describeCalls);
			if (fixture.isOwnersCall) expect(ownerLookups()).toBe(2);

			// Another credential keeps its own entries.
			await provider().describeObject(fixture.contactType);
			expect(describes()).toBe(3 * fixture.describeCalls);
		});

		it('escapes hostile emails and phones: empty matches, no error, only escaped text on the wire', async () => {
			const queries: MatchQuery[] = [
				...HOSTILE.map((text) => byEmail(text)),
				...HOSTILE.map((text) => byPhone(text)),
				{ phones: [], emails: [HOSTILE[0]], domains: [] },
			];

			const sets = await provider().findMatches(queries, contactsOnly);

			expect(sets).toHaveLength(queries.length);
			expect(sets.every((set) => set.contact.length === 0)).toBe(true);
			const text = fixture.queryText?.(apiRequests()).toLowerCase();
			if (text !== undefined) {
				expect(text).toContain(fixture.escapedQuote);
				expect(text).not.toMatch(fixture.unescapedQuote!);
			} else {
				// HubSpot and autoch.at reject malformed emails/phones client-side: nothing hostile goes out.
				expect(JSON.stringify(apiRequests()).toLowerCase()).not.toContain('name like');
			}
			// The sandbox's seeded contacts are untouched.
			expect(
				sandbox.admin.records(
					vendor,
					fixture.vendor === 'hubspot'
						? 'contacts'
						: fixture.vendor === 'autochat'
							? 'clients'
							: fixture.contactType,
				).length,
			).toBeGreaterThan(0);
		});
	},
);
