import fc from 'fast-check';

import {
	meetingTimeGroups,
	packGroups,
} from '../../../nodes/shared/providers/hubspot/activityLookup';
import {
	MAX_FILTER_GROUPS,
	MAX_FILTERS_TOTAL,
	searchLimitViolation,
} from '../../../nodes/shared/providers/hubspot/search';

const T0 = Date.parse('2026-11-22T00:00:00Z');
const MINUTE = 60_000;

describe('HubSpot meeting lookup planning', () => {
	it('gives one contact’s lookups of a day one group and another day its own', () => {
		const lookup = (minutes: number, contactId: string) => ({
			kind: 'meeting' as const,
			startAt: new Date(T0 + minutes * MINUTE).toISOString(),
			toleranceMinutes: 15,
			contactId,
		});
		const groups = meetingTimeGroups([
			lookup(9 * 60, 'a'),
			lookup(17 * 60, 'a'),
			lookup(9 * 60, 'b'),
			lookup(3 * 24 * 60, 'a'),
			// Without a contact there is no time group.
			{ kind: 'meeting', startAt: new Date(T0).toISOString() },
		]);
		expect(groups.map((group) => group.time)).toEqual([
			{ contactId: 'a', from: T0 + (9 * 60 - 15) * MINUTE, to: T0 + (17 * 60 + 15) * MINUTE },
			{
				contactId: 'a',
				from: T0 + (3 * 24 * 60 - 15) * MINUTE,
				to: T0 + (3 * 24 * 60 + 15) * MINUTE,
			},
			{ contactId: 'b', from: T0 + (9 * 60 - 15) * MINUTE, to: T0 + (9 * 60 + 15) * MINUTE },
		]);
	});

	it('packs groups into the fewest requests HubSpot accepts (property)', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 1, max: 10 }), { maxLength: 40 }), (sizes) => {
				const groups = sizes.map((size) => ({
					group: {
						filters: Array.from({ length: size }, () => ({
							propertyName: 'p',
							operator: 'EQ' as const,
							value: 'v',
						})),
					},
				}));
				const requests = packGroups(groups);
				expect(requests.flat()).toEqual(groups);
				for (const request of requests)
					expect(
						searchLimitViolation({ filterGroups: request.map((planned) => planned.group) }),
					).toBeUndefined();
				// Consecutive packing only opens a request when the next group does not fit.
				requests.slice(0, -1).forEach((request, index) => {
					const next = requests[index + 1][0].group.filters.length;
					const used = request.reduce((sum, planned) => sum + planned.group.filters.length, 0);
					expect(request.length >= MAX_FILTER_GROUPS || used + next > MAX_FILTERS_TOTAL).toBe(true);
				});
			}),
		);
	});
});
