/**
 * The pure parts of timeline sync: the trigger's record → neutral activity, HTML → plain text,
 * the copy key, and the node's decisions (copy or skip, counterpart, related record, task draft).
 */
import fc from 'fast-check';

import {
	normalizeActivity,
	timelinePropertiesToRead,
} from '../../nodes/CrmSyncTrigger/logic/timelineNormalize';
import { readActivity } from '../../nodes/CrmTimelineSync/logic/activityInput';
import {
	copyDecision,
	counterpartOf,
	relatedOf,
	subjectOf,
	taskDraftOf,
} from '../../nodes/CrmTimelineSync/logic/taskDraft';
import { htmlToPlainText } from '../../nodes/shared/logic/html';
import { TRUNCATION_MARKER } from '../../nodes/shared/logic/text';
import { isTimelineCopyKey, timelineKey } from '../../nodes/shared/logic/timelineKeys';
import {
	emptyMatchSet,
	TIMELINE_TYPES,
	type CrmRef,
	type TimelineActivity,
} from '../../nodes/shared/model';
import { HUBSPOT_PROFILE } from '../../nodes/shared/providers/hubspot/profile';
import { SALESFORCE_PROFILE } from '../../nodes/shared/providers/salesforce/profile';

const activity = (patch: Partial<TimelineActivity> = {}): TimelineActivity => ({
	crm: 'hubspot',
	type: 'call',
	id: '101',
	objectType: 'calls',
	body: 'Talked about pricing.',
	contactIds: ['1'],
	leadIds: [],
	companyIds: [],
	dealIds: [],
	people: [{ id: '1', kind: 'contact', email: 'ada@engines.example' }],
	copiedByPack: false,
	...patch,
});

const ref = (
	kind: CrmRef['kind'],
	id: string,
	properties: Record<string, unknown> = {},
): CrmRef => ({
	crm: 'salesforce',
	kind,
	objectType: kind === 'lead' ? 'Lead' : kind === 'contact' ? 'Contact' : kind,
	id,
	properties,
});

const SF_TASK = {
	completedStatus: 'Completed',
	descriptionLimit: 32_000,
	taskTypes: { call: 'Call', meeting: 'Meeting', note: 'Other', email: 'Email' },
};

describe('timeline keys', () => {
	it('are readable, fit the tightest key field, differ per source and mark copies', () => {
		expect(timelineKey({ crm: 'hubspot', type: 'call', id: '101' })).toBe(
			'crmsync:timeline:hubspot:call:101',
		);
		fc.assert(
			fc.property(
				fc.constantFrom(...TIMELINE_TYPES),
				fc.string({ minLength: 1, maxLength: 300 }),
				fc.string({ minLength: 1, maxLength: 300 }),
				(type, a, b) => {
					const key = timelineKey({ crm: 'salesforce', type, id: a });
					expect(key.length).toBeLessThanOrEqual(120);
					expect(isTimelineCopyKey(key)).toBe(true);
					if (a !== b) expect(key).not.toBe(timelineKey({ crm: 'salesforce', type, id: b }));
				},
			),
		);
		expect(isTimelineCopyKey('crmsync:call-1:call:log')).toBe(false);
		expect(isTimelineCopyKey(undefined)).toBe(false);
	});
});

describe('HTML → plain text', () => {
	it('keeps lines and decodes entities once', () => {
		expect(htmlToPlainText('<p>One &amp; two</p><p>Three<br/>four &lt;b&gt;</p>')).toBe(
			'One & two\nThree\nfour <b>',
		);
		expect(htmlToPlainText('<ul><li>a</li><li>b</li></ul><script>alert(1)</script>')).toBe(
			'- a\n- b',
		);
		expect(htmlToPlainText('&#x1F600; &#65; &bogus;')).toBe('😀 A &bogus;');
	});

	it('never leaves a tag of the input and never grows text without markup', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 200 }), (text) => {
				const plain = text.replace(/[<>&]/g, '');
				expect(htmlToPlainText(`<p>${plain}</p>`)).toBe(htmlToPlainText(plain));
				expect(htmlToPlainText(`<b>${plain}</b>`)).not.toMatch(/<\/?b>/);
			}),
		);
	});
});

describe('the trigger: a listed record → the neutral activity', () => {
	const [calls, , , emails] = HUBSPOT_PROFILE.timeline.objects;
	const [task] = SALESFORCE_PROFILE.timeline.objects;

	it('HubSpot: fields by the profile, contacts from associations, e-mails from the map', () => {
		const record = {
			id: '101',
			objectType: 'calls',
			properties: {
				hs_call_title: ' Discovery ',
				hs_call_body: '<p>Hello&nbsp;there</p>',
				hs_call_direction: 'INBOUND',
				hs_call_duration: '61000',
				hs_timestamp: '2026-12-01T10:00:00Z',
			},
			associations: { contact: ['1', '2'], company: ['9'] },
		};
		const out = normalizeActivity(
			'hubspot',
			record,
			calls,
			HUBSPOT_PROFILE.timeline.links,
			new Map([['1', 'ada@engines.example']]),
		);
		expect(out).toMatchObject({
			type: 'call',
			subject: 'Discovery',
			body: 'Hello there',
			direction: 'inbound',
			durationMs: 61_000,
			occurredAt: '2026-12-01T10:00:00.000Z',
			contactIds: ['1', '2'],
			companyIds: ['9'],
			people: [
				{ id: '1', kind: 'contact', email: 'ada@engines.example' },
				{ id: '2', kind: 'contact' },
			],
			copiedByPack: false,
		});
		expect(timelinePropertiesToRead(emails, HUBSPOT_PROFILE.timeline.links)).toEqual(
			expect.arrayContaining([
				'hs_email_subject',
				'hs_email_text',
				'hs_email_html',
				'hs_email_direction',
			]),
		);
		// An email's HTML is used when its text part is empty.
		expect(
			normalizeActivity(
				'hubspot',
				{
					id: '5',
					objectType: 'emails',
					properties: { hs_email_text: ' ', hs_email_html: '<p>Hi</p>' },
				},
				emails,
				HUBSPOT_PROFILE.timeline.links,
				new Map(),
			).body,
		).toBe('Hi');
	});

	it('Salesforce: the type by subtype, people and records by id prefix, copies recognised', () => {
		const links = SALESFORCE_PROFILE.timeline.links;
		const base = { id: '00T1', objectType: 'Task', createdAt: '2026-12-01T08:00:00.000Z' };
		const call = normalizeActivity(
			'salesforce',
			{
				...base,
				properties: {
					TaskSubtype: 'Call',
					WhoId: '00Q000000000001',
					WhatId: '006000000000001',
					CallDurationInSeconds: 90,
					ActivityDate: '2026-12-02',
				},
			},
			task,
			links,
			new Map([['00Q000000000001', 'grace@navy.example']]),
		);
		expect(call).toMatchObject({
			type: 'call',
			leadIds: ['00Q000000000001'],
			dealIds: ['006000000000001'],
			contactIds: [],
			durationMs: 90_000,
			occurredAt: '2026-12-02T00:00:00.000Z',
			people: [{ id: '00Q000000000001', kind: 'lead', email: 'grace@navy.example' }],
		});
		const copy = normalizeActivity(
			'salesforce',
			{
				...base,
				properties: { CallObject: timelineKey({ crm: 'hubspot', type: 'note', id: '7' }) },
			},
			task,
			links,
			new Map(),
		);
		expect(copy).toMatchObject({ type: 'task', copiedByPack: true, occurredAt: base.createdAt });
	});
});

describe('the node: copy or skip, counterpart, task draft', () => {
	const hubspotTypes = ['call', 'meeting', 'note', 'email'] as const;

	it('skips copies, types the direction does not copy and activities without an e-mail, with reasons', () => {
		expect(copyDecision(activity({ copiedByPack: true }), hubspotTypes)).toMatchObject({
			copy: false,
		});
		expect(copyDecision(activity({ type: 'task' }), hubspotTypes)).toEqual({
			copy: false,
			reason: 'tasks are not copied in this direction (call, meeting, note, email are)',
		});
		expect(copyDecision(activity({ people: [] }), hubspotTypes)).toEqual({
			copy: false,
			reason: 'the activity is not associated with any contact',
		});
		expect(
			copyDecision(activity({ people: [{ id: '1', kind: 'contact' }] }), hubspotTypes),
		).toMatchObject({
			copy: false,
		});
		expect(
			copyDecision(
				activity({
					people: [
						{ id: '2', kind: 'lead', email: 'Lead@X.example' },
						{ id: '1', kind: 'contact', email: 'Ada@Engines.example' },
						{ id: '3', kind: 'contact', email: 'ada@engines.example' },
					],
				}),
				hubspotTypes,
			),
		).toEqual({ copy: true, emails: ['ada@engines.example', 'lead@x.example'] });
	});

	it('prefers a contact over a lead, then the address that comes first', () => {
		const matches = {
			...emptyMatchSet(),
			lead: [ref('lead', 'L1', { Email: 'a@x.example' })],
			contact: [
				ref('contact', 'C2', { Email: 'b@x.example' }),
				ref('contact', 'C1', { Email: 'a@x.example' }),
			],
		};
		expect(counterpartOf(matches, ['a@x.example', 'b@x.example'], 'Email')?.id).toBe('C1');
		expect(
			counterpartOf({ ...emptyMatchSet(), lead: matches.lead }, ['a@x.example'], 'Email')?.id,
		).toBe('L1');
		expect(counterpartOf(emptyMatchSet(), ['a@x.example'], 'Email')).toBeUndefined();
	});

	it('relates the contact’s own company or its newest open deal, never for a lead', () => {
		const matches = {
			...emptyMatchSet(),
			company: [
				{ ...ref('company', 'D1'), matchedBy: 'domain' },
				{ ...ref('company', 'A1'), matchedBy: 'association' },
			],
			deal: [
				{ ...ref('deal', 'O1'), isOpen: true, updatedAt: '2026-01-01T00:00:00Z' },
				{ ...ref('deal', 'O2'), isOpen: true, updatedAt: '2026-06-01T00:00:00Z' },
				{ ...ref('deal', 'O3'), isOpen: false, updatedAt: '2026-09-01T00:00:00Z' },
			],
		};
		const contact = ref('contact', 'C1');
		expect(relatedOf(matches, contact, 'company')?.id).toBe('A1');
		expect(relatedOf(matches, contact, 'deal')?.id).toBe('O2');
		expect(relatedOf(matches, contact, 'none')).toBeUndefined();
		expect(relatedOf(matches, ref('lead', 'L1'), 'deal')).toBeUndefined();
	});

	it('a completed task keyed by the source, dated the day it happened, typed per activity type', () => {
		const person = ref('contact', 'C1');
		const draft = taskDraftOf({
			...SF_TASK,
			activity: activity({
				occurredAt: '2026-12-01T23:30:00-05:00',
				direction: 'outbound',
				durationMs: 90_000,
			}),
			person,
		});
		expect(draft).toMatchObject({
			key: 'crmsync:timeline:hubspot:call:101',
			kind: 'task',
			status: 'Completed',
			activityType: 'Call',
			dueDate: '2026-12-02',
			dueAt: '2026-12-02T04:30:00.000Z',
			subject: 'Call: Talked about pricing.',
			body: 'Talked about pricing.\n\nDirection: Outbound\nDuration: 1 min 30 s',
			targets: [person],
		});
		expect(subjectOf(activity({ type: 'note', body: '\n  First line\nSecond' }))).toBe(
			'Note: First line',
		);
	});

	it('every activity type gets the type chosen for it, and the detail lines survive any body length', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...hubspotTypes),
				fc.string({ maxLength: 300 }),
				fc.integer({ min: 1, max: 10_000_000 }),
				(type, body, durationMs) => {
					const draft = taskDraftOf({
						...SF_TASK,
						descriptionLimit: 200,
						activity: activity({ type, body: body.repeat(5), durationMs }),
						person: ref('contact', 'C1'),
					});
					expect(draft.activityType).toBe(SF_TASK.taskTypes[type]);
					expect(draft.body.length).toBeLessThanOrEqual(200);
					expect(draft.body).toMatch(/Duration: \d+ min( \d+ s)?$/);
					if (draft.body.includes(TRUNCATION_MARKER)) expect(body.length).toBeGreaterThan(0);
				},
			),
		);
	});
});

describe('the node reads the activity item', () => {
	it('accepts the trigger’s shape (numbers as ids, nulls as absent) and names the bad field', () => {
		const read = readActivity({
			activity: { ...activity(), id: 101, subject: null, occurredAt: null, direction: null },
		});
		expect(read).toMatchObject({ ok: true, activity: { id: '101' } });
		expect(readActivity({})).toEqual({
			ok: false,
			message:
				'field "activity" is missing: connect a CRM Sync Trigger watching "Timeline Activities"',
		});
		const bad = readActivity({ activity: { ...activity(), occurredAt: 'yesterday' } });
		expect(bad).toMatchObject({ ok: false });
		expect(!bad.ok && bad.message).toMatch(/activity\.occurredAt: must be a date and time/);
	});
});
