/** Delivery claims shared through a real redis-server started by this test. */
import { RedisClaimStore } from '../../../nodes/shared/coordination/redisClaimStore';
import { RedisClient } from '../../../nodes/shared/coordination/redisClient';
import { startRedis, type ServiceHandle } from '../../../scripts/runtime/queueServices';

const PREFIX = 'test:{crm-sync}:';
let redis: ServiceHandle;
const clients: RedisClient[] = [];

function store(): RedisClaimStore {
	const client = new RedisClient({ host: '127.0.0.1', port: redis.port });
	clients.push(client);
	return new RedisClaimStore(client, PREFIX);
}

beforeAll(async () => {
	redis = await startRedis();
});

afterAll(async () => {
	await Promise.all(clients.splice(0).map((client) => client.close()));
	await redis?.stop();
});

it('20 concurrent copies of one delivery in 4 processes: exactly one claim wins', async () => {
	const stores = [store(), store(), store(), store()];
	const results = await Promise.all(
		Array.from({ length: 20 }, (_, i) =>
			stores[i % 4].claim('wf:node:production', ['sig:abc', 'event:42'], Date.now(), 60_000),
		),
	);
	expect(results.filter(Boolean)).toHaveLength(1);
});

it('a delivery sharing any key with a claimed one loses; other scopes and keys are free', async () => {
	const [a, b] = [store(), store()];
	expect(await a.claim('scope-1', ['sig:1', 'event:1'], Date.now(), 60_000)).toBe(true);
	// Another body with the same event id (a re-signed retry) is the same delivery.
	expect(await b.claim('scope-1', ['sig:2', 'event:1'], Date.now(), 60_000)).toBe(false);
	// The losing claim took nothing: its own signature key is still free.
	expect(await b.claim('scope-1', ['sig:2'], Date.now(), 60_000)).toBe(true);
	expect(await b.claim('scope-2', ['sig:1', 'event:1'], Date.now(), 60_000)).toBe(true);
});

it('claims expire after their time to live', async () => {
	const [a, b] = [store(), store()];
	expect(await a.claim('scope-ttl', ['k'], Date.now(), 200)).toBe(true);
	expect(await b.claim('scope-ttl', ['k'], Date.now(), 200)).toBe(false);
	await new Promise((resolve) => setTimeout(resolve, 300));
	expect(await b.claim('scope-ttl', ['k'], Date.now(), 200)).toBe(true);
});
