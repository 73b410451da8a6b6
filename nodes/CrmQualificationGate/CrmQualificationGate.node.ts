import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { CHAT_MODEL_INPUT } from '../shared/ai/chatModel';
import { qualificationGateProperties } from './description';
import { executeQualificationGate } from './execute';

export class CrmQualificationGate implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'CRM Qualification Gate',
		name: 'crmQualificationGate',
		icon: { light: 'file:crmQualificationGate.svg', dark: 'file:crmQualificationGate.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["mode"] === "aiReview" ? "AI review" : "Rules" }}',
		description:
			'Decide whether a lead may sync to the CRM: qualified (provisional), unqualified or pending, with an optional AI review',
		defaults: { name: 'CRM Qualification Gate' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main, CHAT_MODEL_INPUT],
		outputs: [NodeConnectionTypes.Main, NodeConnectionTypes.Main, NodeConnectionTypes.Main],
		outputNames: ['Qualified', 'Unqualified', 'Pending'],
		properties: qualificationGateProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await executeQualificationGate.call(this);
	}
}
