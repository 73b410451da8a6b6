/**
 * call-processed-to-crm.json and call-processed-to-crm-meetings.json (Triple Session's CRM
 * sync settings): a processed call → CRM Link → a note (or a meeting / event) on the routed
 * records → one task per action item → the answer; every outcome logged.
 */
import { SYNC_LOGS_TABLE } from '../../runtime/dataTables';
import { respond, setJson, webhook } from '../nodes';
import { crmNode, switchCrmNote } from '../parts/crm';
import { ONE_CRM_SWITCH_NOTE, oneCrmSettings, oneCrmSwitch } from '../parts/oneCrmSwitch';
import { FAILURE_NOTE, failureAnswer, syncLogPipeline } from '../parts/syncLog';
import { ensureTables, tablesNote } from '../parts/tables';
import { WorkflowBuilder, type WorkflowJson } from '../workflow';

type Variant = 'notes' | 'meetings';

const TEXT: Record<Variant, { name: string; path: string; webhookId: string; writer: string }> = {
	notes: {
		name: 'Call processed → CRM notes and tasks',
		path: 'call-processed',
		webhookId: '8f3b7c1e-2d4a-4e1b-9c55-0a1d2e3f4a51',
		writer: 'CRM Note Router',
	},
	meetings: {
		name: 'Call processed → CRM meeting and tasks',
		path: 'call-processed-meeting',
		webhookId: '5c2e9a44-7b1d-4f0e-8a36-3b9d6c2e1f70',
		writer: 'CRM Meeting / Event Writer',
	},
};

const AUTH_NOTE =
	'**Authentication**: the webhook needs the header of its *Webhook secret* credential (Header Auth: a header name such as `X-CRM-Sync-Secret` and a long random value). Calls without it get 403 and start nothing.';

export function callProcessed(variant: Variant): WorkflowJson {
	const text = TEXT[variant];
	const wf = new WorkflowBuilder(text.name);
	const hook = wf.add(webhook('Call processed', [0, 300], text.path, text.webhookId));
	const ready = ensureTables(wf, hook, [SYNC_LOGS_TABLE], [220, 300]);
	const settings = oneCrmSettings(wf, [660, 300]);
	const conversation = wf.add(
		setJson('Conversation', [880, 300], '$json.body', { onError: 'continueErrorOutput' }),
	);
	const link = wf.add(
		crmNode('hubspot', 'CRM Link', 'crmLink', [1320, 300], {
			objectTypes: ['deal', 'contact', 'company'],
			matchBy: ['phone', 'email', 'domain'],
			openDealsOnly: true,
			maxPerType: 10,
			defaultCountry: 'US',
		}),
	);
	const writer = wf.add(
		variant === 'notes'
			? crmNode('hubspot', text.writer, 'crmNoteRouter', [1540, 300], {
					contentSource: 'summaryAndDealInsights',
					hubspotDestination: 'note',
					targetObjectTypes: ['deal', 'contact', 'company'],
					routing: 'oneType',
					priority: {
						entries: [{ objectType: 'deal' }, { objectType: 'contact' }, { objectType: 'company' }],
					},
					options: {},
				})
			: crmNode('hubspot', text.writer, 'crmMeetingWriter', [1540, 300], {
					operation: 'writeMeeting',
					targetObjectTypes: ['contact', 'deal'],
					routing: 'allTypes',
					priority: { entries: [{ objectType: 'contact' }, { objectType: 'deal' }] },
					contentSource: 'summary',
					title: '',
					meetingWriteMode: 'updateIfExists',
					matchToleranceMinutes: 15,
					meetingType: '',
					meetingOutcome: 'completed',
				}),
	);
	const tasks = wf.add(
		crmNode('hubspot', 'CRM Action Items → Tasks', 'crmActionItemsToTasks', [1760, 300], {
			targetObjectTypes: ['deal', 'contact'],
			routing: 'oneType',
			priority: { entries: [{ objectType: 'deal' }, { objectType: 'contact' }] },
			ownerSource: 'itemThenRecord',
			dueBusinessDays: 2,
			timezone: '={{ $now.zoneName }}',
			taskPriority: 'normal',
			options: {},
		}),
	);
	const activities = variant === 'notes' ? 'notes' : 'meetings';
	const synced = wf.add(
		respond(
			'Respond: synced',
			[1980, 300],
			`$('Settings').first().json.respond_with_record_details
  ? { conversation: $json.id, matched: true, crm: $json.crm, syncLog: $json.syncLog }
  : { conversation: $json.id, matched: true, records: Object.entries($json.crm?.matches ?? {}).flatMap(([type, refs]) => (refs ?? []).map(ref => ({ type, id: ref.id }))), ${activities}: $json.crm?.${activities} ?? [], tasks: $json.crm?.tasks ?? [], syncLog: $json.syncLog }`,
		),
	);
	const noMatch = wf.add(
		respond(
			'Respond: no match',
			[1540, 520],
			'{ conversation: $json.id, matched: false, warnings: $json.crm.warnings, syncLog: $json.syncLog }',
		),
	);
	const log = syncLogPipeline(wf, [2000, 520], '$json.id');
	const failure = failureAnswer(wf, [1100, 800], 'conversation', 'one processed call', log);
	const crmOn = oneCrmSwitch(
		wf,
		[1100, 300],
		link,
		'conversation',
		variant === 'notes' ? 'add-note' : 'add-meeting',
		log,
	);

	wf.connect(ready, settings).connect(settings, conversation);
	wf.connect(conversation, crmOn, { output: 0 })
		.connect(crmOn, link, { output: 0 })
		.connect(conversation, failure, { output: 1 });
	wf.connect(link, writer, { output: 0 })
		.connect(link, noMatch, { output: 1 })
		.connect(link, failure, { output: 2 });
	wf.connect(writer, tasks, { output: 0 }).connect(writer, failure, { output: 1 });
	wf.connect(tasks, synced, { output: 0 }).connect(tasks, failure, { output: 1 });
	wf.connect(synced, log).connect(noMatch, log);

	if (variant === 'notes') {
		wf.sticky(
			[
				'## Call processed → CRM',
				'POST a processed call (id, startedAt, participants, summary, actionItems, dealInsights) to this webhook.',
				'',
				'1. **CRM Link** matches the external participants by phone (E.164), email and email domain.',
				'2. **CRM Note Router** writes ONE note with the summary and deal insights to the winning object type (Deal, else Contact, else Company).',
				'3. **CRM Action Items → Tasks** creates one task per action item.',
				'',
				'Replaying the same call id writes nothing twice. The response lists the sync log; every entry is also stored in **CRM sync logs**.',
				'',
				AUTH_NOTE,
				"**Response**: ids and statuses only (matched record ids, written activities, sync log). Set `respond_with_record_details` in **Settings** to also return the matched records' properties.",
			].join('\n'),
			[-60, -500],
			[520, 460],
			undefined,
			'About this template',
		);
		wf.sticky(
			'### Routing\n*Send to One Object Type* uses the priority list: the first type with matches wins and **all** of its matches get the note.\n*Send to All Matching Object Types* writes one note associated with every matched record. Types CRM Link does not match are left out.\nSwitch **Destination** to *Meetings* for HubSpot meetings (write mode + meeting type).',
			[1240, -260],
			[420, 260],
			4,
			'Note Router settings',
		);
	} else {
		wf.sticky(
			[
				'## Call processed → CRM meeting',
				'The Meetings / Events variant: each processed call becomes a HubSpot meeting (or Salesforce Event / Dynamics appointment when you switch **CRM**), then one task per action item.',
				'',
				'**When to Write Meetings**: *Update if a matching meeting exists* updates the meeting of the same call (same id, or same start time ±15 min on the same contact) instead of creating a second one. autoch.at CRM cannot update activities: there every call gets its own meeting, written once.',
				'',
				AUTH_NOTE,
				"**Response**: ids and statuses only (matched record ids, written activities, sync log). Set `respond_with_record_details` in **Settings** to also return the matched records' properties. Every sync-log entry is also stored in **CRM sync logs**.",
			].join('\n'),
			[-60, -500],
			[520, 460],
			undefined,
			'About this template',
		);
		wf.sticky(
			'Salesforce Events take one record (WhoId = contact/lead, WhatId = account/opportunity; never a WhatId with a Lead). The node switches to single-target routing automatically.',
			[1240, -220],
			[400, 200],
			4,
			'Salesforce Events',
		);
	}
	wf.sticky(
		[
			'Pick your CRM credential in each CRM node (HubSpot private app token or OAuth2). No credential is stored in this template.',
			'',
			switchCrmNote(
				[link, writer, tasks],
				variant === 'notes'
					? [
							'',
							'*Destination* (note or meeting) exists for HubSpot and Salesforce only; the other CRMs always get a note.',
						]
					: [],
			),
			'',
			ONE_CRM_SWITCH_NOTE,
		].join('\n'),
		[1700, -560],
		[460, 540],
		6,
		'Credentials and CRM',
	);
	wf.sticky(FAILURE_NOTE, [1100, 1000], [560, 340], 3, 'Answers when something fails');
	wf.sticky(tablesNote([SYNC_LOGS_TABLE]), [2000, 720], [700, 260], 5, 'Data Tables');
	return wf.toJSON();
}
