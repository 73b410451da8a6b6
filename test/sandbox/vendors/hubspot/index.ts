/** The HubSpot vendor module: CRM v3 objects/search/batch/properties/owners, v4 associations, OAuth. */
import type { SandboxSchema, VendorContext, VendorModule } from '../../core/types';
import { associationRoutes } from './associations';
import { configureDailyQuota, createDailyQuota, meteredRoutes } from './dailyLimit';
import { hubspotCoreError } from './errors';
import { legacyContactRoutes } from './legacyContacts';
import { changeHubSpotMembers, listRoutes } from './lists';
import { canonicalObjectType } from './objectTypes';
import { objectRoutes } from './objects';
import { applyDerived } from './records';
import { metaRoutes } from './meta';
import { seedHubSpot } from './seed';
import { createHubSpotState, type HubSpotSearchOptions, type HubSpotState } from './state';

export type { HubSpotSearchOptions } from './state';

export { HUBSPOT_SEED_IDS } from './seed';

/** Private app access tokens start with `pat-` (e.g. `pat-na1-…`) and do not expire. */
export const isHubSpotPrivateAppToken = (token: string): boolean => token.startsWith('pat-');

export function createHubSpotVendor(
	search: HubSpotSearchOptions = {},
	schema: SandboxSchema = 'demo',
): VendorModule {
	let state: HubSpotState | undefined;
	const stateFor = (ctx: VendorContext) => (state ??= createHubSpotState(ctx, search, schema));
	const quota = createDailyQuota();
	return {
		name: 'hubspot',
		prefixes: ['/hubspot'],
		defaultRateLimit: { requests: 100, windowMs: 10_000 },
		routes(ctx) {
			ctx.tokens.acceptStaticKeys('hubspot', isHubSpotPrivateAppToken);
			const s = stateFor(ctx);
			return meteredRoutes(
				[
					...objectRoutes(s),
					...associationRoutes(s),
					...metaRoutes(s),
					...listRoutes(s),
					...legacyContactRoutes(s),
				],
				quota,
			);
		},
		errorBody: hubspotCoreError,
		rateLimitHeaders: (limit) => ({
			'X-HubSpot-RateLimit-Max': String(limit.limit),
			'X-HubSpot-RateLimit-Remaining': String(limit.remaining),
			'X-HubSpot-RateLimit-Interval-Milliseconds': String(limit.windowMs),
		}),
		seed: seedHubSpot,
		newId: (_objectType, ctx) => stateFor(ctx).newId(),
		prepareAdminRecord(objectType, fields) {
			const type = canonicalObjectType(objectType);
			if (!type) return fields;
			// Admin seeding accepts HubSpot's `{ properties }` form or flat fields, unvalidated,
			// so tests can plant values the API would refuse (e.g. legacy phone formats).
			const properties = (
				typeof fields.properties === 'object' && fields.properties !== null
					? fields.properties
					: fields
			) as Record<string, unknown>;
			const stringified: Record<string, unknown> = {};
			for (const [name, value] of Object.entries(properties))
				if (value !== null && value !== undefined) stringified[name] = String(value);
			return stringified;
		},
		afterAdminRecord(objectType, record) {
			const type = canonicalObjectType(objectType);
			if (type) applyDerived(type, record);
		},
		changeMembers: (ctx, listId, change) => changeHubSpotMembers(ctx, listId, change),
		configure(settings) {
			const known = ['searchIndexDelayMs', 'dailyApiLimit', 'apiUsage'];
			const unknown = Object.keys(settings).filter((key) => !known.includes(key));
			if (unknown.length) return `unknown HubSpot sandbox settings: ${unknown.join(', ')}`;
			const delay = settings.searchIndexDelayMs;
			if (
				delay !== undefined &&
				(typeof delay !== 'number' || !Number.isFinite(delay) || delay < 0)
			)
				return 'searchIndexDelayMs must be a number ≥ 0';
			const problem = configureDailyQuota(quota, settings);
			if (problem) return problem;
			// The state reads this object on every search, so the change applies at once.
			if (typeof delay === 'number') search.searchIndexDelayMs = delay;
			return undefined;
		},
	};
}
