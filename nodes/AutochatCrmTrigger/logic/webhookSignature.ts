/**
 * autoch.at CRM webhook authenticity, replay keys and freshness.
 *
 * autoch.at signs every delivery with `X-Webhook-Signature: sha256=<hex>`, the HMAC-SHA256 of
 * the raw request body keyed with the webhook signing secret. The check recomputes it over
 * the exact bytes received (never a re-serialised JSON body) and compares in constant time.
 * A valid signature never expires, so a captured delivery is only harmless once it is too
 * old to run (checkEventAge) or still remembered (deliveryKeys).
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

export function verifySignature(
	secret: string,
	rawBody: Buffer | string,
	header: string | string[] | undefined,
): SignatureCheck {
	if (!secret)
		return {
			ok: false,
			reason: 'no-secret',
			message: 'The credential has no webhook signing secret',
		};
	const value = (Array.isArray(header) ? header[0] : header)?.trim();
	if (!value)
		return { ok: false, reason: 'missing', message: 'The X-Webhook-Signature header is missing' };
	const separator = value.indexOf('=');
	const scheme = separator === -1 ? '' : value.slice(0, separator).toLowerCase();
	const hex = separator === -1 ? '' : value.slice(separator + 1);
	if (scheme !== 'sha256' || !HEX_SHA256.test(hex))
		return {
			ok: false,
			reason: 'malformed',
			message: 'The X-Webhook-Signature header is not "sha256=<hex>"',
		};
	const expected = createHmac('sha256', secret).update(rawBody).digest();
	const received = Buffer.from(hex, 'hex');
	// Both are 32 bytes here (the regex fixed the length), as timingSafeEqual requires.
	if (received.length !== expected.length || !timingSafeEqual(received, expected))
		return {
			ok: false,
			reason: 'mismatch',
			message: 'The X-Webhook-Signature does not match the request body',
		};
	return { ok: true };
}

/**
 * Keys that identify one delivery: the event id when the sender gives one, and always the
 * timestamp + body hash (a resent delivery repeats both). A delivery whose any key was seen
 * before is a replay.
 */
export function deliveryKeys(
	rawBody: Buffer | string,
	timestamp: string | number | undefined,
	eventId: string | undefined,
): string[] {
	const keys: string[] = [];
	if (eventId) keys.push(`id:${eventId}`);
	keys.push(`ts:${timestamp ?? ''}:${createHash('sha256').update(rawBody).digest('hex')}`);
	return keys;
}

/** Below this an epoch number is read as seconds, from it on as milliseconds (1e12 ms = 2001-09-09). */
const EPOCH_MILLISECONDS_FROM = 1e12;
const EPOCH_DIGITS = /^\d{9,16}(\.\d+)?$/;
/** ISO 8601 date-time; a missing zone designator is read as UTC. */
const ISO_DATE_TIME =
	/^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/i;

function fromEpoch(value: number): number | undefined {
	if (!Number.isFinite(value) || value <= 0) return undefined;
	return value < EPOCH_MILLISECONDS_FROM ? Math.round(value * 1000) : Math.round(value);
}

/**
 * When the event was sent, in epoch milliseconds: ISO 8601 date-time text, or epoch seconds /
 * milliseconds as a number or a string of digits. Undefined for anything else (no guessing:
 * `Date.parse` would read "1" or "May" as dates).
 */
export function eventTimeMs(timestamp: unknown): number | undefined {
	if (typeof timestamp === 'number') return fromEpoch(timestamp);
	if (typeof timestamp !== 'string') return undefined;
	const text = timestamp.trim();
	if (EPOCH_DIGITS.test(text)) return fromEpoch(Number(text));
	const iso = ISO_DATE_TIME.exec(text);
	if (!iso) return undefined;
	const parsed = Date.parse(`${iso[1]}T${iso[2]}${iso[5] ?? 'Z'}`);
	return Number.isNaN(parsed) ? undefined : parsed;
}

export interface EventAgeLimits {
	/** Oldest accepted event, in ms; 0 turns the check off. */
	maxAgeMs: number;
	/** How far the sender's clock may run ahead of ours. */
	clockSkewMs: number;
}

export type EventAgeCheck =
	| { ok: true; sentAtMs?: number }
	| { ok: false; reason: 'missing' | 'unreadable' | 'too-old' | 'in-future'; message: string };

const minutes = (ms: number) =>
	`${Math.round((ms / 60_000) * 10) / 10} minute${ms === 60_000 ? '' : 's'}`;

/**
 * Whether a delivery is fresh enough to run: sent at most `maxAgeMs` ago and at most
 * `clockSkewMs` in the future. With the check on, a missing or unreadable timestamp fails:
 * a delivery that cannot prove its age could be a capture of any age.
 */
export function checkEventAge(
	timestamp: unknown,
	nowMs: number,
	limits: EventAgeLimits,
): EventAgeCheck {
	const sentAtMs = eventTimeMs(timestamp);
	if (limits.maxAgeMs <= 0) return { ok: true, sentAtMs };
	if (timestamp === undefined || timestamp === null || timestamp === '')
		return {
			ok: false,
			reason: 'missing',
			message: 'The delivery has no timestamp, so its age cannot be checked',
		};
	if (sentAtMs === undefined) {
		const shown = String(timestamp).slice(0, 40);
		return {
			ok: false,
			reason: 'unreadable',
			message: `The delivery timestamp "${shown}" is neither ISO 8601 nor epoch seconds/milliseconds`,
		};
	}
	const sent = new Date(sentAtMs).toISOString();
	if (nowMs - sentAtMs > limits.maxAgeMs)
		return {
			ok: false,
			reason: 'too-old',
			message: `The event was sent at ${sent}, more than ${minutes(limits.maxAgeMs)} ago (Max Event Age)`,
		};
	if (sentAtMs - nowMs > limits.clockSkewMs)
		return {
			ok: false,
			reason: 'in-future',
			message: `The event timestamp ${sent} is more than ${minutes(limits.clockSkewMs)} ahead of this server's clock`,
		};
	return { ok: true, sentAtMs };
}
