/**
 * The Dynamics 365 (Dataverse Web API v9.2) implementation of the CrmProvider port.
 * Each method delegates to a small module; this file only wires the client, the
 * transport and the metadata cache together.
 */
import type { ActivityDraft } from '../../model';
import { createTransport, type TransportOptions } from '../../transport/createTransport';
import type { TokenSource } from '../../transport/types';
import type {
	ActivityLookup,
	ActivityUpdate,
	CrmProvider,
	ListChangedRequest,
	ListDeletedRequest,
	RecordData,
	SegmentMembersRequest,
	MatchOptions,
	MatchQuery,
	PersonLookupOptions,
	RecordWrite,
} from '../CrmProvider';
import { chunk } from '../batch';
import {
	createActivities,
	findActivitiesByKey,
	findActivities,
	updateActivities,
} from './activities';
import { DynamicsClient } from './client';
import { toDynamicsFailure } from './errors';
import { fetchDynamicsHttp, type DynamicsHttp } from './http';
import { listChanged } from './listChanged';
import { deleteRecords } from './deletes';
import { listDeleted } from './listDeleted';
import { listSegmentMembers, listSegments } from './segments';
import { findMatches } from './matching';
import { lookupPeople } from './personLookup';
import { cacheScope, clearCredentialCaches } from '../metadataCache';
import { cachedOwners } from '../ownerCache';
import { DynamicsMetadata } from './metadata';
import { resolveOwners } from './owners';
import { DYNAMICS_PROFILE } from './profile';
import { getRecords, upsertRecords } from './records';

/** Queries per findMatches $batch: ≤ 3 lookups each keeps a batch well under 1000 parts and 64 KB URLs. */
export const DYNAMICS_SEARCH_BATCH = 100;

export interface DynamicsProviderOptions {
	tokens: TokenSource;
	/** `https://<org>.crm.dynamics.com` */
	orgUrl: string;
	limiterKey: string;
	http?: DynamicsHttp;
	/** Overrides for the transport (tests inject sleep/now/random, retry policy, rate limit). */
	transport?: Partial<TransportOptions>;
	metadataTtlMs?: number;
	/** $batch boundary ids; tests inject a counter to assert exact bodies. */
	newId?: () => string;
}

export function createDynamicsProvider(options: DynamicsProviderOptions): CrmProvider {
	const transport = createTransport({
		...options.transport,
		crm: 'dynamics',
		limiterKey: options.limiterKey,
		toFailure: options.transport?.toFailure ?? toDynamicsFailure,
		tokens: options.tokens,
	});
	const client = new DynamicsClient({
		orgUrl: options.orgUrl,
		http: options.http ?? fetchDynamicsHttp,
		transport,
		newId: options.newId,
	});
	const now = options.transport?.now ?? Date.now;
	const scope = cacheScope(options.limiterKey, options.orgUrl);
	const metadata = new DynamicsMetadata(client, scope, options.metadataTtlMs, now);

	return {
		profile: DYNAMICS_PROFILE,

		async findMatches(queries: MatchQuery[], matchOptions: MatchOptions) {
			const results = [];
			for (const slice of chunk(queries, DYNAMICS_SEARCH_BATCH))
				results.push(...(await findMatches(client, slice, matchOptions)));
			return results;
		},

		async lookupPeople(queries: MatchQuery[], lookupOptions: PersonLookupOptions) {
			const results = [];
			for (const slice of chunk(queries, DYNAMICS_SEARCH_BATCH))
				results.push(...(await lookupPeople(client, slice, lookupOptions)));
			return results;
		},

		async getRecords(objectType: string, ids: string[], properties: string[]) {
			return await getRecords(client, await metadata.entity(objectType), ids, properties);
		},

		async upsertRecords(objectType: string, writes: RecordWrite[]) {
			return await upsertRecords(client, await metadata.entity(objectType), writes);
		},

		async deleteRecords(objectType: string, ids: string[]) {
			return await deleteRecords(client, await metadata.entity(objectType), ids);
		},

		async createActivities(drafts: ActivityDraft[]) {
			return await createActivities(client, drafts);
		},

		async updateActivities(updates: ActivityUpdate[]) {
			return await updateActivities(client, updates);
		},

		async findActivities(lookups: ActivityLookup[]) {
			return await findActivities(client, lookups);
		},

		async findActivitiesByKey(drafts: ActivityDraft[]) {
			return await findActivitiesByKey(client, drafts);
		},

		async describeObject(objectType: string, describeOptions?: { refresh?: boolean }) {
			return await metadata.describe(objectType, describeOptions?.refresh ?? false);
		},

		clearMetadataCache() {
			clearCredentialCaches(scope);
		},

		async resolveOwners(emails: string[]) {
			const wanted = emails
				.map((email) => email.trim().toLowerCase())
				.filter((email) => email.includes('@'));
			return await cachedOwners(scope, wanted, (missing) => resolveOwners(client, missing), now);
		},

		async listChanged(request: ListChangedRequest) {
			return await listChanged(client, await metadata.entity(request.objectType), request);
		},

		// The lookup columns came with the listing: nothing left to read.
		async readAssociations(_objectType: string, records: RecordData[]) {
			return await Promise.resolve(
				records.map((record) => ({ ...record, associations: record.associations ?? {} })),
			);
		},

		async listDeleted(request: ListDeletedRequest) {
			return await listDeleted(client, await metadata.entity(request.objectType), request);
		},

		async listSegments(objectType: string) {
			return await listSegments(client, objectType);
		},

		async listSegmentMembers(request: SegmentMembersRequest) {
			return await listSegmentMembers(client, request);
		},

		usage() {
			return transport.usage();
		},
	};
}
