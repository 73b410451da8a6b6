/**
 * Every autoch.at CRM endpoint path and body shape the pack uses, in one place, because
 * the public docs (docs.autoch.at, "API Introduction" and "Webhooks") do not name all of
 * them. If the vendor documents a different route or shape, only this file changes.
 *
 * Documented (docs.autoch.at "API Introduction", as collected in the team's API notes):
 * - Base URL `https://<instance>.supabase.co/functions/v1/crm-api/v1` (the credential's baseUrl).
 * - `Authorization: Bearer <API key>`, JSON bodies, scopes clients:read / clients:write.
 * - Success envelope `{ "data": … }`, error envelope `{ "error": { "message", "code" } }`.
 * - A clients resource (alongside invoices, quotes, payments, products).
 * - Rate limit 100 requests/min per key; `X-RateLimit-Limit`, `X-RateLimit-Remaining`,
 *   `X-RateLimit-Reset` (epoch seconds in the docs' example); 429 when exceeded.
 *
 * Our REST reading of the documented clients resource (conventional, shared with the sandbox):
 * - `GET /clients`, `POST /clients`, `GET /clients/{id}`, `PATCH /clients/{id}`.
 *
 * Assumed (not in the public docs; the local sandbox implements the same reading):
 * - `GET /clients` query parameters `phone`, `email`, `updated_since`, `limit` (≤ 100) and
 *   `cursor`, and the list body `{ data: [...], pagination: { limit, has_more, next_cursor } }`.
 * - `POST /clients/{id}/activities` with `{ type, subject, body, occurred_at, external_id, metadata }`
 *   and `GET /clients/{id}/activities` (same list shape) — the seed's "conversation notes as
 *   client activities". There is no documented way to update or delete an activity.
 * - No batch endpoints and no users/owners endpoint.
 */

export type AutochatMethod = 'GET' | 'POST' | 'PATCH';

/** One request, relative to the credential's base URL. */
export interface EndpointRequest {
	method: AutochatMethod;
	/** Path with its query string, e.g. `/clients?email=a%40b.example&limit=100`. */
	path: string;
	body?: Record<string, unknown>;
	/** Short text for errors and logs; never contains a record's personal data. */
	label: string;
}

/** The most `GET /clients` returns per page (assumed, as the sandbox enforces). */
export const MAX_PAGE_SIZE = 100;

/** Activity types the pack writes (the sandbox also knows `conversation` and `email`). */
export type AutochatActivityType = 'note' | 'call' | 'meeting';

/** A client as the API returns it. Only `id` is relied on; the rest is read defensively. */
export interface AutochatClientRecord {
	id: string;
	name?: string | null;
	email?: string | null;
	phone?: string | null;
	created_at?: string;
	updated_at?: string;
	[field: string]: unknown;
}

export interface AutochatActivityRecord {
	id: string;
	client_id?: string;
	type?: string;
	subject?: string | null;
	body?: string | null;
	occurred_at?: string | null;
	external_id?: string | null;
	metadata?: Record<string, unknown> | null;
	created_at?: string;
	[field: string]: unknown;
}

export interface ClientListQuery {
	phone?: string;
	email?: string;
	/** ISO timestamp: clients updated at or after it. */
	updatedSince?: string;
	limit?: number;
	cursor?: string;
}

export interface ActivityBody {
	type: AutochatActivityType;
	subject?: string;
	body: string;
	/** ISO timestamp of when it happened. */
	occurred_at: string;
	/** The pack's idempotency key (ActivityDraft.key): how an activity is found again. */
	external_id: string;
	metadata?: Record<string, unknown>;
	[field: string]: unknown;
}

export interface ListPage<T> {
	items: T[];
	/** Present when the API says there is another page. */
	nextCursor?: string;
}

const segment = (id: string): string => encodeURIComponent(id);

function withQuery(path: string, query: Record<string, string | number | undefined>): string {
	const params = new URLSearchParams();
	for (const [name, value] of Object.entries(query))
		if (value !== undefined && value !== '') params.set(name, String(value));
	const text = params.toString();
	return text ? `${path}?${text}` : path;
}

export const autochatEndpoints = {
	listClients(query: ClientListQuery): EndpointRequest {
		return {
			method: 'GET',
			path: withQuery('/clients', {
				phone: query.phone,
				email: query.email,
				updated_since: query.updatedSince,
				limit: query.limit,
				cursor: query.cursor,
			}),
			label: 'GET /clients',
		};
	},
	getClient(id: string): EndpointRequest {
		return { method: 'GET', path: `/clients/${segment(id)}`, label: 'GET /clients/{id}' };
	},
	createClient(fields: Record<string, unknown>): EndpointRequest {
		return { method: 'POST', path: '/clients', body: fields, label: 'POST /clients' };
	},
	updateClient(id: string, fields: Record<string, unknown>): EndpointRequest {
		return {
			method: 'PATCH',
			path: `/clients/${segment(id)}`,
			body: fields,
			label: 'PATCH /clients/{id}',
		};
	},
	createActivity(clientId: string, body: ActivityBody): EndpointRequest {
		return {
			method: 'POST',
			path: `/clients/${segment(clientId)}/activities`,
			body,
			label: 'POST /clients/{id}/activities',
		};
	},
	listActivities(clientId: string, cursor?: string): EndpointRequest {
		return {
			method: 'GET',
			path: withQuery(`/clients/${segment(clientId)}/activities`, { cursor }),
			label: 'GET /clients/{id}/activities',
		};
	},
};

/** Thrown when a 2xx answer is not the `{ data }` envelope we expect. */
export class UnexpectedResponseError extends Error {
	constructor(label: string, what: string) {
		super(`autoch.at CRM ${label} answered with an unexpected body: ${what}`);
		this.name = 'UnexpectedResponseError';
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `{ data: {...} }` with a string id → the record. */
export function readRecord<T extends { id: string }>(body: unknown, label: string): T {
	const data = isObject(body) ? body.data : undefined;
	if (!isObject(data) || typeof data.id !== 'string' || data.id === '') {
		throw new UnexpectedResponseError(label, 'expected { data: { id, … } }');
	}
	return data as T;
}

/** `{ data: [...], pagination?: { has_more, next_cursor } }` → items and the next cursor. */
export function readList<T extends { id: string }>(body: unknown, label: string): ListPage<T> {
	const data = isObject(body) ? body.data : undefined;
	if (!Array.isArray(data)) throw new UnexpectedResponseError(label, 'expected { data: [ … ] }');
	const items = data.filter((entry): entry is T => isObject(entry) && typeof entry.id === 'string');
	const pagination = isObject(body) && isObject(body.pagination) ? body.pagination : undefined;
	const next = pagination?.next_cursor;
	const hasMore = pagination?.has_more !== false;
	return typeof next === 'string' && next !== '' && hasMore
		? { items, nextCursor: next }
		: { items };
}
