/**
 * inbound-call-contact-lookup.json: the calling platform's call-connect webhook → CRM Contact
 * Lookup by the caller's number → the agent's prompt variables (all strings, empty when
 * unknown), a clear "unknown caller" answer when nobody matches, the failure answer otherwise.
 */
import { SYNC_LOGS_TABLE } from '../../runtime/dataTables';
import { ifTrue, respond, setJson, webhook } from '../nodes';
import { crmNode } from '../parts/crm';
import { FAILURE_NOTE, failureAnswer, syncLogPipeline } from '../parts/syncLog';
import { ensureTables, tablesNote } from '../parts/tables';
import { WorkflowBuilder, type WorkflowJson } from '../workflow';

/** The prompt variables, from the lookup's answer: name → expression (strings only, as voice platforms expect). */
export const PROMPT_VARIABLES: Record<string, string> = {
	known_caller: "String($json.found === true)",
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

function variablesExpression(): string {
	const lines = Object.entries(PROMPT_VARIABLES).map(([name, expression]) => `    ${name}: ${expression}`);
	return `{\n  call_id: $('Call').first().json.callId,\n  found: $json.found === true,\n  dynamic_variables: {\n${lines.join(',\n')}\n  }\n}`;
}

export function inboundCallLookup(): WorkflowJson {
	const wf = new WorkflowBuilder('Inbound call → CRM contact lookup (prompt variables)');
	const hook = wf.add(webhook('Call connected', [0, 300], 'call-connected', '0d6e2b9a-3f47-4c18-9a52-7e1c4d8b6f23'));
	const ready = ensureTables(wf, hook, [SYNC_LOGS_TABLE], [220, 300]);
	const call = wf.add(
		setJson(
			'Call',
			[660, 300],
			`{
  callId: String($json.body.call_id ?? $json.body.call?.call_id ?? $json.body.id ?? ''),
  phone: $json.body.from_number ?? $json.body.call?.from_number ?? $json.body.phone ?? '',
  email: $json.body.email ?? ''
}`,
			{ onError: 'continueErrorOutput' },
		),
	);
	const lookup = wf.add(
		crmNode('hubspot', 'CRM Contact Lookup', 'crmContactLookup', [880, 300], {
			phone: '={{ $json.phone }}',
			email: '={{ $json.email }}',
			fields: 'jobtitle, lifecyclestage',
			maxOpenDeals: 3,
			defaultCountry: 'US',
		}),
	);
	const found = wf.add(ifTrue('Known caller?', [1100, 300], '$json.found === true'));
	const answer = wf.add(respond('Respond: prompt variables', [1320, 200], variablesExpression()));
	const unknown = wf.add(respond('Respond: unknown caller', [1320, 420], variablesExpression()));
	const log = syncLogPipeline(wf, [1540, 820], "$('Call').isExecuted ? $('Call').first().json.callId : ''");
	const failure = failureAnswer(wf, [880, 620], 'call_id', 'a call-connect event', log);

	wf.connect(ready, call).connect(call, lookup, { output: 0 }).connect(call, failure, { output: 1 });
	wf.connect(lookup, found, { output: 0 }).connect(lookup, failure, { output: 1 });
	wf.connect(found, answer, { output: 0 }).connect(found, unknown, { output: 1 });

	wf.sticky(
		[
			'## Inbound call → CRM contact lookup',
			"Point your voice platform's **call-connect** (inbound call) webhook here. It POSTs the caller's number (`from_number`, `call.from_number` or `phone`; an `email` works too).",
			'',
			'1. **CRM Contact Lookup** finds the best contact or lead for the number (any format; a contact wins over a lead, then the latest activity) with owner, open deals and last activity — at most 2 CRM calls.',
			'2. The answer is `{ call_id, found, dynamic_variables: { first_name, company, owner_id, last_activity, open_deal, … } }`, every variable a string, so the agent\'s prompt can use `{{first_name}}` and friends.',
			'3. Nobody matches → the same shape with `known_caller: "false"` and empty variables: the agent greets a new caller.',
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
	wf.sticky(tablesNote([SYNC_LOGS_TABLE]), [1540, 1020], [700, 220], 5, 'Data Tables');
	return wf.toJSON();
}
