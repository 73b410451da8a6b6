/**
 * CRM Meeting / Event Writer on HubSpot through the real engine and the sandbox:
 * log call (duration, direction, numbers), meeting write modes, clear metadata cache.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmMeetingWriter } from '../../nodes/CrmMeetingWriter/CrmMeetingWriter.node';
import { SANDBOX_AUTH, chainWorkflow, jsonOf, sandboxHarness } from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';

const call = {
	id: 'call-mw-1',
	startedAt: '2026-11-20T10:00:00Z',
	endedAt: '2026-11-20T10:12:30Z',
	direction: 'inbound',
	participants: [
		{ name: 'Rep', phone: '+1 415 555 0000', internal: true },
		{ name: 'Alice', phone: '+1 415 555 0101' },
	],
	summary: 'Inbound support call.',
};

const link = {
	name: 'CRM Link',
	packNode: 'crmLink',
	parameters: { ...SANDBOX_AUTH.hubspot, objectTypes: ['contact'] },
};
const writer = (parameters: IDataObject) => ({
	name: 'Writer',
	packNode: 'crmMeetingWriter',
	parameters: { ...SANDBOX_AUTH.hubspot, targetObjectTypes: ['contact'], ...parameters },
});

describe('CRM Meeting / Event Writer — HubSpot through the engine', () => {
	const suite = seededSandbox();
	const setup = () =>
		sandboxHarness(
			{ crmLink: new CrmLink(), crmMeetingWriter: new CrmMeetingWriter() },
			suite.sandbox.url,
		);

	it('logs the call once with duration, direction and numbers', async () => {
		const { harness, credentials } = setup();
		const workflow = chainWorkflow([call], [link, writer({ operation: 'logCall' })], credentials);
		const run = await harness.run(workflow);
		expect(run.error('Writer')).toBeUndefined();
		const calls = suite.sandbox.store.list('hubspot', 'calls');
		expect(calls).toHaveLength(1);
		expect(calls[0].fields).toMatchObject({
			hs_call_duration: '750000',
			hs_call_direction: 'INBOUND',
			hs_call_from_number: '+1 415 555 0101',
			hs_call_to_number: '+1 415 555 0000',
			hs_call_status: 'COMPLETED',
		});
		const logs = jsonOf(run, 'Writer')[0].syncLog as Array<{ operation: string; status: string }>;
		expect(logs.at(-1)).toMatchObject({ operation: 'log-call', status: 'success' });

		await harness.run(workflow);
		expect(suite.sandbox.store.list('hubspot', 'calls')).toHaveLength(1);
	});

	it('always-create writes a meeting with the chosen type; update-only then updates it', async () => {
		const { harness, credentials } = setup();
		await harness.run(
			chainWorkflow(
				[call],
				[
					link,
					writer({
						operation: 'writeMeeting',
						meetingWriteMode: 'alwaysCreate',
						meetingType: 'Demo',
					}),
				],
				credentials,
			),
		);
		const meetings = suite.sandbox.store.list('hubspot', 'meetings');
		expect(meetings).toHaveLength(1);
		expect(meetings[0].fields.hs_activity_type).toBe('Demo');

		const other = setup();
		const run = await other.harness.run(
			chainWorkflow(
				[{ ...call, summary: 'Updated notes.' }],
				[link, writer({ operation: 'writeMeeting', meetingWriteMode: 'updateOnly' })],
				other.credentials,
			),
		);
		const record = (
			(jsonOf(run, 'Writer')[0].crm as IDataObject).meetings as Array<{
				created: boolean;
				status: string;
			}>
		)[0];
		expect(record).toMatchObject({ status: 'success', created: false });
		expect(suite.sandbox.store.list('hubspot', 'meetings')).toHaveLength(1);
		expect(
			String(suite.sandbox.store.list('hubspot', 'meetings')[0].fields.hs_meeting_body),
		).toContain('Updated notes.');
	});

	it('clears the metadata cache so meeting types are loaded again', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			chainWorkflow(
				[{}],
				[{ ...writer({ operation: 'clearMetadataCache' }), name: 'Writer' }],
				credentials,
			),
		);
		expect(jsonOf(run, 'Writer')[0].metadataCacheCleared).toBe(true);
	});
	it('a title expression that fails for one item fails that item only; the other call is logged', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			chainWorkflow(
				[call, { ...call, id: 'call-mw-2', failHere: true }],
				[
					link,
					{
						...writer({
							operation: 'logCall',
							title: "={{ $json.failHere ? $('No Such Node').item.json.x : 'Support call' }}",
						}),
						settings: { onError: 'continueErrorOutput' },
					},
				],
				credentials,
			),
		);
		expect(run.error('Writer')).toBeUndefined();
		const [written, errors] = run.output('Writer');
		expect(written.map((i) => i.pairedItem)).toEqual([{ item: 0 }]);
		expect(errors.map((i) => i.pairedItem)).toEqual([{ item: 1 }]);
		expect(String(errors[0].json.error)).toMatch(/^Item 1: /);
		const calls = suite.sandbox.store
			.list('hubspot', 'calls')
			.filter((c) => c.fields.hs_call_title === 'Support call');
		expect(calls).toHaveLength(1);
	});
});
