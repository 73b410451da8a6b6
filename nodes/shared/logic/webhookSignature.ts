/**
 * autoch.at CRM webhook authenticity and replay keys.
 *
 * autoch.at signs every delivery with `X-Webhook-Signature: sha256=<hex>`, the HMAC-SHA256 of
 * the raw request body keyed with the webhook signing secret. The check recomputes it over
 * the exact bytes received (never a re-serialised JSON body) and compares in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-webhook-signature';

export type SignatureCheck =
	| { ok: true }
	| { ok: false; reason: 'no-secret' | 'missing' | 'malformed' | 'mismatch'; message: string };

const HEX_SHA256 = /^[0-9a-f]{64}$/i;

export function signatureFor(secret: string, rawBody: Buffer | string): string {
	return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

export function verifySignature(secret: string, rawBody: Buffer | string, header: string | string[] | undefined): SignatureCheck {
	if (!secret) return { ok: false, reason: 'no-secret', message: 'The credential has no webhook signing secret' };
	const value = (Array.isArray(header) ? header[0] : header)?.trim();
	if (!value) return { ok: false, reason: 'missing', message: 'The X-Webhook-Signature header is missing' };
	const separator = value.indexOf('=');
	const scheme = separator === -1 ? '' : value.slice(0, separator).toLowerCase();
	const hex = separator === -1 ? '' : value.slice(separator + 1);
	if (scheme !== 'sha256' || !HEX_SHA256.test(hex))
		return { ok: false, reason: 'malformed', message: 'The X-Webhook-Signature header is not "sha256=<hex>"' };
	const expected = createHmac('sha256', secret).update(rawBody).digest();
	const received = Buffer.from(hex, 'hex');
	// Both are 32 bytes here (the regex fixed the length), as timingSafeEqual requires.
	if (received.length !== expected.length || !timingSafeEqual(received, expected))
		return { ok: false, reason: 'mismatch', message: 'The X-Webhook-Signature does not match the request body' };
	return { ok: true };
}

/**
 * Keys that identify one delivery: the event id when the sender gives one, and always the
 * timestamp + body hash (a resent delivery repeats both). A delivery whose any key was seen
 * before is a replay.
 */
export function deliveryKeys(rawBody: Buffer | string, timestamp: string | undefined, eventId: string | undefined): string[] {
	const keys: string[] = [];
	if (eventId) keys.push(`id:${eventId}`);
	keys.push(`ts:${timestamp ?? ''}:${createHash('sha256').update(rawBody).digest('hex')}`);
	return keys;
}

/**
 * A bounded memory of recent delivery keys (oldest dropped first). Returns whether the
 * delivery is a replay and the list to store; a replay leaves the list unchanged.
 */
export function rememberDelivery(seen: readonly string[], keys: readonly string[], max: number): { replay: boolean; seen: string[] } {
	const known = new Set(seen);
	if (keys.some((key) => known.has(key))) return { replay: true, seen: [...seen] };
	const next = [...seen, ...keys];
	return { replay: false, seen: next.length > max ? next.slice(next.length - max) : next };
}

/**
 * A delivery older than the allowed age (or without a readable timestamp) when a limit is
 * set: it closes the gap the bounded replay memory leaves for very old captured deliveries.
 */
export function isStale(timestamp: string | undefined, nowMs: number, maxAgeMs: number): boolean {
	if (maxAgeMs <= 0) return false;
	const sentAt = timestamp ? Date.parse(timestamp) : Number.NaN;
	return Number.isNaN(sentAt) || nowMs - sentAt > maxAgeMs;
}
