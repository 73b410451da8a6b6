import fc from 'fast-check';
import { DateTime } from 'luxon';

import { resolveDueDate } from '../../nodes/shared/logic/dueDate';

describe('resolveDueDate', () => {
	it('keeps a date-only due date as that date in any timezone', () => {
		for (const timezone of [
			'Pacific/Kiritimati',
			'Pacific/Pago_Pago',
			'UTC',
			'America/Los_Angeles',
		]) {
			const due = resolveDueDate('2026-12-01', {
				from: '2026-11-20T10:00:00Z',
				businessDays: 2,
				timezone,
			});
			expect(due.date).toBe('2026-12-01');
			expect(due.source).toBe('item');
		}
	});

	it('counts business days in the chosen timezone (Friday evening Berlin + 1 = Monday)', () => {
		// 2026-11-20 is a Friday; 22:30 UTC is already Saturday 00:30 in Tokyo's +9 but Friday 23:30 in Berlin.
		const berlin = resolveDueDate(undefined, {
			from: '2026-11-20T22:30:00Z',
			businessDays: 1,
			timezone: 'Europe/Berlin',
		});
		expect(berlin).toEqual({
			date: '2026-11-23',
			instant: '2026-11-23T08:00:00.000Z',
			source: 'businessDays',
		});
		const tokyo = resolveDueDate(undefined, {
			from: '2026-11-20T22:30:00Z',
			businessDays: 1,
			timezone: 'Asia/Tokyo',
		});
		expect(tokyo.date).toBe('2026-11-23');
		const sameDay = resolveDueDate(undefined, {
			from: '2026-11-18T10:00:00Z',
			businessDays: 0,
			timezone: 'UTC',
		});
		expect(sameDay.date).toBe('2026-11-18');
	});

	it('converts a due timestamp to the timezone date', () => {
		const due = resolveDueDate('2026-12-01T23:30:00-08:00', {
			from: '2026-11-20T10:00:00Z',
			businessDays: 2,
			timezone: 'Europe/London',
		});
		expect(due.date).toBe('2026-12-02');
		expect(due.instant).toBe('2026-12-02T07:30:00.000Z');
	});

	it('rejects bad input with the value in the message', () => {
		expect(() =>
			resolveDueDate('2026-02-30', {
				from: '2026-11-20T10:00:00Z',
				businessDays: 1,
				timezone: 'UTC',
			}),
		).toThrow('2026-02-30');
		expect(() =>
			resolveDueDate('next week', {
				from: '2026-11-20T10:00:00Z',
				businessDays: 1,
				timezone: 'UTC',
			}),
		).toThrow('next week');
		expect(() =>
			resolveDueDate(undefined, {
				from: '2026-11-20T10:00:00Z',
				businessDays: 1,
				timezone: 'Mars/Olympus',
			}),
		).toThrow('Mars/Olympus');
	});

	it('never lands on a weekend and moves forward by at least the asked business days', () => {
		fc.assert(
			fc.property(
				fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }),
				fc.integer({ min: 1, max: 30 }),
				fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata'),
				(from, days, timezone) => {
					const due = resolveDueDate(undefined, {
						from: from.toISOString(),
						businessDays: days,
						timezone,
					});
					const weekday = new Date(`${due.date}T12:00:00Z`).getUTCDay();
					expect([0, 6]).not.toContain(weekday);
					const localStart = DateTime.fromJSDate(from).setZone(timezone).toISODate()!;
					const calendarDays = DateTime.fromISO(due.date).diff(
						DateTime.fromISO(localStart),
						'days',
					).days;
					// n business days span at least n and at most n + 2 per started week of calendar days
					expect(calendarDays).toBeGreaterThanOrEqual(days);
					expect(calendarDays).toBeLessThanOrEqual(days + 2 * Math.ceil(days / 5) + 2);
				},
			),
		);
	});
});
