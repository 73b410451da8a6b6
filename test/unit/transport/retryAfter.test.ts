import { parseRetryAfter } from '../../../nodes/shared/transport/retryAfter';

const NOW = Date.parse('2026-11-21T10:00:00Z');

describe('parseRetryAfter', () => {
	it('reads delay-seconds as milliseconds', () => {
		expect(parseRetryAfter('3', NOW)).toBe(3000);
		expect(parseRetryAfter(' 120 ', NOW)).toBe(120_000);
		expect(parseRetryAfter('0', NOW)).toBe(0);
		expect(parseRetryAfter('1.5', NOW)).toBe(1500);
	});

	it('reads an HTTP-date as the time left until then', () => {
		expect(parseRetryAfter('Sat, 21 Nov 2026 10:00:07 GMT', NOW)).toBe(7000);
		expect(parseRetryAfter('Sat, 21 Nov 2026 09:59:00 GMT', NOW)).toBe(0);
	});

	it('ignores absent, empty, negative and unreadable values', () => {
		expect(parseRetryAfter(undefined, NOW)).toBeUndefined();
		expect(parseRetryAfter('', NOW)).toBeUndefined();
		expect(parseRetryAfter('-5', NOW)).toBeUndefined();
		expect(parseRetryAfter('soon', NOW)).toBeUndefined();
	});
});
