/**
 * The Dynamics 365 (Dataverse) vendor module: the Microsoft identity platform token endpoint
 * (`/microsoft/<tenant>/oauth2/v2.0/token`), Dataverse error shapes, service-protection 429s
 * with Retry-After, and the Web API (`/dynamics/api/data/v9.2/...`, also `/api/data/v9.2/...`):
 * WhoAmI, EntityDefinitions, OData queries with paging, single-row writes and `$batch`.
 */
import { changeListMembers } from './marketingLists';
import { randomUUID } from 'node:crypto';

import { evaluateGrant } from '../../core/oauth';
import type {
	CoreErrorKind,
	RouteDefinition,
	SandboxResponse,
	VendorContext,
	VendorModule,
} from '../../core/types';
import { dynamicsDataRoutes } from './routes';
import {
	DYNAMICS_API_USER_ID,
	DYNAMICS_BUSINESS_UNIT_ID,
	DYNAMICS_ORGANIZATION_ID,
	seedDynamics,
} from './seed';

export { DYNAMICS_SEED_IDS, DYNAMICS_API_USER_ID, dataverseGuid } from './seed';

/** Dataverse Web API errors: `{ error: { code, message } }`. */
export function dataverseError(status: number, code: string, message: string): SandboxResponse {
	return { status, body: { error: { code, message } } };
}

function errorBody(kind: CoreErrorKind, status: number, message: string): unknown {
	switch (kind) {
		case 'unauthenticated':
			return {
				error: {
					code: '0x80072561',
					message: 'Authentication failed: the bearer token is missing or invalid.',
				},
			};
		case 'expired':
			return { error: { code: '0x80072561', message: 'The access token has expired.' } };
		case 'rate_limited':
			return {
				error: {
					code: '0x80072322',
					message: 'Number of requests exceeded the limit of 6000 over time window of 300 seconds.',
				},
			};
		case 'not_found':
			return { error: { code: '0x8006088a', message } };
		case 'bad_request':
			return { error: { code: '0x80048d19', message } };
		case 'fault':
			return {
				error: {
					code: '0x80040216',
					message: status >= 500 ? 'An unexpected error occurred.' : message,
				},
			};
	}
}

/** AADSTS codes Entra ID uses for the two failures the sandbox simulates. */
const ENTRA_CODES = {
	invalid_client: 7000215,
	invalid_grant: 70000,
	unsupported_grant_type: 70003,
	invalid_request: 900144,
} as const;

function tokenEndpoint(
	ctx: VendorContext,
	req: Parameters<RouteDefinition['handler']>[0],
): SandboxResponse {
	const outcome = evaluateGrant(req, 'dynamics', ctx, { refreshTokenOnClientCredentials: false });
	if (!outcome.ok) {
		const code = ENTRA_CODES[outcome.reason];
		return {
			status: outcome.reason === 'invalid_client' ? 401 : 400,
			body: {
				error: outcome.reason,
				error_description: `AADSTS${code}: ${outcome.description}.`,
				error_codes: [code],
				timestamp: new Date(ctx.now())
					.toISOString()
					.replace('T', ' ')
					.replace(/\.\d+Z$/, 'Z'),
				trace_id: randomUUID(),
				correlation_id: randomUUID(),
			},
		};
	}
	const body: Record<string, string | number> = {
		token_type: 'Bearer',
		scope: outcome.scope ?? `${ctx.baseUrl()}/dynamics/.default`,
		expires_in: outcome.tokens.expiresIn,
		ext_expires_in: outcome.tokens.expiresIn,
		access_token: outcome.tokens.accessToken,
	};
	// Refresh tokens only for user flows (authorization code, refresh) — not client credentials.
	if (outcome.grantType !== 'client_credentials') body.refresh_token = outcome.tokens.refreshToken;
	return { status: 200, body };
}

export function createDynamicsVendor(): VendorModule {
	return {
		name: 'dynamics',
		// `/api` serves clients that keep only the org origin (see routes.ts).
		prefixes: ['/dynamics', '/microsoft', '/api'],
		// Dataverse service protection: 6000 requests per 5 minutes per user.
		defaultRateLimit: { requests: 6000, windowMs: 300_000 },
		routes: (ctx) => [
			{
				method: 'POST',
				template: '/microsoft/:tenant/oauth2/v2.0/token',
				public: true,
				handler: (req) => tokenEndpoint(ctx, req),
			},
			...dynamicsDataRoutes(ctx, {
				store: ctx.store,
				newId: randomUUID,
				now: () => ctx.now(),
				userId: DYNAMICS_API_USER_ID,
				organizationId: DYNAMICS_ORGANIZATION_ID,
				businessUnitId: DYNAMICS_BUSINESS_UNIT_ID,
			}),
		],
		errorBody,
		// Dataverse reports what is left of the service-protection window on each answer.
		rateLimitHeaders: (limit) => ({
			'x-ms-ratelimit-burst-remaining-xrm-requests': String(limit.remaining),
		}),
		rateLimitedHeaders: (limit) => ({
			'Retry-After': String(Math.max(1, Math.ceil((limit.resetAt - limit.now) / 1000))),
		}),
		seed: seedDynamics,
		newId: () => randomUUID(),
		changeMembers: (ctx, listId, change) => changeListMembers(ctx, listId, change),
	};
}
