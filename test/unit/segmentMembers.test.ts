import fc from 'fast-check';

import {
	emptyMembership,
	finishScan,
	MAX_SEGMENT_MEMBERS,
	memberCount,
	readMembership,
	takeMembersPage,
	type FirstScan,
	type MembershipState,
	type SegmentMember,
} from '../../nodes/CrmSyncTrigger/logic/segmentMembers';

const contact = (id: string): SegmentMember => ({ id, objectType: 'contacts' });
const ids = (members: SegmentMember[]) => members.map((member) => member.id);

/** A whole scan of `members` in pages of `size`, as one poll. */
function scan(
	state: MembershipState,
	members: SegmentMember[],
	size: number,
	firstScan: FirstScan,
) {
	let current = state;
	const added: SegmentMember[] = [];
	for (let start = 0; start < Math.max(members.length, 1); start += size) {
		const last = start + size >= members.length;
		const step = takeMembersPage(
			current,
			members.slice(start, start + size),
			last ? undefined : String(start + size),
			firstScan,
		);
		current = step.state;
		added.push(...step.added);
	}
	const finished = finishScan(current);
	return { added, removed: finished.removed, state: finished.state };
}

describe('segment membership diff — examples', () => {
	it('a "from now" first scan emits nothing; the next one emits the member added in between, once', () => {
		const first = scan(emptyMembership(), ['1', '2'].map(contact), 1, 'baseline');
		expect(first.added).toEqual([]);
		expect(first.removed).toEqual([]);
		expect(first.state).toEqual({ members: { contacts: '1,2' }, baselined: true });

		const second = scan(first.state, ['1', '2', '3'].map(contact), 2, 'baseline');
		expect(ids(second.added)).toEqual(['3']);
		const third = scan(second.state, ['1', '2', '3'].map(contact), 2, 'baseline');
		expect(third.added).toEqual([]);
		expect(third.removed).toEqual([]);
	});

	it('"everything" emits every current member as added on the first scan', () => {
		const first = scan(emptyMembership(), ['a', 'b', 'c'].map(contact), 2, 'emitAll');
		expect(ids(first.added)).toEqual(['a', 'b', 'c']);
		expect(first.removed).toEqual([]);
	});

	it('a member missing from a finished scan comes out as removed once, with its object type', () => {
		const members = [contact('1'), { id: '00Q1', objectType: 'Lead' }];
		const first = scan(emptyMembership(), members, 5, 'baseline');
		const second = scan(first.state, [contact('1')], 5, 'baseline');
		expect(second.removed).toEqual([{ id: '00Q1', objectType: 'Lead' }]);
		expect(scan(second.state, [contact('1')], 5, 'baseline').removed).toEqual([]);
	});

	it('the same id under two object types is two members', () => {
		const first = scan(emptyMembership(), [contact('7')], 5, 'baseline');
		const second = scan(
			first.state,
			[contact('7'), { id: '7', objectType: 'Lead' }],
			5,
			'baseline',
		);
		expect(second.added).toEqual([{ id: '7', objectType: 'Lead' }]);
	});

	it('a page repeated by the CRM does not emit its members twice within a scan', () => {
		const base = scan(emptyMembership(), [], 5, 'baseline').state;
		const one = takeMembersPage(base, ['1', '2'].map(contact), 'p2', 'baseline');
		const two = takeMembersPage(one.state, ['2', '3'].map(contact), undefined, 'baseline');
		expect([...ids(one.added), ...ids(two.added)]).toEqual(['1', '2', '3']);
	});

	it('a scan that stopped between pages resumes from the stored page cursor', () => {
		const base = scan(emptyMembership(), [], 5, 'baseline').state;
		const one = takeMembersPage(base, [contact('1')], 'after-1', 'baseline');
		const stored = readMembership(JSON.parse(JSON.stringify(one.state)));
		expect(stored?.scan?.pageCursor).toBe('after-1');
		const two = takeMembersPage(stored!, [contact('2')], undefined, 'baseline');
		expect(ids(two.added)).toEqual(['2']);
		expect(finishScan(two.state).state.members).toEqual({ contacts: '1,2' });
	});

	it('refuses ids it cannot store and lists larger than the bound, naming the problem', () => {
		expect(() =>
			takeMembersPage(emptyMembership(), [contact('a,b')], undefined, 'baseline'),
		).toThrow('Member id "a,b" cannot be tracked');
		const many = Array.from({ length: MAX_SEGMENT_MEMBERS + 1 }, (_, i) => contact(String(i)));
		expect(() => takeMembersPage(emptyMembership(), many, undefined, 'baseline')).toThrow(
			/more than 100,000 members/,
		);
	});

	it('reads back only well-formed state', () => {
		expect(readMembership(undefined)).toBeUndefined();
		expect(readMembership({ members: [], baselined: true })).toBeUndefined();
		expect(readMembership({ members: { contacts: '1' } })).toBeUndefined();
		const state = { members: { contacts: '1,2' }, baselined: true };
		expect(readMembership(state)).toEqual(state);
		expect(memberCount(state)).toBe(2);
	});
});

/**
 * The property model: a CRM list whose membership changes at random moments, also between two
 * pages of one scan; pages are read in id order after the last id read (key paging, as the
 * CRMs do); polls stop after a random number of pages or fail midway (nothing stored).
 */
type Op =
	| { kind: 'toggle'; id: number }
	| { kind: 'page'; size: number }
	| { kind: 'endPoll'; fails: boolean };

const ID_SPACE = 12;
const key = (id: number) => `m${String(id).padStart(2, '0')}`;

const opArb: fc.Arbitrary<Op> = fc.oneof(
	fc.record({
		kind: fc.constant('toggle' as const),
		id: fc.integer({ min: 0, max: ID_SPACE - 1 }),
	}),
	fc.record({ kind: fc.constant('page' as const), size: fc.integer({ min: 1, max: 5 }) }),
	fc.record({ kind: fc.constant('endPoll' as const), fails: fc.boolean() }),
);

interface Event {
	id: string;
	change: 'added' | 'removed';
}

function run(initial: Set<number>, ops: Op[], firstScan: FirstScan) {
	const list = new Set(initial);
	let committed = emptyMembership();
	let working = committed;
	let pending: Event[] = [];
	const emitted: Event[] = [];
	const readPage = (state: MembershipState, size: number) => {
		const after = state.scan?.pageCursor ?? '';
		const sorted = [...list].map(key).sort();
		const rest = sorted.filter((id) => id > after);
		const page = rest.slice(0, size);
		const next = rest.length > size ? page.at(-1) : undefined;
		return { page: page.map(contact), next };
	};
	const step = (size: number) => {
		const { page, next } = readPage(working, size);
		const taken = takeMembersPage(working, page, next, firstScan);
		working = taken.state;
		pending.push(...taken.added.map((m) => ({ id: m.id, change: 'added' as const })));
		if (next === undefined) {
			const finished = finishScan(working);
			working = finished.state;
			pending.push(...finished.removed.map((m) => ({ id: m.id, change: 'removed' as const })));
		}
	};
	const endPoll = (fails: boolean) => {
		if (fails) {
			working = committed;
		} else {
			// Through JSON, as n8n stores static data.
			committed = readMembership(JSON.parse(JSON.stringify(working)))!;
			working = committed;
			emitted.push(...pending);
		}
		pending = [];
	};
	for (const op of ops) {
		if (op.kind === 'toggle') {
			if (list.has(op.id)) list.delete(op.id);
			else list.add(op.id);
		} else if (op.kind === 'page') step(op.size);
		else endPoll(op.fails);
	}
	endPoll(false);
	// Settle: complete scans of the final membership until two in a row change nothing.
	for (let i = 0; i < 3; i++) {
		do step(3);
		while (working.scan !== undefined);
		endPoll(false);
	}
	return { emitted, final: new Set([...list].map(key)), committed };
}

describe('segment membership diff — properties', () => {
	const initialArb = fc.uniqueArray(fc.integer({ min: 0, max: ID_SPACE - 1 }), {
		maxLength: ID_SPACE,
	});

	it('per member, events alternate added/removed, and the emitted net membership equals the list', () => {
		fc.assert(
			fc.property(
				initialArb,
				fc.array(opArb, { maxLength: 60 }),
				fc.constantFrom<FirstScan>('baseline', 'emitAll'),
				(initial, ops, firstScan) => {
					const { emitted, final, committed } = run(new Set(initial), ops, firstScan);
					const lastEvent = new Map<string, Event['change']>();
					for (const event of emitted) {
						const before = lastEvent.get(event.id);
						// Never twice the same change in a row: each change comes out once.
						expect(before).not.toBe(event.change);
						lastEvent.set(event.id, event.change);
					}
					for (const id of final) {
						const last = lastEvent.get(id);
						// Nothing lost: a member is either out as added, or was there from a "from now" baseline.
						if (last === undefined) expect(firstScan).toBe('baseline');
						else expect(last).toBe('added');
					}
					for (const [id, last] of lastEvent) if (!final.has(id)) expect(last).toBe('removed');
					expect(committed.members).toEqual(
						final.size === 0 ? {} : { contacts: [...final].sort().join(',') },
					);
				},
			),
			{ numRuns: 400 },
		);
	});

	it('with the list unchanged during each scan, a scan emits exactly the difference, whatever the page sizes', () => {
		fc.assert(
			fc.property(
				fc.array(initialArb, { minLength: 1, maxLength: 6 }),
				fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 6, maxLength: 6 }),
				(snapshots, sizes) => {
					let state = emptyMembership();
					let previous = new Set<string>();
					snapshots.forEach((snapshot, index) => {
						const current = new Set(snapshot.map(key));
						const members = [...current].sort().map(contact);
						const result = scan(state, members, sizes[index], 'baseline');
						state = result.state;
						const expectedAdded =
							index === 0 ? [] : [...current].filter((id) => !previous.has(id)).sort();
						const expectedRemoved = [...previous].filter((id) => !current.has(id)).sort();
						expect(ids(result.added).sort()).toEqual(expectedAdded);
						expect(ids(result.removed)).toEqual(index === 0 ? [] : expectedRemoved);
						previous = current;
					});
				},
			),
			{ numRuns: 300 },
		);
	});
});
