/**
 * CRM Timeline Sync in the editor: each task-type drop-down offers the target's own task type
 * list, read through the provider's describe (Salesforce Task `Type`, HubSpot `hs_task_type`).
 */
import type { INode } from 'n8n-workflow';

import { CrmTimelineSync } from '../../nodes/CrmTimelineSync/CrmTimelineSync.node';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { runEditorMethod } from './harness/editorMethods';
import { PACK, SANDBOX_AUTH, addSandboxCredentials, packHarness } from './support/packHarness';

describe('CRM Timeline Sync — editor methods', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	async function taskTypes(parameters: INode['parameters']) {
		const nodeType = new CrmTimelineSync();
		const harness = packHarness({ crmTimelineSync: nodeType });
		const node: INode = {
			id: 'timeline',
			name: 'CRM Timeline Sync',
			type: `${PACK}.crmTimelineSync`,
			typeVersion: 1,
			position: [0, 0],
			parameters,
			credentials: addSandboxCredentials(harness, sandbox.url),
		};
		return await runEditorMethod(
			harness.credentials,
			nodeType,
			node,
			nodeType.methods.loadOptions.getTaskTypes,
		);
	}

	it('HubSpot → Salesforce: the org\'s Task Type picklist (and "none")', async () => {
		const options = await taskTypes({
			direction: 'hubspotToSalesforce',
			salesforceAuthentication: SANDBOX_AUTH.salesforce.salesforceAuthentication,
		});
		expect(options.map((option) => option.value)).toEqual([
			'',
			'Call',
			'Email',
			'Meeting',
			'Send Letter',
			'Send Quote',
			'Other',
		]);
	});

	it('Salesforce → HubSpot: HubSpot task types by label', async () => {
		const options = await taskTypes({
			direction: 'salesforceToHubspot',
			hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
		});
		expect(options).toEqual(
			expect.arrayContaining([
				{ name: 'To-do', value: 'TODO' },
				{ name: 'Call', value: 'CALL' },
				{ name: 'Email', value: 'EMAIL' },
			]),
		);
	});

	it('HubSpot → Dynamics 365: no list (the type is free text)', async () => {
		const options = await taskTypes({
			direction: 'hubspotToDynamics',
			dynamicsAuthentication: SANDBOX_AUTH.dynamics.dynamicsAuthentication,
		});
		expect(options).toEqual([{ name: 'Dynamics 365 tasks have no type list', value: '' }]);
	});
});
