/**
 * The Redis keyed lock with two "processes" (each its own connection and in-process lock)
 * against a real redis-server started by this test.
 */
import { RedisClient } from '../../../nodes/shared/coordination/redisClient';
import {
	LockWaitTimeoutError,
	RedisKeyedLock,
	SharedLockUnavailableError,
	type RedisLockOptions,
} from '../../../nodes/shared/coordination/redisKeyedLock';
import { InProcessKeyedLock } from '../../../nodes/shared/node/keyedLock';
import { freePort } from '../../../scripts/runtime/ports';
import { startRedis, type ServiceHandle } from '../../../scripts/runtime/queueServices';

const PREFIX = 'test:{crm-sync}:';
let redis: ServiceHandle;
const clients: RedisClient[] = [];

function processLock(
	options: RedisLockOptions = {},
	port?: number,
): { lock: RedisKeyedLock; client: RedisClient } {
	const client = new RedisClient({
		host: '127.0.0.1',
		port: port ?? redis.port,
		reconnectDelayMs: 50,
	});
	clients.push(client);
	return { lock: new RedisKeyedLock(client, PREFIX, new InProcessKeyedLock(), options), client };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
	redis = await startRedis();
});

afterEach(async () => {
	await Promise.all(clients.splice(0).map((client) => client.close()));
});

afterAll(async () => {
	await redis?.stop();
});

it('two processes, 40 holders each on one key: never two inside at once, and every holder ran', async () => {
	const a = processLock().lock;
	const b = processLock().lock;
	let inside = 0;
	let most = 0;
	let ran = 0;
	const work = async () => {
		inside += 1;
		most = Math.max(most, inside);
		await sleep(2);
		inside -= 1;
		ran += 1;
	};
	await Promise.all(
		Array.from({ length: 80 }, (_, i) =>
			(i % 2 === 0 ? a : b).withKeyedLocks(['write:call-1'], work),
		),
	);
	expect(most).toBe(1);
	expect(ran).toBe(80);
	const left = await processLock().client.command(['KEYS', `${PREFIX}lock:*`]);
	expect(left).toEqual([]);
});

it('holders of different keys run at the same time', async () => {
	const a = processLock().lock;
	const b = processLock().lock;
	let inside = 0;
	let most = 0;
	const work = async () => {
		inside += 1;
		most = Math.max(most, inside);
		await sleep(100);
		inside -= 1;
	};
	await Promise.all([a.withKeyedLocks(['write:x'], work), b.withKeyedLocks(['write:y'], work)]);
	expect(most).toBe(2);
});

it('several keys are taken all at once or not at all: opposite orders in two processes never deadlock', async () => {
	const a = processLock().lock;
	const b = processLock().lock;
	let inside = 0;
	let most = 0;
	const work = async () => {
		inside += 1;
		most = Math.max(most, inside);
		await sleep(1);
		inside -= 1;
	};
	await Promise.all(
		Array.from({ length: 30 }, (_, i) =>
			i % 2 === 0
				? a.withKeyedLocks(['k1', 'k2', 'k3'], work)
				: b.withKeyedLocks(['k3', 'k2', 'k1'], work),
		),
	);
	expect(most).toBe(1);
});

it('a holder that died leaves its keys for one lease only', async () => {
	const { client } = processLock();
	// A crashed process's key: its token, a 300 ms lease, nobody renewing.
	await client.command(['SET', `${PREFIX}lock:write:dead`, 'dead-token', 'PX', 300]);
	const started = Date.now();
	await processLock().lock.withKeyedLocks(['write:dead'], async () => undefined);
	const waited = Date.now() - started;
	expect(waited).toBeGreaterThanOrEqual(200);
	expect(waited).toBeLessThan(5_000);
});

it('renews the lease of a long write, so nobody else gets in while it runs', async () => {
	const holder = processLock({ leaseMs: 300, renewEveryMs: 100 }).lock;
	const other = processLock({ leaseMs: 300, renewEveryMs: 100 }).lock;
	const events: string[] = [];
	const long = holder.withKeyedLocks(['write:long'], async () => {
		events.push('long start');
		await sleep(1_200);
		events.push('long end');
	});
	await sleep(50);
	await other.withKeyedLocks(['write:long'], async () => {
		events.push('other');
	});
	await long;
	expect(events).toEqual(['long start', 'long end', 'other']);
});

it('a holder whose lease ran out does not free the key someone else took since', async () => {
	const lost: string[][] = [];
	const slow = processLock({
		leaseMs: 200,
		renewEveryMs: 10_000,
		onLeaseLost: (keys) => lost.push(keys),
	}).lock;
	const { client } = processLock();
	const fast = processLock().lock;
	let fastHolds = false;
	const slowRun = slow.withKeyedLocks(['write:shared'], async () => {
		await sleep(400);
	});
	await sleep(250);
	// The slow holder's lease has ended: the other process takes the key and holds it.
	const fastRun = fast.withKeyedLocks(['write:shared'], async () => {
		fastHolds = true;
		await sleep(400);
	});
	await slowRun;
	expect(fastHolds).toBe(true);
	// The slow holder's release left the other's key alone.
	const holder = await client.command(['GET', `${PREFIX}lock:write:shared`]);
	expect(typeof holder).toBe('string');
	await fastRun;
	expect(await client.command(['GET', `${PREFIX}lock:write:shared`])).toBeNull();
});

it('tells when renewal finds the key taken over', async () => {
	const lost: string[][] = [];
	const holder = processLock({
		leaseMs: 5_000,
		renewEveryMs: 100,
		onLeaseLost: (keys) => lost.push(keys),
	});
	await holder.lock.withKeyedLocks(['write:stolen'], async () => {
		// Someone (e.g. a Redis failover that lost the key) replaced the holder's token.
		await holder.client.command(['SET', `${PREFIX}lock:write:stolen`, 'someone-else']);
		await sleep(300);
	});
	expect(lost).toEqual([['write:stolen']]);
	expect(await holder.client.command(['GET', `${PREFIX}lock:write:stolen`])).toBe('someone-else');
});

it('gives up after the longest wait with an error naming the key, without running the work', async () => {
	const { client } = processLock();
	await client.command(['SET', `${PREFIX}lock:write:busy`, 'other', 'PX', 5_000]);
	const lock = processLock({ maxWaitMs: 300 }).lock;
	let ran = false;
	const error = await lock
		.withKeyedLocks(['write:free', 'write:busy'], async () => {
			ran = true;
		})
		.catch((failure: Error) => failure);
	expect(error).toBeInstanceOf(LockWaitTimeoutError);
	expect((error as LockWaitTimeoutError).key).toBe('write:busy');
	expect(ran).toBe(false);
	// Nothing of the failed request stays taken.
	expect(await client.command(['GET', `${PREFIX}lock:write:free`])).toBeNull();
});

it('fails clearly, without running the work, when Redis cannot be reached', async () => {
	const lock = processLock({}, await freePort()).lock;
	let ran = false;
	const error = await lock
		.withKeyedLocks(['write:x'], async () => {
			ran = true;
		})
		.catch((failure: Error) => failure);
	expect(error).toBeInstanceOf(SharedLockUnavailableError);
	expect((error as Error).message).toMatch(/nothing was written/);
	expect(ran).toBe(false);
});

it('releases on a throw, and an empty key list runs at once', async () => {
	const { lock, client } = processLock();
	await expect(
		lock.withKeyedLocks(['write:throws'], async () => {
			throw new Error('boom');
		}),
	).rejects.toThrow('boom');
	expect(await client.command(['GET', `${PREFIX}lock:write:throws`])).toBeNull();
	expect(await lock.withKeyedLocks([], async () => 'ran')).toBe('ran');
});
