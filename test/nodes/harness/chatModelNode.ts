/**
 * Sub-node support for the engine harness: a test-only language-model node whose
 * `supplyData` hands the engine a real LangChain chat model, and a helper that wires it to a
 * node's `ai_languageModel` input. n8n-core resolves it exactly as in n8n: the parent's
 * `getInputConnectionData` builds a SupplyDataContext for the connected node and calls its
 * `supplyData`.
 *
 * Register it like a pack node (the harness keys types by name):
 *   const modelNode = new HarnessChatModelNode(new RecordingChatModel({ responses: ['…'] }));
 *   packHarness({ crmQualificationGate: new CrmQualificationGate(), [CHAT_MODEL_NODE]: modelNode })
 * then `withLanguageModel(workflow, 'Gate')`. Set `modelNode.model` between runs to change answers.
 */
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import type { BaseMessage } from '@langchain/core/messages';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import {
	NodeConnectionTypes,
	type INode,
	type INodeType,
	type INodeTypeDescription,
	type SupplyData,
} from 'n8n-workflow';

import { PACK } from '../support/packHarness';

/** Short name to register the model node under in `packHarness`. */
export const CHAT_MODEL_NODE = 'harnessChatModel';

/** LangChain's FakeListChatModel (answers in order) that keeps every prompt it was sent. */
export class RecordingChatModel extends FakeListChatModel {
	/** One entry per model call: a "role: text" line per message. */
	readonly prompts: string[][] = [];

	async _generate(
		messages: BaseMessage[],
		options?: this['ParsedCallOptions'],
		runManager?: CallbackManagerForLLMRun,
	) {
		this.prompts.push(
			messages.map(
				(m) =>
					`${m.type}: ${typeof m.content === 'string' ? m.content : JSON.stringify(m.content)}`,
			),
		);
		return await super._generate(messages, options, runManager);
	}
}

export class HarnessChatModelNode implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Harness Chat Model',
		name: CHAT_MODEL_NODE,
		group: ['transform'],
		version: 1,
		description: 'Supplies a fixed LangChain chat model (test harness only)',
		defaults: { name: 'Model' },
		inputs: [],
		outputs: [NodeConnectionTypes.AiLanguageModel],
		outputNames: ['Model'],
		properties: [],
	};

	/** Number of times the engine asked this node for its model. */
	supplied = 0;

	constructor(public model?: object) {}

	// An arrow function: n8n calls supplyData with its SupplyDataContext as `this`, and the
	// model lives on the instance.
	supplyData = async (): Promise<SupplyData> => {
		if (!this.model) throw new Error('HarnessChatModelNode: no model set for this run');
		this.supplied++;
		return { response: this.model };
	};
}

interface WorkflowShape {
	nodes: INode[];
	connections: Record<
		string,
		Record<string, Array<Array<{ node: string; type: string; index: number }>>>
	>;
}

/** Adds the model node and connects it to `target`'s Model (ai_languageModel) input. */
export function withLanguageModel<T extends WorkflowShape>(
	workflow: T,
	target: string,
	modelName = 'Model',
): T {
	workflow.nodes.push({
		id: `model-${target}`,
		name: modelName,
		type: `${PACK}.${CHAT_MODEL_NODE}`,
		typeVersion: 1,
		position: [200, 200],
		parameters: {},
	});
	workflow.connections[modelName] = {
		[NodeConnectionTypes.AiLanguageModel]: [
			[{ node: target, type: NodeConnectionTypes.AiLanguageModel, index: 0 }],
		],
	};
	return workflow;
}
