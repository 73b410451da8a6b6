/**
 * The HubSpot implementation of the CrmProvider port, on @hubspot/api-client v14 with every
 * call sent through the shared transport (retry, Retry-After, rate limit, 401 refresh,
 * usage capture). One provider per credential and execution; caches are process-wide.
 */
import { createTransport, type TransportOptions } from '../../transport/createTransport';
import type { TokenSource } from '../../transport/types';
import type { CrmProvider } from '../CrmProvider';
import { createActivities, lookUpByKey, updateActivities } from './activities';
import { findActivities } from './activityLookup';
import { HubSpotApiFactory } from './client';
import { hubSpotToFailure } from './errors';
import { findMatches } from './matching';
import { lookupPeople } from './personLookup';
import { cacheScope, clearCredentialCaches } from '../metadataCache';
import { deleteRecords } from './deletes';
import { describeObject } from './metadata';
import { listCallOutcomes } from './callOutcomes';
import { resolveOwners } from './owners';
import { writeAssociations } from './associationWrites';
import { withAssociations } from './changeAssociations';
import { listChanged } from './listChanged';
import { listDeleted } from './listDeleted';
import { getRecords, upsertRecords } from './records';
import { HUBSPOT_PROFILE } from './profile';
import { listSegmentMembers, listSegments } from './segments';
import { createSession } from './session';

export const DEFAULT_HUBSPOT_API_BASE_URL = 'https://api.hubapi.com';

export interface HubSpotProviderOptions {
	tokens: TokenSource;
	/** Default https://api.hubapi.com; the sandbox and tests point it elsewhere. */
	apiBaseUrl?: string;
	/** Credential identity: shares the rate limiter and, with the API base URL, keys the process-wide caches. */
	limiterKey: string;
	/** Overrides for the transport (tests inject sleep/random/now; retry/rateLimit tuning). */
	transport?: Partial<TransportOptions>;
	metadataTtlMs?: number;
}

/** HubSpot meters search separately: about 5 requests per second per account; we stay under it. */
export const HUBSPOT_SEARCH_RATE_LIMIT = { requests: 4, windowMs: 1000, concurrency: 4 };

export function createHubSpotProvider(options: HubSpotProviderOptions): CrmProvider {
	const transport = createTransport({
		...options.transport,
		crm: 'hubspot',
		limiterKey: options.limiterKey,
		toFailure: hubSpotToFailure,
		tokens: options.tokens,
	});
	// Its own limiter key and pace; the general rate-limit override does not apply to search.
	const searchTransport = createTransport({
		...options.transport,
		rateLimit: HUBSPOT_SEARCH_RATE_LIMIT,
		crm: 'hubspot',
		limiterKey: `${options.limiterKey}|search`,
		toFailure: hubSpotToFailure,
		tokens: options.tokens,
	});
	const basePath = (options.apiBaseUrl ?? DEFAULT_HUBSPOT_API_BASE_URL).replace(/\/+$/, '');
	const factory = new HubSpotApiFactory({
		basePath,
		onHeaders: (headers) => transport.recordHeaders(headers),
	});
	const scope = cacheScope(options.limiterKey, basePath);
	const session = createSession({ general: transport, search: searchTransport }, factory, scope);
	const now = options.transport?.now ?? Date.now;
	const nowIso = (): string => new Date(now()).toISOString();

	return {
		profile: HUBSPOT_PROFILE,
		findMatches: (queries, matchOptions) => findMatches(session, queries, matchOptions),
		lookupPeople: (queries, lookupOptions) => lookupPeople(session, queries, lookupOptions),
		getRecords: (objectType, ids, properties) => getRecords(session, objectType, ids, properties),
		upsertRecords: (objectType, writes) => upsertRecords(session, objectType, writes),
		deleteRecords: (objectType, ids) => deleteRecords(session, objectType, ids),
		createActivities: (drafts) => createActivities(session, drafts, nowIso),
		updateActivities: (updates) => updateActivities(session, updates, nowIso),
		findActivities: (lookups) => findActivities(session, lookups),
		findActivitiesByKey: (drafts) => lookUpByKey(session, drafts),
		describeObject: (objectType, describeOptions) =>
			describeObject(session, objectType, {
				refresh: describeOptions?.refresh,
				ttlMs: options.metadataTtlMs,
				now,
			}),
		listCallOutcomes: (read) =>
			listCallOutcomes(session, { refresh: read?.refresh, ttlMs: options.metadataTtlMs, now }),
		clearMetadataCache: () => clearCredentialCaches(scope),
		resolveOwners: (emails) => resolveOwners(session, emails, now),
		listChanged: (request) => listChanged(session, request),
		readAssociations: (objectType, records, kinds) =>
			withAssociations(session, objectType, records, kinds),
		writeAssociations: (links) => writeAssociations(session, links),
		listDeleted: (request) => listDeleted(session, request),
		listSegments: (objectType) => listSegments(session, objectType),
		listSegmentMembers: (request) => listSegmentMembers(session, request),
		usage: () => session.usage(),
	};
}
