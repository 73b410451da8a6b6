/**
 * post-call-analysis-to-crm.json (Retell / Thoughtly): an analysed call → the contact's
 * standard fields, each with its update mode → one logged call; every outcome logged.
 */
import { SYNC_LOGS_TABLE } from '../../runtime/dataTables';
import type { FieldSchemas } from '../fieldSchemas';
import { respond, setJson, webhook } from '../nodes';
import { crmNode, fieldMerge, switchCrmNote } from '../parts/crm';
import { ONE_CRM_SWITCH_NOTE, oneCrmSettings, oneCrmSwitch } from '../parts/oneCrmSwitch';
import { FAILURE_NOTE, failureAnswer, syncLogPipeline } from '../parts/syncLog';
import { ensureTables, tablesNote } from '../parts/tables';
import { WorkflowBuilder, type WorkflowJson } from '../workflow';

export function postCallAnalysis(schemas: FieldSchemas): WorkflowJson {
	const wf = new WorkflowBuilder('Post-call analysis → CRM fields and call log');
	const hook = wf.add(
		webhook('Call analysed', [0, 300], 'call-analysed', 'a7d3e2f1-4c5b-4a69-8e21-6f0c9b8d7e12'),
	);
	const ready = ensureTables(wf, hook, [SYNC_LOGS_TABLE], [220, 300]);
	const settings = oneCrmSettings(wf, [660, 300]);
	const call = wf.add(
		setJson('Analysed call', [880, 300], '$json.body', { onError: 'continueErrorOutput' }),
	);
	const link = wf.add(
		crmNode('hubspot', 'CRM Link', 'crmLink', [1320, 300], {
			objectTypes: ['contact'],
			matchBy: ['phone', 'email'],
			openDealsOnly: true,
			maxPerType: 1,
			defaultCountry: 'US',
		}),
	);
	const merge = wf.add(
		fieldMerge(schemas, 'hubspot', 'CRM Contact Field Merge', [1540, 300], {
			objectKind: 'contact',
			matchBy: 'id',
			matchValue: '={{ $json.crm.matches.contact[0].id }}',
			values: {
				hs_lead_status: '={{ $json.analysis.leadStatus }}',
				jobtitle: '={{ $json.analysis.jobTitle }}',
				hs_buying_role: "={{ $json.analysis.decisionMaker === true ? 'Decision Maker' : '' }}",
			},
			defaultMode: 'overwrite',
			modes: { jobtitle: 'fillIfEmpty', hs_buying_role: 'merge' },
			createIfMissing: false,
		}),
	);
	const logCall = wf.add(
		crmNode('hubspot', 'Log call', 'crmMeetingWriter', [1760, 300], {
			operation: 'logCall',
			targetObjectTypes: ['contact'],
			routing: 'oneType',
			priority: { entries: [{ objectType: 'contact' }] },
			contentSource: 'summary',
			title: '',
		}),
	);
	const synced = wf.add(
		respond(
			'Respond: synced',
			[1980, 300],
			`$('Settings').first().json.respond_with_record_details
  ? { call: $json.id, matched: true, fieldChanges: $json.crm.fieldChanges, calls: $json.crm.calls, syncLog: $json.syncLog }
  : { call: $json.id, matched: true, record: { id: $json.crm?.record?.id ?? null, created: $json.crm?.record?.created ?? false }, fieldChanges: ($json.crm?.fieldChanges ?? []).map(change => ({ field: change.field, mode: change.mode, applied: change.applied, reason: change.reason })), calls: $json.crm?.calls ?? [], syncLog: $json.syncLog }`,
		),
	);
	const noMatch = wf.add(
		respond(
			'Respond: no match',
			[1540, 520],
			'{ call: $json.id, matched: false, syncLog: $json.syncLog }',
		),
	);
	const log = syncLogPipeline(wf, [2000, 520], '$json.id');
	const failure = failureAnswer(wf, [1100, 800], 'call', 'one analysed call', log);
	const crmOn = oneCrmSwitch(wf, [1100, 300], link, 'call', 'update-contact', log);

	wf.connect(ready, settings).connect(settings, call);
	wf.connect(call, crmOn, { output: 0 })
		.connect(crmOn, link, { output: 0 })
		.connect(call, failure, { output: 1 });
	wf.connect(link, merge, { output: 0 })
		.connect(link, noMatch, { output: 1 })
		.connect(link, failure, { output: 2 });
	wf.connect(merge, logCall, { output: 0 })
		.connect(merge, noMatch, { output: 1 })
		.connect(merge, failure, { output: 2 });
	wf.connect(logCall, synced, { output: 0 }).connect(logCall, failure, { output: 1 });
	wf.connect(synced, log).connect(noMatch, log);

	wf.sticky(
		[
			'## Post-call analysis → CRM',
			"POST an analysed call: the processed call (`id`, `startedAt`, `endedAt`, `direction`, `participants` with the caller's `phone`) plus `analysis { leadStatus, jobTitle, decisionMaker }`.",
			'',
			'1. **CRM Link** finds the contact by phone (E.164) or email.',
			"2. **CRM Contact Field Merge** writes the analysis into the contact's standard properties, each with its update mode.",
			'3. **Log call** records one HubSpot Call (Salesforce call Task / Dynamics phone call when you switch **CRM**) with duration, direction and summary.',
			'',
			'Delivered twice? Merge is idempotent and the call is logged once. Every sync-log entry is stored in **CRM sync logs**.',
			'',
			'**Authentication**: the webhook needs the header of its *Webhook secret* credential (Header Auth: a header name such as `X-CRM-Sync-Secret` and a long random value). Calls without it get 403 and start nothing.',
			"**Response**: ids and statuses only (record id, which fields changed and how — never their values —, the logged call, sync log). Set `respond_with_record_details` in **Settings** to also return the fields' old and new values.",
		].join('\n'),
		[-60, -520],
		[520, 480],
		undefined,
		'About this template',
	);
	wf.sticky(
		[
			'### Field mapping (standard HubSpot properties only)',
			"- `hs_lead_status` (Lead Status): **Overwrite** — send your portal's value, or a meaning: `qualified`, `unqualified`, `pending` become the portal's own value for it (e.g. In Progress, Unqualified, New)",
			'- `jobtitle`: **Fill if Empty** — never overwrites what reps entered',
			'- `hs_buying_role` (Buying Role): **Merge** — *Decision Maker* is added to the roles already set',
			'- an empty value never clears a field',
			'',
			'Add your own properties with *Add field*; picklist values are checked against the CRM. Use **AI Merge** with a chat model on the *Model* input for free-text fields.',
		].join('\n'),
		[1240, -300],
		[460, 300],
		4,
		'Update modes',
	);
	wf.sticky(
		[
			'Pick your CRM credential in each CRM node (HubSpot private app token or OAuth2). No credential is stored in this template.',
			'',
			switchCrmNote(
				[link, merge, logCall],
				[
					'',
					"Then map the values again in **CRM Contact Field Merge**: its fields are the chosen CRM's own (e.g. `Title` on a Salesforce contact, `jobtitle` on a Dynamics contact). A Lead Status is on Salesforce and Dynamics *leads*: choose that object there to write one; meanings (`qualified`, `unqualified`, `pending`) map to the org's own picklist values.",
				],
			),
			'',
			ONE_CRM_SWITCH_NOTE,
		].join('\n'),
		[1760, -600],
		[460, 640],
		6,
		'Credentials and CRM',
	);
	wf.sticky(FAILURE_NOTE, [1100, 1000], [560, 340], 3, 'Answers when something fails');
	wf.sticky(tablesNote([SYNC_LOGS_TABLE]), [2000, 720], [700, 260], 5, 'Data Tables');
	return wf.toJSON();
}
