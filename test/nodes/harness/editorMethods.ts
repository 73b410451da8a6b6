/**
 * Runs a node's editor methods (loadOptions, resourceMapping) the way the n8n editor's
 * backend does: n8n-core's real LoadOptionsContext over a one-node workflow holding the
 * node's current parameters, with the harness's credentials.
 */
import { LoadOptionsContext } from 'n8n-core';
import { Workflow, type ILoadOptionsFunctions, type INode, type INodeType } from 'n8n-workflow';

import { harnessAdditionalData } from './additionalData';
import type { HarnessCredentialsHelper } from './credentialsHelper';
import { SingleNodeTypes } from './singleNodeTypes';

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
		nodeTypes: new SingleNodeTypes(node.type, nodeType, 'editor'),
		settings: { executionOrder: 'v1' },
	});
	const current = workflow.getNode(node.name) as INode;
	const additionalData = harnessAdditionalData(credentials, 'editor', {
		currentNodeParameters: current.parameters,
	});
	return await method.call(new LoadOptionsContext(workflow, current, additionalData, 'parameters'));
}
