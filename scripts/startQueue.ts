/**
 * `npm run start:queue`: n8n in queue mode on this machine — Redis, PostgreSQL, the main
 * instance, a webhook processor and two workers, each n8n process with the pack installed —
 * plus the CRM sandbox, credentials and templates, as `npm start` sets them up. Everything is
 * throwaway: a fresh database each start, deleted on Ctrl-C.
 * Options (environment): N8N_PORT (main, default 5678), N8N_WEBHOOK_PORT (webhook processor,
 * default 5679), CRM_SYNC_WORKERS (default 2), CRM_SYNC_WORKER_CONCURRENCY (default 5),
 * CRM_SYNC_COORDINATION=local (measure without the shared locks and limits).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { curlLine, demoWebhook } from './runtime/curl';
import { LOCAL_OWNER } from './runtime/n8nApi';
import { isPortFree } from './runtime/ports';
import { startQueueStack, type QueueStack } from './runtime/queueStack';
import { findRepoRoot } from './runtime/repoRoot';

const say = (line: string): void => void process.stdout.write(`${line}\n`);

function portFrom(name: string, fallback: number): number {
	const raw = process.env[name];
	const port = raw === undefined || raw === '' ? fallback : Number(raw);
	if (!Number.isInteger(port) || port <= 0)
		throw new Error(`${name} must be a port number, got "${raw}"`);
	return port;
}

function countFrom(name: string, fallback: number): number {
	const raw = process.env[name];
	const count = raw === undefined || raw === '' ? fallback : Number(raw);
	if (!Number.isInteger(count) || count < 1)
		throw new Error(`${name} must be a whole number ≥ 1, got "${raw}"`);
	return count;
}

async function main(): Promise<void> {
	const repoRoot = findRepoRoot(__dirname, process.cwd());
	const port = portFrom('N8N_PORT', 5678);
	const webhookPort = portFrom('N8N_WEBHOOK_PORT', 5679);
	for (const [name, value] of [
		['N8N_PORT', port],
		['N8N_WEBHOOK_PORT', webhookPort],
	] as const) {
		if (!(await isPortFree(value)))
			throw new Error(
				`Port ${value} is busy (another n8n?). Stop it or run with ${name}=<free port> npm run start:queue`,
			);
	}
	const rootFolder = await mkdtemp(join(tmpdir(), 'crm-sync-queue-'));

	let stopStack: (() => Promise<void>) | undefined;
	let stopping = false;
	const shutdown = (signal: string): void => {
		if (stopping) return;
		stopping = true;
		say(
			`\n${signal}: stopping the workers, the webhook processor, n8n, PostgreSQL, Redis and the CRM sandbox...`,
		);
		const started = Date.now();
		void (stopStack?.() ?? Promise.resolve())
			.then(() => rm(rootFolder, { recursive: true, force: true }))
			.then(
				() => {
					say(`stopped. (${((Date.now() - started) / 1000).toFixed(1)} s)`);
					process.exit(0);
				},
				(error: unknown) => {
					process.stderr.write(`error while stopping: ${(error as Error).message}\n`);
					process.exit(1);
				},
			);
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
		process.on(signal, () => shutdown(signal));

	const coordination = process.env.CRM_SYNC_COORDINATION;
	const stack: QueueStack = await startQueueStack({
		repoRoot,
		rootFolder,
		n8nPort: port,
		webhookPort,
		sandboxPort: process.env.SANDBOX_PORT === undefined ? 0 : Number(process.env.SANDBOX_PORT),
		workers: countFrom('CRM_SYNC_WORKERS', 2),
		workerConcurrency: countFrom('CRM_SYNC_WORKER_CONCURRENCY', 5),
		env: coordination === undefined ? {} : { CRM_SYNC_COORDINATION: coordination },
		log: (line) => say(line),
		onStopReady: (stop) => {
			stopStack = stop;
		},
	});
	if (stopping) return;

	say('');
	say(
		`n8n editor:         ${stack.n8n.publicUrl}   (main instance: editor, API, polling triggers)`,
	);
	say(
		`login:              ${LOCAL_OWNER.email} / ${LOCAL_OWNER.password}   (fixed demo login, local instance only)`,
	);
	say(
		`webhook processor:  ${stack.webhook.publicUrl}/webhook/<path>   (queues production webhooks for the workers)`,
	);
	for (const worker of stack.workers)
		say(`${worker.name}:           pid ${worker.n8n.pid}, log ${worker.n8n.logFile}`);
	say(
		`Redis:              ${stack.redis.host}:${stack.redis.port}   PostgreSQL: ${stack.postgres.host}:${stack.postgres.port}/${stack.postgres.database}`,
	);
	say(
		`coordination:       ${coordination === 'local' ? 'in-process only (CRM_SYNC_COORDINATION=local)' : 'shared through Redis (locks, CRM rate limits, delivery claims)'}`,
	);
	say(`CRM sandbox:        ${stack.sandbox?.url ?? '(not started)'}`);
	for (const workflow of stack.workflows)
		say(
			`workflow:           ${workflow.name} (${workflow.active ? 'active' : 'inactive'}) ${stack.n8n.publicUrl}/workflow/${workflow.id}`,
		);
	const target = demoWebhook(stack.workflows);
	if (target !== undefined) {
		say(`Send a sample call to "${target.workflow.name}" through the webhook processor:`);
		say(
			curlLine(
				stack.webhook.publicUrl,
				target.webhook,
				join(repoRoot, 'scripts', 'demo', 'sample-call.json'),
				stack.webhookAuth,
			),
		);
	}
	say('Press Ctrl-C to stop (the database and logs are deleted).');
	const reason = await Promise.race([
		stack.n8n.exited.then((why) => `n8n main: ${why}`),
		stack.webhook.exited.then((why) => `webhook processor: ${why}`),
	]);
	if (!stopping) {
		process.stderr.write(`${reason} — stopped unexpectedly; see the logs under ${rootFolder}\n`);
		await stack.stop();
		process.exit(1);
	}
}

main().catch((error: unknown) => {
	process.stderr.write(
		`npm run start:queue failed: ${error instanceof Error ? error.message : String(error)}\n`,
	);
	process.exit(1);
});
