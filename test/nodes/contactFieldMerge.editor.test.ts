/**
 * The editor side of CRM Contact Field Merge: the resource mapper's columns and the Update
 * Modes field list, loaded live from the sandbox CRM through n8n-core's LoadOptionsContext.
 */
import type { INode } from 'n8n-workflow';

import { CrmContactFieldMerge } from '../../nodes/CrmContactFieldMerge/CrmContactFieldMerge.node';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { runEditorMethod } from './harness/editorMethods';
import { PACK, addSandboxCredentials, packHarness } from './support/packHarness';

describe('CRM Contact Field Merge — editor methods', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	function nodeFor(parameters: INode['parameters']) {
		const nodeType = new CrmContactFieldMerge();
		const harness = packHarness({ crmContactFieldMerge: nodeType });
		const node: INode = {
			id: 'merge',
			name: 'CRM Contact Field Merge',
			type: `${PACK}.crmContactFieldMerge`,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: addSandboxCredentials(harness, sandbox.url),
		};
		return { harness, nodeType, node };
	}

	it('maps HubSpot contact properties to columns: writable shown with their types, picklists as options, match keys marked', async () => {
		const { harness, nodeType, node } = nodeFor({
			crm: 'hubspot',
			hubspotAuthentication: 'privateApp',
			objectKind: 'contact',
		});
		const { fields } = await runEditorMethod(
			harness.credentials,
			nodeType,
			node,
			nodeType.methods.resourceMapping.getMergeFields,
		);
		const byId = new Map(fields.map((f) => [f.id, f]));
		expect(byId.get('email')).toMatchObject({
			display: true,
			canBeUsedToMatch: true,
			type: 'string',
		});
		expect(byId.get('firstname')).toMatchObject({ display: true, canBeUsedToMatch: false });
		expect(byId.get('annual_budget')).toMatchObject({ type: 'number', display: true });
		expect(byId.get('decision_maker')).toMatchObject({ type: 'boolean' });
		expect(byId.get('notes_last_contacted')).toMatchObject({ type: 'dateTime' });
		expect(byId.get('preferred_contact_date')).toMatchObject({ type: 'string' });
		expect(byId.get('lifecyclestage')!.type).toBe('options');
		expect(byId.get('lifecyclestage')!.options).toContainEqual({
			name: 'Sales Qualified Lead',
			value: 'salesqualifiedlead',
		});
		// Read-only and calculated properties are not offered for writing.
		expect(byId.get('hs_object_id')).toMatchObject({ display: false, canBeUsedToMatch: true });
		expect(byId.get('hs_searchable_calculated_phone_number')!.display).toBe(false);

		const names = await runEditorMethod(
			harness.credentials,
			nodeType,
			node,
			nodeType.methods.loadOptions.getMergeFieldNames,
		);
		expect(names.map((n) => n.value)).toContain('last_call_summary');
		expect(names.map((n) => n.value)).not.toContain('hs_object_id');
	});

	it('loads the Salesforce Lead fields when the object is Lead', async () => {
		const { harness, nodeType, node } = nodeFor({
			crm: 'salesforce',
			salesforceAuthentication: 'clientCredentials',
			objectKind: 'lead',
		});
		const { fields } = await runEditorMethod(
			harness.credentials,
			nodeType,
			node,
			nodeType.methods.resourceMapping.getMergeFields,
		);
		const ids = fields.filter((f) => f.display).map((f) => f.id);
		expect(ids).toEqual(expect.arrayContaining(['Company', 'Status', 'LastName']));
		expect(fields.find((f) => f.id === 'Status')!.options!.map((o) => o.value)).toContain(
			'Working - Contacted',
		);
		expect(fields.find((f) => f.id === 'Email')!.canBeUsedToMatch).toBe(true);
	});
});
