/**
 * Where the shared coordination lives, read from the environment every n8n process of a
 * queue-mode install already has: the pack uses the Redis that n8n's queue uses, with n8n's
 * own variables, so installing the pack on a worker needs no extra setting.
 *
 * - `EXECUTIONS_MODE=queue` turns it on (in regular mode one process runs everything and
 *   the in-process locks and limiters are exact);
 * - `QUEUE_BULL_REDIS_HOST` / `_PORT` / `_USERNAME` / `_PASSWORD` / `_DB` / `_TLS` (+ `_TLS_SERVERNAME`,
 *   `_TLS_VALIDATE_CERTIFICATE`) / `_TIMEOUT_THRESHOLD`, and `QUEUE_BULL_PREFIX`, as n8n reads them
 *   (each also as `<NAME>_FILE`, a file holding the value);
 * - `QUEUE_BULL_REDIS_CLUSTER_NODES`: the first node is asked; the client follows its redirect;
 * - `CRM_SYNC_COORDINATION=local` keeps everything in-process (troubleshooting, measurements).
 */
import { readFileSync } from 'node:fs';

import type { RedisConnectionOptions } from './redisClient';

export interface RedisSettings {
	connection: RedisConnectionOptions;
	/** Prefix of every key the pack writes; one hash tag so that a Redis Cluster keeps them on one node. */
	keyPrefix: string;
}

export type CoordinationChoice =
	{ kind: 'redis'; settings: RedisSettings } | { kind: 'local'; reason: string };

type Env = Record<string, string | undefined>;

function value(env: Env, name: string): string | undefined {
	const direct = env[name];
	if (direct !== undefined && direct !== '') return direct;
	const file = env[`${name}_FILE`];
	if (file === undefined || file === '') return undefined;
	return readFileSync(file, 'utf8').trim();
}

function flag(env: Env, name: string, fallback: boolean): boolean {
	const raw = value(env, name);
	if (raw === undefined) return fallback;
	return raw.trim().toLowerCase() === 'true';
}

function integer(env: Env, name: string, fallback: number, min: number): number {
	const raw = value(env, name);
	if (raw === undefined) return fallback;
	const parsed = Number(raw);
	if (!Number.isInteger(parsed) || parsed < min)
		throw new Error(`${name} must be a whole number of at least ${min}, got "${raw}"`);
	return parsed;
}

function firstClusterNode(nodes: string): { host: string; port: number } | undefined {
	const first = nodes
		.split(',')
		.map((node) => node.trim())
		.find((node) => node.length > 0);
	if (first === undefined) return undefined;
	const colon = first.lastIndexOf(':');
	const port = colon < 0 ? 6379 : Number(first.slice(colon + 1));
	if (!Number.isInteger(port) || port <= 0)
		throw new Error(`QUEUE_BULL_REDIS_CLUSTER_NODES holds an unreadable node "${first}"`);
	return { host: colon < 0 ? first : first.slice(0, colon), port };
}

export function coordinationFromEnv(env: Env = process.env): CoordinationChoice {
	const override = (env.CRM_SYNC_COORDINATION ?? '').trim().toLowerCase();
	if (override === 'local') return { kind: 'local', reason: 'CRM_SYNC_COORDINATION=local' };
	if (override !== '' && override !== 'auto')
		throw new Error(
			`CRM_SYNC_COORDINATION must be "auto" or "local", got "${env.CRM_SYNC_COORDINATION}"`,
		);
	if ((env.EXECUTIONS_MODE ?? '').trim() !== 'queue')
		return { kind: 'local', reason: 'n8n runs in regular mode (one process)' };

	const cluster = value(env, 'QUEUE_BULL_REDIS_CLUSTER_NODES');
	const node = (cluster && firstClusterNode(cluster)) || {
		host: value(env, 'QUEUE_BULL_REDIS_HOST') ?? 'localhost',
		port: integer(env, 'QUEUE_BULL_REDIS_PORT', 6379, 1),
	};
	const tls = flag(env, 'QUEUE_BULL_REDIS_TLS', false);
	// n8n's threshold is how long its own client may go without Redis; our commands stay well inside it.
	const threshold = integer(env, 'QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD', 10_000, 1);
	const prefix = value(env, 'QUEUE_BULL_PREFIX') ?? 'bull';
	return {
		kind: 'redis',
		settings: {
			connection: {
				...node,
				username: value(env, 'QUEUE_BULL_REDIS_USERNAME'),
				password: value(env, 'QUEUE_BULL_REDIS_PASSWORD'),
				db: cluster ? 0 : integer(env, 'QUEUE_BULL_REDIS_DB', 0, 0),
				tls: tls
					? {
							servername: value(env, 'QUEUE_BULL_REDIS_TLS_SERVERNAME'),
							rejectUnauthorized: flag(env, 'QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE', true),
						}
					: false,
				connectTimeoutMs: Math.min(threshold, 5_000),
				commandTimeoutMs: Math.min(threshold, 5_000),
			},
			keyPrefix: `${prefix}:{crm-sync}:`,
		},
	};
}
