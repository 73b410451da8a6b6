import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { crmCredentialTests } from '../shared/node/credentialTests';
import { timelineSyncCredentials, timelineSyncProperties } from './description';
import { executeTimelineSync } from './execute';
import { getTaskTypes } from './methods';

export class CrmTimelineSync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Timeline Sync',
		name: 'crmTimelineSync',
		icon: { light: 'file:crmTimelineSync.svg', dark: 'file:crmTimelineSync.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["direction"] }}',
		description:
			'Copy timeline activities (calls, meetings, notes, emails) from one CRM as completed tasks in another, each once, with a task type per activity type',
		defaults: { name: 'CRM Timeline Sync' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: timelineSyncCredentials(),
		properties: timelineSyncProperties,
	};

	methods = { loadOptions: { getTaskTypes }, credentialTest: crmCredentialTests };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeTimelineSync.call(this);
	}
}
