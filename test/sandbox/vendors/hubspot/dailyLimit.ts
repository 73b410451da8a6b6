/**
 * HubSpot's daily API limit as private apps meet it: every API request counts against the
 * portal's daily allocation, each answer carries `X-HubSpot-RateLimit-Daily` and
 * `X-HubSpot-RateLimit-Daily-Remaining`, and past the limit every request is answered 429 with
 * the `DAILY` policy until the day ends. OAuth apps have no daily limit: their requests are
 * neither counted nor answered with these headers.
 */
import type { RouteDefinition, SandboxRequest, SandboxResponse } from '../../core/types';
import { hubspotError } from './errors';

/** A Professional portal's private-app allocation. */
export const HUBSPOT_DAILY_API_LIMIT = 500_000;

export const DAILY_LIMIT_MESSAGE = 'You have reached your daily limit.';

export interface HubSpotDailyQuota {
	/** Requests allowed per day. */
	dailyApiLimit: number;
	/** Requests counted today (settable so a test can start near the limit). */
	apiUsage: number;
}

export function createDailyQuota(): HubSpotDailyQuota {
	return { dailyApiLimit: HUBSPOT_DAILY_API_LIMIT, apiUsage: 0 };
}

const isPrivateAppRequest = (req: SandboxRequest): boolean =>
	typeof req.token === 'string' && req.token.startsWith('pat-');

function dailyHeaders(quota: HubSpotDailyQuota): Record<string, string> {
	return {
		'X-HubSpot-RateLimit-Daily': String(quota.dailyApiLimit),
		'X-HubSpot-RateLimit-Daily-Remaining': String(
			Math.max(0, quota.dailyApiLimit - quota.apiUsage),
		),
	};
}

function dailyLimitAnswer(quota: HubSpotDailyQuota): SandboxResponse {
	return {
		status: 429,
		body: hubspotError('RATE_LIMITS', DAILY_LIMIT_MESSAGE, {
			errorType: 'RATE_LIMIT',
			policyName: 'DAILY',
			groupName: 'publicapi:sandbox',
		}),
		headers: dailyHeaders(quota),
	};
}

/** The routes with every private-app request counted against the daily quota. */
export function meteredRoutes(
	routes: RouteDefinition[],
	quota: HubSpotDailyQuota,
): RouteDefinition[] {
	return routes.map((route) =>
		route.public
			? route
			: {
					...route,
					handler: async (req) => {
						if (!isPrivateAppRequest(req)) return await route.handler(req);
						if (quota.apiUsage >= quota.dailyApiLimit) return dailyLimitAnswer(quota);
						quota.apiUsage += 1;
						const answer = await route.handler(req);
						return { ...answer, headers: { ...(answer.headers ?? {}), ...dailyHeaders(quota) } };
					},
				},
	);
}

/** Applies `dailyApiLimit` / `apiUsage` admin settings; returns the problem with them, if any. */
export function configureDailyQuota(
	quota: HubSpotDailyQuota,
	settings: Record<string, unknown>,
): string | undefined {
	for (const key of ['dailyApiLimit', 'apiUsage'] as const) {
		const value = settings[key];
		if (value === undefined) continue;
		if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
			return `${key} must be a whole number ≥ 0`;
	}
	if (typeof settings.dailyApiLimit === 'number') quota.dailyApiLimit = settings.dailyApiLimit;
	if (typeof settings.apiUsage === 'number') quota.apiUsage = settings.apiUsage;
	return undefined;
}
