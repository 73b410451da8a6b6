/**
 * qualified-lead-sync.json (autoch.at's sync_qualified_only with staggered qualification):
 *
 * conversation webhook → rules gate (provisional) → every CRM switched on gets the lead and
 * the conversation note when the client may sync (qualified, or sync_qualified_only off) →
 * the client's row in "Platform contacts" → the conversation queued for its AI review.
 *
 * Every 5 minutes (or "Review now") the due reviews are claimed from the "CRM review queue"
 * Data Table, reviewed by the AI gate (skipped, status kept, when no chat model is on), and a
 * changed status goes to the CRMs through the same branches — so a lead the rules missed is
 * created when the review upgrades it. No execution waits: 10,000 pending reviews are rows.
 */
import {
	PLATFORM_CONTACTS_TABLE,
	REVIEW_QUEUE_TABLE,
	SYNC_LOGS_TABLE,
} from '../../runtime/dataTables';
import type { FieldSchemas } from '../fieldSchemas';
import {
	appendMerge,
	getRows,
	ifTrue,
	noOp,
	respond,
	schedule,
	setFields,
	setJson,
	webhook,
	writeRows,
} from '../nodes';
import { PACK, type FieldMergeSpec } from '../parts/crm';
import {
	addCrmBranch,
	CRMS,
	crmSwitch,
	ENABLED_CRMS,
	firstNameOf,
	lastNameOf,
} from '../parts/crmBranches';
import { notifyTeam, NOTIFY_SETTINGS } from '../parts/notify';
import { syncLogPipeline } from '../parts/syncLog';
import { ensureTables, tablesNote } from '../parts/tables';
import { WorkflowBuilder, type WorkflowJson } from '../workflow';
import type { CrmName } from '../../../nodes/shared/model';

const TABLES = [SYNC_LOGS_TABLE, PLATFORM_CONTACTS_TABLE, REVIEW_QUEUE_TABLE];
const SETTINGS = "$('Settings').first().json";
const FROM_WEBHOOK = `${SETTINGS}.run === 'conversation'`;

/** Criteria of the rules gate; the AI gate sees the same checks. */
const CRITERIA = {
	useMessageCount: true,
	minMessages: 3,
	messageCountPriority: 40,
	useKeywords: true,
	keywords: 'pricing, price, quote, demo, buy',
	keywordMode: 'any',
	keywordsPriority: 30,
	useContactFields: true,
	contactFields: ['phone'],
	contactFieldsPriority: 20,
	useScore: false,
	syncLogCrms: ENABLED_CRMS,
	options: {},
};

const STATUS = '={{ $json.qualification.status }}';
const KEYS = {
	matchBy: 'phone',
	matchValue: '={{ $json.client.phone }}',
	fallbackValue: '={{ $json.client.email }}',
} as const;

const LEAD_WRITES: Record<CrmName, { name: string; spec: FieldMergeSpec }> = {
	hubspot: {
		name: 'create or update contact',
		spec: {
			objectKind: 'contact',
			...KEYS,
			values: {
				firstname: firstNameOf('$json.client.name'),
				lastname: lastNameOf('$json.client.name', "'Unknown'"),
				email: '={{ $json.client.email }}',
				phone: '={{ $json.client.phone }}',
				company: '={{ $json.client.company }}',
				hs_lead_status: STATUS,
			},
			defaultMode: 'fillIfEmpty',
			modes: { hs_lead_status: 'overwrite' },
			createIfMissing: true,
		},
	},
	salesforce: {
		name: 'create or update lead',
		spec: {
			objectKind: 'lead',
			...KEYS,
			values: {
				FirstName: firstNameOf('$json.client.name'),
				LastName: lastNameOf('$json.client.name', "'Unknown'"),
				Email: '={{ $json.client.email }}',
				Phone: '={{ $json.client.phone }}',
				Company: "={{ $json.client.company || 'Not provided' }}",
				Status: STATUS,
				Description: '={{ $json.summary }}',
			},
			defaultMode: 'fillIfEmpty',
			modes: { Status: 'overwrite', Description: 'merge' },
			createIfMissing: true,
			createAs: 'lead',
		},
	},
	dynamics: {
		name: 'create or update contact',
		spec: {
			objectKind: 'contact',
			...KEYS,
			values: {
				firstname: firstNameOf('$json.client.name'),
				lastname: lastNameOf('$json.client.name', "'Unknown'"),
				emailaddress1: '={{ $json.client.email }}',
				telephone1: '={{ $json.client.phone }}',
				description:
					"={{ 'Qualification: ' + $json.qualification.status + ($json.summary ? ' — ' + $json.summary : '') }}",
			},
			defaultMode: 'fillIfEmpty',
			modes: { description: 'merge' },
			createIfMissing: true,
			createAs: 'contact',
		},
	},
	autochat: {
		name: 'create or update client',
		spec: {
			objectKind: 'contact',
			...KEYS,
			values: {
				name: '={{ $json.client.name || $json.client.phone || $json.client.email }}',
				first_name: firstNameOf('$json.client.name'),
				last_name: "={{ ($json.client.name ?? '').trim().split(/\\s+/).slice(1).join(' ') }}",
				email: '={{ $json.client.email }}',
				phone: '={{ $json.client.phone }}',
				company: '={{ $json.client.company }}',
				status: STATUS,
				notes: '={{ $json.summary }}',
			},
			defaultMode: 'fillIfEmpty',
			modes: { status: 'overwrite', notes: 'merge' },
			createIfMissing: true,
		},
	},
};

/** What the review needs later, kept in the queue row (not in a waiting execution). */
const QUEUED_CONVERSATION =
	'JSON.stringify({ id: $json.id, startedAt: $json.startedAt, endedAt: $json.endedAt, direction: $json.direction, participants: $json.participants, summary: $json.summary, text: $json.text, messages: $json.messages, messageCount: $json.messageCount, score: $json.score, ended: $json.ended, client: $json.client, qualification: $json.qualification })';

/** Per enabled CRM, a failed entry for an item the gate could not read. */
const gateFailureEntries = (operation: string) =>
	`${JSON.stringify(CRMS)}.filter(crm => ${SETTINGS}['sync_to_' + crm] === true).map(crm => ({ at: $now.toUTC().toISO(), crm, operation: '${operation}', status: 'failed', reason: String($json.error), target: null }))`;

export function qualifiedLeadSync(schemas: FieldSchemas): WorkflowJson {
	const wf = new WorkflowBuilder('Qualified lead sync → every connected CRM');

	// Triggers → Settings → the tables → which run is it?
	const hook = wf.add(
		webhook(
			'Conversation received',
			[0, 300],
			'qualified-lead',
			'5b0f2d8e-8f59-4c44-9d61-3a1e6c2b7f10',
		),
	);
	const every = wf.add(schedule('Every 5 minutes: due AI reviews', [0, 760], 5));
	const reviewNow = wf.add(
		webhook(
			'Review now',
			[0, 960],
			'qualified-lead-review-now',
			'e4b8c2a6-1d3f-4a5b-9c7e-2f6a8b0c1d3e',
		),
	);
	const conversation = wf.add(
		setJson('Conversation', [220, 300], '$json.body', { onError: 'continueErrorOutput' }),
	);
	const settings = wf.add(
		setFields(
			'Settings',
			[440, 560],
			[
				['sync_qualified_only', true, 'boolean'],
				['review_after_hours', 24, 'number'],
				[crmSwitch('hubspot'), true, 'boolean'],
				[crmSwitch('salesforce'), true, 'boolean'],
				[crmSwitch('dynamics'), true, 'boolean'],
				[crmSwitch('autochat'), true, 'boolean'],
				[
					'run',
					"={{ $('Conversation received').isExecuted ? 'conversation' : 'review' }}",
					'string',
				],
				['clientRef', "={{ String($json.client?.id ?? '') }}", 'string'],
				...NOTIFY_SETTINGS,
			],
			{ keepOtherFields: true },
		),
	);
	const ready = ensureTables(wf, settings, TABLES, [660, 560]);
	const fromWebhook = wf.add(ifTrue('New conversation?', [1540, 560], FROM_WEBHOOK));

	// A new conversation: rules now.
	const rules = wf.add({
		name: 'Qualification Gate (rules)',
		type: `${PACK}.crmQualificationGate`,
		typeVersion: 1,
		position: [1760, 300],
		parameters: { mode: 'rules', ...CRITERIA },
		onError: 'continueErrorOutput',
	});
	const leadDecision = wf.add(
		setJson(
			'Sync decision',
			[1980, 300],
			`{ ...$json, syncNow: $json.qualification.status === 'qualified' || ${SETTINGS}.sync_qualified_only !== true }`,
		),
	);
	const contactRow = wf.add(
		writeRows(
			'Save platform contact',
			[2200, 40],
			PLATFORM_CONTACTS_TABLE.name,
			'upsert',
			[{ column: 'clientId', condition: 'eq', value: '={{ $json.client.id }}' }],
			{
				clientId: '={{ String($json.client.id) }}',
				name: "={{ $json.client.name ?? '' }}",
				firstName:
					"={{ ($json.client.name ?? '').trim().split(/\\s+/).length > 1 ? $json.client.name.trim().split(/\\s+/)[0] : '' }}",
				lastName:
					"={{ ($json.client.name ?? '').trim().split(/\\s+/).slice(1).join(' ') || ($json.client.name ?? '').trim() }}",
				email: "={{ $json.client.email ?? '' }}",
				phone: "={{ $json.client.phone ?? '' }}",
				company: "={{ $json.client.company ?? '' }}",
				jobTitle: "={{ $json.client.jobTitle ?? '' }}",
				status: '={{ $json.qualification.status }}',
				conversationId: "={{ String($json.id ?? '') }}",
				conversationAt: '={{ $json.startedAt ?? null }}',
				summary: "={{ $json.summary ?? '' }}",
				source: 'conversation',
			},
		),
	);
	const queueReview = wf.add(
		writeRows(
			'Queue the AI review',
			[2200, -160],
			REVIEW_QUEUE_TABLE.name,
			'upsert',
			[
				{
					column: 'conversationId',
					condition: 'eq',
					value: "={{ String($json.id ?? $json.client.id + '@' + ($json.startedAt ?? '')) }}",
				},
			],
			{
				conversationId:
					"={{ String($json.id ?? $json.client.id + '@' + ($json.startedAt ?? '')) }}",
				clientId: '={{ String($json.client.id) }}',
				reviewAt: `={{ $now.plus(Math.min(48, Math.max(24, Number(${SETTINGS}.review_after_hours) || 24)), 'hours').toUTC().toISO() }}`,
				state: 'waiting',
				conversation: `={{ ${QUEUED_CONVERSATION} }}`,
				result: '',
			},
		),
	);
	const invalid = wf.add(
		setJson(
			'Invalid conversation',
			[1980, 520],
			`{ id: $('Settings').item.json.id ?? null, clientRef: ${SETTINGS}.clientRef, error: String($json.error), syncLog: ${gateFailureEntries('qualify')} }`,
		),
	);
	const respondInvalid = wf.add(
		respond('Respond: invalid conversation', [2200, 520], '{ synced: false, error: $json.error }', {
			responseCode: 422,
		}),
	);
	const notObject = wf.add(
		respond(
			'Respond: not a conversation',
			[440, 140],
			"{ synced: false, error: 'The request body is not one conversation (a JSON object): ' + $json.error }",
			{ responseCode: 400 },
		),
	);

	// Due reviews: claimed one by one (a row another run claimed is skipped), reviewed, recorded.
	const due = wf.add(
		getRows(
			'Due reviews',
			[1760, 860],
			REVIEW_QUEUE_TABLE.name,
			[
				{ column: 'state', condition: 'eq', value: 'waiting' },
				{ column: 'reviewAt', condition: 'lte', value: '={{ $now.toUTC().toISO() }}' },
			],
			{ limit: 100, orderBy: 'reviewAt', executeOnce: true },
		),
	);
	const askedNow = wf.add(
		ifTrue('Asked by Review now?', [1760, 680], "$('Review now').isExecuted"),
	);
	const started = wf.add(
		respond(
			'Respond: reviews started',
			[1980, 680],
			'{ started: true, execution: $execution.id }',
			{ responseCode: 202 },
		),
	);
	const claim = wf.add(
		writeRows(
			'Claim the review',
			[1980, 860],
			REVIEW_QUEUE_TABLE.name,
			'update',
			[
				{ column: 'id', condition: 'eq', value: '={{ $json.id }}' },
				{ column: 'state', condition: 'eq', value: 'waiting' },
			],
			{ state: 'reviewing' },
		),
	);
	const toReview = wf.add(
		setJson(
			'Conversation to review',
			[2200, 860],
			'{ ...JSON.parse($json.conversation), queueRowId: $json.id, clientRef: $json.clientId }',
		),
	);
	const aiGate = wf.add({
		name: 'Qualification Gate (AI review)',
		type: `${PACK}.crmQualificationGate`,
		typeVersion: 1,
		position: [2420, 860],
		parameters: {
			mode: 'aiReview',
			reviewInstructions:
				'A qualified lead asked about prices, a quote or a demo and left a way to reach them.',
			...CRITERIA,
		},
		onError: 'continueErrorOutput',
	});
	const model = wf.add({
		name: 'Chat model',
		type: '@n8n/n8n-nodes-langchain.lmChatOpenAi',
		typeVersion: 1.2,
		position: [2420, 1080],
		parameters: { model: { __rl: true, mode: 'list', value: 'gpt-4o-mini' }, options: {} },
		disabled: true,
	});
	const reviewDecision = wf.add(
		setJson(
			'Review decision',
			[2640, 860],
			`{ ...$json, syncNow: $json.qualification.changed === true && ($json.qualification.status === 'qualified' || ${SETTINGS}.sync_qualified_only !== true || $json.qualification.review?.previousStatus === 'qualified') }`,
		),
	);
	const markReviewed = wf.add(
		writeRows(
			'Mark reviewed',
			[2860, 1040],
			REVIEW_QUEUE_TABLE.name,
			'update',
			[{ column: 'id', condition: 'eq', value: '={{ $json.queueRowId }}' }],
			{
				state: "={{ $json.qualification.review?.skipped ? 'skipped' : 'reviewed' }}",
				result: "={{ $json.qualification.status + ': ' + $json.qualification.reason }}",
				reviewedAt: '={{ $now.toUTC().toISO() }}',
				conversation: '',
			},
		),
	);
	const clientStatus = wf.add(
		writeRows(
			'Update client status',
			[2860, 1200],
			PLATFORM_CONTACTS_TABLE.name,
			'update',
			[{ column: 'clientId', condition: 'eq', value: '={{ String($json.client.id) }}' }],
			{
				status: '={{ $json.qualification.status }}',
			},
		),
	);
	const reviewFailed = wf.add(
		setJson(
			'AI review failed',
			[2640, 1360],
			`{ id: $('Conversation to review').item.json.id ?? null, client: $('Conversation to review').item.json.client, queueRowId: $('Conversation to review').item.json.queueRowId, error: String($json.error), syncLog: ${gateFailureEntries('ai-review')} }`,
		),
	);
	const markFailed = wf.add(
		writeRows(
			'Mark review failed',
			[2860, 1360],
			REVIEW_QUEUE_TABLE.name,
			'update',
			[{ column: 'id', condition: 'eq', value: '={{ $json.queueRowId }}' }],
			{
				state: 'failed',
				result: '={{ $json.error }}',
				reviewedAt: '={{ $now.toUTC().toISO() }}',
			},
		),
	);

	// Both: sync to every CRM switched on, or not.
	const syncNow = wf.add(ifTrue('Sync now?', [3080, 560], '$json.syncNow === true'));
	const lead = wf.add(noOp('Lead to sync', [3300, 420]));
	const written = wf.add(appendMerge('All CRMs written', [4620, 420], CRMS.length));
	CRMS.forEach((crm, index) => {
		const branch = addCrmBranch(wf, schemas, crm, [3520, -420 + index * 400], LEAD_WRITES[crm]);
		wf.connect(lead, branch.on);
		wf.connect(branch.merge, branch.link, { output: 0 }).connect(branch.merge, written, {
			output: 1,
			input: index,
		});
		wf.connect(branch.note, written, { output: 0, input: index });
		wf.connect(branch.mergeFailed, written, { input: index }).connect(branch.noteFailed, written, {
			input: index,
		});
	});
	const answerSynced = wf.add(ifTrue('Answer the caller?', [4840, 420], FROM_WEBHOOK));
	const synced = wf.add(
		respond(
			'Respond: synced',
			[5060, 420],
			`{ conversation: ${SETTINGS}.id ?? null, client: ${SETTINGS}.clientRef, synced: true, status: $input.first().json.qualification?.status ?? null, records: $input.all().map(item => ({ crm: item.json.crm?.provider ?? null, id: item.json.crm?.record?.id ?? null, created: item.json.crm?.record?.created ?? false, error: item.json.error ?? null })) }`,
		),
	);
	const notSynced = wf.add(noOp('Not synced', [3300, 1000]));
	const answerNotSynced = wf.add(ifTrue('Answer: not synced?', [3520, 1180], FROM_WEBHOOK));
	const respondNotSynced = wf.add(
		respond(
			'Respond: not synced',
			[3740, 1180],
			`{ conversation: $json.id ?? null, client: ${SETTINGS}.clientRef, synced: false, status: $json.qualification?.status, reason: $json.qualification?.reason }`,
		),
	);
	const log = syncLogPipeline(wf, [4840, 1180], '$json.client?.id ?? $json.clientRef');
	const notify = notifyTeam(wf, [3960, 1560], log);

	wf.connect(hook, conversation);
	wf.connect(conversation, settings, { output: 0 }).connect(conversation, notObject, { output: 1 });
	wf.connect(every, settings).connect(reviewNow, settings);
	wf.connect(ready, fromWebhook);
	wf.connect(fromWebhook, rules, { output: 0 })
		.connect(fromWebhook, due, { output: 1 })
		.connect(fromWebhook, askedNow, { output: 1 });
	wf.connect(askedNow, started, { output: 0 });
	for (const output of [0, 1, 2]) wf.connect(rules, leadDecision, { output });
	wf.connect(rules, invalid, { output: 3 });
	wf.connect(leadDecision, syncNow)
		.connect(leadDecision, notify)
		.connect(leadDecision, contactRow)
		.connect(leadDecision, queueReview);
	wf.connect(invalid, respondInvalid).connect(respondInvalid, log);
	wf.connect(notObject, log);
	wf.connect(due, claim).connect(claim, toReview).connect(toReview, aiGate);
	wf.connect(model, aiGate, { type: 'ai_languageModel' });
	for (const output of [0, 1, 2]) wf.connect(aiGate, reviewDecision, { output });
	wf.connect(aiGate, reviewFailed, { output: 3 });
	wf.connect(reviewDecision, syncNow)
		.connect(reviewDecision, notify)
		.connect(reviewDecision, markReviewed)
		.connect(reviewDecision, clientStatus);
	wf.connect(reviewFailed, markFailed).connect(reviewFailed, log);
	wf.connect(syncNow, lead, { output: 0 }).connect(syncNow, notSynced, { output: 1 });
	wf.connect(written, answerSynced).connect(written, log);
	wf.connect(answerSynced, synced, { output: 0 });
	wf.connect(notSynced, answerNotSynced).connect(notSynced, log);
	wf.connect(answerNotSynced, respondNotSynced, { output: 0 });

	wf.sticky(
		[
			'## Qualified lead sync',
			'POST one conversation: `id`, `startedAt`, `participants`, `summary`, `messages[]`, `ended` and `client { id, name, phone, email, company }`.',
			'',
			'1. **Settings** — `sync_qualified_only` (on: only qualified clients reach the CRMs; off: every client does, pending and unqualified too), `review_after_hours` (24–48), and one switch per CRM: `sync_to_hubspot`, `sync_to_salesforce`, `sync_to_dynamics`, `sync_to_autochat`.',
			'2. **Qualification Gate (rules)** — message count, keywords, phone; a qualified lead is *provisional*. Qualified stays qualified for the client.',
			"3. Every CRM switched on gets the lead at once — Contact in HubSpot / Dynamics, **Lead** in Salesforce, client in autoch.at; found by phone (else email), created when missing — with its Lead Status and the conversation note. The response lists each CRM's record id.",
			"4. The client's row in **Platform contacts** is written and the conversation is queued in **CRM review queue**.",
			'5. Every 5 minutes (or at once with `POST /webhook/qualified-lead-review-now`, answered 202 with the execution id) the due reviews run: the **AI review** confirms, upgrades or downgrades; a change goes to the CRMs through the same branches (an upgraded lead the rules missed is created).',
			'6. **Tell the team**: set `notify_to` (and `notify_from`) in Settings, **enable** *Notify the team (e-mail)* (it ships disabled, so the template activates without a mail server) and pick its SMTP credential — one e-mail when a lead first qualifies and one when the AI review changes a status, each with the reason. Empty `notify_to`: no e-mails.',
			'7. Every step lands in **CRM sync logs**.',
			'',
			'**Authentication**: both webhooks need the header of the *Webhook secret* credential (Header Auth). Calls without it get 403 and start nothing.',
		].join('\n'),
		[-80, -760],
		[640, 560],
		undefined,
		'About this template',
	);
	wf.sticky(
		[
			'### One branch per CRM',
			"Each branch has its own credential. Don't use a CRM? Set its `sync_to_…` switch in **Settings** to false: nothing is written there and its sync-log rows disappear.",
			"Lead/contact fields use **Fill if Empty** (what reps typed is never overwritten); the summary / notes / description are **merged**; the Lead Status is **overwritten** with the meaning (`qualified`, `unqualified`, `pending`), which becomes your org's own picklist value (e.g. Salesforce *Qualified* or *Working - Contacted*, HubSpot *In Progress*).",
		].join('\n'),
		[3500, -760],
		[620, 300],
		4,
		'Connected CRMs',
	);
	wf.sticky(
		[
			'### AI review, 24–48 h later — without a waiting execution',
			'Each conversation is a row in **CRM review queue** (`reviewAt` = now + `review_after_hours`, kept within 24–48). Every 5 minutes up to 100 due rows are claimed (`waiting` → `reviewing`; a row another run took is skipped), reviewed and marked `reviewed`.',
			'**Enable** the *Chat model* node and pick its credential (it ships disabled); Anthropic, Ollama … work too. Without an enabled model the review is **skipped**: the status stays as it was (provisional stays provisional), the row is marked `skipped` and the sync log says why — never a failure.',
		].join('\n'),
		[2140, 1260],
		[620, 320],
		6,
		'AI review',
	);
	wf.sticky(
		[
			'### Tell the team',
			"*Notify the team (e-mail)* is n8n's Send Email node. It ships **disabled** (n8n will not activate a workflow whose enabled node has no credential): enable it, pick your SMTP credential, and set `notify_to` (one or more addresses, comma-separated) and `notify_from` in **Settings**; while it is disabled, each notification is a `skipped` sync-log row saying so. It sends when the rules qualify a client for the first time and when the AI review changes a status (e.g. pending → qualified), with the reason, phone, e-mail and summary.",
			'Prefer chat? Replace the node with Slack, Microsoft Teams or Telegram and use `$json.subject` / `$json.text` from *Notification*. Each send (or failure) is a `notify` row in the sync log.',
		].join('\n'),
		[3900, 1760],
		[680, 260],
		3,
		'Notifications',
	);
	wf.sticky(tablesNote(TABLES), [4840, 1400], [760, 420], 5, 'Data Tables');
	return wf.toJSON();
}
