import { createHmac } from 'node:crypto';

import fc from 'fast-check';

import {
	checkEventAge,
	deliveryKeys,
	eventTimeMs,
	signatureFor,
	verifySignature,
} from '../../nodes/AutochatCrmTrigger/logic/webhookSignature';

const SECRET = 'whsec_test_secret';
const body = '{"event":"client.created","timestamp":"2026-11-21T10:00:00.000Z","data":{"id":"c1"}}';

describe('webhook signature', () => {
	it('matches an independently computed HMAC-SHA256 of the raw body', () => {
		const hex = createHmac('sha256', SECRET).update(body).digest('hex');
		expect(signatureFor(SECRET, body)).toBe(`sha256=${hex}`);
		expect(verifySignature(SECRET, Buffer.from(body), `sha256=${hex}`)).toEqual({ ok: true });
		expect(verifySignature(SECRET, body, `SHA256=${hex.toUpperCase()}`)).toEqual({ ok: true });
	});

	it('rejects a tampered body, a wrong secret, a missing or malformed header, and an empty secret', () => {
		const good = signatureFor(SECRET, body);
		expect(verifySignature(SECRET, body.replace('c1', 'c2'), good)).toMatchObject({
			ok: false,
			reason: 'mismatch',
		});
		expect(verifySignature('other-secret', body, good)).toMatchObject({
			ok: false,
			reason: 'mismatch',
		});
		expect(verifySignature(SECRET, body, undefined)).toMatchObject({
			ok: false,
			reason: 'missing',
		});
		expect(verifySignature(SECRET, body, '')).toMatchObject({ ok: false, reason: 'missing' });
		expect(verifySignature(SECRET, body, good.replace('sha256=', 'sha1='))).toMatchObject({
			ok: false,
			reason: 'malformed',
		});
		expect(verifySignature(SECRET, body, good.slice(0, -2))).toMatchObject({
			ok: false,
			reason: 'malformed',
		});
		expect(verifySignature(SECRET, body, good.slice('sha256='.length))).toMatchObject({
			ok: false,
			reason: 'malformed',
		});
		expect(verifySignature('', body, good)).toMatchObject({ ok: false, reason: 'no-secret' });
	});

	it('uses the first value when a header is repeated', () => {
		expect(verifySignature(SECRET, body, [signatureFor(SECRET, body), 'sha256=00'])).toEqual({
			ok: true,
		});
	});

	it('never puts the secret in a failure message', () => {
		for (const header of [undefined, 'bad', signatureFor('x', body)]) {
			const result = verifySignature(SECRET, body, header);
			expect(result.ok).toBe(false);
			if (!result.ok) expect(result.message).not.toContain(SECRET);
		}
	});

	it('property: a signature verifies exactly when body and secret are the ones signed', () => {
		fc.assert(
			fc.property(
				fc.string({ minLength: 1 }),
				fc.string(),
				fc.string(),
				(secret, signed, received) => {
					const result = verifySignature(secret, received, signatureFor(secret, signed));
					expect(result.ok).toBe(signed === received);
				},
			),
		);
	});
});

describe('replay keys', () => {
	it('identify a delivery by event id and by timestamp + body hash', () => {
		const keys = deliveryKeys(body, '2026-11-21T10:00:00.000Z', 'evt_1');
		expect(keys[0]).toBe('id:evt_1');
		expect(keys[1]).toMatch(/^ts:2026-11-21T10:00:00.000Z:[0-9a-f]{64}$/);
		expect(deliveryKeys(body, '2026-11-21T10:00:00.000Z', undefined)).toEqual([keys[1]]);
		expect(deliveryKeys(`${body} `, '2026-11-21T10:00:00.000Z', undefined)).not.toEqual([keys[1]]);
		expect(deliveryKeys(body, 1795000000, undefined)[0]).toMatch(/^ts:1795000000:/);
	});
});

describe('event time', () => {
	const iso = '2026-11-21T10:00:00.000Z';
	const ms = Date.parse(iso);

	it('reads ISO 8601 (zone or UTC when none) and epoch seconds or milliseconds, as numbers or digits', () => {
		expect(eventTimeMs(iso)).toBe(ms);
		expect(eventTimeMs('2026-11-21T11:00:00+01:00')).toBe(ms);
		expect(eventTimeMs('2026-11-21T10:00:00')).toBe(ms);
		expect(eventTimeMs('2026-11-21 10:00:00.000Z')).toBe(ms);
		expect(eventTimeMs(ms / 1000)).toBe(ms);
		expect(eventTimeMs(ms)).toBe(ms);
		expect(eventTimeMs(String(ms / 1000))).toBe(ms);
		expect(eventTimeMs(String(ms))).toBe(ms);
		expect(eventTimeMs(ms / 1000 + 0.25)).toBe(ms + 250);
	});

	it('reads nothing it would have to guess', () => {
		for (const value of [
			undefined,
			null,
			'',
			'yesterday',
			'1',
			'May 2026',
			'2026-11-21',
			'2026-13-40T99:00:00Z',
			-5,
			0,
			Number.NaN,
			{},
			[iso],
		]) {
			expect(eventTimeMs(value)).toBeUndefined();
		}
	});

	it('property: any instant since 2001 round-trips through ISO text, seconds and milliseconds', () => {
		fc.assert(
			fc.property(fc.integer({ min: 1e12, max: 4e12 }), (instant) => {
				expect(eventTimeMs(new Date(instant).toISOString())).toBe(instant);
				expect(eventTimeMs(instant)).toBe(instant);
				expect(eventTimeMs(Math.floor(instant / 1000))).toBe(Math.floor(instant / 1000) * 1000);
			}),
		);
	});
});

describe('event age', () => {
	const now = Date.parse('2026-11-21T12:00:00.000Z');
	const limits = { maxAgeMs: 5 * 60_000, clockSkewMs: 5 * 60_000 };

	it('accepts anything when the check is off', () => {
		expect(checkEventAge(undefined, now, { ...limits, maxAgeMs: 0 }).ok).toBe(true);
		expect(checkEventAge('2020-01-01T00:00:00Z', now, { ...limits, maxAgeMs: 0 }).ok).toBe(true);
	});

	it('accepts a delivery inside the window and at its edges', () => {
		expect(checkEventAge('2026-11-21T11:58:00.000Z', now, limits)).toEqual({
			ok: true,
			sentAtMs: now - 120_000,
		});
		expect(checkEventAge(new Date(now - limits.maxAgeMs).toISOString(), now, limits).ok).toBe(true);
		expect(checkEventAge(new Date(now + limits.clockSkewMs).toISOString(), now, limits).ok).toBe(
			true,
		);
		expect(checkEventAge(Math.floor(now / 1000) - 60, now, limits).ok).toBe(true);
	});

	it('rejects old, future, missing and unreadable timestamps with a message saying which', () => {
		expect(checkEventAge('2020-03-01T09:00:00Z', now, limits)).toEqual({
			ok: false,
			reason: 'too-old',
			message:
				'The event was sent at 2020-03-01T09:00:00.000Z, more than 5 minutes ago (Max Event Age)',
		});
		expect(
			checkEventAge(new Date(now - limits.maxAgeMs - 1).toISOString(), now, limits),
		).toMatchObject({ ok: false, reason: 'too-old' });
		expect(
			checkEventAge(new Date(now + limits.clockSkewMs + 1000).toISOString(), now, limits),
		).toMatchObject({
			ok: false,
			reason: 'in-future',
			message: expect.stringContaining("more than 5 minutes ahead of this server's clock"),
		});
		expect(checkEventAge(undefined, now, limits)).toMatchObject({
			ok: false,
			reason: 'missing',
			message: 'The delivery has no timestamp, so its age cannot be checked',
		});
		expect(checkEventAge('', now, limits)).toMatchObject({ ok: false, reason: 'missing' });
		expect(checkEventAge('last tuesday', now, limits)).toMatchObject({
			ok: false,
			reason: 'unreadable',
			message:
				'The delivery timestamp "last tuesday" is neither ISO 8601 nor epoch seconds/milliseconds',
		});
		const long = checkEventAge('x'.repeat(5000), now, limits);
		expect(long.ok === false && long.message.length).toBeLessThan(200);
	});

	it('property: accepted exactly when the timestamp lies in [now - max age, now + skew]', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: -60 * 60_000, max: 60 * 60_000 }),
				fc.integer({ min: 1, max: 30 }),
				(offset, maxMinutes) => {
					const check = checkEventAge(new Date(now + offset).toISOString(), now, {
						maxAgeMs: maxMinutes * 60_000,
						clockSkewMs: limits.clockSkewMs,
					});
					expect(check.ok).toBe(offset >= -maxMinutes * 60_000 && offset <= limits.clockSkewMs);
				},
			),
		);
	});
});
