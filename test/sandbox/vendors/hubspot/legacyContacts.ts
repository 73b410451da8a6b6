/**
 * The legacy Contacts v1 routes n8n's built-in HubSpot node still uses for contact
 * "Create or Update" (by e-mail) and for reading a contact back — served so the benchmark can
 * run that node against the sandbox as its peer. Records are the same contacts the v3 routes
 * write; values go through the same property validation.
 *
 * v1 shapes: the body is `{ properties: [{ property, value }] }`, the answer `{ vid, isNew }`;
 * a profile is `{ vid, properties: { <name>: { value } } }`.
 */
import type { RouteDefinition, SandboxRequest, SandboxResponse } from '../../core/types';
import { hubspotFailure, propertyValidationError } from './errors';
import { checkWrite, writeRecord } from './records';
import type { HubSpotState } from './state';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function v1Properties(body: unknown): Record<string, unknown> | string {
	const list = (body as { properties?: unknown } | undefined)?.properties;
	if (!Array.isArray(list)) return 'properties must be a list of { property, value }';
	const properties: Record<string, unknown> = {};
	for (const entry of list as Array<{ property?: unknown; value?: unknown }>) {
		if (typeof entry?.property !== 'string') return 'every property needs a "property" name';
		properties[entry.property] = entry.value;
	}
	return properties;
}

function createOrUpdateByEmail(state: HubSpotState, req: SandboxRequest): SandboxResponse {
	const email = decodeURIComponent(req.params.email ?? '')
		.trim()
		.toLowerCase();
	if (!EMAIL.test(email))
		return hubspotFailure(400, 'VALIDATION_ERROR', 'Email address is invalid');
	const properties = v1Properties(req.body);
	if (typeof properties === 'string') return hubspotFailure(400, 'VALIDATION_ERROR', properties);
	const check = checkWrite(state.schemas.get('contacts')!, { ...properties, email });
	if (check.problems.length > 0)
		return { status: 400, body: propertyValidationError(check.problems) };
	const existing = state.ctx.store
		.list('hubspot', 'contacts')
		.find((record) => String(record.fields.email ?? '').toLowerCase() === email);
	const record = writeRecord(
		state.ctx.store,
		'contacts',
		existing?.id ?? state.newId(),
		check.fields,
		existing === undefined,
	);
	return { status: 200, body: { vid: Number(record.id), isNew: existing === undefined } };
}

function profile(state: HubSpotState, req: SandboxRequest): SandboxResponse {
	const record = state.ctx.store.get('hubspot', 'contacts', req.params.vid ?? '');
	if (!record) return hubspotFailure(404, 'OBJECT_NOT_FOUND', 'contact does not exist');
	const properties = Object.fromEntries(
		Object.entries(record.fields)
			.filter(([, value]) => value !== undefined && value !== null)
			.map(([name, value]) => [name, { value: String(value) }]),
	);
	return {
		status: 200,
		body: { vid: Number(record.id), 'canonical-vid': Number(record.id), properties },
	};
}

export function legacyContactRoutes(state: HubSpotState): RouteDefinition[] {
	return [
		{
			method: 'POST',
			template: '/hubspot/contacts/v1/contact/createOrUpdate/email/:email',
			handler: (req) => createOrUpdateByEmail(state, req),
		},
		{
			method: 'GET',
			template: '/hubspot/contacts/v1/contact/vid/:vid/profile',
			handler: (req) => profile(state, req),
		},
	];
}
