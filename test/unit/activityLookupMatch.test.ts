import fc from 'fast-check';

import {
	matchActivityLookups,
	type ActivityCandidate,
	type LookupCriteria,
} from '../../nodes/shared/logic/activityLookupMatch';

const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const MINUTE = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

function meeting(startMs: number, contactIds: string[], extra: Partial<ActivityCandidate> = {}) {
	return { kind: 'meeting', startMs, contactIds, ...extra } satisfies ActivityCandidate;
}

function lookup(startMs: number, contactId: string, extra: Partial<LookupCriteria> = {}) {
	return {
		kind: 'meeting',
		startAt: iso(startMs),
		toleranceMinutes: 15,
		contactId,
		...extra,
	} satisfies LookupCriteria;
}

describe('matchActivityLookups', () => {
	it('matches by key first, then conversation, then the closest start on the same contact', () => {
		const candidates: ActivityCandidate[] = [
			meeting(T0 + 2 * MINUTE, ['c1']),
			meeting(T0 + MINUTE, ['c1']),
			meeting(T0, ['c2'], { key: 'k-2' }),
			meeting(T0 + 60 * MINUTE, ['c3'], { conversationId: 'conv-3' }),
		];
		const result = matchActivityLookups(
			[
				lookup(T0, 'c1'),
				lookup(T0 + 5 * 60 * MINUTE, 'c9', { key: 'k-2' }),
				lookup(T0, 'c3', { conversationId: 'conv-3' }),
				lookup(T0, 'c4'),
			],
			candidates,
		);
		expect(result).toEqual([
			{ candidate: 1, matchedBy: 'startTime' },
			{ candidate: 2, matchedBy: 'key' },
			{ candidate: 3, matchedBy: 'conversationId' },
			undefined,
		]);
	});

	it('includes both ends of the tolerance and nothing beyond them', () => {
		const at = (offset: number) =>
			matchActivityLookups([lookup(T0, 'c1')], [meeting(T0 + offset, ['c1'])])[0];
		expect(at(15 * MINUTE)).toEqual({ candidate: 0, matchedBy: 'startTime' });
		expect(at(-15 * MINUTE)).toEqual({ candidate: 0, matchedBy: 'startTime' });
		expect(at(15 * MINUTE + 1)).toBeUndefined();
		expect(at(-15 * MINUTE - 1)).toBeUndefined();
		// Tolerance 0 means the exact start only.
		const exact = (offset: number) =>
			matchActivityLookups(
				[lookup(T0, 'c1', { toleranceMinutes: 0 })],
				[meeting(T0 + offset, ['c1'])],
			)[0];
		expect(exact(0)).toBeDefined();
		expect(exact(1)).toBeUndefined();
	});

	it('never matches by time without a contact, on another contact, another kind or an unknown start', () => {
		const result = matchActivityLookups(
			[
				lookup(T0, 'c1', { contactId: undefined }),
				lookup(T0, 'c2'),
				{ kind: 'call', startAt: iso(T0), toleranceMinutes: 15, contactId: 'c3' },
				lookup(T0, 'c4'),
			],
			[
				meeting(T0, ['c1']),
				meeting(T0, ['c1']),
				meeting(T0, ['c3']),
				meeting(Number.NaN, ['c4']),
				{ kind: 'meeting', contactIds: ['c4'] },
			],
		);
		expect(result).toEqual([undefined, undefined, undefined, undefined]);
	});

	it('does not let the first of two lookups on one contact take the second one’s meeting', () => {
		// Per item, the 10:00 lookup would take the 10:09 meeting (within 15 minutes) and the
		// 10:10 one would then update it as well.
		const result = matchActivityLookups(
			[lookup(T0, 'c1'), lookup(T0 + 10 * MINUTE, 'c1')],
			[meeting(T0 + 9 * MINUTE, ['c1'])],
		);
		expect(result).toEqual([undefined, { candidate: 0, matchedBy: 'startTime' }]);
	});

	it('keeps a meeting claimed by key away from another lookup’s start-time match', () => {
		const result = matchActivityLookups(
			[lookup(T0, 'c1'), lookup(T0 + 30 * MINUTE, 'c1', { key: 'k-b' })],
			[meeting(T0, ['c1'], { key: 'k-b' })],
		);
		expect(result).toEqual([undefined, { candidate: 0, matchedBy: 'key' }]);
	});

	it('lets lookups with the same key share their activity', () => {
		const result = matchActivityLookups(
			[lookup(T0, 'c1', { key: 'k' }), lookup(T0, 'c1', { key: 'k' })],
			[meeting(T0, ['c1'], { key: 'k' })],
		);
		expect(result).toEqual([
			{ candidate: 0, matchedBy: 'key' },
			{ candidate: 0, matchedBy: 'key' },
		]);
	});

	it('with sameContactOnly, keys and conversations match only on the lookup’s own contact', () => {
		const candidates = [
			meeting(T0, ['c1'], { key: 'k', conversationId: 'conv' }),
			meeting(T0 + 5 * 60 * MINUTE, ['c2'], { key: 'k', conversationId: 'conv' }),
		];
		const lookups = [
			lookup(T0 + 2 * 60 * MINUTE, 'c2', { key: 'k' }),
			lookup(T0 + 2 * 60 * MINUTE, 'c3', { conversationId: 'conv' }),
		];
		expect(matchActivityLookups(lookups, candidates, { sameContactOnly: true })).toEqual([
			{ candidate: 1, matchedBy: 'key' },
			undefined,
		]);
		// Without it the key and the conversation reach across contacts; the activity taken
		// by key is not handed to the conversation lookup as well.
		expect(matchActivityLookups(lookups, candidates)).toEqual([
			{ candidate: 0, matchedBy: 'key' },
			{ candidate: 1, matchedBy: 'conversationId' },
		]);
	});

	it('fails on a start time that is not a timestamp', () => {
		expect(() =>
			matchActivityLookups([{ kind: 'meeting', startAt: 'soon', contactId: 'c1' }], []),
		).toThrow('"soon" is not a timestamp');
	});

	const contactArb = fc.constantFrom('c1', 'c2', 'c3');
	const lookupArb = fc.record({
		offset: fc.integer({ min: -120, max: 120 }),
		contact: contactArb,
		tolerance: fc.integer({ min: 0, max: 30 }),
		key: fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4'), { nil: undefined }),
	});
	const candidateArb = fc.record({
		offset: fc.integer({ min: -150, max: 150 }),
		contacts: fc.subarray(['c1', 'c2', 'c3'], { minLength: 1 }),
		key: fc.option(fc.constantFrom('k1', 'k2', 'k3', 'k4', 'k9'), { nil: undefined }),
	});

	it('gives each lookup an activity that satisfies it, or none only when none free does (property)', () => {
		fc.assert(
			fc.property(
				fc.array(lookupArb, { maxLength: 8 }),
				fc.array(candidateArb, { maxLength: 10 }),
				(rawLookups, rawCandidates) => {
					const lookups = rawLookups.map((l) =>
						lookup(T0 + l.offset * MINUTE, l.contact, {
							toleranceMinutes: l.tolerance,
							key: l.key,
						}),
					);
					const candidates = rawCandidates.map((c) =>
						meeting(T0 + c.offset * MINUTE, c.contacts, { key: c.key }),
					);
					const result = matchActivityLookups(lookups, candidates);
					expect(result).toHaveLength(lookups.length);
					const timeClaims = new Set<number>();
					const keyed = new Set(
						result.flatMap((m) => (m?.matchedBy === 'key' ? [m.candidate] : [])),
					);
					result.forEach((match, index) => {
						const l = lookups[index];
						const keyHit = candidates.findIndex((c) => l.key !== undefined && c.key === l.key);
						if (keyHit >= 0) {
							// A key present anywhere is always the match.
							expect(match?.matchedBy).toBe('key');
							expect(candidates[match?.candidate ?? -1].key).toBe(l.key);
							return;
						}
						if (!match) {
							// Unmatched: every candidate in its window went to another lookup.
							candidates.forEach((c, ci) => {
								const inWindow =
									c.contactIds.includes(l.contactId) &&
									Math.abs((c.startMs as number) - (T0 + rawLookups[index].offset * MINUTE)) <=
										l.toleranceMinutes * MINUTE;
								if (inWindow)
									expect(
										keyed.has(ci) || result.some((m, j) => j !== index && m?.candidate === ci),
									).toBe(true);
							});
							return;
						}
						expect(match.matchedBy).toBe('startTime');
						const chosen = candidates[match.candidate];
						expect(chosen.contactIds).toContain(l.contactId);
						expect(
							Math.abs((chosen.startMs as number) - Date.parse(l.startAt)),
						).toBeLessThanOrEqual(l.toleranceMinutes * MINUTE);
						expect(keyed.has(match.candidate)).toBe(false);
					});
					// A start-time match is never shared.
					for (const m of result)
						if (m?.matchedBy === 'startTime') {
							expect(timeClaims.has(m.candidate)).toBe(false);
							timeClaims.add(m.candidate);
						}
				},
			),
		);
	});

	it('gives every lookup its own meeting when each has one at its exact start (property)', () => {
		fc.assert(
			fc.property(
				fc.uniqueArray(fc.integer({ min: 0, max: 24 * 60 }), { minLength: 1, maxLength: 12 }),
				fc.integer({ min: 0, max: 120 }),
				fc.array(fc.integer({ min: 0, max: 24 * 60 }), { maxLength: 6 }),
				(minutes, tolerance, noise) => {
					// One contact, many lookups, each with a meeting at exactly its start plus
					// unrelated meetings: none steals another's meeting, however wide the tolerance.
					const lookups = minutes.map((m) =>
						lookup(T0 + m * MINUTE, 'c1', { toleranceMinutes: tolerance }),
					);
					const own = minutes.map((m) => meeting(T0 + m * MINUTE, ['c1']));
					const extra = noise.map((m) => meeting(T0 + m * MINUTE + 7_000, ['c1']));
					const candidates = [...extra, ...own].reverse();
					const result = matchActivityLookups(lookups, candidates);
					result.forEach((match, index) => {
						expect(match).toBeDefined();
						expect(candidates[match?.candidate ?? -1].startMs).toBe(T0 + minutes[index] * MINUTE);
					});
				},
			),
		);
	});
});
