/**
 * The autoch.at CRM implementation of the CrmProvider port, on fetch with every call sent
 * through the shared transport (100 requests/min per key, 429 waits from Retry-After or
 * X-RateLimit-Reset, backoff on 5xx/resets, usage capture, key redaction). The API key is
 * static: there is no token source, so a 401 fails at once with an "API key rejected" error.
 */
import { createTransport, type TransportOptions } from '../../transport/createTransport';
import type { CrmProvider } from '../CrmProvider';
import {
	createActivities,
	findActivitiesByKey,
	findActivities,
	updateActivities,
} from './activities';
import { AutochatApi } from './api';
import { cacheScope, clearCredentialCaches } from '../metadataCache';
import { createAutochatToFailure } from './errors';
import { listChanged } from './listChanged';
import { findMatches } from './matching';
import { lookupPeople } from './personLookup';
import { describeClient } from './metadata';
import { AUTOCHAT_PROFILE } from './profile';
import { getRecords, upsertRecords } from './records';

export interface AutochatProviderOptions {
	apiKey: string;
	/** The credential's base URL (`autochatApiBase(credentialData)`), e.g. `https://x.supabase.co/functions/v1/crm-api/v1`. */
	baseUrl: string;
	/** Credential identity: transports with the same key share one rate limiter. */
	limiterKey: string;
	/** Overrides for the transport (tests inject sleep/now/random; retry/rateLimit tuning). */
	transport?: Partial<TransportOptions>;
	/** Default global fetch. */
	fetch?: typeof fetch;
}

export function createAutochatProvider(options: AutochatProviderOptions): CrmProvider {
	if (!options.apiKey) throw new Error('autoch.at CRM: the credential has no API key');
	const now = options.transport?.now ?? Date.now;
	const transport = createTransport({
		...options.transport,
		crm: 'autochat',
		limiterKey: options.limiterKey,
		toFailure: createAutochatToFailure(now),
		// A static key: nothing to refresh, a 401 is final.
		tokens: undefined,
		secrets: [...(options.transport?.secrets ?? []), options.apiKey],
	});
	// Each attempt's deadline is the transport's `retry.requestTimeoutMs` (the node's Request Timeout option).
	const api = new AutochatApi({
		baseUrl: options.baseUrl,
		apiKey: options.apiKey,
		transport,
		fetch: options.fetch,
	});
	const nowIso = (): string => new Date(now()).toISOString();

	return {
		profile: AUTOCHAT_PROFILE,
		findMatches: (queries, matchOptions) => findMatches(api, queries, matchOptions),
		lookupPeople: (queries) => lookupPeople(api, queries),
		getRecords: (objectType, ids, properties) => getRecords(api, objectType, ids, properties),
		upsertRecords: (objectType, writes) => upsertRecords(api, objectType, writes),
		createActivities: (drafts) => createActivities(api, drafts, nowIso),
		updateActivities: (updates) => updateActivities(updates),
		findActivities: (lookups) => findActivities(api, lookups),
		findActivitiesByKey: (drafts) => findActivitiesByKey(api, drafts),
		describeObject: async (objectType) => describeClient(objectType, now),
		// Descriptions are static, so nothing of this credential is cached; cleared the same way as any CRM's.
		clearMetadataCache: () =>
			clearCredentialCaches(cacheScope(options.limiterKey, options.baseUrl)),
		// No users/owners endpoint is documented.
		resolveOwners: async () => new Map<string, string>(),
		listChanged: (request) => listChanged(api, request),
		usage: () => transport.usage(),
	};
}
