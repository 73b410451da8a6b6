/**
 * Runs a polling trigger the way n8n's poll executor does, in-process: n8n-core's real
 * PollContext and TriggersAndPollers.runPollFunction, inside the poll staging scope, with
 * `__emit` for a non-null result and the cursor commit for a null one. The workflow's static
 * data is persisted between polls as n8n stores it for an active workflow (trigger mode);
 * a manual test run is never persisted, and its static data is returned for inspection.
 */
import {
	LoadOptionsContext,
	PollContext,
	TriggersAndPollers,
	commitStagedCursor,
	runPollInStagingScope,
} from 'n8n-core';
import {
	Workflow,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { harnessAdditionalData } from './additionalData';
import { SingleNodeTypes } from './singleNodeTypes';

import type { HarnessCredentialsHelper } from './credentialsHelper';

export interface PollOptions {
	/** `trigger` (an active workflow's scheduled poll, the default) or `manual` (the editor's test). */
	mode?: 'trigger' | 'manual';
	/** What `getPollBudgetMs()` answers; omitted = n8n-core's default. */
	budgetMs?: number;
}

export interface PollResult {
	/** What poll() returned (null = nothing new). */
	output: INodeExecutionData[][] | null;
	/** Items n8n would start an execution with. */
	items: INodeExecutionData[];
	/** Whether the engine committed the cursor of an empty poll. */
	committed: boolean;
	/** The node's static data as the poll left it (persisted only in trigger mode). */
	nodeStaticData: IDataObject;
}

function plain(data: IDataObject): IDataObject {
	// n8n wraps static data in an observable proxy; keep a plain copy like its database does.
	const copy = JSON.parse(JSON.stringify(data)) as IDataObject;
	delete copy.__dataChanged;
	return copy;
}

/** One polling node of one workflow, polled again and again like n8n's scheduler does. */
export class PollRunner {
	/** The workflow's stored static data (what n8n keeps in its database between polls). */
	staticData: IDataObject = {};
	private readonly nodeTypes: SingleNodeTypes;

	constructor(
		private readonly credentials: HarnessCredentialsHelper,
		typeName: string,
		private readonly nodeType: INodeType,
		private readonly node: INode,
	) {
		this.nodeTypes = new SingleNodeTypes(typeName, nodeType, 'poll');
	}

	async poll(options: PollOptions = {}): Promise<PollResult> {
		const mode = options.mode ?? 'trigger';
		const workflow = new Workflow({
			id: 'poll-harness-workflow',
			name: 'poll harness',
			nodes: [{ ...this.node, parameters: { ...this.node.parameters } }],
			connections: {},
			active: mode === 'trigger',
			nodeTypes: this.nodeTypes,
			staticData: plain(this.staticData),
			settings: { executionOrder: 'v1' },
		});
		const node = workflow.getNode(this.node.name) as INode;
		let emitted: INodeExecutionData[][] | undefined;
		let emittedError: Error | undefined;
		let committed = false;
		const context = new PollContext(
			workflow,
			node,
			this.additionalData(),
			mode,
			mode === 'manual' ? 'manual' : 'activate',
			(data) => {
				emitted = data;
			},
			(error) => {
				emittedError = error;
			},
			async () => {
				committed = true;
			},
			undefined,
			undefined,
			options.budgetMs === undefined ? undefined : () => options.budgetMs as number,
		);

		let output: INodeExecutionData[][] | null = null;
		await runPollInStagingScope(context, async () => {
			output = await new TriggersAndPollers().runPollFunction(workflow, node, context);
			if (output !== null) context.__emit(output);
			else if (mode === 'trigger') await commitStagedCursor(context);
		});
		if (emittedError) throw emittedError;

		const after = plain(workflow.staticData);
		if (mode === 'trigger') this.staticData = after;
		return {
			output,
			items: emitted?.[0] ?? [],
			committed,
			nodeStaticData: (after[`node:${node.name}`] as IDataObject | undefined) ?? {},
		};
	}

	/**
	 * Runs one of the node's loadOptions methods the way the editor's drop-down does: n8n-core's
	 * LoadOptionsContext with the node's current parameters.
	 */
	async loadOptions(method: string): Promise<INodePropertyOptions[]> {
		const load = this.nodeType.methods?.loadOptions?.[method];
		if (!load) throw new Error(`the node has no loadOptions method "${method}"`);
		const workflow = new Workflow({
			id: 'poll-harness-workflow',
			name: 'poll harness',
			nodes: [{ ...this.node, parameters: { ...this.node.parameters } }],
			connections: {},
			active: false,
			nodeTypes: this.nodeTypes,
			settings: { executionOrder: 'v1' },
		});
		const node = workflow.getNode(this.node.name) as INode;
		const additionalData = {
			...this.additionalData(),
			currentNodeParameters: node.parameters,
		} as IWorkflowExecuteAdditionalData;
		return await load.call(new LoadOptionsContext(workflow, node, additionalData, 'parameters'));
	}

	/** Changes the node's parameters for later polls (the user editing the node); static data stays. */
	setParameters(patch: IDataObject): void {
		Object.assign(this.node.parameters, patch);
	}

	/** The node's stored static data (`node:<name>`), as the next poll will see it. */
	nodeState(): IDataObject {
		return (this.staticData[`node:${this.node.name}`] as IDataObject | undefined) ?? {};
	}

	private additionalData(): IWorkflowExecuteAdditionalData {
		return harnessAdditionalData(this.credentials, 'poll');
	}
}
