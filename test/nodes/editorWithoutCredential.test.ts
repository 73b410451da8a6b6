/**
 * Every editor method of every pack node (drop-downs, the resource mapper) opened before a
 * credential is chosen, run through n8n-core's LoadOptionsContext the way the editor's backend
 * runs them: each answers with what to set up, never an error.
 */
import type { ILoadOptionsFunctions, INode, INodeProperties, INodeType } from 'n8n-workflow';

import { AutochatCrmTrigger } from '../../nodes/AutochatCrmTrigger/AutochatCrmTrigger.node';
import { CrmActionItemsToTasks } from '../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmContactFieldMerge } from '../../nodes/CrmContactFieldMerge/CrmContactFieldMerge.node';
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmMeetingWriter } from '../../nodes/CrmMeetingWriter/CrmMeetingWriter.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { CrmQualificationGate } from '../../nodes/CrmQualificationGate/CrmQualificationGate.node';
import { CrmSyncTrigger } from '../../nodes/CrmSyncTrigger/CrmSyncTrigger.node';
import type { CrmName } from '../../nodes/shared/model';
import { profileOf } from '../../nodes/shared/providers/profiles';
import { runEditorMethod } from './harness/editorMethods';
import { PACK, packHarness } from './support/packHarness';

const NODES: INodeType[] = [
	new AutochatCrmTrigger(),
	new CrmActionItemsToTasks(),
	new CrmContactFieldMerge(),
	new CrmLink(),
	new CrmMeetingWriter(),
	new CrmNoteRouter(),
	new CrmQualificationGate(),
	new CrmSyncTrigger(),
];

type EditorMethod = (this: ILoadOptionsFunctions) => Promise<unknown>;

interface Case {
	node: string;
	method: string;
	kind: 'loadOptions' | 'resourceMapping';
	parameters: INode['parameters'];
	nodeType: INodeType;
}

function optionValues(property: INodeProperties | undefined): string[] {
	return (property?.options ?? []).map((option) => String((option as { value: unknown }).value));
}

/** Every (method × CRM × authentication choice) a node's editor can ask for. */
function cases(): Case[] {
	const all: Case[] = [];
	for (const nodeType of NODES) {
		const { properties, name } = nodeType.description;
		const crms = optionValues(properties.find((p) => p.name === 'crm'));
		const methods = [
			...Object.keys(nodeType.methods?.loadOptions ?? {}).map((method) => ({
				method,
				kind: 'loadOptions' as const,
			})),
			...Object.keys(nodeType.methods?.resourceMapping ?? {}).map((method) => ({
				method,
				kind: 'resourceMapping' as const,
			})),
		];
		for (const { method, kind } of methods) {
			for (const crm of crms) {
				const shownFor = (p: INodeProperties) =>
					p.displayOptions?.show?.crm?.includes(crm) ?? false;
				const auth = properties.find((p) => /Authentication$/.test(p.name) && shownFor(p));
				const objectType = properties.find((p) => p.name === 'objectType' && shownFor(p));
				for (const authentication of optionValues(auth)) {
					const parameters: INode['parameters'] = {
						crm,
						objectKind: 'contact',
						...(auth ? { [auth.name]: authentication } : {}),
					};
					if (objectType) parameters.objectType = objectType.default as string;
					all.push({ node: name, method, kind, parameters, nodeType });
				}
			}
		}
	}
	return all;
}

const CASES = cases();

test('the pack has editor methods to check, on every CRM and authentication choice', () => {
	const methods = new Set(CASES.map((c) => `${c.node}.${c.method}`));
	expect([...methods].sort()).toEqual([
		'crmContactFieldMerge.getMergeFieldNames',
		'crmContactFieldMerge.getMergeFields',
		'crmMeetingWriter.getCallFieldNames',
		'crmMeetingWriter.getCallOutcomes',
		'crmMeetingWriter.getMeetingTypes',
		'crmNoteRouter.getMeetingTypes',
		'crmSyncTrigger.getInclusionSegments',
		'crmSyncTrigger.getSegments',
		'crmSyncTrigger.getSyncFields',
	]);
	// Three methods (fields; lists; the inclusion list) × 7 CRM and authentication choices.
	expect(CASES.filter((c) => c.node === 'crmSyncTrigger')).toHaveLength(21);
});

describe.each(
	CASES.map((c) => [`${c.node}.${c.method}`, JSON.stringify(c.parameters), c] as const),
)('%s with %s and no credential', (_name, _parameters, c) => {
	it('answers with the credential to set up', async () => {
		const harness = packHarness({ [c.node]: c.nodeType });
		const node: INode = {
			id: 'n',
			name: 'Node',
			type: `${PACK}.${c.node}`,
			typeVersion: 1,
			position: [0, 0],
			parameters: c.parameters,
		};
		const method = (
			c.kind === 'loadOptions'
				? c.nodeType.methods!.loadOptions!
				: c.nodeType.methods!.resourceMapping!
		)[c.method] as EditorMethod;
		const answer = await runEditorMethod(harness.credentials, c.nodeType, node, method);
		const crmName = /^(HubSpot|Salesforce|Dynamics 365|autoch\.at CRM) /;
		if (c.kind === 'resourceMapping') {
			const { fields, emptyFieldsNotice } = answer as {
				fields: unknown[];
				emptyFieldsNotice?: string;
			};
			expect(fields).toEqual([]);
			expect(emptyFieldsNotice).toMatch(/^Set up a .+ credential to see the fields to write$/);
			expect(emptyFieldsNotice!.slice('Set up a '.length)).toMatch(crmName);
			return;
		}
		const options = answer as Array<{ name: string; value: string }>;
		const meetingTypesElsewhere = c.method === 'getMeetingTypes' && c.parameters.crm !== 'hubspot';
		if (meetingTypesElsewhere) {
			// Only HubSpot has portal-defined meeting types; the others need no CRM call at all.
			expect(options).toEqual([{ name: '(None)', value: '' }]);
			return;
		}
		const { callLog } = profileOf(c.parameters.crm as CrmName);
		if (c.method === 'getCallOutcomes' && callLog.outcome.store !== 'choice') {
			// A text outcome has no list to load.
			expect(options).toEqual([{ name: '(None)', value: '' }]);
			return;
		}
		if (c.method === 'getCallFieldNames' && callLog.fieldsObject === undefined) {
			// autoch.at CRM's activities have no describable fields.
			expect(options).toEqual([]);
			return;
		}
		expect(options).toHaveLength(1);
		expect(options[0].value).toBe('');
		expect(options[0].name).toMatch(/^Set up a .+ credential to see /);
		expect(options[0].name.slice('Set up a '.length)).toMatch(crmName);
	});
});
