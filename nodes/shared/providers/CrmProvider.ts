/**
 * The port every CRM implements. Nodes talk only to this interface; each provider
 * translates these calls into its CRM's batch/search APIs. Every method takes a
 * whole batch so a node makes one provider call per batch of items.
 */
import type { ActivityDraft, ActivityKind, CrmRef, MatchSet, ObjectKind } from '../model';
import type { ApiUsage } from '../transport/types';
import type { CrmProfile } from './profile';

/** One item's lookup keys, already normalised (E.164 phones, lower-case emails/domains). */
export interface MatchQuery {
	phones: string[];
	emails: string[];
	domains: string[];
}

export interface MatchOptions {
	kinds: ObjectKind[];
	/** Only deals/opportunities that are not closed. Default true. */
	openDealsOnly: boolean;
	/** Cap per kind per query, newest first. */
	maxPerKind?: number;
	/**
	 * Where a CRM offers both (its profile's `phoneSearchIndex`): find phones with a query
	 * over committed data in the matching call itself (`query`, the default), or through the
	 * CRM's search index in one more call (`searchIndex`).
	 */
	phoneMatching?: PhoneMatching;
}

export type PhoneMatching = 'query' | 'searchIndex';

export interface RecordWrite {
	/** Present ⇒ update that record. Absent ⇒ create (or upsert by idProperty). */
	id?: string;
	/**
	 * Create as an upsert by a property the CRM holds unique, value taken from `idValue` — only
	 * a property the CRM's profile names in `personKeys.uniqueOnCreate` (HubSpot contacts'
	 * `email`); providers of CRMs without one refuse such a write.
	 */
	idProperty?: string;
	idValue?: string;
	properties: Record<string, unknown>;
	/**
	 * Lookups set with the record: each lookup field (as the profile's `associationWrites`
	 * names it) → the record it points at. The provider writes each its CRM's way.
	 */
	lookups?: RecordLookup[];
}

/** One lookup a record write sets. */
export interface RecordLookup {
	field: string;
	objectType: string;
	id: string;
}

/** One association to create between two existing records. */
export interface AssociationLink {
	fromObjectType: string;
	fromId: string;
	toObjectType: string;
	toId: string;
}

/** Aligned with the links: whether each association exists now. */
export type AssociationResult = { ok: true } | { ok: false; error: CrmErrorInfo };

/** The per-record refusal of an upsert by a unique property, for CRMs whose profile names none. */
export function noUniqueUpsert(displayName: string, idProperty: string): WriteResult {
	return {
		ok: false,
		error: {
			message: `${displayName} has no upsert by a unique property: "${idProperty}" cannot be used`,
			code: 'UNSUPPORTED_ID_PROPERTY',
		},
	};
}

export interface CrmErrorInfo {
	message: string;
	code?: string;
	status?: number;
	/** The write may or may not have been carried out (answer lost, timed out): never retry it blindly. */
	uncertain?: boolean;
	/**
	 * The transport's verdict when the failure was the whole request's (gave-up, rate-limited,
	 * unauthorized …); `code` then keeps the CRM's or the socket's own code for the message.
	 */
	transportKind?: string;
}

/** Aligned with the input array: result[i] belongs to input[i]. */
export type WriteResult =
	{ ok: true; id: string; created: boolean } | { ok: false; error: CrmErrorInfo };

/** Ids of a record's associated records, by kind (contact → company; deal → company and contacts). */
export type RecordAssociations = Partial<Record<ObjectKind, string[]>>;

export interface RecordData {
	id: string;
	objectType: string;
	properties: Record<string, unknown>;
	updatedAt?: string;
	createdAt?: string;
	/** Only when a listing was asked for associations. */
	associations?: RecordAssociations;
}

/** Aligned with the requested ids; undefined where the record does not exist. */
export type ReadResult = Array<RecordData | undefined>;

export interface ActivityUpdate {
	id: string;
	draft: ActivityDraft;
}

export interface ActivityLookup {
	kind: ActivityKind;
	/** Stable key written with the activity (ActivityDraft.key). */
	key?: string;
	conversationId?: string;
	/** Same start time within a tolerance, on the same contact. */
	startAt?: string;
	toleranceMinutes?: number;
	contactId?: string;
}

/**
 * Whether an activity with a draft's key already exists in the CRM.
 * - found: it does (`id` is the activity);
 * - absent: it certainly does not — the lookup reads data the CRM updates with the write
 *   itself (records by id, associations, SOQL/OData filters), not a lagging search index;
 * - unknown: the CRM cannot tell yet (only a lagging search could find it).
 */
export type KeyLookupResult =
	{ status: 'found'; id: string } | { status: 'absent' } | { status: 'unknown'; reason: string };

export interface FieldOption {
	value: string;
	label: string;
}

export interface FieldDescription {
	name: string;
	label: string;
	/** Neutral type: string, number, boolean, date, datetime, enum, multiEnum, reference, other. */
	type: string;
	/** The CRM's own type name, for display. */
	nativeType: string;
	options?: FieldOption[];
	readOnly: boolean;
	required: boolean;
	/** Usable as an upsert/match key (email, external id, phone ...). */
	canBeUsedToMatch: boolean;
}

export interface ObjectDescription {
	objectType: string;
	fields: FieldDescription[];
	/** When this description was fetched (ms since epoch), for the metadata cache. */
	fetchedAt: number;
}

export interface ListChangedRequest {
	objectType: string;
	/** ISO timestamp; records modified at or after it. */
	since: string;
	properties: string[];
	/** Opaque cursor from a previous page. */
	cursor?: string;
	pageSize?: number;
	/** Provider-specific inclusion filter: HubSpot a JSON array of search filters, Salesforce a SOQL condition, Dynamics an OData filter (trusted admin input). */
	filter?: string;
	/**
	 * The records will be given their associations (see `readAssociations`): the listing also
	 * reads the lookup fields that hold them. Only where the profile has `associations`.
	 */
	associations?: boolean;
}

export interface ListDeletedRequest {
	objectType: string;
	/** ISO timestamp; deletions at or after it (a CRM lists them by time or by token, see ListDeletedPage). */
	since: string;
	/** A page cursor (`nextCursor`) or the token a previous listing ended with (`resumeCursor`). */
	cursor?: string;
	pageSize?: number;
}

export interface DeletedRecord {
	id: string;
	objectType: string;
	/** When the CRM deleted (archived) it, where the CRM says. */
	deletedAt?: string;
}

export interface ListDeletedPage {
	/** In no particular order: callers order them by deletedAt themselves. */
	records: DeletedRecord[];
	/** More pages of this listing. */
	nextCursor?: string;
	/**
	 * On a listing's last page, from a CRM that tracks deletions by token (a delta link): what
	 * the next poll passes as `cursor` to read only later deletions. Absent where the CRM lists
	 * deletions by time: the next poll asks again from its own `since`.
	 */
	resumeCursor?: string;
}

export interface ListChangedPage {
	records: RecordData[];
	nextCursor?: string;
	/**
	 * Granularity of the change times this CRM stores (HubSpot: 1 ms). Known only where the
	 * CRM documents it; lets a poll that read every change at its newest timestamp move past
	 * that timestamp instead of re-reading the whole tie on every later poll.
	 */
	changeTimeResolutionMs?: number;
	/**
	 * On the first page of a listing (no cursor given): how many records the CRM counts from
	 * `since` on, this page and all later ones, when it says (an estimate for progress reports;
	 * Dataverse stops counting at 5,000).
	 */
	listedFromSince?: number;
}

/** A list/segment of person records, as the CRM Sync Trigger's drop-down offers it. */
export interface SegmentInfo {
	/** Opaque to callers; what `listSegmentMembers` takes back. */
	id: string;
	name: string;
	/** Kind and size, when the CRM says. */
	description?: string;
}

export interface SegmentMembersRequest {
	segmentId: string;
	/** The person object the trigger watches; a segment of another object is refused. */
	objectType: string;
	/** Opaque cursor from a previous page; stays valid between polls (never a short-lived locator). */
	cursor?: string;
	pageSize?: number;
}

export interface SegmentMembersPage {
	/** Member records of this page, each with its own object (campaigns hold leads and contacts). */
	members: Array<{ id: string; objectType: string }>;
	nextCursor?: string;
}

export interface PersonLookupOptions {
	/** Further person fields to read with the match (the CRM's field names), beyond the standard ones. */
	fields: string[];
	/** The same for leads, where the CRM has them (a lead's fields differ from a contact's). */
	leadFields: string[];
	/** Open deals kept per person, newest first. */
	maxOpenDeals: number;
}

/** What a caller lookup found for one query: the best matching person, its open deals and last activity. */
export interface PersonLookup {
	/** The best match (see logic/bestPerson.ts); absent when nobody matched. */
	person?: CrmRef;
	/** How many people matched the key in all (the best one included). */
	candidates: number;
	/** Open deals of the person (of its company where the CRM links deals there). */
	openDeals: CrmRef[];
	/** When the CRM last saw an activity with the person (its own last-activity field), ISO. */
	lastActivityAt?: string;
}

export interface CrmProvider {
	/** The CRM's static facts (names, object kinds, limits); the same object for every instance. */
	readonly profile: CrmProfile;

	/** One result per query, in order. Every hit is confirmed client-side. */
	findMatches(queries: MatchQuery[], options: MatchOptions): Promise<MatchSet[]>;

	getRecords(objectType: string, ids: string[], properties: string[]): Promise<ReadResult>;
	upsertRecords(objectType: string, writes: RecordWrite[]): Promise<WriteResult[]>;

	/**
	 * Deletes records of one object type, in as few requests as the CRM's batch API allows
	 * (the profile's `recordDeletion.batchSize` per request). Aligned with `ids`; `id` of an ok
	 * result is the record's. A record that is already gone counts as deleted, so a repeated
	 * delete (a retry after a lost answer) succeeds without touching anything else. Present
	 * where the profile's `recordDeletion` is supported.
	 */
	deleteRecords?(objectType: string, ids: string[]): Promise<WriteResult[]>;

	createActivities(drafts: ActivityDraft[]): Promise<WriteResult[]>;
	updateActivities(updates: ActivityUpdate[]): Promise<WriteResult[]>;
	/**
	 * For each lookup, the existing activity it finds (by key, else conversation, else a
	 * meeting on the same contact within the start-time tolerance), or undefined. Aligned
	 * with the input; the whole batch costs as few CRM requests as the CRM's API allows,
	 * and one activity is never the start-time match of two lookups.
	 */
	findActivities(lookups: ActivityLookup[]): Promise<Array<CrmRef | undefined>>;
	/**
	 * For each draft, whether an activity with its key exists on its targets — the check made
	 * before writing again after an attempt whose outcome is unknown. Aligned with the input.
	 */
	findActivitiesByKey(drafts: ActivityDraft[]): Promise<KeyLookupResult[]>;

	describeObject(objectType: string, options?: { refresh?: boolean }): Promise<ObjectDescription>;
	clearMetadataCache(): void;

	/** Owner/user id per email (lower-cased keys); missing emails are absent. */
	resolveOwners(emails: string[]): Promise<Map<string, string>>;

	listChanged(request: ListChangedRequest): Promise<ListChangedPage>;

	/**
	 * Gives records of a listing made with `associations: true` their associated records' ids
	 * (contact → company; deal → company and contacts): from the lookup fields the listing
	 * read, plus one call per associated kind at most for the whole batch. Called only for
	 * the records a poll emits, so re-listed records cost nothing. Where the profile has
	 * `associations`. Timeline activities (the profile's `timeline` objects) carry contacts,
	 * companies and deals; `kinds` narrows which are read (one call fewer per kind left out).
	 */
	readAssociations?(
		objectType: string,
		records: RecordData[],
		kinds?: readonly ObjectKind[],
	): Promise<RecordData[]>;

	/**
	 * Creates associations between existing records (an association that exists already is
	 * left as it is), one request per object pair for the whole batch. Present where the
	 * profile's `associationWrites` names `via: 'api'`.
	 */
	writeAssociations?(links: AssociationLink[]): Promise<AssociationResult[]>;

	/** Records of `objectType` deleted (archived) since a time or token. Present where the profile has `deletions`. */
	listDeleted?(request: ListDeletedRequest): Promise<ListDeletedPage>;

	/** Lists/segments of person records of `objectType`, by name. Present where the profile has `segments`. */
	listSegments?(objectType: string): Promise<SegmentInfo[]>;
	/**
	 * One page of a segment's current members, in a stable order. A segment that does not
	 * exist fails with an error naming it. Present where the profile has `segments`.
	 */
	listSegmentMembers?(request: SegmentMembersRequest): Promise<SegmentMembersPage>;

	/**
	 * Caller lookup: for each query (one phone or one email), the best matching person with
	 * the requested fields, its open deals and last activity, in at most two requests per
	 * query. Present where the profile has `personLookup`.
	 */
	lookupPeople?(queries: MatchQuery[], options: PersonLookupOptions): Promise<PersonLookup[]>;

	/**
	 * The CRM's own list of call outcomes (value = the id a call stores, label = its name),
	 * where the profile stores a call's outcome as a `choice`. Cached per credential.
	 */
	listCallOutcomes?(options?: { refresh?: boolean }): Promise<FieldOption[]>;

	/** API calls made and the latest usage the CRM reported. */
	usage(): ApiUsage;
}
