import type { ActivityDraft, CrmRef } from '../../../nodes/shared/model';
import { DYNAMICS_TEXT_LIMITS } from '../../../nodes/shared/providers/dynamics/profile';
import {
	activityBody,
	noteKeyMarker,
} from '../../../nodes/shared/providers/dynamics/activityBodies';
import {
	batchResponse,
	changesetPart,
	createdPart,
	errorPart,
	filterOf,
	httpPart,
	interceptBatch,
	jsonPart,
	makeProvider,
	ROOT,
	sentParts,
	setupNock,
} from './support';
import { findOneActivity } from '../../support/findOneActivity';

setupNock();

const CONTACT = 'c0000000-0000-0000-0000-000000000001';
const ACCOUNT = 'a0000000-0000-0000-0000-000000000001';
const DEAL = '0f000000-0000-0000-0000-000000000001';
const OWNER = 'e0000000-0000-0000-0000-000000000001';
const IDS = [
	'10000000-0000-0000-0000-000000000001',
	'10000000-0000-0000-0000-000000000002',
	'10000000-0000-0000-0000-000000000003',
	'10000000-0000-0000-0000-000000000004',
];
/** The deterministic ids of the four drafts of the first test, computed independently (Python's uuid.uuid5). */
const DET = {
	note: '9cbcbdf7-03d3-5fab-90fb-7061b7a5316c',
	call: '658ee1e7-6b74-55b0-8451-07e8f613b954',
	task: '4d72ee60-6f77-5b0c-85e1-8a0ef4ccdcd2',
	meeting: 'efe36ff0-ad25-5bad-89d7-2c7a3a006074',
};

const contact: CrmRef = { crm: 'dynamics', kind: 'contact', objectType: 'contact', id: CONTACT };
const account: CrmRef = { crm: 'dynamics', kind: 'company', objectType: 'account', id: ACCOUNT };
const deal: CrmRef = { crm: 'dynamics', kind: 'deal', objectType: 'opportunity', id: DEAL };

function draft(
	partial: Partial<ActivityDraft> & Pick<ActivityDraft, 'key' | 'kind'>,
): ActivityDraft {
	return { body: '', targets: [], ...partial };
}

describe('createActivities', () => {
	it('writes a note, a call, a task and a meeting in ONE $batch with their own ids, the right bodies and @odata.bind navigation properties', async () => {
		const { provider } = makeProvider();
		const sent = interceptBatch(
			batchResponse([
				changesetPart('r1', [createdPart('annotations', DET.note, '1')]),
				changesetPart('r2', [createdPart('phonecalls', DET.call, '2')]),
				changesetPart('r3', [createdPart('tasks', DET.task, '3')]),
				changesetPart('r4', [createdPart('appointments', DET.meeting, '4')]),
			]),
		);
		const results = await provider.createActivities([
			draft({
				key: 'conv-1:note:summary',
				kind: 'note',
				subject: 'Call summary',
				body: 'They want a demo.',
				targets: [account],
			}),
			draft({
				key: 'conv-1:call',
				kind: 'call',
				subject: 'Discovery call',
				body: 'Summary of the call',
				direction: 'outbound',
				durationSeconds: 125,
				fromNumber: '+442071111111',
				toNumber: '+442079460958',
				ownerId: OWNER,
				startAt: '2026-11-20T10:00:00Z',
				endAt: '2026-11-20T10:02:05Z',
				targets: [contact],
			}),
			draft({
				key: 'conv-1:task:0',
				kind: 'task',
				subject: 'Send pricing',
				body: 'Send the pricing sheet',
				dueAt: '2026-11-24',
				priority: 'high',
				ownerId: OWNER,
				targets: [deal],
			}),
			draft({
				key: 'conv-1:meeting',
				kind: 'meeting',
				subject: 'Demo',
				body: 'Agenda',
				startAt: '2026-11-25T14:00:00+01:00',
				endAt: '2026-11-25T15:00:00+01:00',
				targets: [contact],
			}),
		]);

		expect(sent.bodies).toHaveLength(1);
		const parts = sentParts(sent.bodies[0]);
		// Upserts that only create where Dataverse allows it; the tables with deep-inserted parties POST the id.
		expect(
			parts.map((part) => `${part.method} ${part.url} ${part.headers['If-None-Match'] ?? '-'}`),
		).toEqual([
			`PATCH ${ROOT}annotations(${DET.note}) *`,
			`POST ${ROOT}phonecalls -`,
			`PATCH ${ROOT}tasks(${DET.task}) *`,
			`POST ${ROOT}appointments -`,
		]);
		expect(parts[0].body).toEqual({
			'objectid_account@odata.bind': `/accounts(${ACCOUNT})`,
			subject: 'Call summary',
			notetext: '<p>They want a demo.</p><p>[crm-sync:conv-1:note:summary]</p>',
		});
		expect(parts[1].body).toEqual({
			'regardingobjectid_contact_phonecall@odata.bind': `/contacts(${CONTACT})`,
			'ownerid@odata.bind': `/systemusers(${OWNER})`,
			subject: 'Discovery call',
			// Both numbers as a fixed line: phonenumber holds only the other party's.
			description: '<p>Summary of the call</p><p>From: +442071111111 · To: +442079460958</p>',
			subcategory: 'conv-1:call',
			directioncode: true,
			actualdurationminutes: 3,
			phonenumber: '+442079460958',
			actualstart: '2026-11-20T10:00:00.000Z',
			actualend: '2026-11-20T10:02:05.000Z',
			phonecall_activity_parties: [
				{ 'partyid_contact@odata.bind': `/contacts(${CONTACT})`, participationtypemask: 2 },
				{ 'partyid_systemuser@odata.bind': `/systemusers(${OWNER})`, participationtypemask: 1 },
			],
			activityid: DET.call,
		});
		expect(parts[2].body).toEqual({
			'regardingobjectid_opportunity_task@odata.bind': `/opportunities(${DEAL})`,
			'ownerid@odata.bind': `/systemusers(${OWNER})`,
			subject: 'Send pricing',
			description: '<p>Send the pricing sheet</p>',
			subcategory: 'conv-1:task:0',
			scheduledend: '2026-11-24T12:00:00Z',
			prioritycode: 2,
		});
		expect(parts[3].body).toEqual({
			'regardingobjectid_contact_appointment@odata.bind': `/contacts(${CONTACT})`,
			subject: 'Demo',
			description: '<p>Agenda</p>',
			subcategory: 'conv-1:meeting',
			scheduledstart: '2026-11-25T13:00:00.000Z',
			scheduledend: '2026-11-25T14:00:00.000Z',
			appointment_activity_parties: [
				{ 'partyid_contact@odata.bind': `/contacts(${CONTACT})`, participationtypemask: 5 },
			],
			activityid: DET.meeting,
		});
		expect(results).toEqual(
			[DET.note, DET.call, DET.task, DET.meeting].map((id) => ({ ok: true, id, created: true })),
		);
	});

	it('inbound calls put the contact in "from"; a draft with two targets or no start is refused without a request, the rest still go', async () => {
		const { provider } = makeProvider();
		const sent = interceptBatch(
			batchResponse([errorPart(400, '0x80040203', 'Invalid phone call')]),
		);
		const results = await provider.createActivities([
			draft({ key: 'k1', kind: 'note', body: 'x', targets: [contact, account] }),
			draft({
				key: 'k2',
				kind: 'call',
				direction: 'inbound',
				fromNumber: '+15550001111',
				toNumber: '+15550002222',
				targets: [contact],
			}),
			draft({ key: 'k3', kind: 'meeting', targets: [contact] }),
		]);
		const parts = sentParts(sent.bodies[0]);
		expect(parts).toHaveLength(1);
		expect(parts[0].body).toMatchObject({
			directioncode: false,
			phonenumber: '+15550001111',
			phonecall_activity_parties: [
				{ 'partyid_contact@odata.bind': `/contacts(${CONTACT})`, participationtypemask: 1 },
			],
		});
		expect(results[0]).toEqual({
			ok: false,
			error: { message: expect.stringContaining('single regarding record'), code: 'INVALID_INPUT' },
		});
		expect(results[1]).toEqual({
			ok: false,
			error: { message: 'Invalid phone call', code: '0x80040203', status: 400 },
		});
		expect(results[2]).toEqual({
			ok: false,
			error: { message: expect.stringContaining('needs a start time'), code: 'INVALID_INPUT' },
		});
	});

	it('cuts call, task and meeting descriptions to the 2,000-character column visibly', () => {
		for (const kind of ['call', 'task', 'meeting'] as const) {
			const body = activityBody(
				draft({
					key: 'k',
					kind,
					body: 'line\n'.repeat(1000),
					startAt: '2026-11-20T10:00:00Z',
					targets: [contact],
				}),
				'create',
			);
			const description = String(body.description);
			expect(description.length).toBeLessThanOrEqual(DYNAMICS_TEXT_LIMITS.activityDescription);
			expect(description).toContain('truncated');
		}
	});

	it('fits a long note, marker included, into notetext: cut visibly only when it would not fit', () => {
		const marker = `<p>${noteKeyMarker('conv-9:note:summary')}</p>`;
		for (const [length, cut] of [
			[99_940, false],
			[99_990, true],
			[100_000, true],
			[250_000, true],
		] as const) {
			const body = activityBody(
				draft({
					key: 'conv-9:note:summary',
					kind: 'note',
					body: 'a'.repeat(length),
					targets: [contact],
				}),
				'create',
			);
			const notetext = String(body.notetext);
			expect([length, notetext.length <= DYNAMICS_TEXT_LIMITS.noteText]).toEqual([length, true]);
			expect([length, notetext.includes('[… truncated by n8n CRM Sync')]).toEqual([length, cut]);
			expect([length, notetext.endsWith(marker)]).toEqual([length, true]);
		}
	});

	it('an activity that already exists (412 on the upsert, duplicate key on the POST) is a success with created: false', async () => {
		const { provider } = makeProvider();
		const sent = interceptBatch(
			batchResponse([
				errorPart(412, '', 'A record with matching key values already exists.'),
				errorPart(412, '0x80040237', 'A record with matching key values already exists.'),
				// The duplicate-key code counts whatever the status.
				errorPart(400, '0x80040237', 'Cannot insert duplicate key.'),
				errorPart(400, '0x80044331', 'A validation error occurred.'),
			]),
		);
		const results = await provider.createActivities([
			draft({ key: 'conv-1:note:summary', kind: 'note', body: 'x', targets: [account] }),
			draft({ key: 'conv-1:call', kind: 'call', targets: [contact] }),
			draft({
				key: 'conv-1:meeting',
				kind: 'meeting',
				startAt: '2026-11-25T13:00:00Z',
				targets: [contact],
			}),
			draft({ key: 'conv-1:task:0', kind: 'task', targets: [deal] }),
		]);
		// Never an update: the existing activity (maybe edited by a user) is left alone.
		expect(
			sentParts(sent.bodies[0])
				.filter((part) => part.method === 'PATCH')
				.map((part) => part.headers['If-None-Match']),
		).toEqual(['*', '*']);
		expect(results).toEqual([
			{ ok: true, id: DET.note, created: false },
			{ ok: true, id: DET.call, created: false },
			{ ok: true, id: DET.meeting, created: false },
			{
				ok: false,
				error: { message: 'A validation error occurred.', code: '0x80044331', status: 400 },
			},
		]);
	});
});

describe('findActivitiesByKey', () => {
	it('asks for each deterministic id and, for activities written before, the key on the same target — all in ONE $batch', async () => {
		const { provider } = makeProvider();
		const legacy = IDS[2];
		const sent = interceptBatch(
			batchResponse([
				jsonPart(200, { activityid: DET.call }),
				jsonPart(200, { value: [] }),
				errorPart(404, '0x80040217', `task With Id = ${DET.task} Does Not Exist`),
				jsonPart(200, { value: [{ activityid: legacy, subcategory: 'conv-1:task:0' }] }),
				errorPart(404, '0x80040217', `annotation With Id = ${DET.note} Does Not Exist`),
				jsonPart(200, { value: [] }),
			]),
		);
		const results = await provider.findActivitiesByKey([
			draft({ key: 'conv-1:call', kind: 'call', targets: [contact] }),
			draft({ key: 'conv-1:task:0', kind: 'task', targets: [deal] }),
			draft({ key: 'conv-1:note:summary', kind: 'note', targets: [account] }),
		]);
		expect(sent.bodies).toHaveLength(1);
		const parts = sentParts(sent.bodies[0]);
		expect(parts.map((part) => part.url.split('?')[0])).toEqual([
			`${ROOT}phonecalls(${DET.call})`,
			`${ROOT}phonecalls`,
			`${ROOT}tasks(${DET.task})`,
			`${ROOT}tasks`,
			`${ROOT}annotations(${DET.note})`,
			`${ROOT}annotations`,
		]);
		expect(filterOf(parts[3].url)).toBe(
			`(subcategory eq 'conv-1:task:0') and (_regardingobjectid_value eq ${DEAL})`,
		);
		expect(results).toEqual([
			{ status: 'found', id: DET.call },
			{ status: 'found', id: legacy },
			{ status: 'absent' },
		]);
	});

	it('throws when Dataverse cannot answer a lookup (the writer then reports the write as uncertain)', async () => {
		const { provider } = makeProvider();
		interceptBatch(
			batchResponse([
				errorPart(500, '0x80040216', 'An unexpected error occurred.'),
				jsonPart(200, { value: [] }),
			]),
		);
		await expect(
			provider.findActivitiesByKey([
				draft({ key: 'conv-1:call', kind: 'call', targets: [contact] }),
			]),
		).rejects.toThrow('find activities by key) failed (HTTP 500): An unexpected error occurred.');
	});
});

describe('updateActivities', () => {
	it('PATCHes each activity with If-Match: * in one $batch, keeping the key, never blanking the description, leaving parties alone', async () => {
		const { provider } = makeProvider();
		const sent = interceptBatch(
			batchResponse([
				changesetPart('r1', [httpPart(204, 'No Content', {}, '', '1')]),
				changesetPart('r2', [httpPart(204, 'No Content', {}, '', '2')]),
			]),
		);
		const results = await provider.updateActivities([
			{
				id: IDS[3],
				draft: draft({
					key: 'conv-1:meeting',
					kind: 'meeting',
					subject: 'Demo (moved)',
					startAt: '2026-11-26T09:00:00Z',
					targets: [contact],
				}),
			},
			{
				id: IDS[0],
				draft: draft({
					key: 'conv-1:note:summary',
					kind: 'note',
					body: 'Updated',
					targets: [account],
				}),
			},
		]);
		const parts = sentParts(sent.bodies[0]);
		expect(parts.map((part) => [part.method, part.url, part.headers['If-Match']])).toEqual([
			['PATCH', `${ROOT}appointments(${IDS[3]})`, '*'],
			['PATCH', `${ROOT}annotations(${IDS[0]})`, '*'],
		]);
		expect(parts[0].body).toEqual({
			'regardingobjectid_contact_appointment@odata.bind': `/contacts(${CONTACT})`,
			subject: 'Demo (moved)',
			subcategory: 'conv-1:meeting',
			scheduledstart: '2026-11-26T09:00:00.000Z',
			scheduledend: '2026-11-26T09:30:00.000Z',
		});
		expect(parts[1].body).toMatchObject({
			notetext: '<p>Updated</p><p>[crm-sync:conv-1:note:summary]</p>',
		});
		expect(results).toEqual([
			{ ok: true, id: IDS[3], created: false },
			{ ok: true, id: IDS[0], created: false },
		]);
	});
});

describe('findActivities', () => {
	it('finds a call by its key in subcategory (escaped) and reports the regarding record kind', async () => {
		const { provider } = makeProvider();
		const sent = interceptBatch(
			batchResponse([
				jsonPart(200, {
					value: [
						{
							activityid: IDS[1],
							subject: 'Discovery call',
							subcategory: "conv-'1:call",
							createdon: '2026-11-20T10:05:00Z',
							_regardingobjectid_value: CONTACT,
							'_regardingobjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname': 'contact',
						},
					],
				}),
			]),
		);
		const found = await findOneActivity(provider, { kind: 'call', key: "conv-'1:call" });
		const [part] = sentParts(sent.bodies[0]);
		expect(part.url.split('?')[0]).toBe(`${ROOT}phonecalls`);
		expect(filterOf(part.url)).toBe("subcategory eq 'conv-''1:call'");
		expect(part.headers.Prefer).toBe('odata.include-annotations="*"');
		expect(found).toMatchObject({
			crm: 'dynamics',
			kind: 'contact',
			objectType: 'phonecall',
			id: IDS[1],
			name: 'Discovery call',
			matchedBy: 'key',
		});
	});

	it('finds a note by its marker with LIKE wildcards bracketed', async () => {
		const { provider } = makeProvider();
		const sent = interceptBatch(batchResponse([jsonPart(200, { value: [] })]));
		expect(await findOneActivity(provider, { kind: 'note', key: 'conv_1:note' })).toBeUndefined();
		expect(filterOf(sentParts(sent.bodies[0])[0].url)).toBe(
			"contains(notetext,'[[]crm-sync:conv[_]1:note]')",
		);
	});

	it('looks meetings up by key and by start time ± tolerance on the same contact — the whole batch in ONE $batch, closest start first, each meeting once', async () => {
		const { provider } = makeProvider();
		const OTHER = 'c0000000-0000-0000-0000-000000000002';
		const sent = interceptBatch(
			batchResponse([
				jsonPart(200, { value: [] }),
				jsonPart(200, {
					value: [
						{ activityid: IDS[2], subject: 'Later', scheduledstart: '2026-11-25T13:08:00Z' },
						{ activityid: IDS[3], subject: 'Demo', scheduledstart: '2026-11-25T12:58:00Z' },
					],
				}),
				jsonPart(200, {
					value: [{ activityid: IDS[3], subject: 'Demo', scheduledstart: '2026-11-25T12:58:00Z' }],
				}),
				jsonPart(200, {
					value: [{ activityid: IDS[0], subject: 'Other', scheduledstart: '2026-11-25T13:00:00Z' }],
				}),
			]),
		);
		const found = await provider.findActivities([
			{
				kind: 'meeting',
				key: 'conv-2:meeting',
				startAt: '2026-11-25T14:00:00+01:00',
				toleranceMinutes: 10,
				contactId: CONTACT,
			},
			// Same contact, ten minutes later: the 12:58 meeting is the first lookup's, not this one's.
			{
				kind: 'meeting',
				startAt: '2026-11-25T13:05:00Z',
				toleranceMinutes: 10,
				contactId: CONTACT,
			},
			{ kind: 'meeting', startAt: '2026-11-25T13:00:00Z', toleranceMinutes: 10, contactId: OTHER },
		]);
		expect(sent.bodies).toHaveLength(1);
		const parts = sentParts(sent.bodies[0]);
		expect(parts.map((part) => filterOf(part.url))).toEqual([
			"subcategory eq 'conv-2:meeting'",
			`(scheduledstart ge 2026-11-25T12:50:00Z) and (scheduledstart le 2026-11-25T13:10:00Z) and ` +
				`((_regardingobjectid_value eq ${CONTACT} or appointment_activity_parties/any(p:p/_partyid_value eq ${CONTACT})))`,
			`(scheduledstart ge 2026-11-25T12:55:00Z) and (scheduledstart le 2026-11-25T13:15:00Z) and ` +
				`((_regardingobjectid_value eq ${CONTACT} or appointment_activity_parties/any(p:p/_partyid_value eq ${CONTACT})))`,
			`(scheduledstart ge 2026-11-25T12:50:00Z) and (scheduledstart le 2026-11-25T13:10:00Z) and ` +
				`((_regardingobjectid_value eq ${OTHER} or appointment_activity_parties/any(p:p/_partyid_value eq ${OTHER})))`,
		]);
		expect(found.map((ref) => [ref?.id, ref?.matchedBy])).toEqual([
			[IDS[3], 'startTime'],
			[IDS[2], 'startTime'],
			[IDS[0], 'startTime'],
		]);
		expect(found[0]).toMatchObject({
			objectType: 'appointment',
			properties: { activityKind: 'meeting' },
		});
	});

	it('returns undefined without a request when nothing searchable is given', async () => {
		const { provider } = makeProvider();
		expect(
			await findOneActivity(provider, { kind: 'task', conversationId: 'conv-1' }),
		).toBeUndefined();
		expect(provider.usage().calls).toBe(0);
	});
});
