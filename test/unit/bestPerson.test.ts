import fc from 'fast-check';

import {
	bestPerson,
	isoTime,
	rankPeople,
	type PersonCandidate,
} from '../../nodes/shared/logic/bestPerson';

const isoArb = fc.option(
	fc
		.date({ min: new Date('2000-01-01'), max: new Date('2030-01-01'), noInvalidDate: true })
		.map((d) => d.toISOString()),
	{ nil: undefined },
);
const candidateArb = (id: number) =>
	fc
		.record({
			kind: fc.constantFrom('contact' as const, 'lead' as const),
			last: isoArb,
			created: isoArb,
		})
		.map(({ kind, last, created }): PersonCandidate => ({
			ref: {
				crm: 'salesforce',
				kind,
				objectType: kind === 'lead' ? 'Lead' : 'Contact',
				id: `p${id}`,
				...(created ? { createdAt: created } : {}),
			},
			...(last ? { lastActivityAt: last } : {}),
		}));
const candidatesArb = fc
	.integer({ min: 0, max: 8 })
	.chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => candidateArb(i))));
const t = (iso: string | undefined) => (iso ? Date.parse(iso) : 0);

describe('bestPerson', () => {
	it('keeps every candidate exactly once', () => {
		fc.assert(
			fc.property(candidatesArb, (candidates) => {
				const ranked = rankPeople(candidates);
				expect(ranked.map((c) => c.ref.id).sort()).toEqual(candidates.map((c) => c.ref.id).sort());
			}),
		);
	});

	it('never picks a lead while a contact matches', () => {
		fc.assert(
			fc.property(candidatesArb, (candidates) => {
				const best = bestPerson(candidates);
				if (candidates.some((c) => c.ref.kind === 'contact'))
					expect(best?.ref.kind).toBe('contact');
				if (candidates.length === 0) expect(best).toBeUndefined();
			}),
		);
	});

	it('among people of the best kind, picks the latest activity, then the newest record', () => {
		fc.assert(
			fc.property(candidatesArb, (candidates) => {
				const best = bestPerson(candidates);
				if (!best) return;
				for (const other of candidates.filter((c) => c.ref.kind === best.ref.kind)) {
					expect(t(best.lastActivityAt)).toBeGreaterThanOrEqual(t(other.lastActivityAt));
					if (t(best.lastActivityAt) === t(other.lastActivityAt))
						expect(t(best.ref.createdAt)).toBeGreaterThanOrEqual(t(other.ref.createdAt));
				}
			}),
		);
	});

	it('does not depend on the order the CRM answered in, except among exact ties', () => {
		fc.assert(
			fc.property(candidatesArb, (candidates) => {
				const best = bestPerson(candidates);
				const reversed = bestPerson([...candidates].reverse());
				if (!best || !reversed) return expect(reversed).toBe(best);
				const key = (c: PersonCandidate) =>
					[c.ref.kind, t(c.lastActivityAt), t(c.ref.createdAt)].join('|');
				expect(key(reversed)).toBe(key(best));
			}),
		);
	});

	it('reads CRM dates, datetimes and epoch milliseconds as ISO; anything else as unknown', () => {
		expect(isoTime('2026-11-18')).toBe('2026-11-18T00:00:00.000Z');
		expect(isoTime('2026-11-18T16:20:00Z')).toBe('2026-11-18T16:20:00.000Z');
		expect(isoTime('1795537200000')).toBe(new Date(1795537200000).toISOString());
		expect(isoTime('')).toBeUndefined();
		expect(isoTime('soon')).toBeUndefined();
		expect(isoTime(null)).toBeUndefined();
	});
});
