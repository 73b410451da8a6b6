/**
 * What the pack knows about one CRM that is not an API call: names, authentication choices,
 * object kinds, person fields, text limits, rate limits and how values are encoded. One
 * static profile per CRM lives in its provider folder (`<crm>/profile.ts`); `profiles.ts`
 * holds the registry. Nodes, descriptions and the transport read a CRM's facts from here
 * instead of comparing CRM names.
 */
import type { ActivityKind, CrmName, ObjectKind, TimelineType } from '../model';
import type { RateLimit } from '../transport/types';

/** One way to authenticate, as offered by the node's Authentication selector. */
export interface AuthChoice {
	/** Value of the node's authentication parameter. */
	value: string;
	name: string;
	description: string;
	/** The n8n credential type this choice asks for. */
	credentialType: string;
	/**
	 * What the credential holds: a static secret the user pasted (an API key, a private app token:
	 * a 401 means the CRM rejected it and there is nothing to refresh), or a token n8n obtains and
	 * renews (OAuth2, client credentials).
	 */
	secret: 'static' | 'renewable';
	/** What the user does when the CRM rejects the credential, in the CRM's own words. */
	whenRejected: string;
}

/** A record kind the pack reads or writes, with the CRM's own object name and label. */
export interface ObjectKindInfo {
	/** API name: `contacts`, `Contact`, `contact`, `client` ... */
	objectType: string;
	/** What the CRM's users call it: Deal, Opportunity, Client ... */
	label: string;
}

/** Person keys a node can match records by. */
export type PersonKey = 'phone' | 'email';

/** Where a contact's (or lead's) standard values live, for reading them as a neutral contact. */
export interface ContactFieldMap {
	firstName: string;
	lastName: string;
	email: string;
	/** Tried in order; the first one that normalises wins. */
	phones: readonly string[];
	/** Boolean do-not-call field, when the CRM has a standard one. */
	doNotCall?: string;
	/** Full-name field split into first/last when those are empty. */
	fullName?: string;
}

/** Person attributes the CRM Sync Trigger offers as ready mappings. */
export type StandardAttributeName = 'leadSource' | 'lifecycleStage';

/** Where one standard attribute lives in this CRM. */
export interface StandardAttributeFacts {
	/** The picklist field per record kind; a kind that is absent has no such field. */
	fields: Readonly<Partial<Record<ObjectKind, string>>>;
	/** Shown in the editor: which field it is, or why there is none. */
	note: string;
}

/** A boolean read from a field: the field itself, or a field whose listed values mean true. */
export type FlagField = string | { field: string; trueWhen: readonly (string | number)[] };

/** Where a company's standard values live, for the CRM Sync Trigger's output. */
export interface CompanyFieldMap {
	name: string;
	domain?: string;
	phone?: string;
	city?: string;
	country?: string;
}

/** Where a deal's standard values live, for the CRM Sync Trigger's output. */
export interface DealFieldMap {
	name: string;
	amount?: string;
	stage?: string;
	closeDate?: string;
	closed?: FlagField;
	won?: FlagField;
}

/** How the CRM Sync Trigger learns of deleted records. */
export interface DeletionFacts {
	/** Shown under the "Include Deletions" toggle: where deletions come from and how far back. */
	description: string;
}

/**
 * Whether record sync can delete a record here (the provider's `deleteRecords`), and what a
 * delete means in this CRM (archived, recycle bin, gone for good).
 */
export type RecordDeletionFacts =
	| {
			supported: true;
			/** Records per delete request. */
			batchSize: number;
			/** Shown under CRM Record Sync's "Deletions" option: what deleting a counterpart does. */
			description: string;
	  }
	| {
			supported: false;
			/** Shown under the same option: why deletions cannot be propagated into this CRM. */
			description: string;
	  };

/** How the CRM Sync Trigger reads associated records' ids. */
export interface AssociationFacts {
	/** Shown under the "Include Associations" toggle. */
	description: string;
}

/** The change listing's inclusion filter, as the CRM Sync Trigger offers it. */
export interface SyncFilter {
	/** Node parameter holding the filter (one per CRM, so each keeps its own value). */
	parameter: string;
	displayName: string;
	/** `json` for a JSON array of search filters, `string` for a query condition. */
	type: 'json' | 'string';
	default: string;
	placeholder?: string;
	description: string;
}

/** The lists/segments of person records the CRM Sync Trigger can watch, in the CRM's words. */
export interface SegmentFacts {
	/** What the CRM calls them, singular: List, Campaign, Marketing List. */
	label: string;
	/** Shown under the drop-down: what is offered and how members are read. */
	description: string;
}

/** What the caller lookup (CRM Contact Lookup) can give for this CRM. */
export interface PersonLookupFacts {
	/** Whether open deals can be read for a person. */
	openDeals: boolean;
	/** The person field the CRM keeps its own last-activity time in; absent when it has none. */
	lastActivityField?: string;
	/** The person field holding the company name, where the person record has one. */
	companyField?: string;
	/** Plain-language limits shown in the node's description (e.g. where deals are found). */
	notes: string;
}

/** Where the CRM keeps a call's outcome (disposition). */
export type CallOutcomeStore =
	/** An id from the CRM's own list of outcomes, read by the provider's `listCallOutcomes`. */
	| { store: 'choice' }
	/** A free text field of at most `maxLength` characters. */
	| { store: 'text'; field: string; maxLength: number }
	/** No field: a readable `Outcome:` line in the call's description. */
	| { store: 'description'; maxLength: number };

/** What a call log can hold beyond its text, in this CRM's terms. */
export interface CallLogFacts {
	outcome: CallOutcomeStore;
	/** Details with no field of their own, written as readable lines in the call's description. */
	inDescription: { numbers: boolean; recording: boolean };
	/**
	 * The object whose fields "Additional Activity Fields" offers (from the CRM's metadata);
	 * absent where the CRM's activities have no describable fields.
	 */
	fieldsObject?: string;
	/** Fields the pack sets itself (key, links, times): Additional Activity Fields cannot set them. */
	reservedFields: readonly string[];
}

/**
 * One address's fields: country and state (which Map State & Country converts), street, city
 * and postal code. The code fields exist where the CRM can store
 * ISO codes in picklists (Salesforce's State and Country/Territory Picklists).
 */
export interface AddressFields {
	country: string;
	state: string;
	/** ISO 3166-1 alpha-2 code (`US`). */
	countryCode?: string;
	/** The ISO 3166-2 code after the country prefix (`CA` for US-CA). */
	stateCode?: string;
	/** The address's other parts, where a mapping (e.g. a template) writes a whole address. */
	street?: string;
	city?: string;
	postalCode?: string;
}

/** How the CRM stores states and countries, and where. */
export interface AddressFacts {
	/** `codes`: ISO code picklists next to the text fields; `names`: free text only. */
	storage: 'codes' | 'names';
	fields: Readonly<Partial<Record<ObjectKind, readonly AddressFields[]>>>;
}

/** Where one timeline activity object keeps what the neutral activity holds (field names). */
export interface TimelineObjectFacts {
	objectType: string;
	/** The activity type of its records; `byField` decides per record where one object holds several. */
	type: TimelineType;
	byField?: { field: string; values: Readonly<Record<string, TimelineType>> };
	subject?: string;
	/** Tried in order, the first with text wins; `html` ones are converted to plain text. */
	body: ReadonlyArray<{ field: string; html: boolean }>;
	/** Tried in order: the activity's own date, then its creation. */
	occurredAt: readonly string[];
	direction?: { field: string; inbound: readonly string[]; outbound: readonly string[] };
	duration?: { field: string; unitMs: number };
	status?: string;
	/** The field CRM Timeline Sync stores its key in when it writes this object (copies are not copied back). */
	keyField?: string;
}

/** Where an activity's people, companies and deals come from. */
export type TimelineLinks =
	/** Association reads (one per page and associated kind). */
	| { by: 'associations' }
	/** Lookup fields on the activity; the kind of a referenced record is told by its id's prefix. */
	| {
			by: 'fields';
			person: string;
			related: string;
			prefixes: Readonly<Record<'contact' | 'lead' | 'company' | 'deal', string>>;
	  };

/** Timeline activities: what CRM Sync Trigger lists, and the task type CRM Timeline Sync writes. */
export interface TimelineFacts {
	objects: readonly TimelineObjectFacts[];
	links: TimelineLinks;
	/** Shown in the editor: what is listed and what it costs. */
	description: string;
}

/** The completed task CRM Timeline Sync writes for a copied activity. */
export interface TimelineTaskFacts {
	objectType: string;
	/** Where the task's type lives: a picklist read by describe, or a text field. */
	typeField: string;
	typeValues: 'picklist' | 'text';
	typeMaxLength: number;
	/** The longest task description (plain text) the CRM stores. */
	descriptionLimit: number;
	/** The status value of a completed task. */
	completedStatus: string;
}
/** Where the CRM keeps one association of a record (its company, a deal's contacts). */
export type AssociationStore =
	/**
	 * A lookup on the record itself, set with the record's own write (`RecordWrite.lookups`):
	 * `fields` are the lookups written (the provider writes each its way), `readField` the field a
	 * read returns the current associated id in.
	 */
	| { via: 'lookup'; fields: readonly string[]; readField: string }
	/** Junction records of another object, added when the record is created. */
	| { via: 'junction'; objectType: string; recordField: string; associatedField: string }
	/**
	 * The CRM's association API: the provider's `writeAssociations` (one request per object pair
	 * per batch), the current links read with `readAssociations`.
	 */
	| { via: 'api' };

/** Record kind → associated kind → where the CRM keeps that association. */
export type AssociationWrites = Readonly<
	Partial<Record<ObjectKind, Readonly<Partial<Record<ObjectKind, AssociationStore>>>>>
>;

export interface CrmProfile {
	crm: CrmName;
	/** The CRM's name in every message, error and log line. */
	displayName: string;
	/** The CRM's name in the editor's CRM selector. */
	selectorLabel: string;
	/** The node parameter choosing how to authenticate (one per CRM, so defaults can differ), and its choices. */
	authentication: { parameter: string; choices: readonly AuthChoice[] };
	/** Record kinds the pack reads and writes; a kind that is absent does not exist in this CRM. */
	objects: Readonly<Partial<Record<ObjectKind, ObjectKindInfo>>>;
	/** Standard person fields of contacts and leads. */
	contactFields: ContactFieldMap;
	/** Lead source and lifecycle stage fields, read by the sync trigger's ready mappings. */
	standardAttributes: Readonly<Record<StandardAttributeName, StandardAttributeFacts>>;
	/** Person keys: the field a new record stores each key in, and every field a lookup matches it against. */
	personKeys: {
		stored: Readonly<Record<PersonKey, string>>;
		lookedUp: Readonly<Record<PersonKey, readonly string[]>>;
		/**
		 * Keys the CRM holds unique for contacts, so a create keyed by one can be sent as an
		 * upsert by that property and never adds a second record for the same person.
		 */
		uniqueOnCreate?: Readonly<Partial<Record<PersonKey, string>>>;
	};
	/**
	 * The longest text the CRM stores in each field the pack writes, applied to the final
	 * stored value (after HTML escaping and the key line a provider appends).
	 */
	textLimits: Readonly<Record<string, number>>;
	/** The longest note body, for composing a note before the provider stores it. */
	noteBodyLimit: number;
	/** Activity kinds that accept exactly one target record per write. */
	singleTargetActivityKinds: readonly ActivityKind[];
	/** Activity kinds the CRM stores. */
	activityKinds: readonly ActivityKind[];
	/** Records per write request (1 where the API has no batch endpoint). */
	writeBatchSize: number;
	/** What the CRM calls a meeting in sync logs: `meeting`, or `event` (Salesforce). */
	meetingName: 'meeting' | 'event';
	/** Whether a written activity can be changed later (false: a correction cannot be applied). */
	activityUpdates: boolean;
	/**
	 * Whether the Note Router offers a meeting (event) instead of a note here, and what that choice
	 * does; absent where only notes are offered.
	 */
	noteAsMeeting?: { parameter: string; description: string };
	/**
	 * Whether the Note Router may write a note as a completed task instead, one per target (for
	 * CRMs whose tasks are where users look for logged activity, and whose task takes one person).
	 */
	notesAsTasks?: boolean;
	/**
	 * Whether matching can find phones through the CRM's search index in one more call instead
	 * of a query inside the matching call (CRM Link's Phone Matching option).
	 */
	phoneSearchIndex?: boolean;
	/** What a call log stores: outcome, phone numbers, recording, further fields. */
	callLog: CallLogFacts;
	/** Meeting details only this CRM stores: a type from a portal-defined list and an outcome. */
	meetingDetails?: { typeField: { objectType: string; field: string }; outcome: boolean };
	/** How field values are sent: the separator of multi-select values, and choices as numbers. */
	fieldValues: { multiSelectSeparator?: string; choicesAsNumbers: boolean };
	/**
	 * The standard fields naming a company and a deal, and the company's website: what record
	 * sync matches companies by (domain) and what makes a record eligible to be created.
	 */
	recordKeys?: {
		company?: { name: string; website: string };
		deal?: { name: string };
		/** The field to read with a record for its change time, where the CRM does not send it anyway. */
		modifiedField?: string;
	};
	/**
	 * How record sync writes each association into this CRM: record kind → associated kind →
	 * where the CRM keeps it. A pair that is absent is reported as not written.
	 */
	associationWrites?: AssociationWrites;
	/** State and country fields of the records the pack writes; absent when it writes none. */
	address?: AddressFacts;
	/** The shape of a record id, where the CRM has a fixed one (a stored id is checked before use). */
	recordIds?: { pattern: RegExp; description: string };
	/** Inclusion filter of the change listing; absent when the CRM's listing has none. */
	syncFilter?: SyncFilter;
	/** Standard company and deal fields the sync trigger outputs; absent for kinds the CRM lacks. */
	recordFields?: { company?: CompanyFieldMap; deal?: DealFieldMap };
	/** Associated records' ids on listed records; absent when the provider cannot read them. */
	associations?: AssociationFacts;
	/** Deleted records listed by the provider's `listDeleted`; absent when the CRM's API cannot list them. */
	deletions?: DeletionFacts;
	/** Whether and how record sync deletes a counterpart in this CRM. */
	recordDeletion: RecordDeletionFacts;
	/** Lists/segments the sync trigger can watch; absent when the CRM has none. */
	segments?: SegmentFacts;
	/** The task CRM Timeline Sync writes; absent where it writes none. */
	timelineTask?: TimelineTaskFacts;
	/** Timeline activities the sync trigger can list; absent when it lists none here. */
	timeline?: TimelineFacts;
	/** Caller lookup support; absent when the CRM's provider has no `lookupPeople`. */
	personLookup?: PersonLookupFacts;
	/** Client-side rate limit per credential, at or below the CRM's documented limit. */
	rateLimit: RateLimit;
	/**
	 * Whether the CRM's answers report the daily API allocation and its use (read into
	 * `usage().daily`, shown in Record Sync's log and used by its daily cap), and what reports it.
	 */
	dailyUsage: { reported: boolean; description: string };
	/**
	 * How long a new record may take to appear in `listChanged` (HubSpot lists changes through
	 * its search index); absent = it appears at once.
	 */
	changeListingLagMs?: number;
	/**
	 * Sent for a required text field a new record would lack (the CRM refuses the create
	 * otherwise) and read back as blank; absent = the CRM does not enforce required fields on
	 * its API, nothing is filled.
	 */
	requiredTextPlaceholder?: string;
	/**
	 * A converted lead: the flag and the field naming the contact it became. A converted lead
	 * refuses updates, so a link to one is followed to its contact. Absent = leads are not
	 * converted in place.
	 */
	leadConversion?: { convertedField: string; contactField: string };
}
