/**
 * Contracts shared by the sandbox core and its pluggable vendor modules.
 * A vendor module registers routes under its URL prefix and describes its own
 * error shapes; the core owns auth, rate limiting, fault injection and the request log.
 */
import type { IncomingHttpHeaders } from 'node:http';

import type { SandboxStore, StoredRecord } from './store';
import type { TokenRegistry } from './tokens';

export type VendorName = 'hubspot' | 'salesforce' | 'dynamics' | 'autochat';

export const VENDOR_NAMES: readonly VendorName[] = [
	'hubspot',
	'salesforce',
	'dynamics',
	'autochat',
];

/**
 * Which org the sandbox plays: `demo` has the demo's custom properties (HubSpot
 * annual_budget, decision_maker, preferred_contact_date, last_call_summary; Salesforce
 * External_Id__c) and Salesforce's classic Lead Status values; `standard` has only the
 * vendors' standard fields and a customised, restricted Salesforce Lead Status picklist —
 * what a template meets in a real org it was not written for.
 */
export type SandboxSchema = 'demo' | 'standard';

export type JsonValue =
	string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A parsed request as the route handlers see it. */
export interface SandboxRequest {
	method: string;
	/** Path as received, without the query: `/hubspot/crm/v3/objects/contacts/search`. */
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	/** Parsed JSON, parsed form fields (application/x-www-form-urlencoded), raw text, or undefined. */
	body: unknown;
	/** Route parameters from `:name` segments of the matched template. */
	params: Record<string, string>;
	/** The bearer token that passed the auth check (undefined on public routes). */
	token?: string;
}

export interface SandboxResponse {
	status: number;
	/** Serialised as JSON unless undefined (empty body, e.g. 204). */
	body?: unknown;
	/** Sent as is instead of `body` (e.g. a multipart `$batch` answer); set its Content-Type in `headers`. */
	rawBody?: string;
	headers?: Record<string, string>;
}

export type RouteHandler = (req: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

export interface RouteDefinition {
	method: string;
	/** Absolute template, prefix included: `/hubspot/crm/v3/objects/:objectType/search`. */
	template: string;
	handler: RouteHandler;
	/** Public routes (token endpoints) skip the bearer check and the rate limiter. */
	public?: boolean;
}

/** Why the core rejects a request on a vendor's behalf. */
export type CoreErrorKind =
	'unauthenticated' | 'expired' | 'rate_limited' | 'not_found' | 'fault' | 'bad_request';

export interface RateLimitState {
	limit: number;
	remaining: number;
	windowMs: number;
	/** Epoch ms when the oldest request in the window leaves it. */
	resetAt: number;
	/** The sandbox clock when the state was taken (epoch ms). */
	now: number;
}

export interface RateLimitSetting {
	requests: number;
	windowMs: number;
}

/** Everything a vendor module may use from the core. */
export interface VendorContext {
	store: SandboxStore;
	tokens: TokenRegistry;
	now(): number;
	tokenTtlSeconds: number;
	/** `http://127.0.0.1:<port>` once listening (Salesforce's instance_url needs it). */
	baseUrl(): string;
	/** Sends a vendor webhook event to the subscribed local receivers (fire and forget). */
	emit(vendor: VendorName, event: string, data: unknown): void;
}

export interface VendorModule {
	name: VendorName;
	/** URL prefixes served by this module, e.g. ['/hubspot']; Dynamics adds '/microsoft' for its token endpoint. */
	prefixes: string[];
	defaultRateLimit: RateLimitSetting | false;
	routes(ctx: VendorContext): RouteDefinition[];
	/** The vendor's documented error body for core-level rejections. */
	errorBody(kind: CoreErrorKind, status: number, message: string): unknown;
	/** Headers the vendor sends on every limited response (X-HubSpot-RateLimit-*, X-RateLimit-*). */
	rateLimitHeaders?(state: RateLimitState): Record<string, string>;
	/** Extra headers on a 429 from the limiter (e.g. Retry-After). */
	rateLimitedHeaders?(state: RateLimitState): Record<string, string>;
	/** Loads the demo data into the store. */
	seed(ctx: VendorContext): void;
	/**
	 * Turns a record given to the admin records endpoint into stored fields (e.g. derived
	 * HubSpot properties). Optional: the fields are stored as given otherwise.
	 */
	prepareAdminRecord?(
		objectType: string,
		fields: Record<string, unknown>,
		ctx: VendorContext,
	): Record<string, unknown>;
	/** Recomputes derived fields after the admin endpoint stored a record. */
	afterAdminRecord?(objectType: string, record: StoredRecord, ctx: VendorContext): void;
	/** Changes the vendor's realism settings at run time (`POST /__admin/settings/<vendor>`); returns an error message or undefined. */
	configure?(settings: Record<string, unknown>): string | undefined;
	/** Id for a new record of this vendor (HubSpot numeric, Salesforce 18-char, Dataverse GUID …). */
	newId(objectType: string, ctx: VendorContext): string;
	/**
	 * Adds and removes members of a list/segment (HubSpot list, Salesforce campaign, Dynamics
	 * marketing list) as a CRM user would; returns an error message (unknown list, unknown
	 * record) or undefined. Absent for a vendor without lists.
	 */
	changeMembers?(
		ctx: VendorContext,
		segmentId: string,
		change: { add: string[]; remove: string[] },
	): string | undefined;
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}
