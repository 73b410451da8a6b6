import fc from 'fast-check';

import {
	recoverPendingCreate,
	type Candidate,
	type PendingCreate,
} from '../../nodes/CrmRecordSync/logic/pendingCreate';

const pending: PendingCreate = {
	objectType: 'Opportunity',
	nameField: 'Name',
	name: 'Engines x 3',
	since: '2026-06-01T10:00:00.000Z',
};
const at = (iso: string) => Date.parse(iso);

describe('recovering a create whose answer was lost', () => {
	it('adopts the earliest record of that name created since the attempt', () => {
		const candidates: Candidate[] = [
			{ id: 'b', name: 'engines X 3', createdAt: '2026-06-01T10:00:02.000Z' },
			{ id: 'a', name: 'Engines x 3', createdAt: '2026-06-01T10:00:01.000Z' },
			{ id: 'old', name: 'Engines x 3', createdAt: '2026-05-01T00:00:00.000Z' },
			{ id: 'other', name: 'Other deal', createdAt: '2026-06-01T10:00:00.500Z' },
		];
		expect(recoverPendingCreate(pending, candidates, at('2026-06-01T10:05:00Z'), 60_000)).toEqual({
			status: 'found',
			id: 'a',
		});
	});

	it('none found: unknown while the listing may lag, absent (create) after', () => {
		const old = [{ id: 'old', name: 'Engines x 3', createdAt: '2026-05-01T00:00:00.000Z' }];
		expect(recoverPendingCreate(pending, old, at('2026-06-01T10:00:30Z'), 60_000).status).toBe(
			'unknown',
		);
		expect(recoverPendingCreate(pending, old, at('2026-06-01T10:01:01Z'), 60_000)).toEqual({
			status: 'absent',
		});
		expect(recoverPendingCreate(pending, [], at('2026-06-01T10:00:01Z'), 0)).toEqual({
			status: 'absent',
		});
	});

	it('never adopts a record of another name or one older than the attempt (fast-check)', () => {
		const candidate = fc.record({
			id: fc.string({ minLength: 1, maxLength: 4 }),
			name: fc.constantFrom('Engines x 3', 'ENGINES X 3', 'Other', 7, null),
			createdAt: fc
				.integer({ min: at('2026-05-31T00:00:00Z'), max: at('2026-06-02T00:00:00Z') })
				.map((ms) => new Date(ms).toISOString()),
		});
		fc.assert(
			fc.property(
				fc.uniqueArray(candidate, { maxLength: 8, selector: (c) => c.id }),
				(candidates) => {
					const result = recoverPendingCreate(pending, candidates, at('2026-06-03T00:00:00Z'), 0);
					if (result.status !== 'found') {
						expect(result.status).toBe('absent');
						return;
					}
					const chosen = candidates.find((c) => c.id === result.id)!;
					expect(String(chosen.name).toLowerCase()).toBe('engines x 3');
					expect(Date.parse(chosen.createdAt) >= Date.parse(pending.since)).toBe(true);
				},
			),
		);
	});
});
