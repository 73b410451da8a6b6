import { createHmac } from 'node:crypto';

import fc from 'fast-check';

import { deliveryKeys, isStale, rememberDelivery, signatureFor, verifySignature } from '../../nodes/shared/logic/webhookSignature';

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
		expect(verifySignature(SECRET, body.replace('c1', 'c2'), good)).toMatchObject({ ok: false, reason: 'mismatch' });
		expect(verifySignature('other-secret', body, good)).toMatchObject({ ok: false, reason: 'mismatch' });
		expect(verifySignature(SECRET, body, undefined)).toMatchObject({ ok: false, reason: 'missing' });
		expect(verifySignature(SECRET, body, '')).toMatchObject({ ok: false, reason: 'missing' });
		expect(verifySignature(SECRET, body, good.replace('sha256=', 'sha1='))).toMatchObject({ ok: false, reason: 'malformed' });
		expect(verifySignature(SECRET, body, good.slice(0, -2))).toMatchObject({ ok: false, reason: 'malformed' });
		expect(verifySignature(SECRET, body, good.slice('sha256='.length))).toMatchObject({ ok: false, reason: 'malformed' });
		expect(verifySignature('', body, good)).toMatchObject({ ok: false, reason: 'no-secret' });
	});

	it('uses the first value when a header is repeated', () => {
		expect(verifySignature(SECRET, body, [signatureFor(SECRET, body), 'sha256=00'])).toEqual({ ok: true });
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
			fc.property(fc.string({ minLength: 1 }), fc.string(), fc.string(), (secret, signed, received) => {
				const result = verifySignature(secret, received, signatureFor(secret, signed));
				expect(result.ok).toBe(signed === received);
			}),
		);
	});
});

describe('replay keys and memory', () => {
	it('identify a delivery by event id and by timestamp + body hash', () => {
		const keys = deliveryKeys(body, '2026-11-21T10:00:00.000Z', 'evt_1');
		expect(keys[0]).toBe('id:evt_1');
		expect(keys[1]).toMatch(/^ts:2026-11-21T10:00:00.000Z:[0-9a-f]{64}$/);
		expect(deliveryKeys(body, '2026-11-21T10:00:00.000Z', undefined)).toEqual([keys[1]]);
		expect(deliveryKeys(`${body} `, '2026-11-21T10:00:00.000Z', undefined)).not.toEqual([keys[1]]);
	});

	it('drops a delivery when any of its keys was seen, and keeps a bounded list', () => {
		const first = rememberDelivery([], ['id:a', 'ts:1:h'], 3);
		expect(first).toEqual({ replay: false, seen: ['id:a', 'ts:1:h'] });
		expect(rememberDelivery(first.seen, ['id:b', 'ts:1:h'], 3).replay).toBe(true);
		expect(rememberDelivery(first.seen, ['id:a', 'ts:2:h'], 3).replay).toBe(true);
		const next = rememberDelivery(first.seen, ['id:c', 'ts:3:h'], 3);
		expect(next).toEqual({ replay: false, seen: ['ts:1:h', 'id:c', 'ts:3:h'] });
	});

	it('property: the list never exceeds its bound and always holds the newest keys', () => {
		fc.assert(
			fc.property(fc.array(fc.uuid(), { maxLength: 60 }), fc.integer({ min: 1, max: 20 }), (ids, max) => {
				let seen: string[] = [];
				for (const id of ids) {
					const result = rememberDelivery(seen, [`id:${id}`], max);
					seen = result.seen;
					expect(seen.length).toBeLessThanOrEqual(max);
					expect(seen.includes(`id:${id}`)).toBe(true);
				}
			}),
		);
	});
});

describe('event age', () => {
	const now = Date.parse('2026-11-21T12:00:00.000Z');
	it('is ignored without a limit, and judged by the timestamp with one', () => {
		expect(isStale(undefined, now, 0)).toBe(false);
		expect(isStale('2020-01-01T00:00:00Z', now, 0)).toBe(false);
		expect(isStale('2026-11-21T11:30:00.000Z', now, 60 * 60_000)).toBe(false);
		expect(isStale('2026-11-21T10:59:59.000Z', now, 60 * 60_000)).toBe(true);
		expect(isStale(undefined, now, 60_000)).toBe(true);
		expect(isStale('yesterday', now, 60_000)).toBe(true);
	});
});
