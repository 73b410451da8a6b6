import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { crmCredentials } from '../shared/descriptions/crmSelector';
import { crmCredentialTests } from '../shared/node/credentialTests';
import { actionItemsToTasksProperties, TASK_CRMS } from './description';
import { executeActionItemsToTasks } from './execute';

export class CrmActionItemsToTasks implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Action Items → Tasks',
		name: 'crmActionItemsToTasks',
		icon: { light: 'file:crmActionItemsToTasks.svg', dark: 'file:crmActionItemsToTasks.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ "Tasks in " + $parameter["crm"] }}',
		description:
			"Create one CRM task per action item detected in a call, for the call's matched records",
		defaults: { name: 'CRM Action Items → Tasks' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: crmCredentials(TASK_CRMS),
		properties: actionItemsToTasksProperties,
	};

	methods = { credentialTest: crmCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeActionItemsToTasks.call(this);
	}
}
