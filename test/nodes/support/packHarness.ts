/**
 * The engine harness loaded with this pack's nodes and credential types, plus helpers to
 * build small workflows (Items → node under test) and sandbox-backed credentials.
 */
import type { IDataObject, INode, INodeParameters, INodeType } from 'n8n-workflow';

import { CrmSyncAutochatApi } from '../../../credentials/CrmSyncAutochatApi.credentials';
import { CrmSyncDynamicsClientCredentialsApi } from '../../../credentials/CrmSyncDynamicsClientCredentialsApi.credentials';
import { CrmSyncDynamicsOAuth2Api } from '../../../credentials/CrmSyncDynamicsOAuth2Api.credentials';
import { CrmSyncHubSpotOAuth2Api } from '../../../credentials/CrmSyncHubSpotOAuth2Api.credentials';
import { CrmSyncHubSpotPrivateAppApi } from '../../../credentials/CrmSyncHubSpotPrivateAppApi.credentials';
import { CrmSyncSalesforceClientCredentialsApi } from '../../../credentials/CrmSyncSalesforceClientCredentialsApi.credentials';
import { CrmSyncSalesforceOAuth2Api } from '../../../credentials/CrmSyncSalesforceOAuth2Api.credentials';
import type { StoredCredential } from '../harness/credentialsHelper';
import { EngineHarness, HARNESS_ITEMS_TYPE, type HarnessRun } from '../harness/runWorkflow';

export const PACK = 'n8n-nodes-crm-sync';

export function packHarness(nodes: Record<string, INodeType>): EngineHarness {
	return new EngineHarness({
		nodeTypes: Object.fromEntries(
			Object.entries(nodes).map(([name, type]) => [`${PACK}.${name}`, type]),
		),
		credentialTypes: [
			new CrmSyncHubSpotOAuth2Api(),
			new CrmSyncHubSpotPrivateAppApi(),
			new CrmSyncSalesforceOAuth2Api(),
			new CrmSyncSalesforceClientCredentialsApi(),
			new CrmSyncDynamicsOAuth2Api(),
			new CrmSyncDynamicsClientCredentialsApi(),
			new CrmSyncAutochatApi(),
		],
	});
}

/** Sandbox credentials for each CRM, registered in the harness; returns the node `credentials` map. */
export function addSandboxCredentials(
	harness: EngineHarness,
	sandboxUrl: string,
): Record<string, { id: string; name: string }> {
	const entries: StoredCredential[] = [
		{
			id: 'hs',
			name: 'HubSpot sandbox',
			type: 'crmSyncHubSpotPrivateAppApi',
			data: {
				accessToken: 'pat-sandbox-token',
				useCustomHosts: true,
				apiBaseUrl: `${sandboxUrl}/hubspot`,
			},
		},
		{
			id: 'sf',
			name: 'Salesforce sandbox',
			type: 'crmSyncSalesforceClientCredentialsApi',
			data: {
				myDomainUrl: `${sandboxUrl}/salesforce`,
				clientId: 'sandbox-client',
				clientSecret: 'sandbox-secret',
			},
		},
		{
			id: 'dyn',
			name: 'Dynamics sandbox',
			type: 'crmSyncDynamicsClientCredentialsApi',
			data: {
				tenantId: 'sandbox-tenant',
				clientId: 'sandbox-client',
				clientSecret: 'sandbox-secret',
				orgUrl: `${sandboxUrl}/dynamics`,
				useCustomHosts: true,
				authorityUrl: `${sandboxUrl}/microsoft`,
			},
		},
		{
			id: 'ac',
			name: 'autoch.at sandbox',
			type: 'crmSyncAutochatApi',
			data: { baseUrl: `${sandboxUrl}/autochat/v1`, apiKey: 'ak_sandbox_key' },
		},
	];
	const map: Record<string, { id: string; name: string }> = {};
	for (const entry of entries)
		map[entry.type] = harness.addCredential(entry) as { id: string; name: string };
	return map;
}

let nodeCounter = 0;

/** Items → one node of the pack (by short name) with the given parameters. */
export function singleNodeWorkflow(
	nodeName: string,
	packNode: string,
	parameters: IDataObject,
	items: IDataObject[],
	credentials: Record<string, { id: string; name: string }>,
	settings: Partial<Pick<INode, 'onError'>> = {},
) {
	nodeCounter++;
	return {
		id: `wf-${packNode}`,
		nodes: [
			{
				id: `items-${nodeCounter}`,
				name: 'Items',
				type: HARNESS_ITEMS_TYPE,
				typeVersion: 1,
				position: [0, 0] as [number, number],
				parameters: { items: JSON.stringify(items) },
			},
			{
				id: `node-${nodeCounter}`,
				name: nodeName,
				type: `${PACK}.${packNode}`,
				typeVersion: 1,
				position: [200, 0] as [number, number],
				parameters,
				credentials,
				...settings,
			},
		] as INode[],
		connections: { Items: { main: [[{ node: nodeName, type: 'main' as const, index: 0 }]] } },
	};
}

export function jsonOf(run: HarnessRun, node: string, output = 0): IDataObject[] {
	return run.output(node)[output]?.map((item) => item.json) ?? [];
}

export interface ChainStep {
	name: string;
	packNode: string;
	parameters: IDataObject;
	settings?: Partial<Pick<INode, 'onError'>>;
	/** Output of the previous step to connect from (default 0). */
	fromOutput?: number;
}

/** Items → step 1 → step 2 ... (each step fed from the previous step's chosen output). */
export function chainWorkflow(
	items: IDataObject[],
	steps: ChainStep[],
	credentials: Record<string, { id: string; name: string }>,
) {
	nodeCounter++;
	const nodes: INode[] = [
		{
			id: `items-${nodeCounter}`,
			name: 'Items',
			type: HARNESS_ITEMS_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(items) },
		},
	];
	const connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: 'main'; index: number }>> }
	> = {};
	let previous = 'Items';
	steps.forEach((step, index) => {
		nodes.push({
			id: `step-${nodeCounter}-${index}`,
			name: step.name,
			type: `${PACK}.${step.packNode}`,
			typeVersion: 1,
			position: [200 * (index + 1), 0],
			parameters: step.parameters as INodeParameters,
			credentials,
			...(step.settings ?? {}),
		});
		const main: Array<Array<{ node: string; type: 'main'; index: number }>> = [];
		main[step.fromOutput ?? 0] = [{ node: step.name, type: 'main', index: 0 }];
		for (let i = 0; i < main.length; i++) main[i] ??= [];
		connections[previous] = { main };
		previous = step.name;
	});
	return { id: 'wf-chain', nodes, connections };
}

/** The CRMs `addSandboxCredentials` registers a credential for (the nodes' `crm` values). */
export type SandboxCrm = 'hubspot' | 'salesforce' | 'dynamics' | 'autochat';

/** Node parameters that pick each CRM with the credential type `addSandboxCredentials` registers. */
export const SANDBOX_AUTH = {
	hubspot: { crm: 'hubspot', hubspotAuthentication: 'privateApp' },
	salesforce: { crm: 'salesforce', salesforceAuthentication: 'clientCredentials' },
	dynamics: { crm: 'dynamics', dynamicsAuthentication: 'clientCredentials' },
	autochat: { crm: 'autochat', autochatAuthentication: 'apiKey' },
} as const satisfies Record<SandboxCrm, IDataObject>;

export type SandboxCredentials = ReturnType<typeof addSandboxCredentials>;

/** A harness with the given pack nodes and every sandbox credential registered. */
export function sandboxHarness(
	nodes: Record<string, INodeType>,
	sandboxUrl: string,
): { harness: EngineHarness; credentials: SandboxCredentials } {
	const harness = packHarness(nodes);
	return { harness, credentials: addSandboxCredentials(harness, sandboxUrl) };
}
