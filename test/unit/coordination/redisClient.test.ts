/**
 * The RESP client against a real redis-server started by this test (the machine's Debian
 * package; .ci/run installs it): commands, pipelining, scripts, AUTH/SELECT, deadlines,
 * reconnects and cluster redirects.
 */
import { createServer, type Server } from 'node:net';

import {
	LuaScript,
	RedisClient,
	RedisConnectionError,
} from '../../../nodes/shared/coordination/redisClient';
import { RedisReplyError } from '../../../nodes/shared/coordination/resp';
import { freePort } from '../../../scripts/runtime/ports';
import { startRedis, type ServiceHandle } from '../../../scripts/runtime/queueServices';

let redis: ServiceHandle;
const clients: RedisClient[] = [];
const client = (
	options: Partial<ConstructorParameters<typeof RedisClient>[0]> = {},
): RedisClient => {
	const created = new RedisClient({ host: '127.0.0.1', port: redis.port, ...options });
	clients.push(created);
	return created;
};

beforeAll(async () => {
	redis = await startRedis();
});

afterEach(async () => {
	await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
	await redis?.stop();
});

it('runs commands and reads every reply type', async () => {
	const c = client();
	expect(await c.command(['SET', 'client:a', 'é'])).toBe('OK');
	expect(await c.command(['GET', 'client:a'])).toBe('é');
	expect(await c.command(['GET', 'client:missing'])).toBeNull();
	expect(await c.command(['INCRBY', 'client:n', 5])).toBe(5);
	expect(await c.command(['RPUSH', 'client:list', 'x', 'y'])).toBe(2);
	expect(await c.command(['LRANGE', 'client:list', 0, -1])).toEqual(['x', 'y']);
	await expect(c.command(['INCR', 'client:list'])).rejects.toThrow(RedisReplyError);
});

it('pipelines: 2,000 commands in one write, replies in order, an error reply in its own place only', async () => {
	const c = client();
	const commands = Array.from({ length: 2000 }, (_, i) =>
		i === 1000 ? ['HGET', 'client:pipe'] : ['SET', `client:pipe:${i}`, String(i)],
	);
	const replies = await c.pipeline(commands);
	expect(replies[1000]).toBeInstanceOf(RedisReplyError);
	expect(replies.filter((reply) => reply === 'OK')).toHaveLength(1999);
	const reads = await c.pipeline(
		Array.from({ length: 2000 }, (_, i) => ['GET', `client:pipe:${i}`]),
	);
	expect(reads.filter((value, i) => i !== 1000 && value !== String(i))).toEqual([]);
	// Commands sent concurrently from many callers share the connection and still match up.
	const answers = await Promise.all(
		Array.from({ length: 200 }, (_, i) => c.command(['ECHO', `caller-${i}`])),
	);
	expect(answers).toEqual(Array.from({ length: 200 }, (_, i) => `caller-${i}`));
});

it('runs a Lua script by SHA and sends the source once the server has forgotten it', async () => {
	const c = client();
	const script = new LuaScript("return redis.call('INCRBY', KEYS[1], ARGV[1])");
	await c.command(['SCRIPT', 'FLUSH']);
	expect(await c.evalScript(script, ['client:lua'], [2])).toBe(2);
	expect(await c.command(['SCRIPT', 'EXISTS', script.sha])).toEqual([1]);
	expect(await c.evalScript(script, ['client:lua'], [3])).toBe(5);
	await expect(c.evalScript(new LuaScript("return redis.call('NOPE')"), [], [])).rejects.toThrow(
		RedisReplyError,
	);
});

it('selects the configured database', async () => {
	const db3 = client({ db: 3 });
	await db3.command(['SET', 'client:db', 'three']);
	expect(await client().command(['GET', 'client:db'])).toBeNull();
	expect(await client({ db: 3 }).command(['GET', 'client:db'])).toBe('three');
});

it('a command that gets no answer in time fails, and the next command works on a new connection', async () => {
	const slow = client({ commandTimeoutMs: 200 });
	await slow.command(['PING']);
	// BLPOP on an empty list holds its answer for a second: the deadline passes first.
	const started = Date.now();
	await expect(slow.command(['BLPOP', 'client:never', 1])).rejects.toThrow(
		/did not answer within 200 ms/,
	);
	expect(Date.now() - started).toBeLessThan(900);
	expect(await slow.command(['PING'])).toBe('PONG');
});

it('fails fast while Redis is down, then reconnects on its own once it is back', async () => {
	const own = await startRedis();
	const port = own.port;
	const c = client({ port, reconnectDelayMs: 100, maxReconnectDelayMs: 200 });
	expect(await c.command(['SET', 'k', 'v'])).toBe('OK');
	await own.stop();
	await expect(c.command(['GET', 'k'])).rejects.toThrow(RedisConnectionError);
	const started = Date.now();
	await expect(c.command(['GET', 'k'])).rejects.toThrow(/unreachable/);
	expect(Date.now() - started).toBeLessThan(1_000);
	const back = await startRedis({ port });
	try {
		let reply: unknown;
		for (let i = 0; i < 50 && reply === undefined; i++) {
			reply = await c.command(['PING']).catch(() => undefined);
			if (reply === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
		}
		expect(reply).toBe('PONG');
	} finally {
		await back.stop();
	}
});

it('authenticates with a password, and a wrong one fails without the password in the message', async () => {
	const secured = await startRedis({ password: 'right-secret-42' });
	try {
		expect(
			await client({ port: secured.port, password: 'right-secret-42' }).command(['PING']),
		).toBe('PONG');
		const error = await client({ port: secured.port, password: 'wrong-secret-17' })
			.command(['PING'])
			.then(
				() => undefined,
				(failure: Error) => failure,
			);
		expect(error).toBeInstanceOf(RedisConnectionError);
		expect(error?.message).toMatch(/AUTH refused/);
		expect(error?.message).not.toContain('wrong-secret-17');
		await expect(client({ port: secured.port }).command(['GET', 'x'])).rejects.toThrow(/NOAUTH/);
	} finally {
		await secured.stop();
	}
});

it('follows a cluster redirect (MOVED) to the node that owns the slot', async () => {
	// A stand-in cluster node that owns nothing: it redirects every command to the real server.
	const port = await freePort();
	const redirector: Server = createServer((socket) =>
		socket.on('data', () => socket.write(`-MOVED 5474 127.0.0.1:${redis.port}\r\n`)),
	);
	await new Promise<void>((resolve) => redirector.listen(port, '127.0.0.1', resolve));
	try {
		const c = client({ port });
		expect(await c.command(['SET', 'client:moved', 'yes'])).toBe('OK');
		expect(c.address).toBe(`127.0.0.1:${redis.port}`);
		expect(await c.command(['GET', 'client:moved'])).toBe('yes');
	} finally {
		await new Promise<void>((resolve) => redirector.close(() => resolve()));
	}
});
