/**
 * inbound-call-contact-lookup.json: the calling platform's call-connect webhook → CRM Contact
 * Lookup by the caller's number → the agent's prompt variables (all strings, empty when
 * unknown); a caller the CRM does not know is looked up in the platform contact store by the
 * same E.164 number; a clear "unknown caller" answer when neither knows them, the failure
 * answer otherwise.
 */
import { PLATFORM_CONTACTS_TABLE, SYNC_LOGS_TABLE } from '../../runtime/dataTables';
import { getRows, ifTrue, respond, setJson, webhook } from '../nodes';
import { crmNode } from '../parts/crm';
import { FAILURE_NOTE, failureAnswer, syncLogPipeline } from '../parts/syncLog';
import { ensureTables, tablesNote } from '../parts/tables';
import { WorkflowBuilder, type WorkflowJson } from '../workflow';

const TABLES = [SYNC_LOGS_TABLE, PLATFORM_CONTACTS_TABLE];

/** The prompt variables, from the lookup's answer: name → expression (strings only, as voice platforms expect). */
const CRM_VARIABLES: Record<string, string> = {
	known_caller: 'String($json.found === true)',
	first_name: "$json.person?.firstName ?? ''",
	last_name: "$json.person?.lastName ?? ''",
	full_name: "$json.person?.name ?? ''",
	company: "$json.person?.company ?? ''",
	email: "$json.person?.email ?? ''",
	owner_id: "$json.owner?.id ?? ''",
	last_activity: "$json.lastActivitySummary ?? ''",
	open_deal: "$json.openDeals?.[0]?.name ?? ''",
	open_deal_count: 'String($json.openDealCount ?? 0)',
	crm_record_id: "$json.person?.id ?? ''",
	crm_record_type: "$json.person?.kind ?? ''",
};

/** The same variables from a "Platform contacts" row (no owner or deals there; the last conversation as activity). */
const PLATFORM_VARIABLES: Record<string, string> = {
	known_caller: "String(($json.phone ?? '') !== '')",
	first_name: "$json.firstName ?? ''",
	last_name: "$json.lastName ?? ''",
	full_name: "$json.name ?? ''",
	company: "$json.company ?? ''",
	email: "$json.email ?? ''",
	owner_id: "''",
	last_activity:
		"$json.conversationAt ? 'Last conversation ' + String($json.conversationAt).slice(0, 10) : 'No activity recorded'",
	open_deal: "''",
	open_deal_count: "'0'",
	crm_record_id: "$json.crmId ?? ''",
	crm_record_type: "''",
};

function variablesExpression(
	variables: Record<string, string>,
	found: string,
	source: string,
): string {
	const lines = Object.entries(variables).map(([name, expression]) => `    ${name}: ${expression}`);
	return `{\n  call_id: $('Call').first().json.callId,\n  found: ${found},\n  source: ${source},\n  dynamic_variables: {\n${lines.join(',\n')}\n  }\n}`;
}

export function inboundCallLookup(): WorkflowJson {
	const wf = new WorkflowBuilder('Inbound call → CRM contact lookup (prompt variables)');
	const hook = wf.add(
		webhook('Call connected', [0, 300], 'call-connected', '0d6e2b9a-3f47-4c18-9a52-7e1c4d8b6f23'),
	);
	const ready = ensureTables(wf, hook, TABLES, [220, 300]);
	const call = wf.add(
		setJson(
			'Call',
			[880, 300],
			`{
  callId: String($json.body.call_id ?? $json.body.call?.call_id ?? $json.body.id ?? ''),
  phone: $json.body.from_number ?? $json.body.call?.from_number ?? $json.body.phone ?? '',
  email: $json.body.email ?? ''
}`,
			{ onError: 'continueErrorOutput' },
		),
	);
	const lookup = wf.add(
		crmNode('hubspot', 'CRM Contact Lookup', 'crmContactLookup', [1100, 300], {
			phone: '={{ $json.phone }}',
			email: '={{ $json.email }}',
			fields: 'jobtitle, lifecyclestage',
			maxOpenDeals: 3,
			defaultCountry: 'US',
		}),
	);
	const found = wf.add(ifTrue('Known in the CRM?', [1320, 300], '$json.found === true'));
	const answer = wf.add(
		respond(
			'Respond: prompt variables',
			[1540, 200],
			variablesExpression(CRM_VARIABLES, 'true', "'crm'"),
		),
	);
	// Only a number the lookup normalised is looked up here: the table keeps phones in E.164.
	const stored = wf.add(
		getRows(
			'Platform contacts by phone',
			[1540, 420],
			PLATFORM_CONTACTS_TABLE.name,
			[
				{
					column: 'phone',
					condition: 'eq',
					value: "={{ $json.lookedUpBy === 'phone' ? $json.lookedUpValue : '-' }}",
				},
			],
			{
				limit: 1,
				alwaysOutputData: true,
			},
		),
	);
	const onPlatform = wf.add(
		ifTrue('Known on the platform?', [1760, 420], "($json.phone ?? '') !== ''"),
	);
	const platformAnswer = wf.add(
		respond(
			'Respond: platform contact',
			[1980, 320],
			variablesExpression(PLATFORM_VARIABLES, 'true', "'platform'"),
		),
	);
	const unknown = wf.add(
		respond(
			'Respond: unknown caller',
			[1980, 520],
			variablesExpression(CRM_VARIABLES, 'false', "'none'"),
		),
	);
	const log = syncLogPipeline(
		wf,
		[1540, 820],
		"$('Call').isExecuted ? $('Call').first().json.callId : ''",
	);
	const failure = failureAnswer(wf, [1100, 620], 'call_id', 'a call-connect event', log);

	wf.connect(ready, call)
		.connect(call, lookup, { output: 0 })
		.connect(call, failure, { output: 1 });
	wf.connect(lookup, found, { output: 0 }).connect(lookup, failure, { output: 1 });
	wf.connect(found, answer, { output: 0 }).connect(found, stored, { output: 1 });
	wf.connect(stored, onPlatform)
		.connect(onPlatform, platformAnswer, { output: 0 })
		.connect(onPlatform, unknown, { output: 1 });

	wf.sticky(
		[
			'## Inbound call → CRM contact lookup',
			"Point your voice platform's **call-connect** (inbound call) webhook here. It POSTs the caller's number (`from_number`, `call.from_number` or `phone`; an `email` works too).",
			'',
			'1. **CRM Contact Lookup** finds the best contact or lead for the number (any format; a contact wins over a lead, then the latest activity) with owner, open deals and last activity — at most 2 CRM calls.',
			"2. The answer is `{ call_id, found, dynamic_variables: { first_name, company, owner_id, last_activity, open_deal, … } }`, every variable a string, so the agent's prompt can use `{{first_name}}` and friends.",
			'3. Not in the CRM → the **Platform contacts** Data Table by the same E.164 number (`source: "platform"`: names, company, last conversation).',
			'4. Nobody knows the caller → the same shape with `known_caller: "false"`, `source: "none"` and empty variables: the agent greets a new caller.',
			'',
			'**Authentication**: the webhook needs the header of its *Webhook secret* credential (Header Auth). Calls without it get 403 and start nothing.',
		].join('\n'),
		[-60, -500],
		[560, 420],
		undefined,
		'About this template',
	);
	wf.sticky(
		'Pick your CRM credential in **CRM Contact Lookup** (HubSpot private app token or OAuth2; switch **CRM** for Salesforce / Dynamics 365 / autoch.at). Add the fields your prompt needs under **Fields** and map them in the Respond nodes. No credential is stored in this template.',
		[1240, -220],
		[420, 220],
		6,
		'Credentials and fields',
	);
	wf.sticky(FAILURE_NOTE, [880, 1000], [560, 340], 3, 'Answers when something fails');
	wf.sticky(tablesNote(TABLES), [1540, 1020], [700, 300], 5, 'Data Tables');
	return wf.toJSON();
}
