/**
 * hubspot-timeline-to-salesforce-tasks.json: CRM Sync Trigger lists HubSpot calls, meetings,
 * notes and emails every 5 minutes → Settings (the Salesforce Task Type per activity type, the
 * sync switch) → CRM Timeline Sync writes each activity once as a completed Salesforce Task on
 * the contact's counterpart (Contact or Lead, found by e-mail) → every outcome in the sync log.
 */
import { SYNC_LOGS_TABLE } from '../../runtime/dataTables';
import { ifTrue, setFields } from '../nodes';
import { crmNode } from '../parts/crm';
import { syncLogPipeline } from '../parts/syncLog';
import { ensureTables, tablesNote } from '../parts/tables';
import { WorkflowBuilder, type WorkflowJson } from '../workflow';

const TABLES = [SYNC_LOGS_TABLE];

const SETTINGS = "$('Settings').item.json";

/** Settings field → the node's task-type parameter, with the default Salesforce Task Type. */
const TASK_TYPES: Array<[setting: string, parameter: string, value: string]> = [
	['call_task_type', 'hubspotCallTaskType', 'Call'],
	['meeting_task_type', 'hubspotMeetingTaskType', 'Meeting'],
	['note_task_type', 'hubspotNoteTaskType', 'Other'],
	['email_task_type', 'hubspotEmailTaskType', 'Email'],
];

export function timelineToTasks(): WorkflowJson {
	const wf = new WorkflowBuilder('HubSpot timeline → Salesforce Tasks');
	const trigger = wf.add(
		crmNode(
			'hubspot',
			'CRM Sync Trigger',
			'crmSyncTrigger',
			[0, 300],
			{
				pollTimes: { item: [{ mode: 'everyX', value: 5, unit: 'minutes' }] },
				objectType: 'timelineActivities',
				timelineTypes: [],
				firstPoll: 'hoursBack',
				hoursBack: 24,
				options: { pageSize: 100 },
			},
			{ onError: undefined },
		),
	);
	const ready = ensureTables(wf, trigger, TABLES, [220, 300]);
	const settings = wf.add(
		setFields(
			'Settings',
			[660, 300],
			[
				...TASK_TYPES.map(([setting, , value]): [string, string, 'string'] => [
					setting,
					value,
					'string',
				]),
				['sync_to_salesforce', true, 'boolean'],
			],
			{ keepOtherFields: true },
		),
	);
	const enabled = wf.add(
		ifTrue('Sync to Salesforce?', [880, 300], `${SETTINGS}.sync_to_salesforce === true`),
	);
	const sync = crmNode('salesforce', 'CRM Timeline Sync', 'crmTimelineSync', [1100, 300], {
		direction: 'hubspotToSalesforce',
		...Object.fromEntries(
			TASK_TYPES.map(([setting, parameter]) => [parameter, `={{ ${SETTINGS}.${setting} }}`]),
		),
		relatedRecord: 'none',
	});
	// The node takes its CRMs from Direction, not from a CRM selector.
	if (sync.parameters) delete sync.parameters.crm;
	const timeline = wf.add(sync);
	const log = syncLogPipeline(wf, [1320, 500], '$json.activity?.id');
	wf.connect(ready, settings).connect(settings, enabled).connect(enabled, timeline, { output: 0 });
	wf.connect(timeline, log, { output: 0 }).connect(timeline, log, { output: 1 });

	wf.sticky(
		[
			'## HubSpot timeline → Salesforce Tasks',
			'Every 5 minutes **CRM Sync Trigger** lists the HubSpot **calls, meetings, notes and emails** logged or changed since its last poll (first poll: the last 24 h), each with its contacts and their e-mail addresses.',
			'',
			'**CRM Timeline Sync** writes each one as a **completed Salesforce Task** (Subject, Description with direction and duration, Due Date = the day it happened) on the Salesforce **Contact** with the same e-mail, else the **Lead**. One lookup and one write per batch. The Task is keyed by the HubSpot activity, so a second poll, a re-run or two copies of this workflow never add a second Task; an edited activity updates its Task.',
			'',
			"**Settings**: the Salesforce **Task Type** for each activity type (`call_task_type` Call, `meeting_task_type` Meeting, `note_task_type` Other, `email_task_type` Email — any value of your org's Task Type picklist), and `sync_to_salesforce` (off: nothing is written).",
			'',
			"An activity whose contact has no counterpart in Salesforce, or no e-mail address, is **skipped** and logged with the reason. For the other way round, set the node's Direction to Salesforce → HubSpot and the trigger to Salesforce, Timeline Activities: Tasks then come to HubSpot as tasks, and the Tasks this workflow wrote are never copied back.",
		].join('\n'),
		[-80, -760],
		[620, 560],
		undefined,
		'About this template',
	);
	wf.sticky(tablesNote(TABLES), [1320, 740], [760, 300], 5, 'Data Tables');
	return wf.toJSON();
}
