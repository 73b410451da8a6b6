/**
 * CRM Meeting / Event Writer on autoch.at CRM through the real engine and the sandbox.
 * autoch.at cannot update an activity, so the default "Update if a matching meeting exists"
 * creates a meeting even when another conversation's meeting starts at the same time on the
 * same client (it used to pick that meeting and fail the update), a replay of the same call
 * is still written once, and "Update only" writes nothing and says why.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmMeetingWriter } from '../../nodes/CrmMeetingWriter/CrmMeetingWriter.node';
import {
	SANDBOX_AUTH,
	chainWorkflow,
	jsonOf,
	sandboxHarness,
	type ChainStep,
} from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';

const call = (id: string) => ({
	id,
	startedAt: '2026-11-20T10:00:00Z',
	endedAt: '2026-11-20T10:20:00Z',
	direction: 'outbound',
	participants: [
		{ name: 'Rep', email: 'rep@ours.example', internal: true },
		{ name: 'Alice', phone: '+1 415 555 0101' },
	],
	summary: `Meeting about the fleet (${id}).`,
});

const link: ChainStep = {
	name: 'CRM Link',
	packNode: 'crmLink',
	parameters: { ...SANDBOX_AUTH.autochat, objectTypes: ['contact'] },
};
const writer = (parameters: IDataObject): ChainStep => ({
	name: 'Writer',
	packNode: 'crmMeetingWriter',
	parameters: {
		...SANDBOX_AUTH.autochat,
		operation: 'writeMeeting',
		targetObjectTypes: ['contact'],
		...parameters,
	},
	settings: { onError: 'continueErrorOutput' },
});

describe('CRM Meeting / Event Writer — autoch.at CRM through the engine', () => {
	const suite = seededSandbox();
	const setup = () =>
		sandboxHarness(
			{ crmLink: new CrmLink(), crmMeetingWriter: new CrmMeetingWriter() },
			suite.sandbox.url,
		);
	const meetings = () =>
		suite.sandbox.store
			.list('autochat', 'activities')
			.filter((activity) => activity.fields.type === 'meeting');

	it('the default mode creates a second meeting at the same start time instead of failing, and writes each call once', async () => {
		const { harness, credentials } = setup();
		const first = chainWorkflow(
			[call('aw-1')],
			[link, writer({ meetingWriteMode: 'updateIfExists' })],
			credentials,
		);
		await harness.run(first);
		const second = await harness.run(
			chainWorkflow(
				[call('aw-2')],
				[link, writer({ meetingWriteMode: 'updateIfExists' })],
				credentials,
			),
		);
		expect(second.output('Writer')[1] ?? []).toEqual([]);
		expect(meetings()).toHaveLength(2);
		const logs = jsonOf(second, 'Writer')[0].syncLog as Array<{ status: string }>;
		expect(logs.at(-1)).toMatchObject({ status: 'success' });

		await harness.run(first);
		expect(meetings()).toHaveLength(2);
	});

	it('"Update only" writes nothing and says autoch.at cannot update a meeting', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			chainWorkflow(
				[call('aw-3')],
				[link, writer({ meetingWriteMode: 'updateOnly' })],
				credentials,
			),
		);
		expect(run.output('Writer')[1] ?? []).toEqual([]);
		const [out] = jsonOf(run, 'Writer');
		const written = (out.crm as IDataObject).meetings as Array<{ status: string; reason: string }>;
		expect(written.map((meeting) => meeting.status)).toEqual(['skipped']);
		expect(written[0].reason).toContain('cannot update a meeting');
		expect(meetings()).toHaveLength(0);
	});
});
