import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CredentialMap } from './credentials';
import { N8nHttpError, restCall, waitForWebhook, type N8nApi, type OwnerSession } from './n8nApi';
import { waitFor } from './waitFor';

/** The parts of an exported workflow JSON the runtime reads. */
export interface WorkflowNode {
	name: string;
	type: string;
	parameters?: Record<string, unknown>;
	credentials?: Record<string, { id?: string; name?: string }>;
	webhookId?: string;
	[key: string]: unknown;
}

export interface WorkflowTemplate {
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	staticData?: unknown;
}

export interface WebhookEndpoint {
	node: string;
	method: string;
	/** `<publicBase>/webhook/<path>` */
	path: string;
}

export interface ImportedWorkflow {
	id: string;
	name: string;
	file: string;
	active: boolean;
	/** Credential types a node asked for that the map did not have (the node stays unconfigured). */
	missingCredentials: string[];
	webhooks: WebhookEndpoint[];
}

const NOT_ACTIVATABLE = new Set([
	'n8n-nodes-base.manualTrigger',
	'n8n-nodes-base.executeWorkflowTrigger',
]);

/** A workflow can be activated when it has a trigger that runs on its own (webhook, poll, event). */
export function isActivatable(template: WorkflowTemplate): boolean {
	return template.nodes.some(
		(node) => !NOT_ACTIVATABLE.has(node.type) && /(trigger|webhook)$/i.test(node.type),
	);
}

/** Production webhook paths of n8n's Webhook nodes (`/webhook/<path>`). */
export function webhookEndpoints(template: WorkflowTemplate): WebhookEndpoint[] {
	return template.nodes
		.filter((node) => node.type === 'n8n-nodes-base.webhook')
		.map((node) => {
			const params = node.parameters ?? {};
			const path =
				typeof params.path === 'string' && params.path.length > 0 ? params.path : node.webhookId;
			const method = typeof params.httpMethod === 'string' ? params.httpMethod : 'GET';
			return path === undefined
				? undefined
				: { node: node.name, method, path: `webhook/${path.replace(/^\/+/, '')}` };
		})
		.filter((endpoint): endpoint is WebhookEndpoint => endpoint !== undefined);
}

/**
 * Templates name the credential *types* their nodes need but never carry ids (they are
 * per-instance). Each one is pointed at the map's credential of that type.
 */
export function withCredentials(
	template: WorkflowTemplate,
	credentials: CredentialMap,
): { template: WorkflowTemplate; missing: string[] } {
	const missing = new Set<string>();
	const nodes = template.nodes.map((node) => {
		if (node.credentials === undefined) return node;
		const filled: Record<string, { id: string; name: string }> = {};
		for (const type of Object.keys(node.credentials)) {
			const credential = credentials[type];
			if (credential === undefined) missing.add(type);
			else filled[type] = { id: credential.id, name: credential.name };
		}
		return { ...node, credentials: filled };
	});
	return { template: { ...template, nodes }, missing: [...missing] };
}

/** Only the fields the public API accepts on create/update (it refuses id, active, tags, pinData...). */
function apiBody(template: WorkflowTemplate): WorkflowTemplate {
	return {
		name: template.name,
		nodes: template.nodes,
		connections: template.connections,
		settings: template.settings ?? { executionOrder: 'v1' },
		...(template.staticData === undefined || template.staticData === null
			? {}
			: { staticData: template.staticData }),
	};
}

export async function readTemplates(
	dir: string,
): Promise<Array<{ file: string; template: WorkflowTemplate }>> {
	const files = (await readdir(dir)).filter((file) => file.endsWith('.json')).sort();
	const templates: Array<{ file: string; template: WorkflowTemplate }> = [];
	for (const file of files) {
		const parsed = JSON.parse(await readFile(join(dir, file), 'utf8')) as Partial<WorkflowTemplate>;
		if (
			typeof parsed.name !== 'string' ||
			!Array.isArray(parsed.nodes) ||
			typeof parsed.connections !== 'object'
		) {
			throw new Error(`${file} is not an n8n workflow export (needs name, nodes, connections)`);
		}
		templates.push({ file: basename(file), template: parsed as WorkflowTemplate });
	}
	return templates;
}

/**
 * Imports every `*.json` of `dir` through the public API and activates the ones with a trigger
 * (resolving once their webhooks answer and, given the owner session, the imported version is live).
 * A workflow of the same name is updated instead of duplicated, so a restarted demo stays clean.
 */
export async function importWorkflows(
	api: N8nApi,
	dir: string,
	credentials: CredentialMap,
	session?: OwnerSession,
): Promise<ImportedWorkflow[]> {
	const existing = await api.list<{ id: string; name: string }>('/workflows');
	const imported: ImportedWorkflow[] = [];
	for (const { file, template: raw } of await readTemplates(dir)) {
		const { template, missing } = withCredentials(raw, credentials);
		const body = apiBody(template);
		const previous = existing.find((workflow) => workflow.name === template.name);
		const saved = previous
			? await api.request<{ id: string; versionId: string }>(
					'PUT',
					`/workflows/${previous.id}`,
					body,
				)
			: await api.request<{ id: string; versionId: string }>('POST', '/workflows', body);
		let active = false;
		if (isActivatable(template)) {
			try {
				await api.request('POST', `/workflows/${saved.id}/activate`);
				active = true;
			} catch (error) {
				throw new Error(`Imported ${file} but could not activate it: ${(error as Error).message}`);
			}
		}
		// A restarted demo re-publishes an updated template: its old version answers until then.
		if (active && session) await waitForPublication(session, saved.id, saved.versionId);
		const webhooks = webhookEndpoints(template);
		// Activation returns before the webhook is registered (~0.2 s later): callers may post at once.
		if (active)
			for (const webhook of webhooks)
				await waitForWebhook(`${api.baseUrl}/${webhook.path}`, webhook.method);
		imported.push({
			id: saved.id,
			name: template.name,
			file,
			active,
			missingCredentials: missing,
			webhooks,
		});
	}
	return imported;
}

interface PublicationStatus {
	status: string;
	liveVersionId: string | null;
	pendingVersionId: string | null;
}

/**
 * n8n 2.x applies an activation in the background (its publication outbox): until then an
 * active workflow's webhooks keep running the previously published version. Resolves once
 * `versionId` is the live one. n8n 1.x has no publication status and activates in the request.
 */
export async function waitForPublication(
	session: OwnerSession,
	workflowId: string,
	versionId: string,
	timeoutMs = 30_000,
): Promise<void> {
	await waitFor(
		async () => {
			let status: PublicationStatus;
			try {
				status = await restCall<PublicationStatus>(
					session,
					'GET',
					`/workflows/${encodeURIComponent(workflowId)}/publication-status`,
				);
			} catch (error) {
				if (error instanceof N8nHttpError && error.status === 404) return true;
				throw error;
			}
			return status.status !== 'in_progress' && status.liveVersionId === versionId
				? true
				: undefined;
		},
		{
			timeoutMs,
			intervalMs: 100,
			what: `version ${versionId} of workflow ${workflowId} to go live`,
		},
	);
}
