/**
 * n8n in queue mode on one machine, with the pack installed on every process: Redis and
 * PostgreSQL (throwaway local instances from the machine's packages), the main instance (editor,
 * API, triggers that poll), a webhook processor (`n8n webhook`) and workers (`n8n worker`) that
 * run the executions — plus everything `npm start` sets up (sandbox, owner, credentials,
 * templates) through the same startStack. Each n8n process has its own user folder with the
 * pack linked into it, as separate machines or containers would.
 */
import { join, resolve } from 'node:path';

import { freePorts } from './ports';
import {
	startPostgres,
	startRedis,
	type PostgresHandle,
	type ServiceHandle,
} from './queueServices';
import { startStack, type Stack, type StackOptions } from './stack';
import { startN8n, type N8nHandle } from './startN8n';

export interface QueueStackOptions extends Omit<StackOptions, 'userFolder'> {
	/** Holds one user folder per n8n process (main, webhook, worker-1 ...). */
	rootFolder: string;
	/** Workers to start (default 2). */
	workers?: number;
	/** Executions each worker runs at once (default 5, the least n8n recommends). */
	workerConcurrency?: number;
	/** 0 or undefined = a free port. */
	webhookPort?: number;
}

export interface QueueWorker {
	name: string;
	n8n: N8nHandle;
}

export interface QueueStack extends Stack {
	redis: ServiceHandle;
	postgres: PostgresHandle;
	/** The webhook processor: production webhooks sent here are queued for the workers. */
	webhook: N8nHandle;
	workers: QueueWorker[];
	/** What every process of this install shares (queue, database, encryption key). */
	queueEnv: Record<string, string>;
	/** Starts one more worker (its own user folder, the pack linked); `env` adds to the shared environment. */
	startWorker(env?: Record<string, string>): Promise<QueueWorker>;
	stopWorker(worker: QueueWorker): Promise<void>;
}

/** The environment that makes an n8n process part of this queue-mode install. */
export function queueEnvironment(
	redis: Pick<ServiceHandle, 'host' | 'port'>,
	postgres: Pick<PostgresHandle, 'host' | 'port' | 'database' | 'user' | 'password'>,
): Record<string, string> {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		// Executions started from the editor run on the workers too, as production ones do.
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
	};
}

export async function startQueueStack(options: QueueStackOptions): Promise<QueueStack> {
	const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
	const root = resolve(options.rootFolder);
	const stoppers: Array<() => Promise<void>> = [];
	const workers: QueueWorker[] = [];
	const stop = async (): Promise<void> => {
		// Workers and the webhook processor first, then the main instance, then the services.
		await Promise.all(workers.splice(0).map((worker) => worker.n8n.stop()));
		while (stoppers.length > 0) await stoppers.pop()?.();
	};
	options.onStopReady?.(stop);
	try {
		const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
		stoppers.push(
			() => redis.stop(),
			() => postgres.stop(),
		);
		log(
			`Redis on ${redis.host}:${redis.port}, PostgreSQL on ${postgres.host}:${postgres.port} (database ${postgres.database})`,
		);
		const queueEnv = { ...queueEnvironment(redis, postgres), ...options.env };

		const stack = await startStack({
			...options,
			userFolder: join(root, 'main'),
			env: queueEnv,
			log,
			onStopReady: (stopMain) => stoppers.push(stopMain),
		});

		let workerCount = 0;
		const startWorker = async (env: Record<string, string> = {}): Promise<QueueWorker> => {
			workerCount += 1;
			const name = `worker-${workerCount}`;
			const [port, brokerPort, healthPort] = await freePorts(3);
			const n8n = await startN8n({
				runtime: stack.runtime,
				userFolder: join(root, name),
				port,
				brokerPort,
				healthPort,
				packDir: options.repoRoot,
				command: 'worker',
				args: [`--concurrency=${options.workerConcurrency ?? 5}`],
				env: {
					...queueEnv,
					QUEUE_HEALTH_CHECK_ACTIVE: 'true',
					QUEUE_HEALTH_CHECK_PORT: String(healthPort),
					N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					...env,
				},
			});
			const worker = { name, n8n };
			workers.push(worker);
			log(`${name} ready (pid ${n8n.pid}, log ${n8n.logFile})`);
			return worker;
		};
		const stopWorker = async (worker: QueueWorker): Promise<void> => {
			const index = workers.indexOf(worker);
			if (index >= 0) workers.splice(index, 1);
			await worker.n8n.stop();
		};

		const [webhookFree, webhookBroker] = await freePorts(2);
		const webhookPort =
			options.webhookPort !== undefined && options.webhookPort > 0
				? options.webhookPort
				: webhookFree;
		const starting = [
			startN8n({
				runtime: stack.runtime,
				userFolder: join(root, 'webhook'),
				port: webhookPort,
				brokerPort: webhookBroker,
				packDir: options.repoRoot,
				command: 'webhook',
				env: queueEnv,
			}).then((handle) => {
				stoppers.push(() => handle.stop());
				return handle;
			}),
			...Array.from({ length: options.workers ?? 2 }, () =>
				startWorker().then((worker) => worker.n8n),
			),
		];
		// Every start settles before a failure is reported, so whatever did start is stopped.
		const started = await Promise.allSettled(starting);
		const failed = started.find(
			(result): result is PromiseRejectedResult => result.status === 'rejected',
		);
		if (failed) throw failed.reason;
		const webhook = (started[0] as PromiseFulfilledResult<N8nHandle>).value;
		log(`webhook processor on ${webhook.publicUrl} (log ${webhook.logFile})`);
		return { ...stack, redis, postgres, webhook, workers, queueEnv, startWorker, stopWorker, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
