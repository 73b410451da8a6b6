/**
 * The CRM switch of the one-CRM webhook templates, the same setting as in the multi-CRM ones:
 * Settings carries one `sync_to_<crm>` field per CRM, and the CRM the template's nodes are set
 * to is written only while its field is true. Off, the call is answered 200 "skipped" and a
 * skipped sync-log row says why; nothing reaches the CRM.
 */
import { ifTrue, respond, setFields, setJson } from '../nodes';
import type { Position, WorkflowBuilder } from '../workflow';
import { CRMS, crmSwitch } from './crmBranches';

/** Settings: the answer's detail switch, then `sync_to_hubspot` … `sync_to_autochat`, all on. */
export function oneCrmSettings(wf: WorkflowBuilder, at: Position): string {
	return wf.add(
		setFields(
			'Settings',
			at,
			[
				['respond_with_record_details', false, 'boolean'],
				...CRMS.map((crm) => [crmSwitch(crm), true, 'boolean'] as [string, boolean, 'boolean']),
			],
			{
				keepOtherFields: true,
			},
		),
	);
}

/** The switch of the CRM that `firstCrmNode` (and every CRM node after it) is set to. */
const switchOf = (firstCrmNode: string): string => `'sync_to_' + $('${firstCrmNode}').params.crm`;

/**
 * "CRM on?" at `at`: true → connect output 0 to the first CRM node; false → "CRM switched off"
 * → "Respond: switched off" (200, `{ <idField>, status: 'skipped', reason, syncLog }`) → `logTo`.
 */
export function oneCrmSwitch(
	wf: WorkflowBuilder,
	at: Position,
	firstCrmNode: string,
	idField: string,
	operation: string,
	logTo: string,
): string {
	const on = wf.add(
		ifTrue('CRM on?', at, `$('Settings').first().json[${switchOf(firstCrmNode)}] === true`),
	);
	const off = wf.add(
		setJson(
			'CRM switched off',
			[at[0], at[1] - 220],
			`{ id: $json.id ?? null, syncLog: [{ at: $now.toUTC().toISO(), crm: $('${firstCrmNode}').params.crm, operation: '${operation}', status: 'skipped', reason: ${switchOf(firstCrmNode)} + ' is off in Settings: nothing was written', target: null }] }`,
		),
	);
	const answer = wf.add(
		respond(
			'Respond: switched off',
			[at[0] + 220, at[1] - 220],
			`{ ${idField}: $json.id, status: 'skipped', reason: $json.syncLog[0].reason, syncLog: $json.syncLog }`,
		),
	);
	wf.connect(on, off, { output: 1 }).connect(off, answer).connect(answer, logTo);
	return on;
}

/** The sticky-note lines that explain the switch. */
export const ONE_CRM_SWITCH_NOTE = [
	'### Switching the CRM off',
	'**Settings** has one switch per CRM: `sync_to_hubspot`, `sync_to_salesforce`, `sync_to_dynamics`, `sync_to_autochat`. The one of the CRM these nodes are set to decides: false ⇒ each call is answered 200 `skipped`, logged as skipped, and nothing is written.',
].join('\n');
