/**
 * Shared set-up for the autoch.at provider tests: a provider on nock-intercepted
 * https://acme.supabase.co/functions/v1/crm-api/v1, a virtual clock that sleeping
 * advances, and a record of every wait the transport asked for.
 */
import nock from 'nock';

import { createAutochatProvider } from '../../../nodes/shared/providers/autochat';
import type { CrmProvider } from '../../../nodes/shared/providers/CrmProvider';
import type { TransportOptions } from '../../../nodes/shared/transport/createTransport';
import { CrmRequestError } from '../../../nodes/shared/transport/errors';

export const ORIGIN = 'https://acme.supabase.co';
export const BASE_PATH = '/functions/v1/crm-api/v1';
export const BASE_URL = `${ORIGIN}${BASE_PATH}`;
export const API_KEY = 'ak_live_9f8e7d6c5b4a39281706f5e4d3c2b1a0';

/** Start of the virtual clock. */
export const CLOCK_START = Date.parse('2026-11-21T10:00:00.000Z');

export interface TestProvider {
	provider: CrmProvider;
	/** Every wait the transport asked for, in order (ms). */
	sleeps: number[];
	now: () => number;
}

let providerCount = 0;

export function makeProvider(
	options: { transport?: Partial<TransportOptions>; apiKey?: string } = {},
): TestProvider {
	const sleeps: number[] = [];
	let time = CLOCK_START;
	const now = (): number => time;
	const provider = createAutochatProvider({
		apiKey: options.apiKey ?? API_KEY,
		baseUrl: BASE_URL,
		limiterKey: `autochat-test-${++providerCount}`,
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
	return { provider, sleeps, now };
}

/** nock scope on the API host that insists on the Bearer key; paths via {@link p}. */
export function api(): nock.Scope {
	return nock(ORIGIN, { reqheaders: { authorization: `Bearer ${API_KEY}` } });
}

/** An API path under the base URL: p('/clients') → /functions/v1/crm-api/v1/clients. */
export const p = (path: string): string => `${BASE_PATH}${path}`;

/** Shared with the other nock-based suites: only 127.0.0.1, no leftover interceptors. */
export { isolateNetwork } from '../../support/isolateNetwork';

/** A client the way the API returns it. */
export function client(id: string, fields: Record<string, unknown> = {}): Record<string, unknown> {
	return {
		id,
		name: 'Alice Nguyen',
		first_name: null,
		last_name: null,
		email: null,
		phone: null,
		company: null,
		notes: null,
		status: 'lead',
		tags: [],
		created_at: '2026-01-01T00:00:00.000Z',
		updated_at: '2026-02-01T00:00:00.000Z',
		...fields,
	};
}

export function listBody(items: unknown[], nextCursor: string | null = null) {
	return {
		data: items,
		pagination: { limit: 100, has_more: nextCursor !== null, next_cursor: nextCursor },
	};
}

export async function caught(promise: Promise<unknown>): Promise<CrmRequestError> {
	try {
		await promise;
	} catch (error) {
		if (error instanceof CrmRequestError) return error;
		throw error;
	}
	throw new Error('expected the call to fail');
}
