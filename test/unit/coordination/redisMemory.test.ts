/**
 * Field Merge's memory of created records, shared by the processes of a queue-mode install
 * through a real redis-server started by this test: what one worker created, another finds.
 */
import {
	InProcessCreatedRecords,
	type CreatedRecord,
} from '../../../nodes/CrmContactFieldMerge/createdRecords';
import {
	coordinatedMemory,
	resetCoordination,
} from '../../../nodes/shared/coordination/coordination';
import { RedisClient } from '../../../nodes/shared/coordination/redisClient';
import { RedisMemory } from '../../../nodes/shared/coordination/redisMemory';
import { startRedis, type ServiceHandle } from '../../../scripts/runtime/queueServices';

const VARIABLES = [
	'EXECUTIONS_MODE',
	'QUEUE_BULL_REDIS_HOST',
	'QUEUE_BULL_REDIS_PORT',
	'QUEUE_BULL_PREFIX',
	'CRM_SYNC_COORDINATION',
] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
const PREFIX = 'test:{crm-sync}:memory:created-records:';
const RECORD: CreatedRecord = { id: '901', kind: 'contact', objectType: 'contacts' };
let redis: ServiceHandle;
let inspector: RedisClient;
const clients: RedisClient[] = [];

/** One process's view: its own in-process memory in front of its own Redis connection. */
function processMemory(ttlMs = 60_000): RedisMemory<CreatedRecord> {
	const client = new RedisClient({ host: '127.0.0.1', port: redis.port });
	clients.push(client);
	return new RedisMemory<CreatedRecord>(client, PREFIX, new InProcessCreatedRecords(), ttlMs);
}

function queueEnvironment(port: number): void {
	Object.assign(process.env, {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: '127.0.0.1',
		QUEUE_BULL_REDIS_PORT: String(port),
		QUEUE_BULL_PREFIX: 'memory',
	});
	delete process.env.CRM_SYNC_COORDINATION;
}

const keys = async (): Promise<string[]> =>
	((await inspector.command(['KEYS', '*'])) as string[]).sort();

beforeAll(async () => {
	redis = await startRedis();
	inspector = new RedisClient({ host: '127.0.0.1', port: redis.port });
});

beforeEach(async () => {
	await inspector.command(['FLUSHALL']);
	queueEnvironment(redis.port);
	await resetCoordination();
});

afterAll(async () => {
	for (const name of VARIABLES) {
		if (saved[name] === undefined) delete process.env[name];
		else process.env[name] = saved[name];
	}
	await resetCoordination();
	await Promise.all(clients.splice(0).map((client) => client.close()));
	await inspector?.close();
	await redis?.stop();
});

it('a record one process remembered is found by another after prefetch; other keys stay unknown', async () => {
	const [workerA, workerB] = [processMemory(), processMemory()];
	await workerA.remember('hubspot:portal-1|phone:+4915112345678', RECORD);
	expect(workerB.recall('hubspot:portal-1|phone:+4915112345678')).toBeUndefined();
	await workerB.prefetch([
		'hubspot:portal-1|phone:+4915112345678',
		'hubspot:portal-1|phone:+4915100000000',
		'hubspot:portal-1|phone:+4915112345678',
	]);
	expect(workerB.recall('hubspot:portal-1|phone:+4915112345678')).toEqual(RECORD);
	expect(workerB.recall('hubspot:portal-1|phone:+4915100000000')).toBeUndefined();
	expect(await keys()).toEqual([`${PREFIX}hubspot:portal-1|phone:+4915112345678`]);
});

it('entries live in Redis for the time to live, then are gone for every process', async () => {
	const [workerA, workerB] = [processMemory(300), processMemory(300)];
	await workerA.remember('k', RECORD);
	const ttl = (await inspector.command(['PTTL', `${PREFIX}k`])) as number;
	expect(ttl).toBeGreaterThan(0);
	expect(ttl).toBeLessThanOrEqual(300);
	await new Promise((resolve) => setTimeout(resolve, 400));
	await workerB.prefetch(['k']);
	expect(workerB.recall('k')).toBeUndefined();
});

it('a value that is not an entry of this pack is ignored', async () => {
	await inspector.command(['SET', `${PREFIX}broken`, '{not json']);
	const worker = processMemory();
	await worker.prefetch(['broken']);
	expect(worker.recall('broken')).toBeUndefined();
});

it('in queue mode, two coordinated memories (two processes) share what they remember', async () => {
	const [workerA, workerB] = [
		coordinatedMemory(new InProcessCreatedRecords(), 'created-records', 60_000),
		coordinatedMemory(new InProcessCreatedRecords(), 'created-records', 60_000),
	];
	await workerA.remember('identity-1', RECORD);
	await workerB.prefetch(['identity-1']);
	expect(workerB.recall('identity-1')).toEqual(RECORD);
	expect(await keys()).toEqual(['memory:{crm-sync}:memory:created-records:identity-1']);
});

it('CRM_SYNC_COORDINATION=local keeps the memory in-process', async () => {
	process.env.CRM_SYNC_COORDINATION = 'local';
	await resetCoordination();
	const [workerA, workerB] = [
		coordinatedMemory(new InProcessCreatedRecords(), 'created-records', 60_000),
		coordinatedMemory(new InProcessCreatedRecords(), 'created-records', 60_000),
	];
	await workerA.remember('identity-2', RECORD);
	await workerB.prefetch(['identity-2']);
	expect(workerA.recall('identity-2')).toEqual(RECORD);
	expect(workerB.recall('identity-2')).toBeUndefined();
	expect(await keys()).toEqual([]);
});

it('with Redis out of reach the memory still works in this process (remember and prefetch do not throw)', async () => {
	// The port of a redis-server that has just stopped: nobody listens there.
	const closed = await startRedis();
	const port = closed.port;
	await closed.stop();
	queueEnvironment(port);
	await resetCoordination();
	const memory = coordinatedMemory(new InProcessCreatedRecords(), 'created-records', 60_000);
	await expect(memory.remember('identity-3', RECORD)).resolves.toBeUndefined();
	await expect(memory.prefetch(['identity-3'])).resolves.toBeUndefined();
	expect(memory.recall('identity-3')).toEqual(RECORD);
});
