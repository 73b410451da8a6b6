/**
 * Executes a workflow JSON through n8n's real engine (n8n-core WorkflowExecute) in-process,
 * with the pack's node types registered, credentials injected and the processed-items store
 * held in memory. Returns every node's output so tests can assert items, paired items and
 * error outputs without starting an n8n server.
 */
import { DataDeduplicationService, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	Workflow,
	createRunExecutionData,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IVersionedNodeType,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { harnessAdditionalData } from './additionalData';
import { HarnessCredentialsHelper, type StoredCredential } from './credentialsHelper';
import { InMemoryDeduplicator } from './dedup';

/** Start node: emits the items given in its `items` parameter (JSON array). */
export class HarnessItemsNode implements INodeType {
	description = {
		displayName: 'Harness Items',
		name: 'harnessItems',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items (test harness only)',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json' as const, default: '[]' }],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json, index) => ({ json, pairedItem: { item: index } }))];
	}
}

export const HARNESS_ITEMS_TYPE = 'harness.items';

class NodeTypeRegistry implements INodeTypes {
	constructor(private readonly types: Map<string, INodeType | IVersionedNodeType>) {}

	getByName(name: string): INodeType | IVersionedNodeType {
		const type = this.types.get(name);
		if (!type) throw new Error(`node type "${name}" is not registered in the harness`);
		return type;
	}

	getByNameAndVersion(name: string, version?: number): INodeType {
		const type = this.getByName(name);
		return 'nodeVersions' in type ? type.getNodeType(version) : type;
	}

	getKnownTypes() {
		return {};
	}
}

export interface HarnessOptions {
	/** Node types by the type name used in workflow JSON, e.g. `n8n-nodes-crm-sync.crmLink`. */
	nodeTypes: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes?: ICredentialType[];
}

export interface WorkflowJson {
	id?: string;
	nodes: INode[];
	connections: IConnections;
	staticData?: IDataObject;
}

export interface HarnessRun {
	run: IRun;
	/** Output items of a node's first run, per output index. */
	output(nodeName: string): INodeExecutionData[][];
	/** The error a node threw, if it failed. */
	error(nodeName: string): Error | undefined;
	staticData: IDataObject;
}

/** Started once per process; concurrent first runs share it (n8n-core refuses a second init). */
let dedupInit: Promise<void> | undefined;
const deduplicator = new InMemoryDeduplicator();

/** A harness shares its credential store and processed-items store across runs, like one n8n instance. */
export class EngineHarness {
	readonly credentials: HarnessCredentialsHelper;
	readonly processedItems = deduplicator;
	private readonly nodeTypes: NodeTypeRegistry;

	constructor(options: HarnessOptions) {
		this.credentials = new HarnessCredentialsHelper(options.credentialTypes ?? []);
		this.nodeTypes = new NodeTypeRegistry(
			new Map<string, INodeType | IVersionedNodeType>([
				[HARNESS_ITEMS_TYPE, new HarnessItemsNode()],
				...Object.entries(options.nodeTypes),
			]),
		);
		deduplicator.reset();
	}

	addCredential(credential: StoredCredential) {
		return this.credentials.add(credential);
	}

	async run(workflowJson: WorkflowJson, startNode?: string): Promise<HarnessRun> {
		dedupInit ??= DataDeduplicationService.init(deduplicator);
		await dedupInit;
		const workflow = new Workflow({
			id: workflowJson.id ?? 'harness-workflow',
			name: 'harness',
			nodes: workflowJson.nodes,
			connections: workflowJson.connections,
			active: false,
			nodeTypes: this.nodeTypes,
			staticData: workflowJson.staticData ?? {},
			settings: { executionOrder: 'v1' },
		});
		const additionalData = this.additionalData(workflow);
		const execute = new WorkflowExecute(additionalData, 'manual', createRunExecutionData());
		const first =
			startNode ??
			workflowJson.nodes.find((n) => n.type === HARNESS_ITEMS_TYPE)?.name ??
			workflowJson.nodes[0].name;
		const run = await execute.run({ workflow, startNode: workflow.getNode(first) ?? undefined });
		const runData = run.data.resultData.runData;
		return {
			run,
			staticData: workflow.staticData,
			output: (name) => {
				const task = runData[name]?.[0];
				if (!task) throw new Error(`node "${name}" did not run`);
				return (task.data?.main ?? []).map((items) => items ?? []);
			},
			error: (name) => runData[name]?.[0]?.error,
		};
	}

	private additionalData(workflow: Workflow): IWorkflowExecuteAdditionalData {
		const hooks = new ExecutionLifecycleHooks('manual', 'harness-execution', {
			id: workflow.id,
			name: 'harness',
			active: false,
			activeVersionId: null,
			isArchived: false,
			createdAt: new Date(),
			updatedAt: new Date(),
			nodes: Object.values(workflow.nodes),
			connections: workflow.connectionsBySourceNode,
		});
		return harnessAdditionalData(this.credentials, 'in-process', { hooks });
	}
}
