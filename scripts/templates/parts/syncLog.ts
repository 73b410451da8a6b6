/**
 * Sync-log rows and failure answers, the same in every template.
 *
 * Every pack node adds `syncLog` entries to its items (`{ at, crm, operation, target, status,
 * reason }`); a failed item on an error output carries the trail in `details.syncLog`. One
 * pipeline turns whatever reaches it — successes and failures alike — into rows of the
 * "CRM sync logs" Data Table.
 */
import { SYNC_LOGS_TABLE } from '../../runtime/dataTables';
import {
	dropDuplicates,
	ifTrue,
	insertRows,
	respond,
	setFields,
	setJson,
	splitOut,
} from '../nodes';
import type { Position, WorkflowBuilder } from '../workflow';

/**
 * The entries to log for an item: its trail, plus a failed entry when it failed without one
 * (e.g. input the node refused before writing). `client` names the platform client.
 */
export function logEntriesExpression(client: string): string {
	const failed =
		"{ at: $now.toUTC().toISO(), crm: $json.details?.crm ?? $json.crm?.provider ?? '', operation: $json.failedNode ?? $prevNode.name, status: 'failed', reason: $json.details?.reason ?? String($json.error), target: null }";
	return `{ client: String(${client} ?? ''), entries: $json.error === undefined ? ($json.syncLog ?? []) : [...($json.details?.syncLog ?? $json.syncLog ?? []), ...(($json.details?.syncLog ?? $json.syncLog ?? []).some(entry => entry.status === 'failed') ? [] : [${failed}])] }`;
}

/**
 * "Sync-log entries" → one row per entry → the row → repeated entries dropped (items of one
 * run may carry the same earlier entries) → "Save to CRM sync logs". Returns the first node:
 * connect everything that should be logged to it.
 */
export function syncLogPipeline(
	wf: WorkflowBuilder,
	at: Position,
	client: string,
	prefix = '',
): string {
	const entries = wf.add(setJson(`${prefix}Sync-log entries`, at, logEntriesExpression(client)));
	const split = wf.add(
		splitOut(`${prefix}One row per sync-log entry`, [at[0] + 220, at[1]], 'entries', 'client'),
	);
	const row = wf.add(
		setFields(
			`${prefix}Sync-log row`,
			[at[0] + 440, at[1]],
			[
				['time', '={{ $json.entries.at }}', 'string'],
				['crm', '={{ $json.entries.crm }}', 'string'],
				['type', '={{ $json.entries.operation }}', 'string'],
				['client', '={{ $json.client }}', 'string'],
				['status', '={{ $json.entries.status }}', 'string'],
				[
					'error',
					"={{ $json.entries.status === 'success' ? '' : ($json.entries.reason ?? '') }}",
					'string',
				],
				['record', "={{ $json.entries.target?.id ?? '' }}", 'string'],
				['workflow', '={{ $workflow.name }}', 'string'],
			],
		),
	);
	const unique = wf.add(dropDuplicates(`${prefix}Drop repeated entries`, [at[0] + 660, at[1]]));
	const save = wf.add(
		insertRows(`${prefix}Save to CRM sync logs`, [at[0] + 880, at[1]], SYNC_LOGS_TABLE.name),
	);
	wf.connect(entries, split).connect(split, row).connect(row, unique).connect(unique, save);
	return entries;
}

/**
 * The answer to a webhook caller when a node failed: "Failure answer" adds `answer` (HTTP
 * status from `details.httpStatus`, the body naming item, field, CRM and reason), then 503 +
 * Retry-After or the status itself. Both answers continue to `logTo`. Returns the first node.
 */
export function failureAnswer(
	wf: WorkflowBuilder,
	at: Position,
	idField: string,
	what: string,
	logTo: string,
): string {
	const answer = wf.add(
		setJson(
			'Failure answer',
			at,
			`{
  ...$json,
  failedNode: $json.failedNode ?? $prevNode.name,
  answer: {
    status: $json.details?.httpStatus ?? 400,
    retryAfter: String($json.details?.retryAfterSeconds ?? 60),
    body: {
      ${idField}: $json.id ?? null,
      status: 'failed',
      error: {
        kind: $json.details?.kind ?? 'invalid-input',
        item: $json.details?.item ?? 0,
        field: $json.details?.field ?? null,
        crm: $json.details?.crm ?? null,
        reason: $json.details?.reason ?? ('The request body is not ${what} (a JSON object): ' + $json.error)
      }
    }
  }
}`,
		),
	);
	const unavailable = wf.add(
		ifTrue('CRM unavailable?', [at[0] + 220, at[1]], '$json.answer.status === 503'),
	);
	const later = wf.add(
		respond('Respond: try again later', [at[0] + 440, at[1] - 100], '$json.answer.body', {
			responseCode: 503,
			responseHeaders: {
				entries: [{ name: 'Retry-After', value: '={{ $json.answer.retryAfter }}' }],
			},
		}),
	);
	const failed = wf.add(
		respond('Respond: failed', [at[0] + 440, at[1] + 100], '$json.answer.body', {
			responseCode: '={{ $json.answer.status }}',
		}),
	);
	wf.connect(answer, unavailable)
		.connect(unavailable, later, { output: 0 })
		.connect(unavailable, failed, { output: 1 });
	wf.connect(later, logTo).connect(failed, logTo);
	return answer;
}

export const FAILURE_NOTE = [
	'### Answers when something fails',
	'Every CRM node sends a failed item to its red error output. **Failure answer** turns it into the HTTP answer:',
	'- **400** malformed request (the field is named), **413** over a *Limits per Conversation* setting of CRM Link, **422** an item the nodes cannot use',
	'- **502** the CRM rejected the request, or a write may or may not have happened (`uncertain`: not retried — check the record named in `reason`)',
	'- **503** + `Retry-After` the CRM is rate limiting or down',
	'',
	'The body names the item, the field, the CRM and the reason. Successes and failures alike end in the **CRM sync logs** Data Table: one row per sync-log entry.',
].join('\n');
