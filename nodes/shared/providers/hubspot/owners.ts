/**
 * resolveOwners: owner id per email. The owners list is read page by page (one call per
 * page of up to 500 owners, not one per email) and kept briefly in a process-wide cache per
 * credential, because a batch of action items usually names the same few people.
 */
import { credentialCache } from '../metadataCache';
import { OWNERS_TTL_MS } from '../ownerCache';
import type { HubSpotSession } from './session';

export const OWNERS_PAGE_SIZE = 500;

const ownerLists = credentialCache<Map<string, string>>(OWNERS_TTL_MS);

async function loadOwners(session: HubSpotSession): Promise<Map<string, string>> {
	const byEmail = new Map<string, string>();
	let after: string | undefined;
	do {
		const page = await session.send('GET /crm/v3/owners', true, (api) =>
			api.getOwners(OWNERS_PAGE_SIZE, after),
		);
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
	const byEmail = await ownerLists.get(session.cacheScope, 'owners', () => loadOwners(session), {
		now,
	});
	for (const email of wanted) {
		const id = byEmail.get(email);
		if (id) result.set(email, id);
	}
	return result;
}
