import fc from 'fast-check';

import { effectivePriority, routeTargets } from '../../nodes/shared/logic/routing';
import {
	OBJECT_KINDS,
	type CrmRef,
	type MatchSet,
	type ObjectKind,
} from '../../nodes/shared/model';

const ref = (kind: ObjectKind, id: string): CrmRef => ({
	crm: 'hubspot',
	kind,
	objectType: kind,
	id,
});
const matches = (counts: Partial<Record<ObjectKind, number>>): MatchSet => ({
	contact: Array.from({ length: counts.contact ?? 0 }, (_, i) => ref('contact', `c${i + 1}`)),
	company: Array.from({ length: counts.company ?? 0 }, (_, i) => ref('company', `co${i + 1}`)),
	deal: Array.from({ length: counts.deal ?? 0 }, (_, i) => ref('deal', `d${i + 1}`)),
	lead: Array.from({ length: counts.lead ?? 0 }, (_, i) => ref('lead', `l${i + 1}`)),
});
const ids = (refs: CrmRef[]) => refs.map((r) => r.id);

describe('routeTargets — send to one object type', () => {
	it('sends to every match of the first matching type in priority order, and stops', () => {
		const decision = routeTargets(matches({ contact: 2, company: 1, deal: 0 }), {
			targetKinds: ['deal', 'contact', 'company'],
			mode: 'oneType',
			priority: ['deal', 'contact', 'company'],
			singleTarget: false,
		});
		expect(decision.kinds).toEqual(['contact']);
		expect(ids(decision.targets)).toEqual(['c1', 'c2']);
	});

	it('ignores priority entries that are not selected as targets', () => {
		const decision = routeTargets(matches({ deal: 1, company: 1 }), {
			targetKinds: ['company'],
			mode: 'oneType',
			priority: ['deal', 'company'],
			singleTarget: false,
		});
		expect(ids(decision.targets)).toEqual(['co1']);
	});

	it('a single-target destination (Salesforce Event) keeps only the first match, even in all-types mode', () => {
		const decision = routeTargets(matches({ contact: 2, deal: 3 }), {
			targetKinds: ['deal', 'contact'],
			mode: 'allTypes',
			priority: ['deal', 'contact'],
			singleTarget: true,
		});
		expect(ids(decision.targets)).toEqual(['d1']);
		expect(decision.kinds).toEqual(['deal']);
	});
});

describe('routeTargets — send to all matching object types', () => {
	it('sends to every selected type that matched, in priority order', () => {
		const decision = routeTargets(matches({ contact: 2, company: 1, deal: 1, lead: 1 }), {
			targetKinds: ['contact', 'company', 'deal'],
			mode: 'allTypes',
			priority: ['company', 'deal', 'contact'],
			singleTarget: false,
		});
		expect(decision.kinds).toEqual(['company', 'deal', 'contact']);
		expect(ids(decision.targets)).toEqual(['co1', 'd1', 'c1', 'c2']);
	});

	it('explains an empty decision', () => {
		const decision = routeTargets(matches({ lead: 1 }), {
			targetKinds: ['contact', 'deal'],
			mode: 'allTypes',
			priority: [],
			singleTarget: false,
		});
		expect(decision.targets).toEqual([]);
		expect(decision.reason).toBe('no matches among contact, deal');
	});
});

describe('routing properties', () => {
	const kinds = fc.subarray([...OBJECT_KINDS], { minLength: 1 });
	const counts = fc.record({
		contact: fc.nat(3),
		company: fc.nat(3),
		deal: fc.nat(3),
		lead: fc.nat(3),
	});

	it('never routes to an unselected type, and one-type mode uses exactly one type', () => {
		fc.assert(
			fc.property(
				kinds,
				fc.shuffledSubarray([...OBJECT_KINDS]),
				counts,
				fc.boolean(),
				(targetKinds, priority, c, single) => {
					const set = matches(c);
					const one = routeTargets(set, {
						targetKinds,
						mode: 'oneType',
						priority,
						singleTarget: single,
					});
					const all = routeTargets(set, {
						targetKinds,
						mode: 'allTypes',
						priority,
						singleTarget: false,
					});
					for (const target of [...one.targets, ...all.targets])
						expect(targetKinds).toContain(target.kind);
					expect(new Set(one.targets.map((t) => t.kind)).size).toBeLessThanOrEqual(1);
					// all-types receives every match of every selected type
					const expected = targetKinds.reduce((sum, kind) => sum + set[kind].length, 0);
					expect(all.targets).toHaveLength(expected);
					if (single) expect(one.targets.length).toBeLessThanOrEqual(1);
					// the winner is the first matching kind in the effective priority
					const order = effectivePriority(targetKinds, priority);
					const firstMatching = order.find((kind) => set[kind].length > 0);
					expect(one.kinds[0]).toBe(firstMatching);
				},
			),
		);
	});
});
