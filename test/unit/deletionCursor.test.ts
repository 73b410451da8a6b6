import fc from 'fast-check';

import {
	orderDeletions,
	readDeletionCursor,
	startDeletionCursor,
	takeDeletions,
	type Deletion,
	type DeletionCursor,
} from '../../nodes/CrmSyncTrigger/logic/deletionCursor';

const at = (millis: number) => new Date(millis).toISOString();
const MINUTE = 60_000;

interface LoggedDeletion {
	id: string;
	/** When the CRM stamped the deletion. */
	t: number;
	/** When it becomes listable (commit lag), never later than the settle delay after t. */
	visibleAt: number;
}

/**
 * A time-listed deletion log as Salesforce's and HubSpot's are: everything visible at the
 * poll from the minute of `since` on (seconds ignored), in no particular order.
 */
function listAt(log: LoggedDeletion[], since: string, now: number, order: number[]): Deletion[] {
	const from = Math.floor(Date.parse(since) / MINUTE) * MINUTE;
	const visible = log
		.filter((entry) => entry.visibleAt <= now && entry.t >= from)
		.map((entry) => ({ id: entry.id, deletedAt: at(entry.t) }));
	return visible
		.map((deletion, index) => ({ deletion, key: order[index % order.length] ?? 0 }))
		.sort((a, b) => a.key - b.key)
		.map((entry) => entry.deletion);
}

describe('takeDeletions — time-listed deletions', () => {
	it('every deletion comes out exactly once over any polls, whatever the listing order, ties and commit lag', () => {
		const settleMs = 30_000;
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						t: fc.integer({ min: 0, max: 10 * MINUTE }),
						lag: fc.integer({ min: 0, max: settleMs }),
					}),
					{ maxLength: 40 },
				),
				fc.array(fc.integer({ min: 0, max: 12 * MINUTE }), { maxLength: 8 }),
				fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 10 }),
				(entries, pollTimes, order) => {
					const base = Date.UTC(2026, 11, 7, 9, 0, 0);
					const log = entries.map((entry, i) => ({
						id: `d${i}`,
						t: base + entry.t,
						visibleAt: base + entry.t + entry.lag,
					}));
					let cursor: DeletionCursor = startDeletionCursor(new Date(base));
					const emitted: string[] = [];
					// Scheduled polls, then one long after everything settled.
					const polls = [
						...pollTimes.map((p) => base + p).sort((a, b) => a - b),
						base + 20 * MINUTE,
					];
					for (const now of polls) {
						const step = takeDeletions(cursor, listAt(log, cursor.since, now, order), {
							settledUntil: now - settleMs,
						});
						emitted.push(...step.emit.map((d) => d.id));
						cursor = readDeletionCursor(JSON.parse(JSON.stringify(step.cursor))) ?? cursor;
					}
					expect([...emitted].sort()).toEqual(log.map((d) => d.id).sort());
				},
			),
			{ numRuns: 300 },
		);
	});

	it('emits oldest first and keeps the ids at the newest time for the next poll', () => {
		const cursor = startDeletionCursor('2026-12-07T09:00:00.000Z');
		const step = takeDeletions(cursor, [
			{ id: 'b', deletedAt: '2026-12-07T09:05:00.000Z' },
			{ id: 'old', deletedAt: '2026-12-07T08:59:59.000Z' },
			{ id: 'a', deletedAt: '2026-12-07T09:05:00.000Z' },
			{ id: 'first', deletedAt: '2026-12-07T09:01:00.000Z' },
		]);
		expect(step.emit.map((d) => d.id)).toEqual(['first', 'a', 'b']);
		expect(step.cursor).toEqual({ since: '2026-12-07T09:05:00.000Z', seenAtSince: ['a', 'b'] });
		const again = takeDeletions(step.cursor, [
			{ id: 'a', deletedAt: '2026-12-07T09:05:00.000Z' },
			{ id: 'b', deletedAt: '2026-12-07T09:05:00.000Z' },
			{ id: 'c', deletedAt: '2026-12-07T09:05:00.000Z' },
		]);
		expect(again.emit.map((d) => d.id)).toEqual(['c']);
	});

	it('holds back deletions younger than the settle line, and everything after them', () => {
		const cursor = startDeletionCursor('2026-12-07T09:00:00.000Z');
		const settledUntil = Date.parse('2026-12-07T09:10:00.000Z');
		const step = takeDeletions(
			cursor,
			[
				{ id: 'late', deletedAt: '2026-12-07T09:11:00.000Z' },
				{ id: 'settled', deletedAt: '2026-12-07T09:09:00.000Z' },
			],
			{ settledUntil },
		);
		expect(step.emit.map((d) => d.id)).toEqual(['settled']);
		expect(step.cursor.since).toBe('2026-12-07T09:09:00.000Z');
	});
});

describe('takeDeletions — token-tracked deletions (no deletion times)', () => {
	it('emits every listed deletion and adopts the token the listing ended with', () => {
		const cursor = startDeletionCursor('2026-12-07T09:00:00.000Z');
		const step = takeDeletions(cursor, [{ id: 'x' }, { id: 'y' }], { resumeToken: 'delta-2' });
		expect(step.emit.map((d) => d.id)).toEqual(['x', 'y']);
		expect(step.cursor.token).toBe('delta-2');
		// Without a new token the stored one stays.
		expect(takeDeletions(step.cursor, []).cursor.token).toBe('delta-2');
	});

	it('keeps the old token when a timed deletion was held back, so the held-back one is read again', () => {
		const cursor: DeletionCursor = {
			...startDeletionCursor('2026-12-07T09:00:00.000Z'),
			token: 'old',
		};
		const step = takeDeletions(cursor, [{ id: 'young', deletedAt: '2026-12-07T09:20:00.000Z' }], {
			settledUntil: Date.parse('2026-12-07T09:10:00.000Z'),
			resumeToken: 'new',
		});
		expect(step.emit).toEqual([]);
		expect(step.cursor.token).toBe('old');
	});
});

describe('readDeletionCursor / orderDeletions', () => {
	it('reads back a stored cursor with its token and refuses malformed ones', () => {
		expect(
			readDeletionCursor({ since: '2026-12-07T09:00:00.000Z', seenAtSince: ['a', 3], token: 't' }),
		).toEqual({
			since: '2026-12-07T09:00:00.000Z',
			seenAtSince: ['a'],
			token: 't',
		});
		expect(readDeletionCursor({ since: 'yesterday' })).toBeUndefined();
		expect(readDeletionCursor('x')).toBeUndefined();
		expect(readDeletionCursor({ since: '2026-12-07T09:00:00.000Z', token: '' })).toEqual({
			since: '2026-12-07T09:00:00.000Z',
			seenAtSince: [],
		});
	});

	it('orders untimed deletions first in listing order, then by time and id', () => {
		expect(
			orderDeletions([
				{ id: 'z', deletedAt: '2026-12-07T09:00:01.000Z' },
				{ id: 'u1' },
				{ id: 'a', deletedAt: '2026-12-07T09:00:01.000Z' },
				{ id: 'u2' },
				{ id: 'early', deletedAt: '2026-12-07T09:00:00.000Z' },
			]).map((d) => d.id),
		).toEqual(['u1', 'u2', 'early', 'a', 'z']);
	});
});
