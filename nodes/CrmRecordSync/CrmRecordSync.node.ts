import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { crmCredentialTests } from '../shared/node/credentialTests';
import { recordSyncCredentials, recordSyncProperties } from './description';
import { executeRecordSync } from './execute';
import { getSourceFields, getTargetFields } from './methods';

export class CrmRecordSync implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Record Sync',
		name: 'crmRecordSync',
		icon: { light: 'file:crmRecordSync.svg', dark: 'file:crmRecordSync.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ ($parameter["dryRun"] ? "Dry run: " : "") + $parameter["direction"] }}',
		description:
			'Copy contacts, leads, companies and deals from one CRM to another with per-field sync rules and echo suppression',
		defaults: { name: 'CRM Record Sync' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: recordSyncCredentials(),
		properties: recordSyncProperties,
	};

	methods = {
		loadOptions: { getSourceFields, getTargetFields },
		credentialTest: crmCredentialTests,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeRecordSync.call(this);
	}
}
