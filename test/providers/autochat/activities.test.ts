/** Client activities: request bodies with external_id, single-client rule, verified ambiguous creates, lookups. */
import nock from 'nock';

import type { ActivityDraft, CrmRef } from '../../../nodes/shared/model';
import { CLOCK_START, api, isolateNetwork, makeProvider, p } from './helpers';
import { findOneActivity } from '../../support/findOneActivity';

const ALICE: CrmRef = { crm: 'autochat', kind: 'contact', objectType: 'client', id: 'c-alice' };
const BOB: CrmRef = { crm: 'autochat', kind: 'contact', objectType: 'client', id: 'c-bob' };

function draft(overrides: Partial<ActivityDraft> = {}): ActivityDraft {
	return {
		key: 'conv-42:note:summary',
		kind: 'note',
		body: 'Asked for a quote.',
		targets: [ALICE],
		...overrides,
	};
}

function activity(id: string, fields: Record<string, unknown> = {}) {
	return {
		id,
		client_id: 'c-alice',
		type: 'note',
		subject: null,
		body: 'x',
		occurred_at: '2026-11-20T10:00:00.000Z',
		channel: null,
		external_id: null,
		metadata: null,
		created_at: '2026-11-20T10:00:05.000Z',
		...fields,
	};
}

describe('autoch.at provider: activities', () => {
	isolateNetwork();

	it('posts a note and a call to the client with type, subject, body, occurred_at, external_id and call metadata', async () => {
		const bodies: unknown[] = [];
		api()
			.post(p('/clients/c-alice/activities'), (body) => {
				bodies.push(body);
				return true;
			})
			.times(2)
			.reply(201, (_uri, body) => ({
				data: activity(`a-${bodies.length}`, body as Record<string, unknown>),
			}));
		const { provider } = makeProvider();

		const results = await provider.createActivities([
			draft({
				subject: 'WhatsApp conversation',
				startAt: '2026-11-20T09:30:00Z',
				conversationId: 'conv-42',
			}),
			draft({
				key: 'conv-42:call',
				kind: 'call',
				body: 'Inbound call, 5 minutes.',
				direction: 'inbound',
				durationSeconds: 300,
				fromNumber: '+14155550101',
			}),
		]);

		expect(results).toEqual([
			{ ok: true, id: 'a-1', created: true },
			{ ok: true, id: 'a-2', created: true },
		]);
		expect(bodies).toEqual([
			{
				type: 'note',
				subject: 'WhatsApp conversation',
				body: 'Asked for a quote.',
				occurred_at: '2026-11-20T09:30:00Z',
				external_id: 'conv-42:note:summary',
				metadata: { conversation_id: 'conv-42' },
			},
			{
				type: 'call',
				body: 'Inbound call, 5 minutes.',
				// No start time given: now, from the injected clock.
				occurred_at: new Date(CLOCK_START).toISOString(),
				external_id: 'conv-42:call',
				metadata: { duration_seconds: 300, direction: 'inbound', from_number: '+14155550101' },
			},
		]);
	});

	it('after a connection reset on create, finds the activity by external_id instead of posting again', async () => {
		api()
			.post(p('/clients/c-alice/activities'))
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.get(p('/clients/c-alice/activities'))
			.reply(200, {
				data: [
					activity('older', { external_id: 'other-key' }),
					activity('landed', { external_id: 'conv-42:note:summary' }),
				],
			})
			// A second POST would be answered, and would be a duplicate: it must stay unused.
			.post(p('/clients/c-alice/activities'))
			.reply(201, { data: activity('duplicate') });
		const { provider, sleeps } = makeProvider();

		const [result] = await provider.createActivities([draft()]);

		expect(result).toEqual({ ok: true, id: 'landed', created: true });
		expect(nock.pendingMocks()).toEqual([
			`POST https://acme.supabase.co:443${p('/clients/c-alice/activities')}`,
		]);
		nock.cleanAll();
		expect(sleeps).toEqual([]);
		expect(provider.usage()).toMatchObject({ calls: 2 });
	});

	it('after a reset whose verify finds nothing, posts once more and succeeds (one activity in the end)', async () => {
		api()
			.post(p('/clients/c-alice/activities'))
			.replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
			.get(p('/clients/c-alice/activities'))
			.reply(200, { data: [activity('older', { external_id: 'other-key' })] })
			.post(p('/clients/c-alice/activities'))
			.reply(201, { data: activity('second-try', { external_id: 'conv-42:note:summary' }) });
		const { provider, sleeps } = makeProvider();

		const [result] = await provider.createActivities([draft()]);

		expect(result).toEqual({ ok: true, id: 'second-try', created: true });
		// One backoff (base 500 ms, random 0.5 ⇒ 375 ms) before the second POST.
		expect(sleeps).toEqual([375]);
	});

	it("an activity create with no answer by the transport's deadline is checked, and never sent again while autoch.at may still store it", async () => {
		api()
			.post(p('/clients/c-alice/activities'))
			.delay(400)
			.reply(201, { data: activity('late', { external_id: 'conv-42:note:summary' }) })
			.get(p('/clients/c-alice/activities'))
			.reply(200, { data: [activity('older', { external_id: 'other-key' })] });
		const { provider } = makeProvider({ transport: { retry: { requestTimeoutMs: 50 } } });

		const [result] = await provider.createActivities([draft()]);

		// One deadline, one message: the transport's own, not a second timer inside the client.
		expect(result).toMatchObject({
			ok: false,
			error: {
				code: 'CLIENT_TIMEOUT',
				uncertain: true,
				message: expect.stringContaining(
					'no answer within 50 ms: the request may have reached autoch.at CRM',
				),
			},
		});
		expect(provider.usage()).toMatchObject({ calls: 2 });
	});

	it('stores the title as the body of a meeting that has no description (the API requires a body)', async () => {
		const bodies: Array<Record<string, unknown>> = [];
		api()
			.post(p('/clients/c-alice/activities'), (body) => {
				bodies.push(body as Record<string, unknown>);
				return true;
			})
			.reply(201, { data: activity('m-1') });
		const { provider } = makeProvider();

		await provider.createActivities([
			draft({
				key: 'conv-9:meeting',
				kind: 'meeting',
				subject: 'Demo with Acme',
				body: '',
				startAt: '2026-11-22T15:00:00Z',
				endAt: '2026-11-22T15:30:00Z',
			}),
		]);

		expect(bodies).toEqual([
			{
				type: 'meeting',
				subject: 'Demo with Acme',
				body: 'Demo with Acme',
				occurred_at: '2026-11-22T15:00:00Z',
				external_id: 'conv-9:meeting',
				metadata: { ended_at: '2026-11-22T15:30:00Z' },
			},
		]);
	});

	it('refuses kinds autoch.at cannot store and drafts without exactly one client, without a request', async () => {
		const { provider } = makeProvider();

		const results = await provider.createActivities([
			draft({ kind: 'task' }),
			draft({ targets: [] }),
			draft({ targets: [ALICE, BOB] }),
			draft({ targets: [{ crm: 'hubspot', kind: 'contact', objectType: 'contacts', id: '1' }] }),
		]);

		expect(results.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual([
			'UNSUPPORTED',
			'MISSING_TARGET',
			'TOO_MANY_TARGETS',
			'MISSING_TARGET',
		]);
		expect(provider.usage().calls).toBe(0);
	});

	it('answers every update with UNSUPPORTED, saying the correction was not written and which activity keeps the old content', async () => {
		const { provider } = makeProvider();

		const results = await provider.updateActivities([
			{ id: 'a-1', draft: draft() },
			{ id: 'a-2', draft: draft() },
		]);

		expect(results.map((result) => (result.ok ? 'ok' : result.error.code))).toEqual([
			'UNSUPPORTED',
			'UNSUPPORTED',
		]);
		expect(results.map((result) => (result.ok ? '' : result.error.message))).toEqual([
			expect.stringMatching(
				/^autoch\.at CRM cannot update an activity, so the corrected content was not written: activity a-1 keeps the content written first/,
			),
			expect.stringContaining('activity a-2 keeps the content written first'),
		]);
		expect(provider.usage().calls).toBe(0);
	});

	it('looks drafts up by external_id with ONE activity listing per client, however many drafts share it', async () => {
		api()
			.get(p('/clients/c-alice/activities'))
			.query(true)
			.reply(200, {
				data: [
					activity('n-1', { external_id: 'conv-1:note' }),
					activity('c-1', { type: 'call', external_id: 'conv-1:call' }),
				],
				pagination: { has_more: false, next_cursor: null },
			})
			.get(p('/clients/c-bob/activities'))
			.query(true)
			.reply(200, { data: [], pagination: { has_more: false, next_cursor: null } });
		const { provider } = makeProvider();

		const results = await provider.findActivitiesByKey([
			draft({ key: 'conv-1:note' }),
			draft({ key: 'conv-1:call', kind: 'call' }),
			draft({ key: 'conv-1:note', targets: [BOB] }),
			draft({ key: 'conv-2:note' }),
			draft({ key: 'conv-1:task', kind: 'task' }),
		]);

		expect(results).toEqual([
			{ status: 'found', id: 'n-1' },
			{ status: 'found', id: 'c-1' },
			{ status: 'absent' },
			{ status: 'absent' },
			{ status: 'absent' },
		]);
		expect(provider.usage().calls).toBe(2);
	});

	it('finds activities by key, else by start time within the tolerance, listing each client once per batch', async () => {
		const alice = [
			activity('n-1', { type: 'note', external_id: 'conv-1:note' }),
			activity('m-far', { type: 'meeting', occurred_at: '2026-11-21T08:00:00Z' }),
			activity('m-near', { type: 'meeting', occurred_at: '2026-11-21T09:04:00Z' }),
		];
		api()
			.get(p('/clients/c-alice/activities'))
			.reply(200, { data: alice.slice(0, 2), pagination: { has_more: true, next_cursor: 'page2' } })
			.get(p('/clients/c-alice/activities'))
			.query({ cursor: 'page2' })
			.reply(200, { data: alice.slice(2), pagination: { has_more: false, next_cursor: null } })
			.get(p('/clients/c-bob/activities'))
			.reply(200, {
				data: [
					activity('b-1', {
						type: 'meeting',
						occurred_at: '2026-11-21T09:01:00Z',
						external_id: 'x',
					}),
				],
			});
		const { provider } = makeProvider();

		const found = await provider.findActivities([
			{ kind: 'note', key: 'conv-1:note', contactId: 'c-alice' },
			{
				kind: 'meeting',
				startAt: '2026-11-21T09:00:00Z',
				toleranceMinutes: 5,
				contactId: 'c-alice',
			},
			// Bob's 09:01 meeting lies in this window, but it is Bob's.
			{
				kind: 'meeting',
				startAt: '2026-11-21T08:58:00Z',
				toleranceMinutes: 5,
				contactId: 'c-alice',
			},
			{ kind: 'meeting', startAt: '2026-11-21T09:00:00Z', toleranceMinutes: 5, contactId: 'c-bob' },
		]);

		expect(found[0]).toMatchObject({
			crm: 'autochat',
			id: 'n-1',
			objectType: 'activity',
			matchedBy: 'key',
			properties: { activityKind: 'note' },
		});
		expect(found.slice(1).map((ref) => [ref?.id, ref?.matchedBy])).toEqual([
			['m-near', 'startTime'],
			[undefined, undefined],
			['b-1', 'startTime'],
		]);
		// Alice's two pages and Bob's one: a listing per client, not per lookup.
		expect(provider.usage().calls).toBe(3);
		await expect(findOneActivity(provider, { kind: 'note', key: 'k' })).rejects.toThrow(
			'needs contactId',
		);
	});
});
