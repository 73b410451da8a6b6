/**
 * HubSpot timeline → Salesforce Tasks through n8n's real engine on the sandbox: CRM Sync
 * Trigger ("Timeline Activities") polls calls, meetings, notes and emails, CRM Timeline Sync
 * writes one completed Task per activity with the chosen Task Type — one lookup and one write
 * call per batch; a second poll, a replay, ten concurrent copies and a lost answer never make
 * a second Task; Salesforce Tasks go to HubSpot tasks once, and copies are never copied back.
 */
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { CrmTimelineSync } from '../../nodes/CrmTimelineSync/CrmTimelineSync.node';
import { timelineKey } from '../../nodes/shared/logic/timelineKeys';
import { defaultAssociationType } from '../sandbox/vendors/hubspot/objectTypes';
import type { HubSpotObjectType } from '../sandbox/vendors/hubspot/objectTypes';
import { SANDBOX_AUTH, jsonOf, sandboxHarness, singleNodeWorkflow } from './support/packHarness';
import { syncTriggerSuite, type SyncTriggerSuite } from './support/syncTriggerSetup';
import { sameWorkflow } from './support/writtenOnce';

const NODE = 'CRM Timeline Sync';

const TASK_TYPES = {
	hubspotCallTaskType: 'Call',
	hubspotMeetingTaskType: 'Meeting',
	hubspotNoteTaskType: 'Other',
	hubspotEmailTaskType: 'Email',
};

const HS_TO_SF = {
	direction: 'hubspotToSalesforce',
	salesforceAuthentication: SANDBOX_AUTH.salesforce.salesforceAuthentication,
	...TASK_TYPES,
};

const TRIGGER = {
	objectType: 'timelineActivities',
	firstPoll: 'hoursBack',
	hoursBack: 1,
	options: { settleSeconds: 0 },
};

function link(
	suite: SyncTriggerSuite,
	fromType: HubSpotObjectType,
	fromId: string,
	toType: HubSpotObjectType,
	toId: string,
): void {
	const type = defaultAssociationType(fromType, toType)!;
	const category = 'HUBSPOT_DEFINED';
	const { admin } = suite.sandbox;
	admin.linkRecords('hubspot', { fromType, fromId, toType, toId, typeId: type.typeId, category });
	admin.linkRecords('hubspot', {
		fromType: toType,
		fromId: toId,
		toType: fromType,
		toId: fromId,
		typeId: type.inverseTypeId,
		category,
	});
}

const jsonItems = (items: INodeExecutionData[]) => items.map((item) => item.json);

describe('CRM Timeline Sync — HubSpot timeline → Salesforce Tasks', () => {
	const suite = syncTriggerSuite({
		crm: 'hubspot',
		parameters: TRIGGER,
		// Every test polls several times; HubSpot's 10-second window is not what is tested here.
		sandbox: { rateLimits: { hubspot: false } },
	});
	const tasks = () => suite.sandbox.store.list('salesforce', 'Task');
	// Data calls; `/limits` is the token check after a new access token, not the node's work.
	const dataCalls = () =>
		suite.sandbox.admin
			.requests('salesforce')
			.filter(
				(request) => request.path.includes('/services/data/') && !request.path.endsWith('/limits'),
			);

	/** Ada (a Salesforce Contact) and Grace (only a Salesforce Lead), both HubSpot contacts. */
	function plantPeople() {
		const { admin } = suite.sandbox;
		const [ada, grace, nobody] = admin.putRecords('hubspot', 'contacts', [
			{ firstname: 'Ada', lastname: 'Lovelace', email: 'ada@engines.example' },
			{ firstname: 'Grace', lastname: 'Hopper', email: 'Grace@Navy.example' },
			{ firstname: 'No', lastname: 'Counterpart', email: 'nobody@nowhere.example' },
		]);
		const [sfAda] = admin.putRecords('salesforce', 'Contact', [
			{ FirstName: 'Ada', LastName: 'Lovelace', Email: 'ada@engines.example' },
		]);
		const [sfGrace] = admin.putRecords('salesforce', 'Lead', [
			{ FirstName: 'Grace', LastName: 'Hopper', Company: 'Navy', Email: 'grace@navy.example' },
		]);
		return {
			ada: ada.id,
			grace: grace.id,
			nobody: nobody.id,
			sfAda: sfAda.id,
			sfGrace: sfGrace.id,
		};
	}

	/** One call, meeting, note and email on Ada; returns their ids by type. */
	function plantTimeline(contactId: string, prefix = 'T') {
		const { admin } = suite.sandbox;
		const at = new Date(suite.clock).toISOString();
		const [call] = admin.putRecords('hubspot', 'calls', [
			{
				hs_call_title: `${prefix} discovery call`,
				hs_call_body: '<p>Talked about <b>pricing</b> &amp; rollout.</p>',
				hs_call_direction: 'OUTBOUND',
				hs_call_duration: '330000',
				hs_call_status: 'COMPLETED',
				hs_timestamp: at,
			},
		]);
		const [meeting] = admin.putRecords('hubspot', 'meetings', [
			{
				hs_meeting_title: `${prefix} demo`,
				hs_meeting_body: '<p>Demo of the fleet module.</p>',
				hs_meeting_start_time: at,
				hs_timestamp: at,
			},
		]);
		const [note] = admin.putRecords('hubspot', 'notes', [
			{ hs_note_body: '<div>Prefers e-mail.<br>Budget in Q1.</div>', hs_timestamp: at },
		]);
		const [email] = admin.putRecords('hubspot', 'emails', [
			{
				hs_email_subject: `${prefix} proposal`,
				hs_email_text: 'Please find the proposal attached.',
				hs_email_direction: 'EMAIL',
				hs_timestamp: at,
			},
		]);
		link(suite, 'calls', call.id, 'contacts', contactId);
		link(suite, 'meetings', meeting.id, 'contacts', contactId);
		link(suite, 'notes', note.id, 'contacts', contactId);
		link(suite, 'emails', email.id, 'contacts', contactId);
		return { call: call.id, meeting: meeting.id, note: note.id, email: email.id };
	}

	function setup() {
		return sandboxHarness({ crmTimelineSync: new CrmTimelineSync() }, suite.sandbox.url);
	}

	it('the trigger lists calls, meetings, notes and emails as neutral activities with their contacts and e-mails', async () => {
		const people = plantPeople();
		const ids = plantTimeline(people.ada);
		suite.sandbox.admin.clearRequests();
		const { items } = await suite.runner().poll();
		// Per type one search and one contacts-association read; one batch read of the contacts' e-mails.
		const paths = suite.sandbox.admin.requests('hubspot').map((request) => request.path);
		expect(paths.filter((path) => path.endsWith('/search'))).toHaveLength(4);
		expect(paths.filter((path) => path.includes('/crm/v4/associations/'))).toHaveLength(4);
		expect(paths.filter((path) => path.endsWith('/objects/contacts/batch/read'))).toHaveLength(1);
		expect(paths).toHaveLength(9);
		const activities = jsonItems(items).map((json) => json.activity as IDataObject);
		expect(activities.map((a) => a.type).sort()).toEqual(['call', 'email', 'meeting', 'note']);
		const call = activities.find((a) => a.type === 'call')!;
		expect(call).toMatchObject({
			crm: 'hubspot',
			id: ids.call,
			objectType: 'calls',
			subject: 'T discovery call',
			body: 'Talked about pricing & rollout.',
			direction: 'outbound',
			durationMs: 330_000,
			status: 'COMPLETED',
			contactIds: [people.ada],
			people: [{ id: people.ada, kind: 'contact', email: 'ada@engines.example' }],
			copiedByPack: false,
		});
		expect(activities.find((a) => a.type === 'note')!.body).toBe('Prefers e-mail.\nBudget in Q1.');
		expect(jsonItems(items)[0]).toMatchObject({ kind: 'timeline', event: 'created' });
	});

	it('a manual test returns a recent sample and leaves the cursors alone', async () => {
		const people = plantPeople();
		plantTimeline(people.ada);
		const runner = suite.runner();
		const sample = await runner.poll({ mode: 'manual' });
		expect(sample.items.map((item) => (item.json.activity as IDataObject).type).sort()).toEqual([
			'call',
			'email',
			'meeting',
			'note',
		]);
		expect(JSON.stringify(sample.items[0].json.syncLog)).toContain('manual test');
		// The first real poll still emits all four.
		expect((await runner.poll()).items).toHaveLength(4);
	});

	it('4 activity types → 4 completed Salesforce Tasks with the chosen types, one lookup and one write call', async () => {
		const people = plantPeople();
		const ids = plantTimeline(people.ada);
		const { items } = await suite.runner().poll();
		const { harness, credentials } = setup();
		suite.sandbox.admin.clearRequests();
		const run = await harness.run(
			singleNodeWorkflow(NODE, 'crmTimelineSync', HS_TO_SF, jsonItems(items), credentials),
		);
		expect(run.error(NODE)).toBeUndefined();
		const out = jsonOf(run, NODE);
		expect(out.map((json) => (json.timeline as IDataObject).status)).toEqual([
			'created',
			'created',
			'created',
			'created',
		]);
		expect(dataCalls()).toHaveLength(2);
		const written = tasks();
		expect(written).toHaveLength(4);
		const byKey = (type: 'call' | 'meeting' | 'note' | 'email', id: string) =>
			written.find((task) => task.fields.CallObject === timelineKey({ crm: 'hubspot', type, id }))!
				.fields;
		expect(byKey('call', ids.call)).toMatchObject({
			Type: 'Call',
			Status: 'Completed',
			Subject: 'T discovery call',
			WhoId: people.sfAda,
			ActivityDate: new Date(suite.clock).toISOString().slice(0, 10),
		});
		expect(String(byKey('call', ids.call).Description)).toBe(
			'Talked about pricing & rollout.\n\nDirection: Outbound\nDuration: 5 min 30 s\nStatus: COMPLETED',
		);
		expect(byKey('meeting', ids.meeting)).toMatchObject({ Type: 'Meeting', Subject: 'T demo' });
		expect(byKey('note', ids.note)).toMatchObject({
			Type: 'Other',
			Subject: 'Note: Prefers e-mail.',
		});
		expect(byKey('email', ids.email)).toMatchObject({ Type: 'Email', Subject: 'T proposal' });
		const log = out[0].syncLog as IDataObject[];
		expect(log.at(-1)).toMatchObject({
			crm: 'salesforce',
			operation: 'copy-activity',
			status: 'success',
		});
	});

	it('a lead counterpart, a person with no counterpart and an activity without contacts: Task on the lead, two skipped with reasons', async () => {
		const people = plantPeople();
		const { admin } = suite.sandbox;
		const [onGrace, onNobody, onNoone] = admin.putRecords('hubspot', 'calls', [
			{ hs_call_title: 'Grace call', hs_timestamp: new Date(suite.clock).toISOString() },
			{ hs_call_title: 'Nobody call', hs_timestamp: new Date(suite.clock).toISOString() },
			{ hs_call_title: 'Orphan call', hs_timestamp: new Date(suite.clock).toISOString() },
		]);
		link(suite, 'calls', onGrace.id, 'contacts', people.grace);
		link(suite, 'calls', onNobody.id, 'contacts', people.nobody);
		const { items } = await suite.runner({ timelineTypes: ['calls'] }).poll();
		const { harness, credentials } = setup();
		const run = await harness.run(
			singleNodeWorkflow(NODE, 'crmTimelineSync', HS_TO_SF, jsonItems(items), credentials),
		);
		const outcome = (id: string) =>
			jsonOf(run, NODE).find((json) => (json.activity as IDataObject).id === id)!
				.timeline as IDataObject;
		expect(outcome(onGrace.id).status).toBe('created');
		expect(outcome(onNobody.id)).toEqual({
			status: 'skipped',
			reason: 'no contact or lead with nobody@nowhere.example in Salesforce',
		});
		expect(outcome(onNoone.id)).toEqual({
			status: 'skipped',
			reason: 'the activity is not associated with any contact',
		});
		expect(tasks().map((task) => task.fields.WhoId)).toEqual([people.sfGrace]);
	});

	it('a second poll and a replay write nothing more; an edited call updates its Task', async () => {
		const people = plantPeople();
		const ids = plantTimeline(people.ada);
		const runner = suite.runner();
		const { items } = await runner.poll();
		const { harness, credentials } = setup();
		const first = singleNodeWorkflow(
			NODE,
			'crmTimelineSync',
			HS_TO_SF,
			jsonItems(items),
			credentials,
		);
		await harness.run(first);
		expect(tasks()).toHaveLength(4);

		const again = await runner.poll();
		expect(again.output).toBeNull();
		suite.sandbox.admin.clearRequests();
		const replay = await harness.run(first);
		expect(jsonOf(replay, NODE).map((json) => (json.timeline as IDataObject).status)).toEqual([
			'unchanged',
			'unchanged',
			'unchanged',
			'unchanged',
		]);
		// Only the lookup: nothing is written.
		expect(dataCalls()).toHaveLength(1);
		expect(tasks()).toHaveLength(4);

		suite.clock += 5_000;
		suite.sandbox.admin.putRecords('hubspot', 'calls', [
			{ id: ids.call, hs_call_title: 'T discovery call (notes fixed)' },
		]);
		const edited = await runner.poll();
		expect(edited.items).toHaveLength(1);
		const corrected = sameWorkflow(
			first,
			singleNodeWorkflow(NODE, 'crmTimelineSync', HS_TO_SF, jsonItems(edited.items), credentials),
		);
		const fix = await harness.run(corrected);
		expect((jsonOf(fix, NODE)[0].timeline as IDataObject).status).toBe('updated');
		expect(tasks()).toHaveLength(4);
		expect(tasks().map((task) => task.fields.Subject)).toContain('T discovery call (notes fixed)');
	});

	it('10 concurrent copies of the same poll of 40 activities: one Task per activity', async () => {
		const people = plantPeople();
		for (let set = 0; set < 10; set++) plantTimeline(people.ada, `S${set}`);
		const { items } = await suite.runner().poll();
		const { harness, credentials } = setup();
		const workflow = singleNodeWorkflow(
			NODE,
			'crmTimelineSync',
			HS_TO_SF,
			jsonItems(items),
			credentials,
		);
		const runs = await Promise.all(Array.from({ length: 10 }, () => harness.run(workflow)));
		for (const run of runs) expect(run.error(NODE)).toBeUndefined();
		const statuses = runs.flatMap((run) =>
			jsonOf(run, NODE).map((json) => (json.timeline as IDataObject).status),
		);
		expect(statuses.filter((status) => status === 'created')).toHaveLength(40);
		expect(statuses.filter((status) => status === 'unchanged')).toHaveLength(360);
		expect(tasks()).toHaveLength(40);
		expect(new Set(tasks().map((task) => task.fields.CallObject)).size).toBe(40);
	});

	it('the answer of the Task write is lost after Salesforce stored them: the next delivery finds them — one Task each', async () => {
		const people = plantPeople();
		plantTimeline(people.ada);
		const { items } = await suite.runner().poll();
		suite.sandbox.admin.addFault({
			vendor: 'salesforce',
			pathPattern: 'composite/sobjects',
			method: 'POST',
			kind: 'dropAnswer',
			status: 500,
			count: 1,
		});
		const { harness, credentials } = setup();
		const workflow = singleNodeWorkflow(
			NODE,
			'crmTimelineSync',
			HS_TO_SF,
			jsonItems(items),
			credentials,
			{
				onError: 'continueRegularOutput',
			},
		);
		await harness.run(workflow);
		const creates = suite.sandbox.admin
			.requests('salesforce')
			.filter(
				(request) => request.method === 'POST' && request.path.endsWith('/composite/sobjects'),
			);
		expect(creates.map((request) => request.status)).toEqual([500]);
		expect(tasks()).toHaveLength(4);
		const replay = await harness.run(workflow);
		expect(replay.error(NODE)).toBeUndefined();
		expect(tasks()).toHaveLength(4);
	});

	it('HubSpot → Dynamics 365: one task per activity on the contact, typed in its category, done; a replay writes nothing', async () => {
		plantPeople();
		const { admin } = suite.sandbox;
		const [contact] = admin.putRecords('hubspot', 'contacts', [
			{ firstname: 'Dora', lastname: 'Dyn', email: 'dora@dyn.example' },
		]);
		const [dynContact] = admin.putRecords('dynamics', 'contact', [
			{ firstname: 'Dora', lastname: 'Dyn', emailaddress1: 'dora@dyn.example' },
		]);
		plantTimeline(contact.id, 'D');
		const { items } = await suite.runner().poll();
		const { harness, credentials } = setup();
		const workflow = singleNodeWorkflow(
			NODE,
			'crmTimelineSync',
			{
				direction: 'hubspotToDynamics',
				dynamicsAuthentication: SANDBOX_AUTH.dynamics.dynamicsAuthentication,
				...TASK_TYPES,
			},
			jsonItems(items),
			credentials,
		);
		const run = await harness.run(workflow);
		expect(run.error(NODE)).toBeUndefined();
		const rows = () => suite.sandbox.store.list('dynamics', 'task');
		expect(rows()).toHaveLength(4);
		expect(
			rows()
				.map((row) => row.fields.category)
				.sort(),
		).toEqual(['Call', 'Email', 'Meeting', 'Other']);
		for (const row of rows()) {
			expect(row.fields.percentcomplete).toBe(100);
			expect(row.fields['_regardingobjectid_value']).toBe(dynContact.id);
		}
		await harness.run(workflow);
		expect(rows()).toHaveLength(4);
	});

	it('an item that is not a timeline activity fails naming the field; the others are written', async () => {
		const people = plantPeople();
		plantTimeline(people.ada);
		const { items } = await suite.runner({ timelineTypes: ['emails'] }).poll();
		const { harness, credentials } = setup();
		const run = await harness.run(
			singleNodeWorkflow(
				NODE,
				'crmTimelineSync',
				HS_TO_SF,
				[{ activity: { crm: 'hubspot', type: 'fax', id: '1' } }, ...jsonItems(items)],
				credentials,
				{ onError: 'continueRegularOutput' },
			),
		);
		const [bad, good] = jsonOf(run, NODE);
		expect(String(bad.error)).toMatch(/Item 0: field "activity": activity\.type/);
		expect((good.timeline as IDataObject).status).toBe('created');
		expect(tasks()).toHaveLength(1);
	});
});
