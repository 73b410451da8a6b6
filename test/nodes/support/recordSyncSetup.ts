/**
 * CRM Record Sync through n8n's real engine against a sandbox per test: the node with its own
 * link memory, lock and pending-create memory (tests do not share links through the process),
 * and a helper that runs one batch of items.
 */
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { CrmRecordSync } from '../../../nodes/CrmRecordSync/CrmRecordSync.node';
import { executeRecordSync } from '../../../nodes/CrmRecordSync/execute';
import { InProcessLinks } from '../../../nodes/CrmRecordSync/links';
import type { PendingCreate } from '../../../nodes/CrmRecordSync/logic/pendingCreate';
import { ExpiringMemory } from '../../../nodes/shared/coordination/expiringMemory';
import { InProcessKeyedLock } from '../../../nodes/shared/node/keyedLock';
import { SANDBOX_AUTH, jsonOf, sandboxHarness, singleNodeWorkflow } from './packHarness';
import { sandboxPerTest } from './sandboxSuite';

const NODE = 'CRM Record Sync';

/**
 * n8n calls `execute` with its own execution context as `this`, not the node instance: the
 * guards are closed over by an `execute` set per instance (a field read through `this` would
 * be undefined, and the run would fall back to the process-wide memories).
 */
export class IsolatedRecordSync extends CrmRecordSync {
	constructor() {
		super();
		const guards = {
			lock: new InProcessKeyedLock(),
			links: new InProcessLinks(),
			pending: new ExpiringMemory<PendingCreate>(60 * 60_000, 1_000),
		};
		this.execute = async function (this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
			return await executeRecordSync.call(this, guards);
		};
	}
}

export type SyncRule = 'twoWay' | 'preferTarget' | 'alwaysSource' | 'none';

export const mapping = (sourceField: string, targetField: string, rule: SyncRule = 'twoWay') => ({
	sourceField,
	targetField,
	rule,
});

/** Node parameters for a direction, with the sandbox authentication of every CRM. */
export function recordSyncParams(direction: string, extra: IDataObject): IDataObject {
	return {
		direction,
		hubspotAuthentication: SANDBOX_AUTH.hubspot.hubspotAuthentication,
		salesforceAuthentication: SANDBOX_AUTH.salesforce.salesforceAuthentication,
		objectKind: 'contact',
		...extra,
	};
}

export const syncOf = (json: IDataObject) => json.recordSync as IDataObject & { action: string };

/** Registers a sandbox per test; `run` sends one batch through one node (one per `setup`). */
export function recordSyncSuite() {
	const ref = sandboxPerTest();
	const setup = () => sandboxHarness({ crmRecordSync: new IsolatedRecordSync() }, ref.sandbox.url);
	async function run(
		h: ReturnType<typeof setup>,
		parameters: IDataObject,
		items: IDataObject[],
	): Promise<IDataObject[]> {
		const result = await h.harness.run(
			singleNodeWorkflow(NODE, 'crmRecordSync', parameters, items, h.credentials, {
				onError: 'continueRegularOutput',
			}),
		);
		return jsonOf(result, NODE, 0);
	}
	return { ref, setup, run };
}
