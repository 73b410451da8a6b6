/**
 * The queue-mode e2e harness: `npm run start:queue`'s stack (Redis, PostgreSQL, main, webhook
 * processor, workers) with random ports in a throwaway folder, plus helpers to tell which
 * worker ran an execution and to import template variants.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { waitForWebhook } from '../../scripts/runtime/n8nApi';
import {
	startQueueStack,
	type QueueStack,
	type QueueStackOptions,
} from '../../scripts/runtime/queueStack';
import { withCredentials, type WorkflowTemplate } from '../../scripts/runtime/workflows';
import { CRM_AUTH, REPO_ROOT, type WriterCrm } from './harness';

export interface E2eQueueStack extends QueueStack {
	rootFolder: string;
	teardown(): Promise<void>;
}

export async function startE2eQueueStack(
	options: Partial<Pick<QueueStackOptions, 'workers' | 'workerConcurrency' | 'env'>> = {},
): Promise<E2eQueueStack> {
	const rootFolder = await mkdtemp(join(tmpdir(), 'crm-sync-e2e-queue-'));
	const lines: string[] = [];
	try {
		const stack = await startQueueStack({
			repoRoot: REPO_ROOT,
			rootFolder,
			log: (line) => void lines.push(line),
			...options,
		});
		return {
			...stack,
			rootFolder,
			teardown: async () => {
				await stack.stop();
				if (process.env.E2E_KEEP !== '1') await rm(rootFolder, { recursive: true, force: true });
			},
		};
	} catch (error) {
		throw new Error(
			`queue-mode stack did not start (folder ${rootFolder}):\n${lines.slice(-20).join('\n')}\n${(error as Error).message}`,
		);
	}
}

/** Execution id → the worker that ran it, from each worker's log ("Worker started execution <id>"). */
export function executionWorkers(stack: Pick<QueueStack, 'workers'>): Map<string, string> {
	const owners = new Map<string, string>();
	for (const worker of stack.workers) {
		const log = readFileSync(worker.n8n.logFile, 'utf8');
		for (const match of log.matchAll(/Worker started execution (\d+) /g))
			owners.set(match[1], worker.name);
	}
	return owners;
}

/**
 * A shipped template switched to another CRM (as a user does in the editor), with `change`
 * applied to every node, imported and activated; its webhook (if any) under `path`.
 */
export async function importVariant(
	stack: QueueStack,
	file: string,
	options: {
		crm?: WriterCrm;
		path?: string;
		name: string;
		change?: (node: WorkflowTemplate['nodes'][number]) => WorkflowTemplate['nodes'][number];
	},
): Promise<string> {
	const template = JSON.parse(
		readFileSync(join(REPO_ROOT, 'workflows-templates', file), 'utf8'),
	) as WorkflowTemplate;
	const nodes = template.nodes.map((original) => {
		let node = original;
		if (node.type === 'n8n-nodes-base.webhook' && options.path !== undefined)
			node = {
				...node,
				webhookId: undefined,
				parameters: { ...node.parameters, path: options.path },
			};
		if (
			options.crm !== undefined &&
			node.type.startsWith('n8n-nodes-crm-sync.') &&
			'crm' in (node.parameters ?? {})
		) {
			const auth = CRM_AUTH[options.crm];
			node = {
				...node,
				parameters: { ...node.parameters, crm: options.crm, [auth.parameter]: auth.mode },
				credentials: { [auth.credential]: { name: auth.credential } },
			};
		}
		return options.change ? options.change(node) : node;
	});
	const { template: filled, missing } = withCredentials(
		{ ...template, name: options.name, nodes },
		stack.credentials,
	);
	if (missing.length > 0) throw new Error(`no sandbox credential for ${missing.join(', ')}`);
	const saved = await stack.api.request<{ id: string }>('POST', '/workflows', {
		name: filled.name,
		nodes: filled.nodes,
		connections: filled.connections,
		settings: filled.settings ?? { executionOrder: 'v1' },
	});
	await stack.api.request('POST', `/workflows/${saved.id}/activate`);
	if (options.path !== undefined) {
		for (const base of [stack.n8n.publicUrl, stack.webhook.publicUrl])
			await waitForWebhook(`${base.replace(/\/+$/, '')}/webhook/${options.path}`, 'POST');
	}
	return saved.id;
}
