/**
 * autoch.at CRM REST API v1 clients (docs.autoch.at "API Introduction"): success bodies
 * `{ data }`, errors `{ error: { message, code } }`. Field names follow the docs' snake_case
 * style; the list pagination shape is the sandbox's reading of the docs.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';

import type { StoredRecord } from '../../core/store';
import type { RouteDefinition, SandboxResponse, VendorContext } from '../../core/types';
import { pageOf } from './paging';

export const CLIENT_FIELDS = [
	'name',
	'first_name',
	'last_name',
	'email',
	'phone',
	'company',
	'address',
	'city',
	'state',
	'zip',
	'country',
	'notes',
	'status',
	'tags',
] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function autochatError(status: number, code: string, message: string): SandboxResponse {
	return { status, body: { error: { message, code } } };
}

export function toClient(record: StoredRecord): Record<string, unknown> {
	const out: Record<string, unknown> = { id: record.id };
	for (const field of CLIENT_FIELDS) out[field] = record.fields[field] ?? null;
	out.created_at = record.createdAt;
	out.updated_at = record.updatedAt;
	return out;
}

/** E.164 when parseable (default country US), else bare digits: comparable across formats. */
export function phoneKey(phone: string): string {
	const parsed = parsePhoneNumberFromString(phone, 'US');
	return parsed?.isPossible() ? parsed.number : phone.replace(/\D/g, '');
}

export type ClientWriteCheck =
	{ ok: true; fields: Record<string, unknown> } | { ok: false; response: SandboxResponse };

const reject = (status: number, code: string, message: string): ClientWriteCheck => ({
	ok: false,
	response: autochatError(status, code, message),
});

/** The cleaned fields, or the 400/422 answer. */
export function validateClientWrite(body: unknown, creating: boolean): ClientWriteCheck {
	if (typeof body !== 'object' || body === null || Array.isArray(body))
		return reject(400, 'invalid_request', 'Request body must be a JSON object');
	const input = body as Record<string, unknown>;
	const unknown = Object.keys(input).filter(
		(k) => !(CLIENT_FIELDS as readonly string[]).includes(k) && k !== 'id',
	);
	if (unknown.length > 0)
		return reject(422, 'validation_error', `Unknown field(s): ${unknown.join(', ')}`);
	const name = input.name;
	if (creating && (typeof name !== 'string' || name.trim() === ''))
		return reject(422, 'validation_error', 'name is required');
	if (!creating && 'name' in input && (typeof name !== 'string' || name.trim() === ''))
		return reject(422, 'validation_error', 'name cannot be empty');
	if (
		input.email !== undefined &&
		input.email !== null &&
		(typeof input.email !== 'string' || !EMAIL.test(input.email))
	)
		return reject(422, 'validation_error', 'email is not a valid email address');
	if (
		input.tags !== undefined &&
		input.tags !== null &&
		!(Array.isArray(input.tags) && input.tags.every((t) => typeof t === 'string'))
	)
		return reject(422, 'validation_error', 'tags must be an array of strings');
	for (const field of CLIENT_FIELDS) {
		const value = input[field];
		if (field !== 'tags' && value !== undefined && value !== null && typeof value !== 'string')
			return reject(422, 'validation_error', `${field} must be a string`);
	}
	const fields: Record<string, unknown> = {};
	for (const field of CLIENT_FIELDS) if (field in input) fields[field] = input[field];
	return { ok: true, fields };
}

function listClients(ctx: VendorContext, query: URLSearchParams): SandboxResponse {
	const since = query.get('updated_since');
	const sinceMs = since ? Date.parse(since) : undefined;
	if (sinceMs !== undefined && Number.isNaN(sinceMs))
		return autochatError(400, 'invalid_request', 'updated_since must be an ISO 8601 timestamp');
	const email = query.get('email')?.toLowerCase();
	const phone = query.get('phone');
	const wantedPhone = phone ? phoneKey(phone) : undefined;

	const matching = ctx.store
		.list('autochat', 'clients')
		.filter((r) => !email || String(r.fields.email ?? '').toLowerCase() === email)
		.filter(
			(r) =>
				!wantedPhone ||
				(typeof r.fields.phone === 'string' && phoneKey(r.fields.phone) === wantedPhone),
		)
		.filter((r) => sinceMs === undefined || Date.parse(r.updatedAt) >= sinceMs)
		// Oldest change first, so a poller can resume from the last updated_at it saw.
		.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt) || a.id.localeCompare(b.id));
	return pageOf(matching, query, toClient);
}

export function clientRoutes(ctx: VendorContext, newId: () => string): RouteDefinition[] {
	const find = (id: string) => ctx.store.get('autochat', 'clients', id);
	const notFound = () => autochatError(404, 'not_found', 'Client not found');
	return [
		{
			method: 'GET',
			template: '/autochat/v1/clients',
			handler: (req) => listClients(ctx, req.query),
		},
		{
			method: 'POST',
			template: '/autochat/v1/clients',
			handler: (req) => {
				const check = validateClientWrite(req.body, true);
				if (!check.ok) return check.response;
				const record = ctx.store.insert('autochat', 'clients', newId(), check.fields);
				ctx.emit('autochat', 'client.created', { client: toClient(record) });
				return { status: 201, body: { data: toClient(record) } };
			},
		},
		{
			method: 'GET',
			template: '/autochat/v1/clients/:id',
			handler: (req) => {
				const record = find(req.params.id);
				return record ? { status: 200, body: { data: toClient(record) } } : notFound();
			},
		},
		{
			method: 'PATCH',
			template: '/autochat/v1/clients/:id',
			handler: (req) => {
				if (!find(req.params.id)) return notFound();
				const check = validateClientWrite(req.body, false);
				if (!check.ok) return check.response;
				const record = ctx.store.update('autochat', 'clients', req.params.id, check.fields)!;
				ctx.emit('autochat', 'client.updated', { client: toClient(record) });
				return { status: 200, body: { data: toClient(record) } };
			},
		},
	];
}
