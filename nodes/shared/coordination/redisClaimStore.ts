/**
 * Delivery claims shared by every n8n process through Redis: a webhook delivery that reaches
 * the main instance and a webhook processor at the same moment (or a replay that reaches
 * another process later) is claimed once. All keys of a delivery are claimed in one Lua
 * script: if any is held, none is taken. Keys expire by themselves after their time to live.
 */
import { LuaScript, type RedisClient } from './redisClient';

/** The trigger's claim interface (structurally the same as its in-process store). */
export interface ClaimStore {
	/** True when none of the keys was held and all are now claimed for `ttlMs`; false when any was held. */
	claim(scope: string, keys: readonly string[], nowMs: number, ttlMs: number): Promise<boolean>;
}

const CLAIM = new LuaScript(`
for i = 1, #KEYS do
	if redis.call('EXISTS', KEYS[i]) == 1 then return 0 end
end
for i = 1, #KEYS do
	redis.call('SET', KEYS[i], ARGV[1], 'PX', ARGV[2])
end
return 1
`);

export class RedisClaimStore implements ClaimStore {
	constructor(
		private readonly client: RedisClient,
		private readonly keyPrefix: string,
	) {}

	async claim(
		scope: string,
		keys: readonly string[],
		nowMs: number,
		ttlMs: number,
	): Promise<boolean> {
		if (keys.length === 0) return true;
		// Expiry runs on Redis's clock; `nowMs` is only recorded, for someone reading the keys.
		const redisKeys = keys.map((key) => `${this.keyPrefix}claim:${scope}:${key}`);
		const claimed = await this.client.evalScript(CLAIM, redisKeys, [
			nowMs,
			Math.max(1, Math.ceil(ttlMs)),
		]);
		return Number(claimed) === 1;
	}
}
