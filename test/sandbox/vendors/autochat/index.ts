/** The autoch.at CRM vendor module: `/autochat/v1/...` with API-key bearer auth and 100 requests/min. */
import type { CoreErrorKind, VendorModule } from '../../core/types';
import { activityRoutes } from './activities';
import { clientRoutes } from './clients';
import { AUTOCHAT_SEED_IDS, newAutochatId, seedAutochat } from './seed';

export { AUTOCHAT_SEED_IDS };

/** autoch.at API keys are long-lived; the sandbox accepts any key starting with `ak_`. */
export const isAutochatApiKey = (token: string): boolean => token.startsWith('ak_');

function errorBody(kind: CoreErrorKind, status: number, message: string): unknown {
	switch (kind) {
		case 'unauthenticated':
			return { error: { message: 'Invalid API key', code: 'unauthorized' } };
		case 'expired':
			return { error: { message: 'API key expired', code: 'unauthorized' } };
		case 'rate_limited':
			return { error: { message: 'Rate limit exceeded', code: 'rate_limited' } };
		case 'not_found':
			return { error: { message, code: status === 405 ? 'method_not_allowed' : 'not_found' } };
		case 'bad_request':
			return { error: { message, code: 'invalid_request' } };
		case 'fault':
			return {
				error: {
					message: status >= 500 ? 'Internal server error' : message,
					code: status >= 500 ? 'internal_error' : 'error',
				},
			};
	}
}

export function createAutochatVendor(): VendorModule {
	return {
		name: 'autochat',
		prefixes: ['/autochat'],
		defaultRateLimit: { requests: 100, windowMs: 60_000 },
		routes(ctx) {
			ctx.tokens.acceptStaticKeys('autochat', isAutochatApiKey);
			const newId = () => newAutochatId(ctx.store.nextSequence('autochat'));
			return [...clientRoutes(ctx, newId), ...activityRoutes(ctx, newId)];
		},
		errorBody,
		rateLimitHeaders: (limit) => ({
			'X-RateLimit-Limit': String(limit.limit),
			'X-RateLimit-Remaining': String(limit.remaining),
			// Epoch seconds, as in the documented example (1640995200).
			'X-RateLimit-Reset': String(Math.ceil(limit.resetAt / 1000)),
		}),
		rateLimitedHeaders: (limit) => ({
			'Retry-After': String(Math.max(1, Math.ceil((limit.resetAt - limit.now) / 1000))),
		}),
		seed: seedAutochat,
		newId: (_objectType, ctx) => newAutochatId(ctx.store.nextSequence('autochat')),
	};
}
