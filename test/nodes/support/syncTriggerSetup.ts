/**
 * CRM Sync Trigger suites: a clocked sandbox, a PollRunner for the trigger on one CRM, and a
 * helper that plants person records in that CRM's own field names.
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { CrmSyncTrigger } from '../../../nodes/CrmSyncTrigger/CrmSyncTrigger.node';
import type { SandboxOptions } from '../../sandbox/server';
import type { StoredCredential } from '../harness/credentialsHelper';
import { PollRunner } from '../harness/runPoll';
import { PACK, SANDBOX_AUTH, sandboxHarness, type SandboxCrm } from './packHarness';
import { clockedSandbox, type ClockedSandboxRef } from './sandboxSuite';

/** One emitted record as the suites read it; fields a CRM does not have are simply absent. */
export type SyncedRecord = {
	crmId: string;
	objectType: string;
	phone: string | null;
	phoneReason?: string;
	firstName: string | null;
	lastName: string | null;
	email: string | null;
	doNotCall: boolean | null;
	fields: Record<string, unknown>;
	updatedAt: string;
	syncLog: Array<{
		crm: string;
		operation: string;
		status: string;
		apiCalls: number;
		reason?: string;
		target?: { type: string; id: string };
	}>;
};

export const contacts = (items: Array<{ json: IDataObject }>) =>
	items.map((item) => item.json as unknown as SyncedRecord);

export interface SyncTriggerCrm {
	crm: SandboxCrm;
	/** Parameters every runner of the suite starts from (object type, default country ...). */
	parameters: IDataObject;
	sandbox?: Omit<SandboxOptions, 'port' | 'now'>;
	/** Person `i` of a planted batch, in the CRM's field names; needed only by `plant`. */
	person?: (prefix: string, i: number) => IDataObject;
}

export interface SyncTriggerSuite extends ClockedSandboxRef {
	/** A new trigger (fresh static data); `credentialData` patches a sandbox credential by type. */
	runner(
		parameters?: IDataObject,
		credentialData?: Record<string, StoredCredential['data']>,
	): PollRunner;
	/** Stores `count` people at the current clock and returns their ids in order. */
	plant(
		objectType: string,
		count: number,
		prefix: string,
		extra?: (i: number) => IDataObject,
	): string[];
}

/** Registers the suite's sandbox hooks; call it in the describe body. */
export function syncTriggerSuite(config: SyncTriggerCrm): SyncTriggerSuite {
	const ref = clockedSandbox(config.sandbox);
	const type = `${PACK}.crmSyncTrigger`;

	function runner(
		parameters: IDataObject = {},
		credentialData: Record<string, StoredCredential['data']> = {},
	): PollRunner {
		const { harness, credentials } = sandboxHarness(
			{ crmSyncTrigger: new CrmSyncTrigger() },
			ref.sandbox.url,
		);
		for (const [credentialType, data] of Object.entries(credentialData)) {
			const stored = harness.credentials.stored(credentials[credentialType].id)!;
			stored.data = { ...stored.data, ...data };
		}
		const node: INode = {
			id: `sync-trigger-${config.crm}`,
			name: 'CRM Sync Trigger',
			type,
			typeVersion: 1,
			position: [0, 0],
			parameters: { ...SANDBOX_AUTH[config.crm], ...config.parameters, ...parameters },
			credentials,
		};
		return new PollRunner(harness.credentials, type, new CrmSyncTrigger(), node);
	}

	function plant(
		objectType: string,
		count: number,
		prefix: string,
		extra: (i: number) => IDataObject = () => ({}),
	): string[] {
		const { person } = config;
		if (!person) throw new Error(`syncTriggerSuite(${config.crm}): plant needs a person template`);
		const rows = Array.from({ length: count }, (_, i) => ({ ...person(prefix, i), ...extra(i) }));
		return ref.sandbox.admin.putRecords(config.crm, objectType, rows).map((record) => record.id);
	}

	// Object.assign keeps the ref's `sandbox` getter and its mutable `clock` on the same object.
	return Object.assign(ref, { runner, plant });
}
