/**
 * Log Call's outcome, numbers, recording and additional fields on HubSpot, Salesforce,
 * Dynamics 365 and autoch.at CRM through the real engine and the sandbox: what each CRM stores, the per-item
 * errors for a bad outcome, recording URL or field, and that a call is still logged once.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmMeetingWriter } from '../../nodes/CrmMeetingWriter/CrmMeetingWriter.node';
import { HUBSPOT_CALL_DISPOSITIONS } from '../sandbox/vendors/hubspot/meta';
import {
	SANDBOX_AUTH,
	chainWorkflow,
	jsonOf,
	sandboxHarness,
	type ChainStep,
} from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';

type Crm = 'hubspot' | 'salesforce' | 'dynamics' | 'autochat';

const call = (id: string, extra: IDataObject = {}) => ({
	id,
	startedAt: '2026-11-20T10:00:00Z',
	endedAt: '2026-11-20T10:12:30Z',
	direction: 'outbound',
	participants: [
		{ name: 'Rep', phone: '+1 415 555 0000', internal: true },
		{ name: 'Alice', phone: '+1 415 555 0101' },
	],
	summary: 'Left a message about the renewal.',
	...extra,
});

const VOICEMAIL = HUBSPOT_CALL_DISPOSITIONS.find((d) => d.label === 'Left voicemail')!;

describe('Log Call — outcome, numbers, recording, additional fields', () => {
	const suite = seededSandbox();
	const setup = () =>
		sandboxHarness(
			{ crmLink: new CrmLink(), crmMeetingWriter: new CrmMeetingWriter() },
			suite.sandbox.url,
		);
	const steps = (crm: Crm, parameters: IDataObject): ChainStep[] => [
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
				operation: 'logCall',
				targetObjectTypes: ['contact'],
				...parameters,
			},
			settings: { onError: 'continueErrorOutput' },
		},
	];
	const run = async (crm: Crm, items: IDataObject[], parameters: IDataObject) => {
		const { harness, credentials } = setup();
		const result = await harness.run(chainWorkflow(items, steps(crm, parameters), credentials));
		expect(result.error('Writer')).toBeUndefined();
		return result;
	};
	const errorsOf = (result: Awaited<ReturnType<typeof run>>) =>
		(result.output('Writer')[1] ?? []).map((item) => item.json);

	it('HubSpot: an outcome given by its label is stored as the portal disposition id, with numbers and recording', async () => {
		const result = await run('hubspot', [call('oc-hs-1')], {
			callOutcome: '={{ "left  VOICEMAIL" }}',
			recordingUrl: 'https://recordings.example/oc-hs-1.mp3',
		});
		expect(errorsOf(result)).toEqual([]);
		const calls = suite.sandbox.store.list('hubspot', 'calls');
		expect(calls).toHaveLength(1);
		expect(calls[0].fields).toMatchObject({
			hs_call_disposition: VOICEMAIL.id,
			hs_call_recording_url: 'https://recordings.example/oc-hs-1.mp3',
			hs_call_from_number: '+1 415 555 0000',
			hs_call_to_number: '+1 415 555 0101',
			hs_call_direction: 'OUTBOUND',
			hs_call_duration: '750000',
		});
		const dispositionReads = suite.sandbox.admin
			.requests('hubspot')
			.filter((request) => request.path.endsWith('/calling/v1/dispositions'));
		expect(dispositionReads.length).toBeLessThanOrEqual(1);
	});

	it('HubSpot: an unknown outcome label or a bad recording URL fails that item, naming the item and field; the other call is logged', async () => {
		const result = await run(
			'hubspot',
			[
				call('oc-hs-ok', { outcome: 'Connected' }),
				call('oc-hs-bad', { outcome: 'Voicemail full' }),
				call('oc-hs-url', { outcome: 'Busy', recordingUrl: 'ftp://x.example/r' }),
			],
			{ callOutcome: '={{ $json.outcome }}' },
		);
		const errors = errorsOf(result);
		expect(errors).toHaveLength(2);
		expect(String(errors[0].error)).toMatch(
			/^Item 1: field "Outcome \/ Disposition": "Voicemail full" is not one of the HubSpot call outcomes \(Busy, Connected/,
		);
		expect(errors[0].details).toMatchObject({
			kind: 'invalid-input',
			field: 'Outcome / Disposition',
			item: 1,
		});
		expect(String(errors[1].error)).toMatch(/^Item 2: field "Recording URL": .*not an http/);
		const calls = suite.sandbox.store.list('hubspot', 'calls');
		expect(calls.map((c) => c.fields.hs_call_external_id)).toEqual([
			expect.stringContaining('oc-hs-ok'),
		]);
		expect(calls[0].fields.hs_call_disposition).toBe(
			HUBSPOT_CALL_DISPOSITIONS.find((d) => d.label === 'Connected')!.id,
		);
	});

	it('Salesforce: Call Result and Call Type on the Task, both numbers and the recording as fixed lines in the Description', async () => {
		const result = await run('salesforce', [call('oc-sf-1')], {
			callOutcome: 'Left voicemail',
			recordingUrl: 'https://recordings.example/oc-sf-1.mp3',
			additionalCallFields: { field: [{ name: 'Priority', value: 'high' }] },
		});
		expect(errorsOf(result)).toEqual([]);
		const tasks = suite.sandbox.store
			.list('salesforce', 'Task')
			.filter((task) => String(task.fields.CallObject).includes('oc-sf-1'));
		expect(tasks).toHaveLength(1);
		expect(tasks[0].fields).toMatchObject({
			TaskSubtype: 'Call',
			CallDisposition: 'Left voicemail',
			CallType: 'Outbound',
			CallDurationInSeconds: 750,
			Priority: 'High',
			Status: 'Completed',
		});
		const description = String(tasks[0].fields.Description);
		expect(description).toContain('Left a message about the renewal.');
		expect(description.split('\n')).toEqual(
			expect.arrayContaining([
				'From: +1 415 555 0000 · To: +1 415 555 0101',
				'Recording: https://recordings.example/oc-sf-1.mp3',
			]),
		);
	});

	it('Salesforce: a call without a direction takes Call Type from Additional Activity Fields (Internal); an over-long outcome or unknown field fails its item', async () => {
		const internal = call('oc-sf-int');
		delete (internal as IDataObject).direction;
		const result = await run(
			'salesforce',
			[
				{ ...internal, outcome: 'Connected', field: 'CallType', value: 'Internal' },
				{ ...call('oc-sf-long'), outcome: 'x'.repeat(256), field: 'CallType', value: 'Inbound' },
				{ ...call('oc-sf-field'), outcome: 'Busy', field: 'NoSuchField__c', value: '1' },
			],
			{
				callOutcome: '={{ $json.outcome }}',
				additionalCallFields: {
					field: [{ name: '={{ $json.field }}', value: '={{ $json.value }}' }],
				},
			},
		);
		const errors = errorsOf(result);
		expect(errors.map((e) => String(e.error))).toEqual([
			expect.stringMatching(
				/^Item 1: field "Outcome \/ Disposition": is 256 characters long; Salesforce stores at most 255/,
			),
			expect.stringMatching(
				/^Item 2: field "Additional Activity Fields.NoSuchField__c": "NoSuchField__c" is not a field of the call/,
			),
		]);
		const tasks = suite.sandbox.store
			.list('salesforce', 'Task')
			.filter((task) => String(task.fields.CallObject).includes('oc-sf-'));
		expect(tasks).toHaveLength(1);
		expect(tasks[0].fields).toMatchObject({ CallType: 'Internal', CallDisposition: 'Connected' });
	});

	it("autoch.at CRM: outcome and recording in the call activity's metadata; an over-long outcome fails its item", async () => {
		const result = await run(
			'autochat',
			[call('oc-ac-1', { outcome: 'Connected' }), call('oc-ac-2', { outcome: 'y'.repeat(300) })],
			{
				callOutcome: '={{ $json.outcome }}',
				recordingUrl: 'https://recordings.example/oc-ac.mp3',
			},
		);
		const errors = errorsOf(result);
		expect(errors.map((e) => String(e.error))).toEqual([
			expect.stringMatching(/^Item 1: field "Outcome \/ Disposition": is 300 characters long/),
		]);
		const calls = suite.sandbox.store
			.list('autochat', 'activities')
			.filter((activity) => activity.fields.type === 'call');
		expect(calls).toHaveLength(1);
		expect(calls[0].fields).toMatchObject({
			external_id: expect.stringContaining('oc-ac-1'),
			metadata: expect.objectContaining({
				outcome: 'Connected',
				recording_url: 'https://recordings.example/oc-ac.mp3',
				from_number: '+1 415 555 0000',
				to_number: '+1 415 555 0101',
			}),
		});
	});

	it('Dynamics 365: direction and the other party on the phone call; both numbers, recording and outcome as lines in the description', async () => {
		const result = await run('dynamics', [call('oc-dy-1')], {
			callOutcome: 'Left voicemail',
			recordingUrl: 'https://recordings.example/oc-dy-1.mp3',
			additionalCallFields: { field: [{ name: 'prioritycode', value: 'High' }] },
		});
		expect(errorsOf(result)).toEqual([]);
		const calls = suite.sandbox.store
			.list('dynamics', 'phonecall')
			.filter((row) => String(row.fields.subcategory).includes('oc-dy-1'));
		expect(calls).toHaveLength(1);
		expect(calls[0].fields).toMatchObject({
			directioncode: true,
			phonenumber: '+1 415 555 0101',
			actualdurationminutes: 13,
			prioritycode: 2,
		});
		expect(String(calls[0].fields.description)).toContain(
			'<p>From: +1 415 555 0000 · To: +1 415 555 0101<br>Recording: https://recordings.example/oc-dy-1.mp3<br>Outcome: Left voicemail</p>',
		);
		const replay = await run('dynamics', [call('oc-dy-1')], {
			callOutcome: 'Left voicemail',
			recordingUrl: 'https://recordings.example/oc-dy-1.mp3',
			additionalCallFields: { field: [{ name: 'prioritycode', value: 'High' }] },
		});
		expect(jsonOf(replay, 'Writer')).toHaveLength(1);
		expect(
			suite.sandbox.store
				.list('dynamics', 'phonecall')
				.filter((row) => String(row.fields.subcategory).includes('oc-dy-1')),
		).toHaveLength(1);
	});
});
