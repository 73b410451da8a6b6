/**
 * The hooks the nodes use (withKeyedLocks, createTransport's limiter, the trigger's claim
 * store) pick Redis in queue mode and stay in-process otherwise. A real redis-server is
 * started by this test; the environment is set the way n8n's queue mode sets it.
 */
import {
	coordinatedClaimStore,
	resetCoordination,
} from '../../../nodes/shared/coordination/coordination';
import { RedisClient } from '../../../nodes/shared/coordination/redisClient';
import { withKeyedLocks } from '../../../nodes/shared/node/keyedLock';
import { createTransport } from '../../../nodes/shared/transport/createTransport';
import { clearSharedRateLimiters } from '../../../nodes/shared/transport/rateLimiter';
import { InMemoryClaimStore } from '../../../nodes/AutochatCrmTrigger/deliveryClaims';
import { startRedis, type ServiceHandle } from '../../../scripts/runtime/queueServices';

const VARIABLES = [
	'EXECUTIONS_MODE',
	'QUEUE_BULL_REDIS_HOST',
	'QUEUE_BULL_REDIS_PORT',
	'QUEUE_BULL_PREFIX',
	'CRM_SYNC_COORDINATION',
] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
let redis: ServiceHandle;
let inspector: RedisClient;

beforeAll(async () => {
	redis = await startRedis();
	inspector = new RedisClient({ host: '127.0.0.1', port: redis.port });
});

beforeEach(async () => {
	Object.assign(process.env, {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		QUEUE_BULL_PREFIX: 'hooks',
	});
	delete process.env.CRM_SYNC_COORDINATION;
	await inspector.command(['FLUSHALL']);
	await resetCoordination();
	clearSharedRateLimiters();
});

afterAll(async () => {
	for (const name of VARIABLES) {
		if (saved[name] === undefined) delete process.env[name];
		else process.env[name] = saved[name];
	}
	await resetCoordination();
	await inspector?.close();
	await redis?.stop();
});

const keys = async (): Promise<string[]> =>
	((await inspector.command(['KEYS', '*'])) as string[]).sort();

it('in queue mode, withKeyedLocks holds its keys in Redis while the work runs', async () => {
	const during = await withKeyedLocks(
		['write:hubspot|call-1|contact:1', 'ledger:wf:node'],
		async () => await keys(),
	);
	expect(during).toEqual([
		'hooks:{crm-sync}:lock:ledger:wf:node',
		'hooks:{crm-sync}:lock:write:hubspot|call-1|contact:1',
	]);
	expect(await keys()).toEqual([]);
});

it("in queue mode, a transport's calls count in the credential's shared window", async () => {
	const transport = createTransport({
		crm: 'hubspot',
		limiterKey: 'crmSyncHubSpotPrivateAppApi:cred-1',
		toFailure: () => ({ message: 'unused', headers: {} }),
	});
	for (let i = 0; i < 3; i++)
		expect(await transport.call(async () => i, { label: 'read', idempotent: true })).toBe(i);
	expect(
		await inspector.command([
			'ZCARD',
			'hooks:{crm-sync}:rate:crmSyncHubSpotPrivateAppApi:cred-1:window',
		]),
	).toBe(3);
});

it('in queue mode, two claim stores (two processes) share the delivery claims', async () => {
	const [a, b] = [
		coordinatedClaimStore(new InMemoryClaimStore()),
		coordinatedClaimStore(new InMemoryClaimStore()),
	];
	expect(await a.claim('wf:node:webhook', ['sig:1'], Date.now(), 60_000)).toBe(true);
	expect(await b.claim('wf:node:webhook', ['sig:1'], Date.now(), 60_000)).toBe(false);
});

it('CRM_SYNC_COORDINATION=local keeps everything in-process', async () => {
	process.env.CRM_SYNC_COORDINATION = 'local';
	await resetCoordination();
	await withKeyedLocks(['write:x'], async () => undefined);
	const transport = createTransport({
		crm: 'hubspot',
		limiterKey: 'crmSyncHubSpotPrivateAppApi:cred-2',
		toFailure: () => ({ message: 'unused', headers: {} }),
	});
	await transport.call(async () => 1, { label: 'read', idempotent: true });
	const [a, b] = [
		coordinatedClaimStore(new InMemoryClaimStore()),
		coordinatedClaimStore(new InMemoryClaimStore()),
	];
	expect(await a.claim('s', ['k'], Date.now(), 60_000)).toBe(true);
	// Separate processes' in-memory stores do not see each other.
	expect(await b.claim('s', ['k'], Date.now(), 60_000)).toBe(true);
	expect(await keys()).toEqual([]);
});
