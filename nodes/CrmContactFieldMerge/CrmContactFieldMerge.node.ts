import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { CHAT_MODEL_INPUT } from '../shared/ai/chatModel';
import { crmCredentials } from '../shared/descriptions/crmSelector';
import { crmCredentialTests } from '../shared/node/credentialTests';
import { FIELD_MERGE_CRMS, fieldMergeProperties } from './description';
import { executeFieldMerge } from './execute';
import { getMergeFieldNames, getMergeFields } from './methods';

export class CrmContactFieldMerge implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Contact Field Merge',
		name: 'crmContactFieldMerge',
		icon: { light: 'file:crmContactFieldMerge.svg', dark: 'file:crmContactFieldMerge.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ ($parameter["dryRun"] ? "Dry run: " : "Merge into ") + $parameter["crm"] }}',
		description:
			'Write call analysis and contact values into CRM fields with per-field update modes',
		defaults: { name: 'CRM Contact Field Merge' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main, CHAT_MODEL_INPUT],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Updated', 'No Match'],
		credentials: crmCredentials(FIELD_MERGE_CRMS),
		properties: fieldMergeProperties,
	};

	methods = {
		loadOptions: { getMergeFieldNames },
		resourceMapping: { getMergeFields },
		credentialTest: crmCredentialTests,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeFieldMerge.call(this);
	}
}
