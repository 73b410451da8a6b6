import { createHash } from 'node:crypto';
import nock from 'nock';

import type { ActivityDraft, CrmRef } from '../../../nodes/shared/model';
import { API, batchBody, CLOCK_START, hsObject, isolateNetwork, makeProvider } from './helpers';
import { findOneActivity } from '../../support/findOneActivity';

const contact: CrmRef = { crm: 'hubspot', kind: 'contact', objectType: 'contacts', id: '101' };
const company: CrmRef = { crm: 'hubspot', kind: 'company', objectType: 'companies', id: '301' };
const deal: CrmRef = { crm: 'hubspot', kind: 'deal', objectType: 'deals', id: '501' };

function marker(key: string): string {
	return `crmsync${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

function assoc(id: string, associationTypeId: number) {
	return { to: { id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }] };
}

/** Answers a batch create with one created object per input, trace ids echoed. */
function created(prefix: string) {
	return (_uri: string, body: nock.Body) => {
		const inputs = (body as { inputs: Array<{ objectWriteTraceId: string }> }).inputs;
		return batchBody(
			inputs.map((input) =>
				hsObject(
					`${prefix}${input.objectWriteTraceId}`,
					{},
					{ objectWriteTraceId: input.objectWriteTraceId },
				),
			),
		);
	};
}

describe('HubSpot activities', () => {
	isolateNetwork();

	it('creates notes, meetings, tasks and calls through batch create with inline associations', async () => {
		const bodies: Record<string, unknown> = {};
		for (const type of ['notes', 'meetings', 'tasks', 'calls']) {
			nock(API)
				.post(`/crm/v3/objects/${type}/batch/create`, (body) => {
					bodies[type] = body;
					return true;
				})
				.reply(201, created(`${type}-`));
		}
		const drafts: ActivityDraft[] = [
			{
				key: 'crmsync:conv-1:note:summary',
				kind: 'note',
				body: 'Recap line 1\nline 2\n\n<b>Tom & Jerry</b> said "hi"',
				startAt: '2026-11-21T09:00:00Z',
				targets: [contact, company, deal],
			},
			{
				key: 'crmsync:conv-1:meeting:meeting',
				kind: 'meeting',
				subject: 'Discovery call',
				body: 'Agenda',
				startAt: '2026-11-21T09:00:00.000Z',
				durationSeconds: 1800,
				activityType: 'Sales call',
				outcome: 'completed',
				ownerId: '77',
				targets: [contact, deal],
			},
			{
				key: 'crmsync:conv-1:task:task-abc',
				kind: 'task',
				subject: 'Send the proposal',
				body: 'By Tuesday',
				dueAt: '2026-11-25',
				priority: 'high',
				ownerId: '78',
				targets: [contact],
			},
			{
				key: 'crmsync:conv-1:call:log',
				kind: 'call',
				subject: 'Inbound call',
				body: 'Short call',
				startAt: '2026-11-21T09:00:00Z',
				durationSeconds: 125,
				direction: 'inbound',
				fromNumber: '+12135550101',
				toNumber: '+442079460958',
				targets: [contact, contact, company],
			},
		];
		const { provider } = makeProvider();

		const results = await provider.createActivities(drafts);

		expect(results).toEqual([
			{ ok: true, id: 'notes-0', created: true },
			{ ok: true, id: 'meetings-1', created: true },
			{ ok: true, id: 'tasks-2', created: true },
			{ ok: true, id: 'calls-3', created: true },
		]);
		expect(provider.usage().calls).toBe(4);
		expect(bodies.notes).toEqual({
			inputs: [
				{
					properties: {
						hs_note_body: `<p>Recap line 1<br>line 2</p><p>&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; said &quot;hi&quot;</p><p>Ref: ${marker('crmsync:conv-1:note:summary')}</p>`,
						hs_timestamp: '2026-11-21T09:00:00Z',
					},
					associations: [assoc('101', 202), assoc('301', 190), assoc('501', 214)],
					objectWriteTraceId: '0',
				},
			],
		});
		expect(bodies.meetings).toEqual({
			inputs: [
				{
					properties: {
						hs_meeting_title: 'Discovery call',
						hs_meeting_body: '<p>Agenda</p>',
						hs_meeting_start_time: '2026-11-21T09:00:00.000Z',
						hs_meeting_end_time: '2026-11-21T09:30:00.000Z',
						hs_timestamp: '2026-11-21T09:00:00.000Z',
						hs_activity_type: 'Sales call',
						hs_meeting_outcome: 'COMPLETED',
						hs_meeting_external_url: 'crmsync:conv-1:meeting:meeting',
						hubspot_owner_id: '77',
					},
					associations: [assoc('101', 200), assoc('501', 212)],
					objectWriteTraceId: '1',
				},
			],
		});
		expect(bodies.tasks).toEqual({
			inputs: [
				{
					properties: {
						hs_task_subject: 'Send the proposal',
						hs_task_body: `<p>By Tuesday</p><p>Ref: ${marker('crmsync:conv-1:task:task-abc')}</p>`,
						hs_task_status: 'NOT_STARTED',
						hs_task_priority: 'HIGH',
						hs_task_type: 'TODO',
						// Date-only due date: noon UTC keeps the calendar day in every user's time zone.
						hs_timestamp: '2026-11-25T12:00:00.000Z',
						hubspot_owner_id: '78',
					},
					associations: [assoc('101', 204)],
					objectWriteTraceId: '2',
				},
			],
		});
		expect(bodies.calls).toEqual({
			inputs: [
				{
					properties: {
						hs_call_title: 'Inbound call',
						hs_call_body: '<p>Short call</p>',
						hs_call_duration: '125000',
						hs_call_direction: 'INBOUND',
						hs_call_from_number: '+12135550101',
						hs_call_to_number: '+442079460958',
						hs_call_status: 'COMPLETED',
						hs_timestamp: '2026-11-21T09:00:00Z',
						hs_call_external_id: 'crmsync:conv-1:call:log',
					},
					// The duplicate contact target is associated once.
					associations: [assoc('101', 194), assoc('301', 182)],
					objectWriteTraceId: '3',
				},
			],
		});
	});

	it('fails a draft whose target HubSpot cannot associate without sending it; the rest are created', async () => {
		const bodies: unknown[] = [];
		nock(API)
			.post('/crm/v3/objects/notes/batch/create', (body) => {
				bodies.push(body);
				return true;
			})
			.reply(201, created('n'));
		const lead: CrmRef = { crm: 'hubspot', kind: 'lead', objectType: 'leads', id: '9' };
		const { provider } = makeProvider();

		const results = await provider.createActivities([
			{ key: 'k1', kind: 'note', body: 'to a lead', targets: [lead] },
			{ key: 'k2', kind: 'note', body: 'to a contact', targets: [contact] },
		]);

		expect(results[0]).toEqual({
			ok: false,
			error: { message: 'a HubSpot note cannot be associated with a lead', code: 'INVALID_TARGET' },
		});
		expect(results[1]).toEqual({ ok: true, id: 'n1', created: true });
		expect((bodies[0] as { inputs: unknown[] }).inputs).toHaveLength(1);
	});

	it('stamps hs_timestamp with the (injected) clock when the draft has no start time', async () => {
		let properties: Record<string, string> = {};
		nock(API)
			.post('/crm/v3/objects/notes/batch/create', (body) => {
				properties = (body as { inputs: Array<{ properties: Record<string, string> }> }).inputs[0]!
					.properties;
				return true;
			})
			.reply(201, created('n'));
		const { provider } = makeProvider();

		await provider.createActivities([{ key: 'k', kind: 'note', body: '', targets: [contact] }]);

		expect(properties.hs_timestamp).toBe(new Date(CLOCK_START).toISOString());
	});

	it('finds a meeting by its key (exact search on hs_meeting_external_url, confirmed client-side)', async () => {
		const key = 'crmsync:conv-7:meeting:meeting';
		const bodies: unknown[] = [];
		nock(API)
			.post('/crm/v3/objects/meetings/search', (body) => {
				bodies.push(body);
				return true;
			})
			.reply(200, {
				total: 2,
				results: [
					hsObject('600', { hs_meeting_external_url: 'crmsync:conv-7:meeting:meeting-other' }),
					hsObject('601', { hs_meeting_external_url: key, hs_meeting_title: 'Discovery' }),
				],
			});
		const { provider } = makeProvider();

		const found = await findOneActivity(provider, { kind: 'meeting', key });

		expect(bodies).toEqual([
			{
				filterGroups: [
					{ filters: [{ propertyName: 'hs_meeting_external_url', operator: 'IN', values: [key] }] },
				],
				properties: ['hs_meeting_title', 'hs_meeting_start_time', 'hs_meeting_external_url'],
				limit: 200,
			},
		]);
		expect(found).toMatchObject({
			crm: 'hubspot',
			objectType: 'meetings',
			id: '601',
			matchedBy: 'key',
		});
		expect(found?.properties?.activityKind).toBe('meeting');
	});

	it('finds a note by the marker token in its body, and returns undefined when nothing carries the key', async () => {
		const key = 'crmsync:conv-8:note:summary';
		const bodies: unknown[] = [];
		nock(API)
			.post('/crm/v3/objects/notes/search', (body) => {
				bodies.push(body);
				return true;
			})
			.reply(200, {
				total: 1,
				results: [hsObject('700', { hs_note_body: `<p>Recap</p><p>Ref: ${marker(key)}</p>` })],
			})
			.post('/crm/v3/objects/notes/search')
			.reply(200, { total: 0, results: [] });
		const { provider } = makeProvider();

		const found = await findOneActivity(provider, { kind: 'note', key });
		const missing = await findOneActivity(provider, {
			kind: 'note',
			key: 'crmsync:other:note:summary',
		});

		expect(bodies[0]).toEqual({
			filterGroups: [
				{
					filters: [
						{ propertyName: 'hs_note_body', operator: 'CONTAINS_TOKEN', value: marker(key) },
					],
				},
			],
			properties: ['hs_note_body', 'hs_timestamp'],
			limit: 200,
		});
		expect(found?.id).toBe('700');
		expect(missing).toBeUndefined();
	});

	it('finds a meeting on a contact by start time within the tolerance, closest first', async () => {
		const start = Date.parse('2026-11-21T09:00:00Z');
		const bodies: unknown[] = [];
		nock(API)
			.post('/crm/v3/objects/meetings/search', (body) => {
				bodies.push(body);
				return true;
			})
			.reply(200, {
				total: 2,
				results: [
					hsObject('801', { hs_meeting_start_time: '2026-11-21T09:04:00Z' }),
					hsObject('802', { hs_meeting_start_time: '2026-11-21T08:59:00Z' }),
				],
			});
		const { provider } = makeProvider();

		const found = await findOneActivity(provider, {
			kind: 'meeting',
			startAt: '2026-11-21T09:00:00Z',
			toleranceMinutes: 5,
			contactId: '101',
		});

		expect(bodies).toEqual([
			{
				filterGroups: [
					{
						filters: [
							{
								propertyName: 'hs_meeting_start_time',
								operator: 'BETWEEN',
								value: String(start - 300_000),
								highValue: String(start + 300_000),
							},
							{ propertyName: 'associations.contact', operator: 'EQ', value: '101' },
						],
					},
				],
				properties: ['hs_meeting_title', 'hs_meeting_start_time', 'hs_meeting_external_url'],
				limit: 200,
			},
		]);
		expect(found).toMatchObject({ id: '802', matchedBy: 'startTime' });
	});

	it('an update writes only what the draft states: no default status, type or timestamp', async () => {
		const bodies: unknown[] = [];
		nock(API)
			.post('/crm/v3/objects/tasks/batch/update', (body) => {
				bodies.push(body);
				return true;
			})
			.reply(200, batchBody([hsObject('650', {})]));
		const { provider } = makeProvider();

		await provider.updateActivities([
			{
				id: '650',
				draft: { key: 'kt', kind: 'task', subject: 'Renamed task', body: 'More', targets: [] },
			},
		]);

		expect(bodies).toEqual([
			{
				inputs: [
					{
						id: '650',
						properties: {
							hs_task_subject: 'Renamed task',
							hs_task_body: `<p>More</p><p>Ref: ${marker('kt')}</p>`,
						},
						objectWriteTraceId: '0',
					},
				],
			},
		]);
	});

	it('updates activities through batch update (no associations), results aligned', async () => {
		const bodies: unknown[] = [];
		nock(API)
			.post('/crm/v3/objects/meetings/batch/update', (body) => {
				bodies.push(body);
				return true;
			})
			.reply(200, batchBody([hsObject('601', {})]));
		const { provider } = makeProvider();

		const results = await provider.updateActivities([
			{
				id: '601',
				draft: {
					key: 'k',
					kind: 'meeting',
					subject: 'Renamed',
					body: 'Notes',
					startAt: '2026-11-21T09:00:00Z',
					endAt: '2026-11-21T10:00:00Z',
					targets: [contact],
				},
			},
		]);

		expect(results).toEqual([{ ok: true, id: '601', created: false }]);
		expect(bodies).toEqual([
			{
				inputs: [
					{
						id: '601',
						properties: {
							hs_meeting_title: 'Renamed',
							hs_meeting_body: '<p>Notes</p>',
							hs_meeting_start_time: '2026-11-21T09:00:00Z',
							hs_meeting_end_time: '2026-11-21T10:00:00Z',
							hs_timestamp: '2026-11-21T09:00:00Z',
							hs_meeting_external_url: 'k',
						},
						objectWriteTraceId: '0',
					},
				],
			},
		]);
	});
});
