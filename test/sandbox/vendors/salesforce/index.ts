/**
 * The Salesforce vendor module: the My Domain token endpoint
 * (`/salesforce/services/oauth2/token`), Salesforce's error shapes and the REST data routes
 * (`/salesforce/services/data/vXX.X/...`, also served at `/services/data/...` for clients
 * that keep only the instance origin): SOQL, SOSL, sObject Collections, single records,
 * describe and limits, on the demo data with 18-character ids. The org's schema (demo or
 * standard) applies to every route of this sandbox.
 */
import { changeCampaignMembers } from './campaigns';
import { evaluateGrant } from '../../core/oauth';
import type {
	CoreErrorKind,
	RouteDefinition,
	SandboxRequest,
	SandboxResponse,
	SandboxSchema,
	VendorContext,
	VendorModule,
} from '../../core/types';
import { canonicalId, salesforceId } from './ids';
import {
	createSalesforceState,
	salesforceDataRoutes,
	type SalesforceSearchOptions,
	type SalesforceState,
} from './routes';
import { withSalesforceSchema } from './schema';
import { SALESFORCE_API_USER_ID, seedSalesforce } from './seed';

export { SALESFORCE_SEED_IDS, SALESFORCE_API_USER_ID } from './seed';
export { salesforceId } from './ids';
export type { SalesforceSearchOptions } from './routes';

/** Salesforce REST errors are arrays of `{ message, errorCode }`. */
export function salesforceError(
	status: number,
	errorCode: string,
	message: string,
	fields?: string[],
): SandboxResponse {
	return { status, body: [{ message, errorCode, ...(fields ? { fields } : {}) }] };
}

function errorBody(kind: CoreErrorKind, status: number, message: string): unknown {
	switch (kind) {
		case 'unauthenticated':
		case 'expired':
			return [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }];
		case 'rate_limited':
			return [{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' }];
		case 'not_found':
			return [
				{
					message: status === 405 ? message : 'The requested resource does not exist',
					errorCode: status === 405 ? 'METHOD_NOT_ALLOWED' : 'NOT_FOUND',
				},
			];
		case 'bad_request':
			return [{ message, errorCode: 'JSON_PARSER_ERROR' }];
		case 'fault':
			return [
				{
					message:
						status >= 500
							? 'An unexpected error occurred. Please include this ErrorId if you contact support.'
							: message,
					errorCode: 'UNKNOWN_EXCEPTION',
				},
			];
	}
}

/** Deterministic org and user ids for the identity URL. */
export const SALESFORCE_ORG_ID = '00D5g000000SbxAEAS';
export const SALESFORCE_USER_ID = SALESFORCE_API_USER_ID;

function tokenEndpoint(
	ctx: VendorContext,
	req: Parameters<RouteDefinition['handler']>[0],
): SandboxResponse {
	// The client-credentials flow returns no refresh token (Salesforce docs).
	const outcome = evaluateGrant(req, 'salesforce', ctx, { refreshTokenOnClientCredentials: false });
	if (!outcome.ok) {
		const description =
			outcome.reason === 'invalid_client'
				? 'invalid client credentials'
				: outcome.reason === 'invalid_grant'
					? outcome.grantType === 'refresh_token'
						? 'expired access/refresh token'
						: 'authentication failure'
					: outcome.reason === 'unsupported_grant_type'
						? 'grant type not supported'
						: outcome.description;
		return { status: 400, body: { error: outcome.reason, error_description: description } };
	}
	const body: Record<string, string> = {
		access_token: outcome.tokens.accessToken,
		signature: Buffer.from(outcome.tokens.accessToken).toString('base64').slice(0, 44),
		scope: 'api refresh_token',
		instance_url: `${ctx.baseUrl()}/salesforce`,
		id: `${ctx.baseUrl()}/salesforce/id/${SALESFORCE_ORG_ID}/${SALESFORCE_USER_ID}`,
		token_type: 'Bearer',
		issued_at: String(ctx.now()),
	};
	// Salesforce sends a refresh token only on the authorization-code exchange.
	if (outcome.grantType === 'authorization_code') body.refresh_token = outcome.tokens.refreshToken;
	return { status: 200, body };
}

export function createSalesforceVendor(
	search: SalesforceSearchOptions = {},
	schema: SandboxSchema = 'demo',
): VendorModule {
	const state = createSalesforceState(search);
	return {
		name: 'salesforce',
		// `/services` serves clients that keep only the instance origin (see routes.ts).
		prefixes: ['/salesforce', '/services'],
		// Salesforce limits per org per 24 h; not enforced by default in the sandbox.
		defaultRateLimit: false,
		routes: (ctx) =>
			[
				{
					method: 'POST',
					template: '/salesforce/services/oauth2/token',
					public: true,
					handler: (req: SandboxRequest) => tokenEndpoint(ctx, req),
				},
				// The same endpoint at the origin, for clients given the origin as the My Domain URL.
				{
					method: 'POST',
					template: '/services/oauth2/token',
					public: true,
					handler: (req: SandboxRequest) => tokenEndpoint(ctx, req),
				},
				...salesforceDataRoutes(ctx, state),
			].map((route) => ({
				...route,
				handler: (req: SandboxRequest) => withSalesforceSchema(schema, () => route.handler(req)),
			})),
		errorBody,
		configure: (settings) => configureSalesforce(state, settings),
		seed: (ctx) => {
			state.cursors.clear();
			state.listViewFilters.clear();
			seedSalesforce(ctx);
		},
		newId: (objectType, ctx) =>
			salesforceId(objectType, 1000 + ctx.store.nextSequence('salesforce')),
		changeMembers: (ctx, campaignId, change) => changeCampaignMembers(ctx, campaignId, change),
	};
}

/**
 * Run-time settings: `searchIndexDelayMs` (SOSL lag), `dailyApiLimit` (the org's daily
 * allocation) and `apiUsage` (calls already counted today), so a test can start near the limit.
 */
function configureSalesforce(
	state: SalesforceState,
	settings: Record<string, unknown>,
): string | undefined {
	const known = ['searchIndexDelayMs', 'dailyApiLimit', 'apiUsage'];
	const unknown = Object.keys(settings).filter(
		(key) => !known.includes(key) && key !== 'listViewFilters',
	);
	if (unknown.length) return `unknown Salesforce sandbox settings: ${unknown.join(', ')}`;
	const filters = settings.listViewFilters;
	if (filters !== undefined) {
		if (typeof filters !== 'object' || filters === null || Array.isArray(filters))
			return 'listViewFilters must be an object of WHERE clauses by list view id';
		for (const [id, where] of Object.entries(filters)) {
			if (typeof where !== 'string') return `listViewFilters.${id} must be a WHERE clause`;
			const canonical = canonicalId(id);
			if (!canonical) return `listViewFilters: "${id}" is not a record id`;
			if (where.trim() === '') state.listViewFilters.delete(canonical);
			else state.listViewFilters.set(canonical, where);
		}
	}
	for (const key of known) {
		const value = settings[key];
		if (value === undefined) continue;
		if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
			return `${key} must be a whole number ≥ 0`;
	}
	const { searchIndexDelayMs, dailyApiLimit, apiUsage } = settings as Record<string, number>;
	if (searchIndexDelayMs !== undefined) state.search.searchIndexDelayMs = searchIndexDelayMs;
	if (dailyApiLimit !== undefined) state.dailyApiLimit = dailyApiLimit;
	if (apiUsage !== undefined) state.apiUsage = apiUsage;
	return undefined;
}
