/** What the HubSpot routes share: the core context, the portal's property schemas and id allocation. */
import { SlidingWindowLimiter } from '../../core/rateLimiter';
import type { RateLimitSetting, SandboxSchema, VendorContext } from '../../core/types';
import { canonicalObjectType, type HubSpotObjectType } from './objectTypes';
import type { Schemas } from './records';
import { defaultSchemas } from './schema';
import { SEEDED_OWNER_IDS } from './seed';

/** Opt-in realism of the search endpoint (both off by default). */
export interface HubSpotSearchOptions {
	/** HubSpot limits search separately (about 5 requests/s per token); answered with a 429 `SECONDLY` policy. */
	searchRateLimit?: RateLimitSetting | false;
	/** New records only become searchable this long after their creation (HubSpot indexes asynchronously). */
	searchIndexDelayMs?: number;
}

export interface HubSpotState {
	ctx: VendorContext;
	schemas: Schemas;
	newId(): string;
	search: HubSpotSearchOptions;
	searchLimiter: SlidingWindowLimiter;
}

/** New record ids follow the seeded ones; HubSpot ids are numeric strings. */
const FIRST_NEW_ID = 90_000;

export function createHubSpotState(
	ctx: VendorContext,
	search: HubSpotSearchOptions = {},
	schema: SandboxSchema = 'demo',
): HubSpotState {
	return {
		ctx,
		schemas: defaultSchemas(SEEDED_OWNER_IDS, schema),
		newId: () => String(FIRST_NEW_ID + ctx.store.nextSequence('hubspot')),
		search,
		searchLimiter: new SlidingWindowLimiter(ctx.now),
	};
}

export function objectTypeParam(raw: string | undefined): HubSpotObjectType | undefined {
	return raw === undefined ? undefined : canonicalObjectType(raw);
}

export const PORTAL_ID = 4_242_424;
