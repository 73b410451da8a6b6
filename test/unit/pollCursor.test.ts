import fc from 'fast-check';

import {
	closeTies,
	readCursor,
	startCursor,
	takePage,
	type ChangedRecord,
	type PollCursor,
} from '../../nodes/CrmSyncTrigger/logic/pollCursor';

const at = (millis: number) => new Date(millis).toISOString();
const rec = (id: string, millis: number): ChangedRecord => ({ id, updatedAt: at(millis) });
const ids = (records: ChangedRecord[]) => records.map((r) => r.id);

/** What a provider does: records changed at or after `since`, oldest first, id as tie-breaker. */
function listing(store: Map<string, number>, since: string): ChangedRecord[] {
	const from = Date.parse(since);
	return [...store.entries()]
		.filter(([, t]) => t >= from)
		.sort(([a, ta], [b, tb]) => ta - tb || a.localeCompare(b))
		.map(([id, t]) => rec(id, t));
}

function pages<T>(records: T[], sizes: number[]): T[][] {
	const out: T[][] = [];
	let offset = 0;
	for (let i = 0; offset < records.length; i++) {
		const size = sizes[i % sizes.length] as number;
		out.push(records.slice(offset, offset + size));
		offset += size;
	}
	return out;
}

/**
 * One poll as the node runs it: pages through the listing until `maxRecords` were emitted
 * or, once something was emitted, the time budget (`budgetPages` pages) is spent.
 */
function poll(
	store: Map<string, number>,
	cursor: PollCursor,
	sizes: number[],
	maxRecords: number,
	budgetPages = Number.MAX_SAFE_INTEGER,
) {
	const emitted: ChangedRecord[] = [];
	let current = cursor;
	let fetched = 0;
	for (const page of pages(listing(store, cursor.since), sizes)) {
		const step = takePage(current, page);
		current = step.cursor;
		emitted.push(...step.emit);
		fetched++;
		if (emitted.length >= maxRecords || (emitted.length > 0 && fetched >= budgetPages)) break;
	}
	return { emitted, cursor: current };
}

describe('takePage — ties on the cursor timestamp', () => {
	const T = Date.parse('2026-11-21T10:00:00.000Z');

	it('emits seven records sharing one timestamp exactly once across page boundaries and polls', () => {
		const store = new Map(Array.from({ length: 7 }, (_, i) => [`c${i}`, T] as [string, number]));
		let cursor = startCursor(new Date(T - 60_000));
		const seen: string[] = [];
		// Each poll stops after three records (pages of three): three polls drain it, the fourth finds nothing.
		for (let i = 0; i < 4; i++) {
			const result = poll(store, cursor, [3], 3);
			seen.push(...ids(result.emitted));
			cursor = result.cursor;
		}
		expect(seen).toEqual(['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6']);
		expect(cursor).toEqual({
			since: at(T),
			seenAtSince: ['c0', 'c1', 'c2', 'c3', 'c4', 'c5', 'c6'],
		});
	});

	it('picks up a record added later at the very timestamp of the cursor, and nothing else', () => {
		const store = new Map<string, number>([
			['a', T],
			['b', T],
		]);
		const first = poll(store, startCursor(new Date(T - 1)), [10], 10);
		expect(ids(first.emitted)).toEqual(['a', 'b']);
		store.set('c', T);
		const second = poll(store, first.cursor, [10], 10);
		expect(ids(second.emitted)).toEqual(['c']);
	});

	it('emits a record again when it changes again later, and forgets old ids once time moves on', () => {
		const step1 = takePage(startCursor(new Date(T)), [rec('a', T), rec('b', T)]);
		const step2 = takePage(step1.cursor, [rec('a', T), rec('b', T), rec('a', T + 5)]);
		expect(ids(step2.emit)).toEqual(['a']);
		expect(step2.cursor).toEqual({ since: at(T + 5), seenAtSince: ['a'] });
	});

	it('drops records older than the cursor and emits records without a change time without moving it', () => {
		const step = takePage(startCursor(new Date(T)), [rec('old', T - 1), { id: 'undated' }]);
		expect(ids(step.emit)).toEqual(['undated']);
		expect(step.cursor).toEqual({ since: at(T), seenAtSince: [] });
	});

	it('reads Salesforce-style offsets and epoch milliseconds as the same instant', () => {
		const step = takePage(startCursor(new Date(T)), [
			{ id: 'sf', updatedAt: '2026-11-21T10:00:00.000+0000' },
			{ id: 'hs', updatedAt: String(T) },
		]);
		expect(step.cursor).toEqual({ since: at(T), seenAtSince: ['sf', 'hs'] });
	});
});

describe('readCursor / startCursor', () => {
	it('round-trips a stored cursor and rejects malformed ones', () => {
		const cursor = { since: '2026-11-21T10:00:00.000Z', seenAtSince: ['1', '2'] };
		expect(readCursor(JSON.parse(JSON.stringify(cursor)))).toEqual(cursor);
		expect(readCursor({ since: 'yesterday' })).toBeUndefined();
		expect(readCursor(undefined)).toBeUndefined();
		expect(readCursor({ since: cursor.since, seenAtSince: ['x', 3] })).toEqual({
			since: cursor.since,
			seenAtSince: ['x'],
		});
		expect(() => startCursor('not a date')).toThrow(/not a valid start time/);
	});
});

type Step =
	| { kind: 'change'; id: number; advance: number; indexDelay: number }
	| { kind: 'tick'; advance: number }
	| { kind: 'poll'; sizes: number[]; maxRecords: number; budgetPages: number };

/** The longest a change takes to become listable (search index lag), and the poll's settle delay. */
const MAX_INDEX_DELAY = 3;

const stepArb: fc.Arbitrary<Step> = fc.oneof(
	fc.record({
		kind: fc.constant('change' as const),
		id: fc.integer({ min: 0, max: 11 }),
		advance: fc.integer({ min: 0, max: 2 }),
		indexDelay: fc.integer({ min: 0, max: MAX_INDEX_DELAY }),
	}),
	fc.record({ kind: fc.constant('tick' as const), advance: fc.integer({ min: 1, max: 4 }) }),
	fc.record({
		kind: fc.constant('poll' as const),
		sizes: fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 }),
		maxRecords: fc.integer({ min: 1, max: 6 }),
		budgetPages: fc.integer({ min: 1, max: 4 }),
	}),
);

interface Version {
	t: number;
	visibleAt: number;
}

/** A CRM whose search index lags: a listing shows each record's newest version indexed by `now`. */
class LaggingCrm {
	readonly versions = new Map<string, Version[]>();

	change(id: string, t: number, indexDelay: number) {
		this.versions.set(id, [...(this.versions.get(id) ?? []), { t, visibleAt: t + indexDelay }]);
	}

	latest(id: string): number {
		return this.versions.get(id)?.at(-1)?.t ?? Number.NEGATIVE_INFINITY;
	}

	listing(since: string, now: number): ChangedRecord[] {
		const from = Date.parse(since);
		const rows: Array<[string, number]> = [];
		for (const [id, history] of this.versions) {
			const indexed = history.filter((v) => v.visibleAt <= now).at(-1);
			if (indexed && indexed.t >= from) rows.push([id, indexed.t]);
		}
		return rows
			.sort(([a, ta], [b, tb]) => ta - tb || a.localeCompare(b))
			.map(([id, t]) => rec(id, t));
	}
}

/**
 * One poll as CrmSyncTrigger's collect step runs it, at CRM time `now` with a settle delay;
 * with `resolutionMs`, a poll that read the listing to its end closes the tie at its cursor.
 */
function pollLagging(
	crm: LaggingCrm,
	cursor: PollCursor,
	now: number,
	settle: number,
	sizes: number[],
	maxRecords: number,
	budgetPages: number,
	resolutionMs?: number,
) {
	const emitted: ChangedRecord[] = [];
	let current = cursor;
	let fetched = 0;
	let readToEnd = true;
	for (const page of pages(crm.listing(cursor.since, now), sizes)) {
		const step = takePage(current, page, { settledUntil: now - settle });
		current = step.cursor;
		emitted.push(...step.emit);
		fetched++;
		if (
			step.reachedUnsettled ||
			emitted.length >= maxRecords ||
			(emitted.length > 0 && fetched >= budgetPages)
		) {
			readToEnd = false;
			break;
		}
	}
	if (readToEnd && resolutionMs !== undefined && current.seenAtSince.length > 0)
		current = closeTies(current, resolutionMs);
	return { emitted, cursor: current };
}

describe.each([
	['ties kept until a newer change', undefined],
	['ties closed once read to the end (1 ms resolution)', 1],
])(
	'takePage — property (%s): any changes, index lags, pages and polls emit every version exactly once',
	(_label, resolutionMs) => {
		it('never repeats an (id, change time) and, once drained, has emitted every record’s current version', () => {
			fc.assert(
				fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
					const start = Date.parse('2026-11-21T00:00:00.000Z');
					const crm = new LaggingCrm();
					let clock = start;
					let cursor = startCursor(new Date(start));
					const emitted: string[] = [];
					const record = (records: ChangedRecord[]) =>
						emitted.push(...records.map((r) => `${r.id}@${Date.parse(r.updatedAt!)}`));

					for (const step of steps) {
						if (step.kind === 'change') {
							const id = `r${step.id}`;
							// The CRM's clock never goes back; a record's next version is strictly newer than its last.
							const changedAt = Math.max(clock + step.advance, crm.latest(id) + 1);
							clock = changedAt;
							crm.change(id, changedAt, step.indexDelay);
						} else if (step.kind === 'tick') {
							clock += step.advance;
						} else {
							const result = pollLagging(
								crm,
								cursor,
								clock,
								MAX_INDEX_DELAY,
								step.sizes,
								step.maxRecords,
								step.budgetPages,
								resolutionMs,
							);
							record(result.emitted);
							cursor = result.cursor;
						}
					}
					// Drain once everything is indexed and settled: one poll to the end, then one that finds nothing.
					clock += 2 * MAX_INDEX_DELAY + 1;
					const drained = pollLagging(
						crm,
						cursor,
						clock,
						MAX_INDEX_DELAY,
						[2],
						Number.MAX_SAFE_INTEGER,
						Number.MAX_SAFE_INTEGER,
						resolutionMs,
					);
					record(drained.emitted);
					expect(
						pollLagging(
							crm,
							drained.cursor,
							clock,
							MAX_INDEX_DELAY,
							[3],
							Number.MAX_SAFE_INTEGER,
							Number.MAX_SAFE_INTEGER,
							resolutionMs,
						).emitted,
					).toEqual([]);

					expect(new Set(emitted).size).toBe(emitted.length);
					for (const id of crm.versions.keys())
						expect(emitted).toContain(`${id}@${crm.latest(id)}`);
					for (const version of emitted)
						expect(Number(version.split('@')[1])).toBeGreaterThanOrEqual(start);
				}),
				{ numRuns: 500 },
			);
		});
	},
);

describe('closeTies — a bulk change is read once, not on every later poll', () => {
	it('moves past a fully read tie to the next representable change time and forgets its ids', () => {
		const t = Date.parse('2026-11-21T10:00:00.000Z');
		const tie = Array.from({ length: 1000 }, (_, i) => rec(`r${i}`, t));
		const first = takePage(startCursor(new Date(t - 60_000)), tie, { settledUntil: t + 5_000 });
		expect(first.emit).toHaveLength(1000);
		const closed = closeTies(first.cursor, 1);
		expect(closed).toEqual({ since: new Date(t + 1).toISOString(), seenAtSince: [] });
		// The next listing starts after the tie: a record changed 1 ms later still comes out.
		expect(takePage(closed, [rec('late', t + 1)]).emit.map((r) => r.id)).toEqual(['late']);
	});

	it('rounds to the resolution (second-precision CRMs) and leaves unusable input alone', () => {
		const cursor: PollCursor = { since: '2026-11-21T10:00:07.000Z', seenAtSince: ['a'] };
		expect(closeTies(cursor, 1000)).toEqual({ since: '2026-11-21T10:00:08.000Z', seenAtSince: [] });
		expect(closeTies(cursor, 0)).toBe(cursor);
		expect(closeTies({ since: 'nonsense', seenAtSince: ['a'] }, 1)).toEqual({
			since: 'nonsense',
			seenAtSince: ['a'],
		});
	});
});
