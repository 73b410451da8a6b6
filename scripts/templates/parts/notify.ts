/**
 * "Tell the team": one e-mail when a lead qualifies for the first time (the rules gate) and
 * when the AI review changes a lead's status, with the reason. Off while Settings' `notify_to`
 * is empty. The e-mail goes out through one clearly labelled Send Email node (SMTP credential);
 * a chat node (Slack, Teams …) can replace it, fed by the same fields. That node ships disabled:
 * n8n refuses to activate a workflow whose enabled node lacks its credential, and most imports
 * have no mail server yet. Every send, failure to send, or skip (node still disabled) becomes a
 * `notify` row in the sync log.
 */
import { ifTrue, sendEmail, setJson } from '../nodes';
import type { Position, WorkflowBuilder } from '../workflow';

export const NOTIFY_SETTINGS: Array<[name: string, value: string, type: 'string']> = [
	['notify_to', '', 'string'],
	['notify_from', 'crm-sync@example.com', 'string'],
];

const SETTINGS = "$('Settings').first().json";
const NAME =
	'($json.client?.name || $json.client?.phone || $json.client?.email || $json.client?.id)';

/** Whether the item is news for the team: first qualification, or a status the review changed. */
const NEWS = `(${SETTINGS}.run === 'conversation' ? $json.qualification?.firstQualified === true : $json.qualification?.changed === true)`;

const SUBJECT = `${SETTINGS}.run === 'conversation' ? 'Lead qualified: ' + ${NAME} : 'Lead status changed by the AI review: ' + ${NAME} + ' (' + ($json.qualification.review?.previousStatus ?? 'unknown') + ' -> ' + $json.qualification.status + ')'`;

const TEXT = `[
	${NAME} + ' is ' + $json.qualification.status + (${SETTINGS}.run === 'conversation' ? ' (rules).' : ' after the AI review (was ' + ($json.qualification.review?.previousStatus ?? 'unknown') + ').'),
	'Reason: ' + ($json.qualification.reason ?? ''),
	'Phone: ' + ($json.client?.phone ?? '-') + ' | E-mail: ' + ($json.client?.email ?? '-') + ' | Company: ' + ($json.client?.company ?? '-'),
	'Conversation: ' + ($json.id ?? '-') + ($json.startedAt ? ' (' + $json.startedAt + ')' : ''),
	$json.summary ? 'Summary: ' + $json.summary : '',
].filter(line => line !== '').join('\\n')`;

const logEntry = (status: string, reason: string) =>
	`{ client: $('Notification').item.json.client, syncLog: [{ at: $now.toUTC().toISO(), crm: '', operation: 'notify', status: ${status}, reason: ${reason}, target: { type: 'client', id: String($('Notification').item.json.client?.id ?? '') } }] }`;

/** A disabled Send Email node passes its input on unchanged: only a sent mail has a messageId. */
const SENT = '$json.messageId !== undefined';
const DISABLED_REASON =
	"'not sent: the Notify the team (e-mail) node is disabled — enable it and pick an SMTP credential'";

/**
 * The chain from "Tell the team?" to the sync log. Returns its first node: connect the items
 * with a (new or reviewed) qualification to it; `log` is the sync-log pipeline's first node.
 */
export function notifyTeam(wf: WorkflowBuilder, at: Position, log: string): string {
	const [x, y] = at;
	const news = wf.add(
		ifTrue(
			'Tell the team?',
			[x, y],
			`String(${SETTINGS}.notify_to ?? '').trim() !== '' && ${NEWS}`,
		),
	);
	const notification = wf.add(
		setJson(
			'Notification',
			[x + 220, y],
			`{ client: $json.client, to: String(${SETTINGS}.notify_to).trim(), subject: ${SUBJECT}, text: ${TEXT} }`,
		),
	);
	const email = wf.add(
		sendEmail(
			'Notify the team (e-mail)',
			[x + 440, y],
			{
				from: `={{ ${SETTINGS}.notify_from }}`,
				to: '={{ $json.to }}',
				subject: '={{ $json.subject }}',
				text: '={{ $json.text }}',
			},
			{ onError: 'continueErrorOutput', disabled: true },
		),
	);
	const sent = wf.add(
		setJson(
			'Notified',
			[x + 660, y - 80],
			logEntry(
				`(${SENT} ? 'success' : 'skipped')`,
				`(${SENT} ? 'e-mailed ' + $('Notification').item.json.to + ': ' + $('Notification').item.json.subject : ${DISABLED_REASON})`,
			),
		),
	);
	const failed = wf.add(
		setJson(
			'Notification failed',
			[x + 660, y + 80],
			logEntry(
				"'failed'",
				"'e-mail to ' + $('Notification').item.json.to + ' failed: ' + String($json.error)",
			),
		),
	);
	wf.connect(news, notification, { output: 0 });
	wf.connect(notification, email);
	wf.connect(email, sent, { output: 0 }).connect(email, failed, { output: 1 });
	wf.connect(sent, log).connect(failed, log);
	return news;
}
