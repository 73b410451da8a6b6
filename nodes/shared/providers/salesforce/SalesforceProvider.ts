/**
 * The Salesforce implementation of the CrmProvider port, on jsforce 3 with every call
 * sent through the shared transport (see connection.ts for how jsforce's own retry and
 * session refresh are kept out of the way).
 */
import type {
	CrmProvider,
	ListChangedRequest,
	ObjectDescription,
	RecordWrite,
	WriteResult,
} from '../CrmProvider';
import { cacheScope, clearCredentialCaches, credentialCache } from '../metadataCache';
import { cachedOwners } from '../ownerCache';
import { createTransport } from '../../transport/createTransport';
import type { TransportOptions } from '../../transport/createTransport';
import { CrmRequestError } from '../../transport/errors';
import type { TokenSource } from '../../transport/types';
import { createSalesforceActivities, findSalesforceActivitiesByKey, findSalesforceActivity, updateSalesforceActivities } from './activities';
import type { NoteStyle } from './activities';
import { SalesforceApi } from './api';
import { createRecords, retrieveRecords, updateRecords, upsertByExternalId } from './collections';
import { DEFAULT_API_VERSION, SalesforceConnection, normaliseInstanceUrl } from './connection';
import { toSalesforceFailure } from './errors';
import { listSalesforceChanges } from './listChanged';
import { findSalesforceMatches } from './matching';
import { describeSalesforceObject } from './metadata';
import { normaliseEmail } from './confirm';
import { resolveSalesforceOwners } from './owners';
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
	return [...new Set(emails.map(normaliseEmail).filter((email): email is string => email !== undefined))];
}

interface DailyLimits {
	DailyApiRequests?: { Max?: number; Remaining?: number };
}

async function upsert(api: SalesforceApi, objectType: string, writes: RecordWrite[]): Promise<WriteResult[]> {
	const type = assertObjectName(objectType);
	const results: WriteResult[] = new Array<WriteResult>(writes.length);
	const updates: number[] = [];
	const creates: number[] = [];
	const byExternalId = new Map<string, number[]>();
	writes.forEach((write, i) => {
		if (write.id) updates.push(i);
		else if (write.idProperty && write.idValue) {
			byExternalId.set(write.idProperty, [...(byExternalId.get(write.idProperty) ?? []), i]);
		} else creates.push(i);
	});
	const place = (positions: number[]) => (done: WriteResult[]) => done.forEach((result, j) => (results[positions[j]] = result));
	await Promise.all([
		updateRecords(
			api,
			updates.map((i) => ({ type, id: writes[i].id as string, fields: writes[i].properties })),
		).then(place(updates)),
		createRecords(
			api,
			creates.map((i) => ({ type, fields: writes[i].properties })),
		).then(place(creates)),
		...[...byExternalId].map(([field, positions]) =>
			upsertByExternalId(
				api,
				type,
				field,
				positions.map((i) => ({ value: writes[i].idValue as string, fields: writes[i].properties })),
			).then(place(positions)),
		),
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
		findMatches: (queries, matchOptions) => findSalesforceMatches(api, queries, matchOptions),
		getRecords: (objectType, ids, properties) => retrieveRecords(api, objectType, ids, properties),
		upsertRecords: (objectType, writes) => upsert(api, objectType, writes),
		createActivities: (drafts) => createSalesforceActivities(api, drafts, noteStyle),
		updateActivities: (updates) => updateSalesforceActivities(api, updates, noteStyle),
		findActivity: (lookup) => findSalesforceActivity(api, lookup),
		findActivitiesByKey: (drafts) => findSalesforceActivitiesByKey(api, drafts, noteStyle),
		describeObject: (objectType, describeOptions) =>
			descriptions.get(scope, assertObjectName(objectType), () => describeSalesforceObject(api, objectType, now), {
				refresh: describeOptions?.refresh === true,
				ttlMs: options.metadataTtlMs,
				now,
			}),
		clearMetadataCache: () => clearCredentialCaches(scope),
		resolveOwners: (emails) => cachedOwners(scope, normalisedEmails(emails), (missing) => resolveSalesforceOwners(api, missing), now),
		listChanged: (request: ListChangedRequest) => listSalesforceChanges(api, request),
		async testConnection() {
			try {
				const limits = await api.get<DailyLimits>('/limits', 'GET /limits');
				const daily = limits.DailyApiRequests;
				const quota =
					daily?.Max !== undefined && daily.Remaining !== undefined
						? `; ${daily.Remaining} of ${daily.Max} daily API requests left`
						: '';
				return { ok: true, message: `Connected to Salesforce (API v${apiVersion})${quota}` };
			} catch (error) {
				// CrmRequestError messages are already redacted; anything else is our own error text.
				const message = error instanceof CrmRequestError || error instanceof Error ? error.message : String(error);
				return { ok: false, message };
			}
		},
		usage: () => transport.usage(),
	};
}
