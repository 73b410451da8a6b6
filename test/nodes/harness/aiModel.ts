/**
 * A test-only chat model sub-node: its `supplyData` returns LangChain's own FakeListChatModel
 * (from @langchain/core's testing helpers) answering the given responses in order, so a node's
 * `getInputConnectionData('ai_languageModel', 0)` runs through n8n-core's real sub-node path
 * (SupplyDataContext) and gets a real LangChain chat model. Prompts are recorded for asserts.
 */
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseMessage } from '@langchain/core/messages';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import {
	NodeConnectionTypes,
	type INode,
	type INodeType,
	type INodeTypeDescription,
	type ISupplyDataFunctions,
	type SupplyData,
} from 'n8n-workflow';

import type { WorkflowJson } from './runWorkflow';

/** Every prompt the stub models received, as "role: text" lines per call. */
export const stubModelPrompts: string[][] = [];

class RecordingChatModel extends FakeListChatModel {
	async _generate(messages: BaseMessage[], options?: this['ParsedCallOptions'], runManager?: CallbackManagerForLLMRun) {
		stubModelPrompts.push(messages.map((message) => `${message.type}: ${typeof message.content === 'string' ? message.content : JSON.stringify(message.content)}`));
		return await super._generate(messages, options, runManager);
	}
}

export class StubChatModelNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Stub Chat Model',
		name: 'stubChatModel',
		group: ['transform'],
		version: 1,
		description: 'Answers with fixed responses (test harness only)',
		defaults: { name: 'Stub Chat Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		properties: [{ displayName: 'Responses', name: 'responses', type: 'json', default: '[]' }],
	};

	async supplyData(this: ISupplyDataFunctions): Promise<SupplyData> {
		const raw = this.getNodeParameter('responses', 0) as string | string[];
		const responses = (typeof raw === 'string' ? JSON.parse(raw) : raw) as string[];
		return { response: new RecordingChatModel({ responses }) };
	}
}

/** Adds a stub chat model node (registered under `modelType`) feeding `targetNode`'s Chat Model input. */
export function withStubChatModel(workflow: WorkflowJson, targetNode: string, responses: string[], modelType: string): WorkflowJson {
	const name = 'Stub Chat Model';
	const model: INode = {
		id: `stub-model-${targetNode}`,
		name,
		type: modelType,
		typeVersion: 1,
		position: [200, 200],
		parameters: { responses: JSON.stringify(responses) },
	};
	return {
		...workflow,
		nodes: [...workflow.nodes, model],
		connections: {
			...workflow.connections,
			[name]: { [NodeConnectionTypes.AiLanguageModel]: [[{ node: targetNode, type: NodeConnectionTypes.AiLanguageModel, index: 0 }]] },
		},
	};
}
