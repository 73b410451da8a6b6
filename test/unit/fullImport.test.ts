import fc from 'fast-check';

import {
	advanceImport,
	importProgressText,
	readImportProgress,
	type ImportProgress,
} from '../../nodes/CrmSyncTrigger/logic/fullImport';

const poll = fc.record({
	emitted: fc.nat(500),
	listedFromCursor: fc.option(fc.nat(5000), { nil: undefined }),
	alreadyEmittedAtCursor: fc.nat(20),
	caughtUp: fc.boolean(),
});

test('over any sequence of polls: the count only grows, the estimate is never below it, and a caught-up poll finishes with the exact count', () => {
	fc.assert(
		fc.property(fc.array(poll, { maxLength: 12 }), (polls) => {
			let progress: ImportProgress | undefined;
			let emitted = 0;
			for (const step of polls) {
				progress = advanceImport(progress, step);
				emitted += step.emitted;
				expect(progress.emitted).toBe(emitted);
				if (progress.estimatedTotal !== undefined)
					expect(progress.estimatedTotal).toBeGreaterThanOrEqual(progress.emitted);
				expect(progress.finished).toBe(step.caughtUp);
				if (step.caughtUp) expect(progress.estimatedTotal).toBe(emitted);
				expect(readImportProgress(JSON.parse(JSON.stringify(progress)))).toEqual(progress);
			}
		}),
	);
});

test('the estimate is what came out before plus what the CRM still lists, ties already emitted not counted twice', () => {
	const first = advanceImport(undefined, {
		emitted: 100,
		listedFromCursor: 250,
		alreadyEmittedAtCursor: 0,
		caughtUp: false,
	});
	expect(first).toEqual({ emitted: 100, estimatedTotal: 250, finished: false });
	const second = advanceImport(first, {
		emitted: 100,
		listedFromCursor: 153,
		alreadyEmittedAtCursor: 3,
		caughtUp: false,
	});
	expect(second).toEqual({ emitted: 200, estimatedTotal: 250, finished: false });
	// A CRM that does not count keeps the last estimate.
	expect(
		advanceImport(second, { emitted: 10, alreadyEmittedAtCursor: 0, caughtUp: false }),
	).toEqual({ emitted: 210, estimatedTotal: 250, finished: false });
	expect(importProgressText(second)).toBe('full import: 200 of about 250 records so far');
	expect(importProgressText({ emitted: 12_345, finished: false })).toBe(
		'full import: 12,345 records so far',
	);
	expect(importProgressText({ emitted: 12_345, estimatedTotal: 12_345, finished: true })).toBe(
		'full import finished: 12,345 records',
	);
});

test('stored progress that is not progress reads as none', () => {
	for (const value of [
		undefined,
		null,
		'x',
		{ emitted: -1, finished: false },
		{ emitted: 3 },
		{ emitted: Number.NaN, finished: true },
	])
		expect(readImportProgress(value)).toBeUndefined();
});
