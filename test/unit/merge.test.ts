import fc from 'fast-check';

import type { FieldSpec } from '../../nodes/CrmContactFieldMerge/logic/fieldValues';
import { readStoredValue, sameValue } from '../../nodes/CrmContactFieldMerge/logic/fieldValues';
import {
	appendDatedLines,
	planField,
	planRecord,
	REASONS,
	resolveAiMerge,
	type FieldDecision,
	type FieldUpdate,
} from '../../nodes/CrmContactFieldMerge/logic/merge';
import { UPDATE_MODES, type UpdateMode } from '../../nodes/shared/model';

const ctx = { today: '2026-11-21' };
const text: FieldSpec = { name: 'notes', type: 'string' };
const tags: FieldSpec = {
	name: 'tags',
	type: 'multiEnum',
	options: ['a', 'b', 'c', 'd'].map((v) => ({ value: v, label: v.toUpperCase() })),
};
const stage: FieldSpec = {
	name: 'stage',
	type: 'enum',
	options: [
		{ value: 'lead', label: 'Lead' },
		{ value: 'customer', label: 'Customer' },
	],
};
const up = (value: unknown, mode: UpdateMode, field = 'f'): FieldUpdate => ({ field, value, mode });

describe('planField', () => {
	it('overwrite writes a different value and keeps an equal one', () => {
		expect(planField(up('2', 'overwrite'), { name: 'f', type: 'number' }, '1', ctx)).toMatchObject({
			status: 'write',
			value: 2,
			change: { before: 1, after: 2, applied: true },
		});
		expect(planField(up(2, 'overwrite'), { name: 'f', type: 'number' }, '2', ctx)).toMatchObject({
			status: 'keep',
			change: { applied: false, reason: REASONS.unchanged },
		});
	});

	it('never blanks a field from an empty input', () => {
		const decision = planField(up('', 'overwrite'), text, 'keep me', ctx);
		expect(decision).toMatchObject({
			status: 'keep',
			change: { before: 'keep me', after: 'keep me', applied: false, reason: REASONS.empty },
		});
	});

	it('fill if empty fills an empty field and leaves a filled one alone', () => {
		expect(planField(up('x', 'fillIfEmpty'), text, undefined, ctx)).toMatchObject({
			status: 'write',
			value: 'x',
		});
		expect(planField(up('x', 'fillIfEmpty'), text, 'y', ctx)).toMatchObject({
			status: 'keep',
			change: { reason: REASONS.filled },
		});
	});

	it('merge appends a dated line once, unions multi-selects, and overwrites numbers/booleans/dates', () => {
		expect(planField(up('Wants a demo', 'merge'), text, 'Met at fair', ctx)).toMatchObject({
			status: 'write',
			value: 'Met at fair\n2026-11-21: Wants a demo',
		});
		expect(
			planField(up('Wants a demo', 'merge'), text, 'Met at fair\n2026-10-01: Wants a demo', ctx),
		).toMatchObject({ status: 'keep', change: { reason: REASONS.alreadyMerged } });
		expect(planField(up('c;a', 'merge'), tags, 'a;b', ctx)).toMatchObject({
			status: 'write',
			value: ['a', 'b', 'c'],
		});
		expect(
			planField(up(true, 'merge'), { name: 'f', type: 'boolean' }, 'false', ctx),
		).toMatchObject({ status: 'write', value: true });
		expect(
			planField(up('2026-12-01', 'merge'), { name: 'f', type: 'date' }, '2026-01-01', ctx),
		).toMatchObject({ status: 'write', value: '2026-12-01' });
	});

	it('rejects an enum value outside the picklist with a reason and writes nothing', () => {
		const decision = planField(up('VIP', 'overwrite'), stage, 'lead', ctx);
		expect(decision.status).toBe('keep');
		expect(decision.change).toMatchObject({ before: 'lead', after: 'lead', applied: false });
		expect(decision.change.reason).toMatch(/"VIP" is not in the picklist of "stage"/);
	});

	it('AI merge asks for the model with old and new text, and skips the model when it has nothing to combine', () => {
		const asked = planField(up('Budget approved', 'aiMerge'), text, 'Budget pending', ctx);
		expect(asked).toMatchObject({
			status: 'needsModel',
			request: { field: 'f', before: 'Budget pending', incoming: 'Budget approved' },
			change: { reason: REASONS.needsModel, applied: false },
		});
		expect(planField(up('First note', 'aiMerge'), text, '', ctx)).toMatchObject({
			status: 'write',
			value: 'First note',
		});
		expect(planField(up('Same', 'aiMerge'), text, 'Same', ctx).status).toBe('keep');
		expect(planField(up('b', 'aiMerge'), tags, 'a', ctx)).toMatchObject({
			status: 'write',
			value: ['a', 'b'],
		});
	});

	it('resolveAiMerge writes the model text, or keeps the field when the model says nothing', () => {
		const asked = planField(
			up('Budget approved', 'aiMerge'),
			text,
			'Budget pending',
			ctx,
		) as FieldDecision & { status: 'needsModel' };
		expect(resolveAiMerge(asked, 'Budget approved in Q3')).toMatchObject({
			status: 'write',
			value: 'Budget approved in Q3',
			change: { before: 'Budget pending', applied: true, mode: 'aiMerge' },
		});
		expect(resolveAiMerge(asked, '  ')).toMatchObject({
			status: 'keep',
			change: { reason: REASONS.modelEmpty },
		});
		expect(resolveAiMerge(asked, 'Budget pending')).toMatchObject({
			status: 'keep',
			change: { reason: REASONS.unchanged },
		});
	});
});

describe('planRecord', () => {
	const fields = new Map<string, FieldSpec & { readOnly?: boolean }>([
		['notes', text],
		['stage', stage],
		['hs_object_id', { name: 'hs_object_id', type: 'number', readOnly: true }],
	]);
	it('returns every decision and only the changed properties', () => {
		const plan = planRecord(
			{
				updates: [
					up('hi', 'merge', 'notes'),
					up('customer', 'overwrite', 'stage'),
					up('5', 'overwrite', 'hs_object_id'),
					up('x', 'overwrite', 'nope'),
				],
				fields,
				current: { notes: 'hi', stage: 'lead', hs_object_id: '1' },
				objectLabel: 'contacts',
			},
			ctx,
		);
		expect(plan.properties).toEqual({ stage: 'customer' });
		expect(plan.decisions.map((d) => d.change.reason)).toEqual([
			REASONS.alreadyMerged,
			undefined,
			'field "hs_object_id" is read-only',
			'unknown field "nope" on contacts',
		]);
		expect(plan.pending).toEqual([]);
	});
});

/* ---------- property tests: the list ---------- */

const specs: FieldSpec[] = [
	text,
	tags,
	stage,
	{ name: 'n', type: 'number' },
	{ name: 'b', type: 'boolean' },
	{ name: 'd', type: 'date' },
	{ name: 't', type: 'datetime' },
];
const day = fc
	.integer({ min: 0, max: 20_000 })
	.map((n) => new Date(Date.UTC(1990, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
const instant = fc
	.integer({ min: 0, max: 4_000_000_000 })
	.map((s) => new Date(s * 1000).toISOString());
const line = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !/[\r\n]/.test(s));

/** Arbitrary values that fit the type (as an item or a CRM would carry them), or empties. */
function valueFor(spec: FieldSpec): fc.Arbitrary<unknown> {
	const empty = fc.constantFrom(undefined, null, '', '  ');
	const typed = (() => {
		switch (spec.type) {
			case 'string':
				return fc.array(line, { minLength: 1, maxLength: 3 }).map((ls) => ls.join('\n'));
			case 'multiEnum':
				return fc.subarray(['a', 'b', 'c', 'd'], { minLength: 1 }).map((vs) => vs.join(';'));
			case 'enum':
				return fc.constantFrom('lead', 'customer', 'Customer', 'VIP');
			case 'number':
				return fc.oneof(fc.integer(), fc.integer().map(String), fc.constant('abc'));
			case 'boolean':
				return fc.oneof(fc.boolean(), fc.constantFrom('true', 'false', 'yes'));
			case 'date':
				return day;
			case 'datetime':
				return instant;
		}
	})();
	return fc.oneof({ arbitrary: typed, weight: 4 }, { arbitrary: empty, weight: 1 });
}

const caseArb = fc.constantFrom(...specs).chain((spec) =>
	fc.record({
		spec: fc.constant(spec),
		current: valueFor(spec),
		incoming: valueFor(spec),
		mode: fc.constantFrom(...UPDATE_MODES),
	}),
);

function isBlank(value: unknown): boolean {
	return (
		value === undefined ||
		value === null ||
		(typeof value === 'string' && value.trim() === '') ||
		(Array.isArray(value) && value.length === 0)
	);
}

describe('merge properties (fast-check)', () => {
	it('never writes an unchanged value', () => {
		fc.assert(
			fc.property(caseArb, ({ spec, current, incoming, mode }) => {
				const decision = planField(up(incoming, mode), spec, current, ctx);
				if (decision.status === 'write') {
					expect(sameValue(readStoredValue(current, spec), decision.value, spec.type)).toBe(false);
				}
			}),
			{ numRuns: 2000 },
		);
	});

	it('never blanks a field from an empty input (and never writes a blank at all)', () => {
		fc.assert(
			fc.property(caseArb, ({ spec, current, incoming, mode }) => {
				const decision = planField(up(incoming, mode), spec, current, ctx);
				if (isBlank(incoming)) expect(decision.status).toBe('keep');
				if (decision.status === 'write') expect(isBlank(decision.value)).toBe(false);
			}),
			{ numRuns: 2000 },
		);
	});

	it('Fill if empty never touches a non-empty field', () => {
		fc.assert(
			fc.property(caseArb, ({ spec, current, incoming }) => {
				const decision = planField(up(incoming, 'fillIfEmpty'), spec, current, ctx);
				if (!isBlank(current)) expect(decision.status).toBe('keep');
			}),
			{ numRuns: 2000 },
		);
	});

	it('Merge is idempotent: merging the same value into the result changes nothing', () => {
		fc.assert(
			fc.property(caseArb, ({ spec, current, incoming }) => {
				const first = planField(up(incoming, 'merge'), spec, current, ctx);
				const stored = first.status === 'write' ? first.value : current;
				const second = planField(up(incoming, 'merge'), spec, stored, { today: '2027-01-01' });
				expect(second.status).toBe('keep');
			}),
			{ numRuns: 2000 },
		);
	});

	it('Overwrite then Overwrite again with the same value changes nothing', () => {
		fc.assert(
			fc.property(caseArb, ({ spec, current, incoming }) => {
				const first = planField(up(incoming, 'overwrite'), spec, current, ctx);
				const stored = first.status === 'write' ? first.value : current;
				expect(planField(up(incoming, 'overwrite'), spec, stored, ctx).status).toBe('keep');
			}),
			{ numRuns: 1000 },
		);
	});

	it('appendDatedLines keeps every existing line and adds each new line exactly once', () => {
		fc.assert(
			fc.property(
				fc.array(line, { maxLength: 4 }),
				fc.array(line, { minLength: 1, maxLength: 4 }),
				(old, add) => {
					const merged = appendDatedLines(old.join('\n'), add.join('\n'), ctx.today);
					const kept = merged
						.split('\n')
						.map((l) => l.trim())
						.filter(Boolean);
					for (const l of old.map((x) => x.trim()).filter(Boolean)) expect(kept).toContain(l);
					for (const l of add.map((x) => x.trim()).filter(Boolean)) {
						const bare = l.replace(/^\d{4}-\d{2}-\d{2}:\s?/, '').trim();
						expect(
							kept.some(
								(k) => k === bare || k.replace(/^\d{4}-\d{2}-\d{2}:\s?/, '').trim() === bare,
							),
						).toBe(true);
					}
				},
			),
		);
	});
});

describe('Only move forward (stage picklists)', () => {
	const lifecycle: FieldSpec = {
		name: 'lifecyclestage',
		type: 'enum',
		options: ['subscriber', 'lead', 'opportunity', 'customer', 'evangelist'].map((value) => ({
			value,
			label: value[0].toUpperCase() + value.slice(1),
		})),
	};
	const stages = lifecycle.options!.map((option) => option.value);

	it('moves a lead to customer, and never a customer back to lead or opportunity', () => {
		expect(planField(up('customer', 'advanceOnly'), lifecycle, 'lead', ctx)).toMatchObject({
			status: 'write',
			value: 'customer',
			change: { before: 'lead', after: 'customer', applied: true, mode: 'advanceOnly' },
		});
		for (const earlier of ['lead', 'Opportunity', 'customer'])
			expect(planField(up(earlier, 'advanceOnly'), lifecycle, 'customer', ctx)).toMatchObject({
				status: 'keep',
				change: { before: 'customer', applied: false, reason: REASONS.notForward },
			});
	});

	it('fills an empty stage and replaces a value that is not one of the options', () => {
		expect(planField(up('lead', 'advanceOnly'), lifecycle, undefined, ctx).status).toBe('write');
		expect(planField(up('lead', 'advanceOnly'), lifecycle, 'retired-stage', ctx).status).toBe(
			'write',
		);
	});

	it('refuses a field without an ordered picklist instead of guessing an order', () => {
		expect(planField(up('b', 'advanceOnly'), text, 'a', ctx)).toMatchObject({
			status: 'keep',
			change: { reason: REASONS.notOrdered },
		});
	});

	it('writes exactly when the new stage comes later, and a second pass writes nothing (fast-check)', () => {
		const stageText = fc
			.constantFrom(...stages)
			.chain((value) =>
				fc.constantFrom(value, value.toUpperCase(), value[0].toUpperCase() + value.slice(1)),
			);
		fc.assert(
			fc.property(stageText, stageText, (current, incoming) => {
				const decision = planField(up(incoming, 'advanceOnly'), lifecycle, current, ctx);
				const from = stages.indexOf(current.toLowerCase());
				const to = stages.indexOf(incoming.toLowerCase());
				expect(decision.status).toBe(to > from ? 'write' : 'keep');
				const stored = decision.status === 'write' ? decision.value : current;
				expect(planField(up(incoming, 'advanceOnly'), lifecycle, stored, ctx).status).toBe('keep');
			}),
			{ numRuns: 1000 },
		);
	});
});
