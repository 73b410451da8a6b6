/**
 * Runs a node's editor methods (loadOptions, resourceMapping) the way the n8n editor's
 * backend does: n8n-core's real LoadOptionsContext over a one-node workflow holding the
 * node's current parameters, with the harness's credentials.
 */
import { LoadOptionsContext } from 'n8n-core';
import {
	Workflow,
	type ILoadOptionsFunctions,
	type INode,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import type { HarnessCredentialsHelper } from './credentialsHelper';

class OneNodeType implements INodeTypes {
	constructor(
		private readonly typeName: string,
		private readonly nodeType: INodeType,
	) {}

	getByName(name: string): INodeType {
		if (name !== this.typeName) throw new Error(`node type "${name}" is not registered`);
		return this.nodeType;
	}

	getByNameAndVersion(name: string): INodeType {
		return this.getByName(name);
	}

	getKnownTypes() {
		return {};
	}
}

/** Calls `method` with a LoadOptionsContext for `node` (its `type` must be `typeName`). */
export async function runEditorMethod<T>(
	credentials: HarnessCredentialsHelper,
	nodeType: INodeType,
	node: INode,
	method: (this: ILoadOptionsFunctions) => Promise<T>,
): Promise<T> {
	const workflow = new Workflow({
		id: 'editor-harness-workflow',
		name: 'editor harness',
		nodes: [{ ...node, parameters: { ...node.parameters } }],
		connections: {},
		active: false,
		nodeTypes: new OneNodeType(node.type, nodeType),
		settings: { executionOrder: 'v1' },
	});
	const current = workflow.getNode(node.name) as INode;
	const unsupported = async () => {
		throw new Error('not available in the editor harness');
	};
	const additionalData = {
		credentialsHelper: credentials,
		executeWorkflow: unsupported,
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		currentNodeExecutionIndex: 0,
		currentNodeParameters: current.parameters,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		variables: {},
		logAiEvent: () => undefined,
		startRunnerTask: unsupported,
	} as unknown as IWorkflowExecuteAdditionalData;
	return await method.call(new LoadOptionsContext(workflow, current, additionalData, 'parameters'));
}
