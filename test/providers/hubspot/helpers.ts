/**
 * Shared set-up for the HubSpot provider tests: a provider wired to nock-intercepted
 * https://api.hubapi.com, a token source that counts refreshes, and an injected sleep
 * that records every wait instead of waiting.
 */
import type { CrmProvider } from '../../../nodes/shared/providers/CrmProvider';
import { createHubSpotProvider } from '../../../nodes/shared/providers/hubspot/HubSpotProvider';
import type { TransportOptions } from '../../../nodes/shared/transport/createTransport';
import type { TokenSource } from '../../../nodes/shared/transport/types';

export const API = 'https://api.hubapi.com';

export interface FakeTokens extends TokenSource {
	refreshes: number;
	current: string;
}

export function fakeTokens(
	initial = 'pat-na1-initial-token-0001',
	next = 'pat-na1-refreshed-token-0002',
): FakeTokens {
	const tokens: FakeTokens = {
		refreshes: 0,
		current: initial,
		async getAccessToken() {
			return tokens.current;
		},
		async refresh() {
			tokens.refreshes++;
			tokens.current = next;
			return next;
		},
	};
	return tokens;
}

export interface TestProvider {
	provider: CrmProvider;
	tokens: FakeTokens;
	/** Every wait the transport asked for, in order (ms). */
	sleeps: number[];
	/** The virtual clock's current time. */
	now: () => number;
}

/** Start of the virtual clock: sleeping advances it instead of waiting. */
export const CLOCK_START = Date.parse('2026-11-21T10:00:00.000Z');

let providerCount = 0;

export function makeProvider(
	options: {
		tokens?: FakeTokens;
		transport?: Partial<TransportOptions>;
		metadataTtlMs?: number;
		limiterKey?: string;
	} = {},
): TestProvider {
	const tokens = options.tokens ?? fakeTokens();
	const sleeps: number[] = [];
	let time = CLOCK_START;
	const now = (): number => time;
	const provider = createHubSpotProvider({
		tokens,
		limiterKey: options.limiterKey ?? `hubspot-test-${++providerCount}`,
		metadataTtlMs: options.metadataTtlMs,
		transport: {
			sleep: async (ms: number) => {
				sleeps.push(ms);
				time += ms;
			},
			now,
			random: () => 0.5,
			...options.transport,
		},
	});
	return { provider, tokens, sleeps, now };
}

/** Shared with the other nock-based suites: only 127.0.0.1, no leftover interceptors. */
export { isolateNetwork } from '../../support/isolateNetwork';

/** A v3 object the way HubSpot returns it. */
export function hsObject(
	id: string,
	properties: Record<string, string | null>,
	extra: Record<string, unknown> = {},
) {
	return {
		id,
		properties: { hs_object_id: id, ...properties },
		createdAt: '2026-01-01T00:00:00.000Z',
		updatedAt: '2026-02-01T00:00:00.000Z',
		archived: false,
		...extra,
	};
}

export function batchBody(results: unknown[], errors: unknown[] = []) {
	return {
		status: 'COMPLETE',
		results,
		...(errors.length ? { errors, numErrors: errors.length } : {}),
		startedAt: '2026-11-21T10:00:00.000Z',
		completedAt: '2026-11-21T10:00:01.000Z',
	};
}
