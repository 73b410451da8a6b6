/**
 * What every HubSpot module needs to make a call: the SDK facade for the current token,
 * sent through the shared transport (retry, rate limit, token refresh, usage capture).
 */
import type { Transport } from '../../transport/types';
import type { HubSpotApi, HubSpotApiFactory } from './client';

export interface HubSpotSession {
	readonly transport: Transport;
	/** Cache keys are prefixed with it so two credentials never share metadata. */
	readonly limiterKey: string;
	send<T>(
		label: string,
		idempotent: boolean,
		fn: (api: HubSpotApi) => Promise<T>,
		verify?: () => Promise<T | undefined>,
	): Promise<T>;
}

export function createSession(transport: Transport, factory: HubSpotApiFactory, limiterKey: string): HubSpotSession {
	return {
		transport,
		limiterKey,
		send(label, idempotent, fn, verify) {
			return transport.call((ctx) => fn(factory.forToken(ctx.token)), { label, idempotent, verify });
		},
	};
}
