/**
 * One branch per CRM for the multi-CRM templates (qualified lead sync, scheduled updates):
 * a switch in Settings, the lead/contact create-or-update, the record linked as CRM Link
 * would, and the conversation note on it.
 */
import type { CrmName } from '../../../nodes/shared/model';
import type { FieldSchemas } from '../fieldSchemas';
import { ifTrue, setJson } from '../nodes';
import { CRM_LABELS, crmNode, fieldMerge, type FieldMergeSpec } from './crm';
import type { Position, WorkflowBuilder } from '../workflow';

export const CRMS: CrmName[] = ['hubspot', 'salesforce', 'dynamics', 'autochat'];

/** The Settings field that switches a CRM on or off. */
export const crmSwitch = (crm: CrmName): string => `sync_to_${crm}`;

/** Sync-log CRMs of the gate: the ones switched on in Settings. */
export const ENABLED_CRMS = `={{ ${JSON.stringify(CRMS)}.filter(crm => $('Settings').first().json['sync_to_' + crm] === true) }}`;

/** Note targets per CRM: Salesforce/Dynamics records may be leads or contacts. */
const NOTE_TARGETS: Record<CrmName, string[]> = {
	hubspot: ['contact'],
	salesforce: ['lead', 'contact'],
	dynamics: ['contact', 'lead'],
	autochat: ['contact'],
};
const DESTINATION: Partial<Record<CrmName, Record<string, string>>> = {
	hubspot: { hubspotDestination: 'note' },
	salesforce: { salesforceDestination: 'note' },
};

/** The item with the written record as its CRM Link match, so the note goes on it. */
export function linkRecordExpression(crm: CrmName, extra = ''): string {
	return `{ ...$json${extra}, crm: { ...$json.crm, matches: { contact: [], company: [], deal: [], lead: [], [$json.crm.record.kind]: [{ crm: '${crm}', kind: $json.crm.record.kind, objectType: $json.crm.record.objectType, id: $json.crm.record.id }] }, linkedKinds: [$json.crm.record.kind] } }`;
}

export interface CrmBranch {
	crm: CrmName;
	/** "<CRM> on?": true → write; false → this CRM is switched off. */
	on: string;
	merge: string;
	/** The node whose items become the note (connect the merge's success output to it). */
	link: string;
	note: string;
	/** Stamps which node failed and the CRM on an error output's item. */
	mergeFailed: string;
	noteFailed: string;
}

/**
 * A failed item is only `{ error, details }`: the CRM and the failing node are stamped on it,
 * and the `carry` fields are taken back from the item that entered the branch.
 */
function failedStamp(crm: CrmName, on: string, carry: string[]): string {
	const carried = carry
		.map((field) => `${field}: $('${on}').item.json.${field} ?? null, `)
		.join('');
	return `{ ...$json, ${carried}crm: { ...($json.crm ?? {}), provider: '${crm}' }, failedNode: $prevNode.name }`;
}

/**
 * Adds the branch at `at` (top-left). `writeName` names the create/update node; `link` builds
 * the note's conversation from the written record (defaults to the item itself).
 */
export function addCrmBranch(
	wf: WorkflowBuilder,
	schemas: FieldSchemas,
	crm: CrmName,
	at: Position,
	write: { name: string; spec: FieldMergeSpec },
	link?: { name: string; expression: string },
	carry: string[] = [],
): CrmBranch {
	const label = CRM_LABELS[crm];
	const [x, y] = at;
	const on = wf.add(
		ifTrue(`${label} on?`, [x, y], `$('Settings').first().json.${crmSwitch(crm)} === true`),
	);
	const merge = wf.add(
		fieldMerge(schemas, crm, `${label}: ${write.name}`, [x + 220, y], write.spec),
	);
	const linkNode = wf.add(
		setJson(
			link?.name ?? `${label}: link the record`,
			[x + 440, y],
			link?.expression ?? linkRecordExpression(crm),
		),
	);
	const targets = NOTE_TARGETS[crm];
	const note = wf.add(
		crmNode(crm, `${label}: conversation note`, 'crmNoteRouter', [x + 660, y], {
			contentSource: 'summary',
			...(DESTINATION[crm] ?? {}),
			targetObjectTypes: targets,
			routing: 'oneType',
			priority: { entries: targets.map((objectType) => ({ objectType })) },
			options: { subjectPrefix: 'Conversation' },
		}),
	);
	const mergeFailed = wf.add(
		setJson(`${label}: record failed`, [x + 440, y + 160], failedStamp(crm, on, carry)),
	);
	const noteFailed = wf.add(
		setJson(`${label}: note failed`, [x + 880, y + 160], failedStamp(crm, on, carry)),
	);
	wf.connect(on, merge, { output: 0 });
	wf.connect(merge, mergeFailed, { output: 2 });
	wf.connect(linkNode, note);
	wf.connect(note, noteFailed, { output: 1 });
	return { crm, on, merge, link: linkNode, note, mergeFailed, noteFailed };
}

/** First word of a name / the rest of it (a one-word name is the last name: CRMs require one). */
export const firstNameOf = (name: string): string =>
	`={{ (${name} ?? '').trim().split(/\\s+/).length > 1 ? (${name} ?? '').trim().split(/\\s+/)[0] : '' }}`;
export const lastNameOf = (name: string, fallback: string): string =>
	`={{ (${name} ?? '').trim().split(/\\s+/).slice(1).join(' ') || (${name} ?? '').trim() || ${fallback} }}`;
