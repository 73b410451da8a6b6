import { isDeepStrictEqual } from 'node:util';

import fc from 'fast-check';

import {
	firstDifferent,
	holdsExpression,
	sameValue,
} from '../../../nodes/shared/node/batchParameter';

test('an expression is found wherever it sits in a stored parameter value', () => {
	expect(holdsExpression('={{ $json.x }}')).toBe(true);
	expect(
		holdsExpression({ entries: [{ objectType: 'deal' }, { objectType: '={{ $json.kind }}' }] }),
	).toBe(true);
	expect(holdsExpression({ maxNotes: 5, subjectPrefix: 'Call = x' })).toBe(false);
	expect(holdsExpression(['hubspot'])).toBe(false);
	expect(holdsExpression(undefined)).toBe(false);
});

test('firstDifferent: undefined exactly when every value deep-equals the first, else the first index that does not', () => {
	fc.assert(
		fc.property(
			fc.array(fc.oneof(fc.constant({ a: [1] }), fc.constant({ a: [2] }), fc.constant('x')), {
				minLength: 1,
				maxLength: 20,
			}),
			(values) => {
				const index = firstDifferent(values);
				const same = (v: unknown) => JSON.stringify(v) === JSON.stringify(values[0]);
				if (index === undefined) expect(values.every(same)).toBe(true);
				else {
					expect(same(values[index])).toBe(false);
					expect(values.slice(0, index).every(same)).toBe(true);
				}
			},
		),
	);
});

test('sameValue agrees with deep equality on JSON values', () => {
	fc.assert(
		fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
			expect(sameValue(a, b)).toBe(
				JSON.stringify(a) === JSON.stringify(b) || isDeepStrictEqual(a, b),
			);
			expect(sameValue(a, structuredClone(a))).toBe(true);
		}),
	);
	expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(true);
	expect(sameValue([1, 2], { 0: 1, 1: 2 })).toBe(false);
	expect(sameValue({ a: undefined }, { b: undefined })).toBe(false);
});
