/**
 * scheduled-crm-updates.json (autoch.at's scheduled updates): on a schedule (or "Sync now")
 * the platform contacts changed since the cursor go to every CRM switched on — merged, never
 * overwritten; matched by phone, else email; created when missing — with a note for each new
 * conversation. The cursor only moves past what was written: a record the CRM could not take
 * because it was unavailable (or whose write is uncertain) keeps the cursor before it, so the
 * next run tries again.
 */
import {
	PLATFORM_CONTACTS_TABLE,
	SYNC_LOGS_TABLE,
	SYNC_STATE_TABLE,
} from '../../runtime/dataTables';
import type { FieldSchemas } from '../fieldSchemas';
import {
	appendMerge,
	filter,
	getRows,
	ifTrue,
	schedule,
	setFields,
	setJson,
	webhook,
	writeRows,
} from '../nodes';
import { CRM_LABELS, type FieldMergeSpec } from '../parts/crm';
import { addCrmBranch, CRMS, crmSwitch, linkRecordExpression } from '../parts/crmBranches';
import { syncLogPipeline } from '../parts/syncLog';
import { ensureTables, tablesNote } from '../parts/tables';
import { WorkflowBuilder, type WorkflowJson } from '../workflow';
import type { CrmName } from '../../../nodes/shared/model';

const TABLES = [PLATFORM_CONTACTS_TABLE, SYNC_STATE_TABLE, SYNC_LOGS_TABLE];
const SETTINGS = "$('Settings').first().json";

const first =
	"={{ $json.firstName || (($json.name ?? '').trim().split(/\\s+/).length > 1 ? $json.name.trim().split(/\\s+/)[0] : '') }}";
const last =
	"={{ $json.lastName || ($json.name ?? '').trim().split(/\\s+/).slice(1).join(' ') || ($json.name ?? '').trim() || 'Unknown' }}";
const KEYS = {
	matchBy: 'phone',
	matchValue: '={{ $json.phone }}',
	fallbackValue: '={{ $json.email }}',
} as const;
const STATUS = '={{ $json.status }}';

const WRITES: Record<CrmName, { name: string; spec: FieldMergeSpec }> = {
	hubspot: {
		name: 'merge fields',
		spec: {
			objectKind: 'contact',
			...KEYS,
			values: {
				firstname: first,
				lastname: last,
				email: '={{ $json.email }}',
				phone: '={{ $json.phone }}',
				company: '={{ $json.company }}',
				jobtitle: '={{ $json.jobTitle }}',
				hs_lead_status: STATUS,
			},
			defaultMode: 'fillIfEmpty',
			modes: { hs_lead_status: 'overwrite' },
			createIfMissing: true,
		},
	},
	salesforce: {
		name: 'merge fields',
		spec: {
			objectKind: 'lead',
			...KEYS,
			values: {
				FirstName: first,
				LastName: last,
				Email: '={{ $json.email }}',
				Phone: '={{ $json.phone }}',
				Company: "={{ $json.company || 'Not provided' }}",
				Title: '={{ $json.jobTitle }}',
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
		name: 'merge fields',
		spec: {
			objectKind: 'contact',
			...KEYS,
			values: {
				firstname: first,
				lastname: last,
				emailaddress1: '={{ $json.email }}',
				telephone1: '={{ $json.phone }}',
				jobtitle: '={{ $json.jobTitle }}',
				description: '={{ $json.summary }}',
			},
			defaultMode: 'fillIfEmpty',
			modes: { description: 'merge' },
			createIfMissing: true,
			createAs: 'contact',
		},
	},
	autochat: {
		name: 'merge fields',
		spec: {
			objectKind: 'contact',
			...KEYS,
			values: {
				name: '={{ $json.name || $json.phone || $json.email }}',
				first_name: '={{ $json.firstName }}',
				last_name: '={{ $json.lastName }}',
				email: '={{ $json.email }}',
				phone: '={{ $json.phone }}',
				company: '={{ $json.company }}',
				status: STATUS,
				notes: '={{ $json.summary }}',
			},
			defaultMode: 'fillIfEmpty',
			modes: { status: 'overwrite', notes: 'merge' },
			createIfMissing: true,
		},
	},
};

/** The note's conversation from the row's latest conversation, on the record just written. */
const NOTE_CONVERSATION =
	', id: $json.conversationId, startedAt: $json.conversationAt, participants: [{ name: $json.name || undefined, email: $json.email || undefined, phone: $json.phone || undefined }], summary: $json.summary';

/**
 * The new cursor: the run's start, or — when a write failed because the CRM was unavailable or
 * its outcome is unknown — the earliest such row's change time, so that row is read again.
 */
const NEXT_CURSOR = `(() => {
  const started = Date.parse(${SETTINGS}.run_started);
  const retry = $input.all()
    .filter(item => item.json.error !== undefined && ['crm-unavailable', 'uncertain'].includes(item.json.details?.kind))
    .map(item => Date.parse(item.json.updatedAt))
    .filter(time => !Number.isNaN(time));
  return { key: ${SETTINGS}.cursor_key, cursor: new Date(Math.min(started, ...retry)).toISOString(), retrying: retry.length };
})()`;

export function scheduledUpdates(schemas: FieldSchemas): WorkflowJson {
	const wf = new WorkflowBuilder('Scheduled CRM updates from platform contacts');
	const every = wf.add(schedule('Every 60 minutes', [0, 300], 60));
	const now = wf.add(
		webhook(
			'Sync now',
			[0, 520],
			'crm-sync-now',
			'c3e1a2b4-5d6f-4a7b-8c9d-0e1f2a3b4c5d',
			'lastNode',
		),
	);
	const settings = wf.add(
		setFields(
			'Settings',
			[240, 400],
			[
				['sync_qualified_only', true, 'boolean'],
				[crmSwitch('hubspot'), true, 'boolean'],
				[crmSwitch('salesforce'), true, 'boolean'],
				[crmSwitch('dynamics'), true, 'boolean'],
				[crmSwitch('autochat'), true, 'boolean'],
				['run_started', '={{ $now.toUTC().toISO() }}', 'string'],
				['cursor_key', 'scheduled-crm-updates', 'string'],
			],
			{ executeOnce: true },
		),
	);
	const ready = ensureTables(wf, settings, TABLES, [460, 400]);
	const lastRun = wf.add(
		getRows(
			'Last run',
			[1340, 400],
			SYNC_STATE_TABLE.name,
			[{ column: 'key', condition: 'eq', value: '={{ $json.cursor_key }}' }],
			{ limit: 1, alwaysOutputData: true },
		),
	);
	const changed = wf.add(
		getRows(
			'Contacts changed since last run',
			[1560, 400],
			PLATFORM_CONTACTS_TABLE.name,
			[
				{
					column: 'updatedAt',
					condition: 'gte',
					value: "={{ $json.cursor ?? '1970-01-01T00:00:00.000Z' }}",
				},
			],
			{
				orderBy: 'updatedAt',
				executeOnce: true,
			},
		),
	);
	const runStart = wf.add(
		setJson('Run start', [1560, 640], `{ runStart: ${SETTINGS}.run_started }`, {
			executeOnce: true,
		}),
	);
	const toSync = wf.add(
		filter(
			'Skip unqualified',
			[1780, 400],
			`$json.source !== 'crm' && (${SETTINGS}.sync_qualified_only !== true || $json.status === 'qualified')`,
		),
	);
	const done = wf.add(appendMerge('All CRMs done', [3900, 640], CRMS.length + 1));

	CRMS.forEach((crm, index) => {
		const y = -440 + index * 420;
		const branch = addCrmBranch(
			wf,
			schemas,
			crm,
			[2000, y],
			WRITES[crm],
			{
				name: `${CRM_LABELS[crm]}: conversation for the note`,
				expression: linkRecordExpression(crm, NOTE_CONVERSATION),
			},
			['clientId', 'updatedAt'],
		);
		const label = CRM_LABELS[crm];
		const hasConversation = wf.add(
			ifTrue(
				`${label}: new conversation?`,
				[2440, y - 140],
				"String($json.conversationId ?? '') !== ''",
			),
		);
		const crmDone = wf.add(appendMerge(`${label}: done`, [3460, y], 5));
		wf.connect(toSync, branch.on);
		wf.connect(branch.merge, hasConversation, { output: 0 }).connect(branch.merge, crmDone, {
			output: 1,
			input: 3,
		});
		wf.connect(hasConversation, branch.link, { output: 0 }).connect(hasConversation, crmDone, {
			output: 1,
			input: 2,
		});
		wf.connect(branch.note, crmDone, { output: 0, input: 0 }).connect(branch.noteFailed, crmDone, {
			input: 1,
		});
		wf.connect(branch.mergeFailed, crmDone, { input: 4 });
		wf.connect(crmDone, done, { input: index + 1 });
	});
	const cursor = wf.add(setJson('Next cursor', [4120, 640], NEXT_CURSOR, { executeOnce: true }));
	const saveCursor = wf.add(
		writeRows(
			'Save cursor',
			[4340, 640],
			SYNC_STATE_TABLE.name,
			'upsert',
			[{ column: 'key', condition: 'eq', value: '={{ $json.key }}' }],
			{
				key: '={{ $json.key }}',
				cursor: '={{ $json.cursor }}',
			},
		),
	);
	const log = syncLogPipeline(wf, [4120, 900], '$json.clientId');

	wf.connect(every, settings).connect(now, settings);
	wf.connect(ready, lastRun).connect(lastRun, changed).connect(lastRun, runStart);
	wf.connect(changed, toSync);
	wf.connect(runStart, done, { input: 0 });
	wf.connect(done, cursor).connect(cursor, saveCursor).connect(done, log);

	wf.sticky(
		[
			'## Scheduled CRM updates',
			'Every **60 minutes** (set 5–1440 in the trigger) — or at once with **Sync now** (`POST /webhook/crm-sync-now`) — the clients changed since the last run are read from the **Platform contacts** Data Table (the conversation and CRM templates fill it), and each CRM switched on gets the changes:',
			"- **Fill if Empty** for every field (what reps typed is never overwritten), **Merge** for the summary, the Lead Status **overwritten** with the client's `status` (your org's own picklist value for it);",
			'- matched by **phone**, else by **email**; created as Contact (HubSpot, Dynamics), Lead (Salesforce) or client (autoch.at) when missing;',
			'- a note for each new conversation (`conversationId`, `conversationAt`, `summary`), written once.',
			'',
			'**Settings**: `sync_qualified_only` (on: only `status` = qualified; off: every client), one `sync_to_…` switch per CRM. Rows that came from a CRM (`source` = crm) are not pushed back.',
			"**Cursor**: moves to this run's start — unless a CRM was unavailable or a write's outcome is unknown: then it stays before that client, who is tried again next run (a record the CRM rejected, e.g. an invalid email, is logged as failed and tried again when the client changes).",
			'The contact nodes write in batches of up to 100 records per CRM call (Salesforce up to 200).',
			'',
			'**Authentication**: the Sync now webhook needs the header of its *Webhook secret* credential (Header Auth).',
		].join('\n'),
		[-80, -760],
		[680, 640],
		undefined,
		'About this template',
	);
	wf.sticky(tablesNote(TABLES), [4120, 1120], [760, 420], 5, 'Data Tables');
	return wf.toJSON();
}
