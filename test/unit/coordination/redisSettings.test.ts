import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { coordinationFromEnv } from '../../../nodes/shared/coordination/redisSettings';

describe('coordinationFromEnv', () => {
	it('stays in-process in regular mode and when told to', () => {
		expect(coordinationFromEnv({})).toEqual({
			kind: 'local',
			reason: 'n8n runs in regular mode (one process)',
		});
		expect(
			coordinationFromEnv({ EXECUTIONS_MODE: 'regular', QUEUE_BULL_REDIS_HOST: 'redis' }).kind,
		).toBe('local');
		expect(
			coordinationFromEnv({ EXECUTIONS_MODE: 'queue', CRM_SYNC_COORDINATION: 'local' }),
		).toEqual({ kind: 'local', reason: 'CRM_SYNC_COORDINATION=local' });
		expect(() =>
			coordinationFromEnv({ EXECUTIONS_MODE: 'queue', CRM_SYNC_COORDINATION: 'off' }),
		).toThrow(/must be "auto" or "local"/);
	});

	it("uses n8n's queue-mode defaults: localhost:6379, database 0, prefix bull", () => {
		expect(coordinationFromEnv({ EXECUTIONS_MODE: 'queue' })).toEqual({
			kind: 'redis',
			settings: {
				connection: {
					host: 'localhost',
					port: 6379,
					username: undefined,
					password: undefined,
					db: 0,
					tls: false,
					connectTimeoutMs: 5_000,
					commandTimeoutMs: 5_000,
				},
				keyPrefix: 'bull:{crm-sync}:',
			},
		});
	});

	it('reads every n8n Redis variable, secrets also from *_FILE', () => {
		const dir = mkdtempSync(join(tmpdir(), 'crm-sync-settings-'));
		writeFileSync(join(dir, 'password'), 's3cret\n');
		const choice = coordinationFromEnv({
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: 'redis.internal',
			QUEUE_BULL_REDIS_PORT: '6380',
			QUEUE_BULL_REDIS_USERNAME: 'n8n',
			QUEUE_BULL_REDIS_PASSWORD_FILE: join(dir, 'password'),
			QUEUE_BULL_REDIS_DB: '2',
			QUEUE_BULL_REDIS_TLS: 'true',
			QUEUE_BULL_REDIS_TLS_SERVERNAME: 'redis.example',
			QUEUE_BULL_REDIS_TLS_VALIDATE_CERTIFICATE: 'false',
			QUEUE_BULL_REDIS_TIMEOUT_THRESHOLD: '2000',
			QUEUE_BULL_PREFIX: 'n8n-prod',
		});
		expect(choice).toEqual({
			kind: 'redis',
			settings: {
				connection: {
					host: 'redis.internal',
					port: 6380,
					username: 'n8n',
					password: 's3cret',
					db: 2,
					tls: { servername: 'redis.example', rejectUnauthorized: false },
					connectTimeoutMs: 2_000,
					commandTimeoutMs: 2_000,
				},
				keyPrefix: 'n8n-prod:{crm-sync}:',
			},
		});
	});

	it('asks the first cluster node (database 0, as a cluster has no other) and names bad values', () => {
		const choice = coordinationFromEnv({
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_CLUSTER_NODES: ' redis-a:7000, redis-b:7001',
			QUEUE_BULL_REDIS_DB: '3',
		});
		expect(choice.kind === 'redis' && choice.settings.connection).toMatchObject({
			host: 'redis-a',
			port: 7000,
			db: 0,
		});
		expect(() =>
			coordinationFromEnv({ EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_PORT: 'six' }),
		).toThrow(/QUEUE_BULL_REDIS_PORT must be a whole number/);
		expect(() =>
			coordinationFromEnv({ EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_CLUSTER_NODES: 'a:b' }),
		).toThrow(/unreadable node "a:b"/);
	});
});
