import fc from 'fast-check';

import {
	writesWithinCap,
	callsLeft,
	capCalls,
	capReachedMessage,
	checkCapPercent,
	mayProceed,
} from '../../nodes/shared/logic/apiBudget';

describe('API budget (share of the daily allocation)', () => {
	it('20 % of a 15,000-call org is 3,000 calls; what is left counts other integrations too', () => {
		expect(capCalls(15_000, 20)).toBe(3_000);
		expect(callsLeft({ used: 2_990, limit: 15_000 }, 20)).toBe(10);
		expect(callsLeft({ used: 3_500, limit: 15_000 }, 20)).toBe(0);
		expect(mayProceed({ used: 2_990, limit: 15_000 }, 20, 10)).toBe(true);
		expect(mayProceed({ used: 2_990, limit: 15_000 }, 20, 11)).toBe(false);
	});

	it('lets the first step through while the CRM has not reported its usage', () => {
		expect(callsLeft(undefined, 20)).toBeUndefined();
		expect(mayProceed(undefined, 20, 1_000)).toBe(true);
	});

	it('never allows a step that would cross the cap (fast-check)', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 5_000_000 }),
				fc.integer({ min: 0, max: 5_000_000 }),
				fc.integer({ min: 1, max: 100 }),
				fc.integer({ min: 1, max: 10_000 }),
				(limit, used, cap, step) => {
					const usage = { used, limit };
					if (mayProceed(usage, cap, step))
						expect(used + step).toBeLessThanOrEqual(Math.floor((limit * cap) / 100));
					expect(callsLeft(usage, cap)).toBeGreaterThanOrEqual(0);
				},
			),
		);
	});

	it('lets through as many whole write requests as the cap leaves, never more (fast-check)', () => {
		expect(writesWithinCap({ used: 395, limit: 2_000 }, 20, 2_000, 200)).toBe(1_000);
		expect(writesWithinCap({ used: 400, limit: 2_000 }, 20, 2_000, 200)).toBe(0);
		expect(writesWithinCap(undefined, 20, 2_000, 200)).toBe(2_000);
		fc.assert(
			fc.property(
				fc.integer({ min: 1, max: 100_000 }),
				fc.integer({ min: 0, max: 100_000 }),
				fc.integer({ min: 1, max: 100 }),
				fc.integer({ min: 0, max: 20_000 }),
				fc.integer({ min: 1, max: 500 }),
				(limit, used, cap, records, batch) => {
					const usage = { used, limit };
					const allowed = writesWithinCap(usage, cap, records, batch);
					expect(allowed).toBeGreaterThanOrEqual(0);
					expect(allowed).toBeLessThanOrEqual(records);
					expect(mayProceed(usage, cap, Math.ceil(allowed / batch))).toBe(true);
					// Not one whole request more would have fitted.
					if (allowed < records)
						expect(mayProceed(usage, cap, Math.ceil(allowed / batch) + 1)).toBe(false);
				},
			),
		);
	});

	it('checks the cap given in the editor and words the log line', () => {
		expect(checkCapPercent(20)).toEqual({ ok: true, cap: 20 });
		for (const bad of [0, -5, 120, Number.NaN, '20'])
			expect(checkCapPercent(bad)).toMatchObject({
				ok: false,
				problem: expect.stringMatching(/percentage/),
			});
		expect(capReachedMessage('Salesforce', { used: 3_000, limit: 15_000 }, 20, 7_000)).toBe(
			'Salesforce daily API usage 3000/15000 (20.0 %) reached the cap of 20 % — 7000 record(s) left for the next run',
		);
	});
});
