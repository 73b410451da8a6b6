/**
 * Meeting write modes look existing meetings up for the whole batch at once, on HubSpot,
 * Salesforce and Dynamics 365 through the real engine and the sandbox: a batch of 10 calls
 * of one contact costs ONE lookup request (not 10), existing meetings are updated (by key,
 * or by start time within the tolerance), the others created once, and no lookup takes a
 * meeting that another lookup of the batch owns.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmMeetingWriter } from '../../nodes/CrmMeetingWriter/CrmMeetingWriter.node';
import type { LoggedRequest } from '../sandbox/core/requestLog';
import { SANDBOX_AUTH, chainWorkflow, jsonOf, sandboxHarness } from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';

type Crm = 'hubspot' | 'salesforce' | 'dynamics';

const at = (hhmm: string) => `2026-11-20T${hhmm}:00Z`;

const call = (id: string, start: string, summary: string) => ({
	id,
	startedAt: at(start),
	endedAt: at(
		start.replace(/:(\d\d)$/, (_, m: string) => `:${String(Number(m) + 30).padStart(2, '0')}`),
	),
	direction: 'outbound',
	participants: [
		{ name: 'Rep', phone: '+1 415 555 0000', internal: true },
		{ name: 'Alice', phone: '+1 415 555 0101' },
	],
	summary,
});

/** Where each CRM keeps meetings, their start and their text. */
const STORE: Record<Crm, { collection: string; start: string; body: string }> = {
	hubspot: { collection: 'meetings', start: 'hs_meeting_start_time', body: 'hs_meeting_body' },
	salesforce: { collection: 'Event', start: 'StartDateTime', body: 'Description' },
	dynamics: { collection: 'appointment', start: 'scheduledstart', body: 'description' },
};

/** The requests that looked meetings up. */
const LOOKUPS: Record<Crm, (request: LoggedRequest) => boolean> = {
	hubspot: (r) =>
		/\/crm\/v3\/objects\/meetings\/search$/.test(r.path) ||
		/\/associations\/meetings\/contacts\/batch\/read$/.test(r.path),
	salesforce: (r) => /\/query\/?$/.test(r.path) && /\bFROM Event\b/.test(String(r.query.q)),
	dynamics: (r) => /\$batch$/.test(r.path) && /GET \S+\/appointments\?/.test(String(r.body)),
};

const FIRST = 'First write of the meeting.';
const SECOND = 'Second run: notes after the call.';

describe('Meeting write modes — one lookup for the whole batch', () => {
	const suite = seededSandbox();
	const setup = () =>
		sandboxHarness(
			{ crmLink: new CrmLink(), crmMeetingWriter: new CrmMeetingWriter() },
			suite.sandbox.url,
		);
	const steps = (crm: Crm, mode: string) => [
		{
			name: 'CRM Link',
			packNode: 'crmLink',
			parameters: { ...SANDBOX_AUTH[crm], objectTypes: ['contact'] },
		},
		{
			name: 'Writer',
			packNode: 'crmMeetingWriter',
			parameters: {
				...SANDBOX_AUTH[crm],
				operation: 'writeMeeting',
				targetObjectTypes: ['contact'],
				meetingWriteMode: mode,
				matchToleranceMinutes: 15,
			},
		},
	];

	const meetings = (crm: Crm) => suite.sandbox.store.list(crm, STORE[crm].collection);
	const startOf = (crm: Crm, fields: Record<string, unknown>) => {
		const raw = String(fields[STORE[crm].start]);
		return new Date(/^\d+$/.test(raw) ? Number(raw) : Date.parse(raw)).toISOString();
	};

	it.each<Crm>(['hubspot', 'salesforce', 'dynamics'])(
		'%s: 10 meetings with "update if exists" cost one lookup request; 5 are updated, 5 created, none twice',
		async (crm) => {
			const before = meetings(crm).length;
			const { harness, credentials } = setup();
			const first = ['08:00', '10:00', '12:00', '14:00', '16:00'].map((start, i) =>
				call(`mb-${crm}-${i}`, start, FIRST),
			);
			const seeded = await harness.run(
				chainWorkflow(first, steps(crm, 'alwaysCreate'), credentials),
			);
			expect(seeded.error('Writer')).toBeUndefined();
			expect(meetings(crm).length - before).toBe(5);

			suite.sandbox.admin.clearRequests();
			const batch = [
				call(`mb-${crm}-0`, '08:00', SECOND), // same call: found by its key
				call(`mb-${crm}-1`, '10:00', SECOND), // same call: found by its key
				call(`mb-${crm}-x2`, '12:03', SECOND), // another call, same contact, 3 minutes off: found by time
				call(`mb-${crm}-x3`, '14:03', SECOND),
				call(`mb-${crm}-x4`, '16:03', SECOND),
				call(`mb-${crm}-n1`, '08:10', SECOND), // 08:00 is within 15 minutes but is item 1's: created
				call(`mb-${crm}-n2`, '12:10', SECOND), // 12:00 is within 15 minutes but item 3 is closer: created
				call(`mb-${crm}-n3`, '09:00', SECOND),
				call(`mb-${crm}-n4`, '11:00', SECOND),
				call(`mb-${crm}-n5`, '13:00', SECOND),
			];
			const run = await harness.run(
				chainWorkflow(batch, steps(crm, 'updateIfExists'), credentials),
			);
			expect(run.error('Writer')).toBeUndefined();

			const lookups = suite.sandbox.admin.requests(crm).filter(LOOKUPS[crm]);
			expect(lookups).toHaveLength(1);

			const created = jsonOf(run, 'Writer').map(
				(item) =>
					((item.crm as IDataObject).meetings as Array<{ status: string; created: boolean }>)[0],
			);
			expect(created.map((record) => record.status)).toEqual(Array(10).fill('success'));
			expect(created.map((record) => record.created)).toEqual([
				false,
				false,
				false,
				false,
				false,
				true,
				true,
				true,
				true,
				true,
			]);

			const all = meetings(crm);
			expect(all.length - before).toBe(10);
			const ours = all.filter((m) =>
				[FIRST, SECOND].some((s) => String(m.fields[STORE[crm].body]).includes(s)),
			);
			expect(ours).toHaveLength(10);
			// Every first-run meeting now carries the second run's notes; no start appears twice.
			expect(ours.filter((m) => String(m.fields[STORE[crm].body]).includes(FIRST))).toHaveLength(0);
			const starts = ours.map((m) => startOf(crm, m.fields)).sort();
			expect(new Set(starts).size).toBe(10);
			expect(starts).toEqual(
				// The meetings found by time moved to their new call's start (12:03, 14:03, 16:03).
				['08:00', '08:10', '09:00', '10:00', '11:00', '12:03', '12:10', '13:00', '14:03', '16:03']
					.map((hhmm) => new Date(at(hhmm)).toISOString())
					.sort(),
			);

			// The same batch again finds every meeting (by key now) and writes nothing new.
			suite.sandbox.admin.clearRequests();
			const again = await harness.run(
				chainWorkflow(batch, steps(crm, 'updateIfExists'), credentials),
			);
			expect(again.error('Writer')).toBeUndefined();
			expect(suite.sandbox.admin.requests(crm).filter(LOOKUPS[crm])).toHaveLength(1);
			expect(meetings(crm).length - before).toBe(10);
		},
	);
});
