/**
 * The autoch.at CRM webhook payload: `{ event, timestamp, data }` (data is the client).
 * Read from the verified raw bytes, not from a re-parsed body, so what runs is what was signed.
 */
import { z } from 'zod';

import { describeIssues } from '../shared/model';

export const WebhookPayloadSchema = z
	.object({
		event: z.string().min(1),
		/** ISO 8601 text or epoch seconds/milliseconds (see eventTimeMs). */
		timestamp: z.union([z.string(), z.number()]).optional(),
		data: z.record(z.unknown()),
		/** Some senders include an event id; when present it is the primary replay key. */
		id: z.union([z.string().min(1), z.number()]).optional(),
		event_id: z.union([z.string().min(1), z.number()]).optional(),
	})
	.passthrough();
export type WebhookPayload = z.infer<typeof WebhookPayloadSchema>;

export type ParsedPayload = { ok: true; payload: WebhookPayload } | { ok: false; message: string };

export function parsePayload(rawBody: Buffer): ParsedPayload {
	let json: unknown;
	try {
		json = JSON.parse(rawBody.toString('utf8'));
	} catch {
		return { ok: false, message: 'The body is not JSON' };
	}
	const result = WebhookPayloadSchema.safeParse(json);
	if (!result.success)
		return {
			ok: false,
			message: `The body is not an autoch.at event: ${describeIssues(result.error)}`,
		};
	return { ok: true, payload: result.data };
}

/** The event id from the payload or the X-Webhook-Id / X-Event-Id header, when the sender gives one. */
export function eventIdOf(
	payload: WebhookPayload,
	headers: Record<string, string | string[] | undefined>,
): string | undefined {
	const header = headers['x-webhook-id'] ?? headers['x-event-id'];
	const fromHeader = Array.isArray(header) ? header[0] : header;
	const id = payload.event_id ?? payload.id ?? fromHeader;
	return id === undefined || id === '' ? undefined : String(id);
}
