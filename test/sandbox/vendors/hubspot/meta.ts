/** Properties, owners, account details and the OAuth token endpoint. */
import { evaluateGrant } from '../../core/oauth';
import type { RouteDefinition, SandboxResponse } from '../../core/types';
import { hubspotFailure } from './errors';
import { customProperty } from './schema';
import { objectTypeParam, PORTAL_ID, type HubSpotState } from './state';

const OWNER_PAGE_MAX = 500;

/**
 * The call outcomes of a new portal (id → label), as `GET /calling/v1/dispositions` lists
 * them; a call stores one id in `hs_call_disposition`.
 */
export const HUBSPOT_CALL_DISPOSITIONS = [
	{ id: '9d9162e7-6cf3-4944-bf63-4dff82258764', label: 'Busy' },
	{ id: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', label: 'Connected' },
	{ id: 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff', label: 'Left live message' },
	{ id: 'b2cf5968-551e-4856-9783-52b3da59a7d0', label: 'Left voicemail' },
	{ id: '73a0d17f-1163-4015-bdd5-ec830791da20', label: 'No answer' },
	{ id: '17b47fee-58de-441e-a44c-c6300d46f273', label: 'Wrong number' },
] as const;

function owners(state: HubSpotState, query: URLSearchParams): SandboxResponse {
	const email = query.get('email')?.toLowerCase();
	const limit = Math.min(Math.max(Number(query.get('limit') ?? 100) || 100, 1), OWNER_PAGE_MAX);
	const offset = Number(query.get('after') ?? 0) || 0;
	const all = state.ctx.store
		.list('hubspot', 'owners')
		.filter((o) => !email || String(o.fields.email).toLowerCase() === email)
		.sort((a, b) => Number(a.id) - Number(b.id));
	const results = all.slice(offset, offset + limit).map((o) => ({
		id: o.id,
		email: o.fields.email,
		type: 'PERSON',
		firstName: o.fields.firstName,
		lastName: o.fields.lastName,
		userId: o.fields.userId,
		userIdIncludingInactive: o.fields.userId,
		createdAt: o.createdAt,
		updatedAt: o.updatedAt,
		archived: false,
		teams: [],
	}));
	const next = offset + limit;
	return {
		status: 200,
		body: {
			results,
			...(next < all.length ? { paging: { next: { after: String(next), link: '' } } } : {}),
		},
	};
}

function tokenEndpoint(
	state: HubSpotState,
	req: Parameters<RouteDefinition['handler']>[0],
): SandboxResponse {
	const outcome = evaluateGrant(req, 'hubspot', state.ctx, {
		refreshTokenOnClientCredentials: true,
	});
	if (!outcome.ok) {
		// HubSpot's OAuth errors use an upper-case status code instead of the RFC `error` field.
		const status =
			outcome.reason === 'invalid_client'
				? 'BAD_CLIENT_ID'
				: outcome.reason === 'invalid_grant'
					? outcome.grantType === 'refresh_token'
						? 'BAD_REFRESH_TOKEN'
						: 'BAD_AUTH_CODE'
					: 'BAD_GRANT_TYPE';
		return {
			status: 400,
			body: {
				status,
				message: outcome.description,
				correlationId: `sbx-${Date.now().toString(36)}`,
			},
		};
	}
	return {
		status: 200,
		body: {
			token_type: 'bearer',
			access_token: outcome.tokens.accessToken,
			refresh_token: outcome.tokens.refreshToken,
			expires_in: outcome.tokens.expiresIn,
		},
	};
}

export function metaRoutes(state: HubSpotState): RouteDefinition[] {
	return [
		{
			method: 'GET',
			template: '/hubspot/crm/v3/properties/:objectType',
			handler: (req) => {
				const type = objectTypeParam(req.params.objectType);
				if (!type)
					return hubspotFailure(
						400,
						'VALIDATION_ERROR',
						`Unable to infer object type from: ${req.params.objectType}`,
					);
				return { status: 200, body: { results: [...state.schemas.get(type)!.values()] } };
			},
		},
		{
			method: 'GET',
			template: '/hubspot/crm/v3/properties/:objectType/:propertyName',
			handler: (req) => {
				const type = objectTypeParam(req.params.objectType);
				const def = type ? state.schemas.get(type)!.get(req.params.propertyName) : undefined;
				if (!def)
					return hubspotFailure(
						404,
						'OBJECT_NOT_FOUND',
						`Unable to find property ${req.params.propertyName}`,
					);
				return { status: 200, body: def };
			},
		},
		{
			method: 'POST',
			template: '/hubspot/crm/v3/properties/:objectType',
			handler: (req) => {
				const type = objectTypeParam(req.params.objectType);
				if (!type)
					return hubspotFailure(
						400,
						'VALIDATION_ERROR',
						`Unable to infer object type from: ${req.params.objectType}`,
					);
				const body = (req.body ?? {}) as Record<string, unknown>;
				const schema = state.schemas.get(type)!;
				if (typeof body.name !== 'string' || !/^[a-z][a-z0-9_]*$/.test(body.name))
					return hubspotFailure(
						400,
						'VALIDATION_ERROR',
						'name is required and must be lower-case letters, digits and underscores.',
					);
				if (schema.has(body.name))
					return hubspotFailure(
						409,
						'OBJECT_ALREADY_EXISTS',
						`A property named '${body.name}' already exists.`,
					);
				const def = customProperty(body, schema.size);
				schema.set(def.name, def);
				return { status: 201, body: def };
			},
		},
		{
			method: 'GET',
			template: '/hubspot/crm/v3/owners',
			handler: (req) => owners(state, req.query),
		},
		{
			method: 'GET',
			template: '/hubspot/crm/v3/owners/:ownerId',
			handler: (req) => {
				const page = owners(state, new URLSearchParams({ limit: String(OWNER_PAGE_MAX) }));
				const found = (page.body as { results: Array<{ id: string }> }).results.find(
					(o) => o.id === req.params.ownerId,
				);
				return found
					? { status: 200, body: found }
					: hubspotFailure(404, 'OBJECT_NOT_FOUND', 'resource not found');
			},
		},
		{
			// A bare JSON array, not a `results` page.
			method: 'GET',
			template: '/hubspot/calling/v1/dispositions',
			handler: () => ({ status: 200, body: HUBSPOT_CALL_DISPOSITIONS.map((d) => ({ ...d })) }),
		},
		{
			method: 'GET',
			template: '/hubspot/account-info/v3/details',
			handler: () => ({
				status: 200,
				body: {
					portalId: PORTAL_ID,
					accountType: 'STANDARD',
					timeZone: 'US/Eastern',
					companyCurrency: 'USD',
					additionalCurrencies: [],
					utcOffset: '-05:00',
					utcOffsetMilliseconds: -18_000_000,
					uiDomain: 'app.hubspot.com',
					dataHostingLocation: 'na1',
				},
			}),
		},
		{
			method: 'POST',
			template: '/hubspot/oauth/v1/token',
			public: true,
			handler: (req) => tokenEndpoint(state, req),
		},
	];
}
