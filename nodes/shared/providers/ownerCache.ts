/**
 * Owner ids by email, per credential, shared by every execution of the process: a batch of
 * action items names the same few people, and so do the next batches. Emails without a CRM
 * user are remembered too, so they are not asked for again until the entry expires.
 */
import { credentialCache } from './metadataCache';

export const OWNERS_TTL_MS = 5 * 60 * 1000;

const owners = credentialCache<string | null>(OWNERS_TTL_MS);

/**
 * The owner id of each email (lower-cased keys; emails without a user are absent). Emails not
 * cached are looked up with one `load` call and cached with its answer.
 */
export async function cachedOwners(
	scope: string,
	emails: readonly string[],
	load: (missing: string[]) => Promise<Map<string, string>>,
	now: () => number = Date.now,
): Promise<Map<string, string>> {
	const result = new Map<string, string>();
	const missing: string[] = [];
	for (const email of new Set(emails)) {
		const hit = owners.peek(scope, email, now);
		if (!hit) {
			missing.push(email);
			continue;
		}
		const id = await hit;
		if (id) result.set(email, id);
	}
	if (missing.length === 0) return result;
	const loaded = await load(missing);
	for (const email of missing) {
		const id = loaded.get(email) ?? null;
		owners.set(scope, email, id, { now });
		if (id) result.set(email, id);
	}
	return result;
}
