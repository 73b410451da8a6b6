/**
 * The Salesforce implementation of the CrmProvider port, on jsforce 3 with every call
 * sent through the shared transport (see connection.ts for how jsforce's own retry and
 * session refresh are kept out of the way).
 */
import {
	noUniqueUpsert,
	type CrmProvider,
	type ListChangedRequest,
	type ObjectDescription,
	type RecordWrite,
	type WriteResult,
} from '../CrmProvider';
import { cacheScope, clearCredentialCaches, credentialCache } from '../metadataCache';
import { cachedOwners } from '../ownerCache';
import { createTransport } from '../../transport/createTransport';
import type { TransportOptions } from '../../transport/createTransport';
import type { TokenSource } from '../../transport/types';
import {
	createActivities,
	findActivitiesByKey,
	findActivities,
	updateActivities,
} from './activities';
import type { NoteStyle } from './activities';
import { SalesforceApi } from './api';
import { createRecords, retrieveRecords, updateRecords } from './collections';
import { DEFAULT_API_VERSION, SalesforceConnection, normaliseInstanceUrl } from './connection';
import { toSalesforceFailure } from './errors';
import { withAssociations } from './changeAssociations';
import { listChanged } from './listChanged';
import { deleteRecords } from './deletes';
import { listDeleted } from './listDeleted';
import { listSegmentMembers, listSegments } from './segments';
import { findMatches } from './matching';
import { lookupPeople } from './personLookup';
import { describeObject } from './metadata';
import { normaliseEmail } from './confirm';
import { resolveOwners } from './owners';
import { SALESFORCE_PROFILE } from './profile';
import { assertObjectName } from './soql';

export interface SalesforceProviderOptions {
	tokens: TokenSource;
	/** The org's instance / My Domain URL; kept as is across token refreshes. */
	instanceUrl: string;
	/** REST API version, default 62.0 (set explicitly: jsforce's own default is old). */
	apiVersion?: string;
	/** Credential identity; shares the rate limiter and, with the instance URL, keys the process-wide caches. */
	limiterKey: string;
	/** ContentNote + ContentDocumentLink (default) or the legacy Note object. */
	noteStyle?: NoteStyle;
	/** Transport overrides (retry policy, rate limit, injected sleep/clock for tests). */
	transport?: Partial<TransportOptions>;
	metadataTtlMs?: number;
}

/** Object descriptions of every Salesforce credential in this process. */
const descriptions = credentialCache<ObjectDescription>();

function normalisedEmails(emails: readonly string[]): string[] {
	return [
		...new Set(emails.map(normaliseEmail).filter((email): email is string => email !== undefined)),
	];
}

async function upsert(
	api: SalesforceApi,
	objectType: string,
	writes: RecordWrite[],
): Promise<WriteResult[]> {
	const type = assertObjectName(objectType);
	const results: WriteResult[] = new Array<WriteResult>(writes.length);
	const updates: number[] = [];
	const creates: number[] = [];
	writes.forEach((write, i) => {
		if (write.id) updates.push(i);
		else if (write.idProperty !== undefined)
			results[i] = noUniqueUpsert(SALESFORCE_PROFILE.displayName, write.idProperty);
		else creates.push(i);
	});
	const place = (positions: number[]) => (done: WriteResult[]) =>
		done.forEach((result, j) => (results[positions[j]] = result));
	// A lookup is a plain reference field holding the other record's id (AccountId).
	const fieldsOf = (write: RecordWrite) => ({
		...write.properties,
		...Object.fromEntries((write.lookups ?? []).map((lookup) => [lookup.field, lookup.id])),
	});
	await Promise.all([
		updateRecords(
			api,
			updates.map((i) => ({ type, id: writes[i].id as string, fields: fieldsOf(writes[i]) })),
		).then(place(updates)),
		createRecords(
			api,
			creates.map((i) => ({ type, fields: fieldsOf(writes[i]) })),
		).then(place(creates)),
	]);
	return results;
}

export function createSalesforceProvider(options: SalesforceProviderOptions): CrmProvider {
	const instanceUrl = normaliseInstanceUrl(options.instanceUrl);
	const apiVersion = options.apiVersion ?? DEFAULT_API_VERSION;
	const noteStyle: NoteStyle = options.noteStyle ?? 'contentNote';
	const now = options.transport?.now ?? Date.now;
	const transport = createTransport({
		...options.transport,
		crm: 'salesforce',
		limiterKey: options.limiterKey,
		toFailure: toSalesforceFailure,
		tokens: options.tokens,
	});
	const connection = new SalesforceConnection(
		instanceUrl,
		apiVersion,
		(headers) => transport.recordHeaders(headers),
		options.transport?.retry?.requestTimeoutMs,
	);
	const api = new SalesforceApi(connection, transport);
	const scope = cacheScope(options.limiterKey, instanceUrl);

	return {
		profile: SALESFORCE_PROFILE,
		findMatches: (queries, matchOptions) => findMatches(api, queries, matchOptions),
		lookupPeople: (queries, lookupOptions) => lookupPeople(api, queries, lookupOptions),
		getRecords: (objectType, ids, properties) => retrieveRecords(api, objectType, ids, properties),
		upsertRecords: (objectType, writes) => upsert(api, objectType, writes),
		deleteRecords: (objectType, ids) => deleteRecords(api, objectType, ids),
		createActivities: (drafts) => createActivities(api, drafts, noteStyle),
		updateActivities: (updates) => updateActivities(api, updates, noteStyle),
		findActivities: (lookups) => findActivities(api, lookups),
		findActivitiesByKey: (drafts) => findActivitiesByKey(api, drafts, noteStyle),
		describeObject: (objectType, describeOptions) =>
			descriptions.get(
				scope,
				assertObjectName(objectType),
				() => describeObject(api, objectType, now),
				{
					refresh: describeOptions?.refresh === true,
					ttlMs: options.metadataTtlMs,
					now,
				},
			),
		clearMetadataCache: () => clearCredentialCaches(scope),
		resolveOwners: (emails) =>
			cachedOwners(scope, normalisedEmails(emails), (missing) => resolveOwners(api, missing), now),
		listChanged: (request: ListChangedRequest) => listChanged(api, request),
		readAssociations: (objectType, records) => withAssociations(api, objectType, records),
		listDeleted: (request) => listDeleted(api, request, now()),
		listSegments: (objectType) => listSegments(api, objectType),
		listSegmentMembers: (request) => listSegmentMembers(api, request),
		usage: () => transport.usage(),
	};
}
