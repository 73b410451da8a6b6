/**
 * Conversation notes as client activities.
 * ASSUMED ENDPOINT: autoch.at's public docs list clients, invoices, quotes, payments and
 * products but do not document an activities resource. `POST /v1/clients/{id}/activities`
 * (and its GET list) is the sandbox's stand-in for "conversation notes as client
 * activities" until the vendor documents the real route.
 */
import type { StoredRecord } from '../../core/store';
import type { RouteDefinition, VendorContext } from '../../core/types';
import { autochatError } from './clients';
import { pageOf } from './paging';

export const ACTIVITY_TYPES = ['note', 'call', 'conversation', 'email', 'meeting'] as const;
const ACTIVITY_FIELDS = [
	'type',
	'subject',
	'body',
	'occurred_at',
	'channel',
	'external_id',
	'metadata',
] as const;
/** Assumed like the route itself; the pack assumes the same limits. */
export const MAX_ACTIVITY_BODY = 10_000;
export const MAX_ACTIVITY_SUBJECT = 255;

function toActivity(record: StoredRecord): Record<string, unknown> {
	const out: Record<string, unknown> = { id: record.id, client_id: record.fields.client_id };
	for (const field of ACTIVITY_FIELDS) out[field] = record.fields[field] ?? null;
	out.created_at = record.createdAt;
	return out;
}

export function activityRoutes(ctx: VendorContext, newId: () => string): RouteDefinition[] {
	return [
		{
			method: 'POST',
			template: '/autochat/v1/clients/:id/activities',
			handler: (req) => {
				if (!ctx.store.get('autochat', 'clients', req.params.id))
					return autochatError(404, 'not_found', 'Client not found');
				if (typeof req.body !== 'object' || req.body === null || Array.isArray(req.body))
					return autochatError(400, 'invalid_request', 'Request body must be a JSON object');
				const input = req.body as Record<string, unknown>;
				const type = input.type ?? 'note';
				if (!(ACTIVITY_TYPES as readonly unknown[]).includes(type))
					return autochatError(
						422,
						'validation_error',
						`type must be one of ${ACTIVITY_TYPES.join(', ')}`,
					);
				if (typeof input.body !== 'string' || input.body.trim() === '')
					return autochatError(422, 'validation_error', 'body is required');
				if (input.body.length > MAX_ACTIVITY_BODY)
					return autochatError(
						422,
						'validation_error',
						`body must be at most ${MAX_ACTIVITY_BODY} characters`,
					);
				if (
					input.subject !== undefined &&
					input.subject !== null &&
					(typeof input.subject !== 'string' || input.subject.length > MAX_ACTIVITY_SUBJECT)
				)
					return autochatError(
						422,
						'validation_error',
						`subject must be a string of at most ${MAX_ACTIVITY_SUBJECT} characters`,
					);
				if (
					input.metadata !== undefined &&
					input.metadata !== null &&
					(typeof input.metadata !== 'object' || Array.isArray(input.metadata))
				)
					return autochatError(422, 'validation_error', 'metadata must be an object');
				if (
					input.occurred_at !== undefined &&
					(typeof input.occurred_at !== 'string' || Number.isNaN(Date.parse(input.occurred_at)))
				)
					return autochatError(
						422,
						'validation_error',
						'occurred_at must be an ISO 8601 timestamp',
					);
				const fields: Record<string, unknown> = { client_id: req.params.id, type };
				for (const field of ACTIVITY_FIELDS)
					if (field !== 'type' && input[field] !== undefined) fields[field] = input[field];
				const record = ctx.store.insert('autochat', 'activities', newId(), fields);
				return { status: 201, body: { data: toActivity(record) } };
			},
		},
		{
			method: 'GET',
			template: '/autochat/v1/clients/:id/activities',
			handler: (req) => {
				if (!ctx.store.get('autochat', 'clients', req.params.id))
					return autochatError(404, 'not_found', 'Client not found');
				const list = ctx.store
					.list('autochat', 'activities')
					.filter((a) => a.fields.client_id === req.params.id);
				return pageOf(list, req.query, toActivity);
			},
		},
	];
}
