/**
 * CRM Contact Field Merge suites: a fresh sandbox per test (the tests change seed records),
 * the node's parameters and workflow, and readers for its field changes and sync log.
 */
import type { IDataObject, INode, INodeType } from 'n8n-workflow';

import { CrmContactFieldMerge } from '../../../nodes/CrmContactFieldMerge/CrmContactFieldMerge.node';
import type { FieldChange, SyncLog } from '../../../nodes/shared/model';
import type { SandboxOptions } from '../../sandbox/server';
import { CHAT_MODEL_NODE, HarnessChatModelNode } from '../harness/chatModelNode';
import {
	SANDBOX_AUTH,
	sandboxHarness,
	singleNodeWorkflow,
	type SandboxCredentials,
	type SandboxCrm,
} from './packHarness';
import { sandboxPerTest, type SandboxRef } from './sandboxSuite';

export const MERGE_NODE = 'CRM Contact Field Merge';

/** A resource-mapper value as the editor saves it: "define below", no type conversion. */
export function mapper(value: IDataObject) {
	return {
		mappingMode: 'defineBelow',
		value,
		matchingColumns: [],
		schema: [],
		attemptToConvertTypes: false,
		convertFieldsToString: false,
	};
}

/** The node's parameters for one CRM, on contacts unless `extra` says otherwise. */
export function mergeParams(crm: SandboxCrm, extra: IDataObject): IDataObject {
	return { ...SANDBOX_AUTH[crm], objectKind: 'contact', ...extra };
}

export function mergeWorkflow(
	parameters: IDataObject,
	items: IDataObject[],
	credentials: SandboxCredentials,
	settings: Partial<Pick<INode, 'onError'>> = {},
) {
	return singleNodeWorkflow(
		MERGE_NODE,
		'crmContactFieldMerge',
		parameters,
		items,
		credentials,
		settings,
	);
}

export const changesOf = (json: IDataObject) =>
	(json.crm as { fieldChanges: FieldChange[] }).fieldChanges;
export const change = (json: IDataObject, field: string) =>
	changesOf(json).find((c) => c.field === field);
export const logsOf = (json: IDataObject) => json.syncLog as SyncLog[];
export const lastLog = (json: IDataObject) => logsOf(json).at(-1);

export interface MergeSuite extends SandboxRef {
	/** A harness with the merge node (and, given a chat model, the model sub-node) and sandbox credentials. */
	setup(model?: object): ReturnType<typeof sandboxHarness>;
}

/** Registers the suite's sandbox hooks (a fresh sandbox per test, with `options`); call it in the describe body. */
export function mergeSuite(options: Omit<SandboxOptions, 'port'> = {}): MergeSuite {
	const ref = sandboxPerTest(options);
	function setup(model?: object) {
		const nodes: Record<string, INodeType> = { crmContactFieldMerge: new CrmContactFieldMerge() };
		if (model) nodes[CHAT_MODEL_NODE] = new HarnessChatModelNode(model);
		return sandboxHarness(nodes, ref.sandbox.url);
	}
	// Object.assign keeps the ref's `sandbox` getter.
	return Object.assign(ref, { setup });
}
