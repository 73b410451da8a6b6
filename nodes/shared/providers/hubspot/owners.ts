/**
 * resolveOwners: owner id per email. The owners list is read page by page (one call per
 * page of up to 500 owners, not one per email) and kept briefly per credential, because a
 * batch of action items usually names the same few people.
 */
import type { HubSpotSession } from './session';

export const OWNERS_PAGE_SIZE = 500;
export const OWNERS_TTL_MS = 5 * 60 * 1000;

interface CachedOwners {
	byEmail: Map<string, string>;
	expiresAt: number;
}

const ownersCache = new Map<string, CachedOwners>();

export function clearOwnersCache(limiterKey?: string): void {
	if (limiterKey === undefined) ownersCache.clear();
	else ownersCache.delete(limiterKey);
}

async function loadOwners(session: HubSpotSession): Promise<Map<string, string>> {
	const byEmail = new Map<string, string>();
	let after: string | undefined;
	do {
		const page = await session.send('GET /crm/v3/owners', true, (api) => api.getOwners(OWNERS_PAGE_SIZE, after));
		for (const owner of page.results) {
			const email = owner.email?.trim().toLowerCase();
			if (email && !owner.archived && !byEmail.has(email)) byEmail.set(email, owner.id);
		}
		after = page.nextAfter;
	} while (after);
	return byEmail;
}

export async function resolveOwners(
	session: HubSpotSession,
	emails: string[],
	now: () => number = Date.now,
): Promise<Map<string, string>> {
	const wanted = [...new Set(emails.map((email) => email.trim().toLowerCase()).filter(Boolean))];
	const result = new Map<string, string>();
	if (!wanted.length) return result;
	let cached = ownersCache.get(session.limiterKey);
	if (!cached || cached.expiresAt <= now()) {
		cached = { byEmail: await loadOwners(session), expiresAt: now() + OWNERS_TTL_MS };
		ownersCache.set(session.limiterKey, cached);
	}
	for (const email of wanted) {
		const id = cached.byEmail.get(email);
		if (id) result.set(email, id);
	}
	return result;
}
