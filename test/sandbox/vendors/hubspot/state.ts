/** What the HubSpot routes share: the core context, the portal's property schemas and id allocation. */
import type { VendorContext } from '../../core/types';
import { canonicalObjectType, type HubSpotObjectType } from './objectTypes';
import type { Schemas } from './records';
import { defaultSchemas } from './schema';
import { SEEDED_OWNER_IDS } from './seed';

export interface HubSpotState {
	ctx: VendorContext;
	schemas: Schemas;
	newId(): string;
}

/** New record ids follow the seeded ones; HubSpot ids are numeric strings. */
const FIRST_NEW_ID = 90_000;

export function createHubSpotState(ctx: VendorContext): HubSpotState {
	return {
		ctx,
		schemas: defaultSchemas(SEEDED_OWNER_IDS),
		newId: () => String(FIRST_NEW_ID + ctx.store.nextSequence('hubspot')),
	};
}

export function objectTypeParam(raw: string | undefined): HubSpotObjectType | undefined {
	return raw === undefined ? undefined : canonicalObjectType(raw);
}

export const PORTAL_ID = 4_242_424;
