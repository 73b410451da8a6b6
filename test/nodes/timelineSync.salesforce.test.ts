/**
 * Salesforce Tasks → HubSpot tasks through n8n's real engine on the sandbox: CRM Sync Trigger
 * lists Tasks as timeline activities (logged calls and emails by their subtype), CRM Timeline
 * Sync writes each once as a completed HubSpot task of the chosen type; a Task that is itself a
 * copy from HubSpot is never copied back.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { CrmTimelineSync } from '../../nodes/CrmTimelineSync/CrmTimelineSync.node';
import { timelineKey } from '../../nodes/shared/logic/timelineKeys';
import { SANDBOX_AUTH, jsonOf, sandboxHarness, singleNodeWorkflow } from './support/packHarness';
import { syncTriggerSuite } from './support/syncTriggerSetup';

const NODE = 'CRM Timeline Sync';

const SF_TO_HS = {
	direction: 'salesforceToHubspot',
	hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
	salesforceTaskTaskType: 'TODO',
	salesforceCallTaskType: 'CALL',
	salesforceEmailTaskType: 'EMAIL',
};

const jsonItems = (items: INodeExecutionData[]) => items.map((item) => item.json);

describe('CRM Timeline Sync — Salesforce Tasks → HubSpot tasks', () => {
	const suite = syncTriggerSuite({
		crm: 'salesforce',
		parameters: {
			objectType: 'timelineActivities',
			firstPoll: 'hoursBack',
			hoursBack: 1,
			options: { settleSeconds: 0 },
		},
		sandbox: { rateLimits: { hubspot: false } },
	});
	const hubspotTasks = () => suite.sandbox.store.list('hubspot', 'tasks');

	function plant() {
		const { admin } = suite.sandbox;
		const [contact] = admin.putRecords('salesforce', 'Contact', [
			{ FirstName: 'Ada', LastName: 'Lovelace', Email: 'Ada@Engines.example' },
		]);
		const [hsAda] = admin.putRecords('hubspot', 'contacts', [
			{ firstname: 'Ada', lastname: 'Lovelace', email: 'ada@engines.example' },
		]);
		const day = new Date(suite.clock).toISOString().slice(0, 10);
		const [followUp, call, copy] = admin.putRecords('salesforce', 'Task', [
			{
				Subject: 'Send the contract',
				Description: 'Redlines from legal included.',
				Status: 'Completed',
				ActivityDate: day,
				WhoId: contact.id,
				TaskSubtype: 'Task',
			},
			{
				Subject: 'Call with Ada',
				Description: 'Confirmed the rollout date.',
				Status: 'Completed',
				ActivityDate: day,
				WhoId: contact.id,
				TaskSubtype: 'Call',
				CallType: 'Inbound',
				CallDurationInSeconds: 120,
			},
			// A Task CRM Timeline Sync wrote from a HubSpot call.
			{
				Subject: 'Discovery call',
				Status: 'Completed',
				ActivityDate: day,
				WhoId: contact.id,
				CallObject: timelineKey({ crm: 'hubspot', type: 'call', id: '777' }),
			},
		]);
		return { hsAda: hsAda.id, followUp: followUp.id, call: call.id, copy: copy.id };
	}

	it('each Task becomes one completed HubSpot task of its type on the contact, once; the copy from HubSpot is skipped', async () => {
		const ids = plant();
		const runner = suite.runner();
		const { items } = await runner.poll();
		const activities = jsonItems(items).map((json) => json.activity as IDataObject);
		expect(activities.map((a) => [a.id, a.type, a.copiedByPack])).toEqual(
			expect.arrayContaining([
				[ids.followUp, 'task', false],
				[ids.call, 'call', false],
				[ids.copy, 'task', true],
			]),
		);
		expect(activities.find((a) => a.id === ids.call)).toMatchObject({
			direction: 'inbound',
			durationMs: 120_000,
			people: [{ kind: 'contact', email: 'ada@engines.example' }],
		});

		const { harness, credentials } = sandboxHarness(
			{ crmTimelineSync: new CrmTimelineSync() },
			suite.sandbox.url,
		);
		const workflow = singleNodeWorkflow(
			NODE,
			'crmTimelineSync',
			SF_TO_HS,
			jsonItems(items),
			credentials,
		);
		const run = await harness.run(workflow);
		expect(run.error(NODE)).toBeUndefined();
		const outcome = (id: string) =>
			jsonOf(run, NODE).find((json) => (json.activity as IDataObject).id === id)!
				.timeline as IDataObject;
		expect(outcome(ids.followUp).status).toBe('created');
		expect(outcome(ids.call).status).toBe('created');
		expect(outcome(ids.copy)).toMatchObject({ status: 'skipped' });
		expect(String(outcome(ids.copy).reason)).toMatch(/never copied back/);

		const written = hubspotTasks();
		expect(written).toHaveLength(2);
		expect(written.map((task) => task.fields.hs_task_type).sort()).toEqual(['CALL', 'TODO']);
		for (const task of written) expect(task.fields.hs_task_status).toBe('COMPLETED');
		const call = written.find((task) => task.fields.hs_task_type === 'CALL')!;
		expect(call.fields.hs_task_subject).toBe('Call with Ada');
		expect(String(call.fields.hs_task_body)).toContain('Confirmed the rollout date.');
		expect(String(call.fields.hs_task_body)).toContain('Direction: Inbound');

		const replay = await harness.run(workflow);
		expect(replay.error(NODE)).toBeUndefined();
		expect(hubspotTasks()).toHaveLength(2);
		expect((await runner.poll()).output).toBeNull();
	});
});
