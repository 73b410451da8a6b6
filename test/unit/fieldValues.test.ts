import fc from 'fast-check';

import {
	coerceValue,
	findOption,
	readStoredValue,
	sameValue,
	type FieldSpec,
} from '../../nodes/CrmContactFieldMerge/logic/fieldValues';

const stage: FieldSpec = {
	name: 'lifecyclestage',
	type: 'enum',
	options: [
		{ value: 'lead', label: 'Lead' },
		{ value: 'salesqualifiedlead', label: 'Sales Qualified Lead' },
		{ value: 'customer', label: 'Customer' },
	],
};
const tags: FieldSpec = {
	name: 'tags',
	type: 'multiEnum',
	options: [
		{ value: 'a', label: 'Alpha' },
		{ value: 'b', label: 'Beta' },
		{ value: 'c', label: 'Gamma' },
	],
};
const spec = (type: FieldSpec['type']): FieldSpec => ({ name: 'f', type });

describe('coerceValue', () => {
	it('treats null, undefined, blank text and empty arrays as empty', () => {
		for (const value of [null, undefined, '', '   ', [], ['', null]]) {
			expect(coerceValue(value, spec('string')).kind).toBe('empty');
			expect(coerceValue(value, tags).kind).toBe('empty');
		}
	});

	it('coerces numbers and rejects what is not one', () => {
		expect(coerceValue('42.5', spec('number'))).toEqual({ kind: 'ok', value: 42.5 });
		expect(coerceValue(' -3 ', spec('number'))).toEqual({ kind: 'ok', value: -3 });
		expect(coerceValue('12 apples', spec('number'))).toMatchObject({
			kind: 'invalid',
			reason: expect.stringMatching(/not a number/),
		});
		expect(coerceValue(Number.NaN, spec('number')).kind).toBe('invalid');
	});

	it('coerces booleans from words and numbers', () => {
		expect(coerceValue('Yes', spec('boolean'))).toEqual({ kind: 'ok', value: true });
		expect(coerceValue(0, spec('boolean'))).toEqual({ kind: 'ok', value: false });
		expect(coerceValue('maybe', spec('boolean')).kind).toBe('invalid');
	});

	it('keeps a date-only value on its day whatever the timezone', () => {
		for (const zone of [
			'Pacific/Kiritimati',
			'Pacific/Pago_Pago',
			'Europe/Berlin',
			'America/Los_Angeles',
		]) {
			expect(coerceValue('2026-03-01', spec('date'), { zone })).toEqual({
				kind: 'ok',
				value: '2026-03-01',
			});
		}
		// The day as written in the value's own offset, not the UTC day (which is March 2nd).
		expect(coerceValue('2026-03-01T23:30:00-05:00', spec('date'))).toEqual({
			kind: 'ok',
			value: '2026-03-01',
		});
		expect(coerceValue(Date.UTC(2026, 2, 1), spec('date'))).toEqual({
			kind: 'ok',
			value: '2026-03-01',
		});
		expect(coerceValue('2026-02-30', spec('date'))).toMatchObject({
			kind: 'invalid',
			reason: expect.stringMatching(/real calendar date/),
		});
		expect(coerceValue('next tuesday', spec('date')).kind).toBe('invalid');
	});

	it('writes date-times as UTC instants; times without an offset are read in the given zone', () => {
		expect(coerceValue('2026-03-01T10:00:00+02:00', spec('datetime'))).toEqual({
			kind: 'ok',
			value: '2026-03-01T08:00:00.000Z',
		});
		expect(coerceValue('2026-07-01T10:00:00', spec('datetime'), { zone: 'Europe/Berlin' })).toEqual(
			{ kind: 'ok', value: '2026-07-01T08:00:00.000Z' },
		);
		expect(coerceValue('soon', spec('datetime')).kind).toBe('invalid');
	});

	it('matches a picklist by value or case-insensitive label and rejects anything else with a reason', () => {
		expect(coerceValue('customer', stage)).toEqual({ kind: 'ok', value: 'customer' });
		expect(coerceValue('CUSTOMER', stage)).toEqual({ kind: 'ok', value: 'customer' });
		expect(coerceValue('sales qualified lead', stage)).toEqual({
			kind: 'ok',
			value: 'salesqualifiedlead',
		});
		const rejected = coerceValue('VIP', stage);
		expect(rejected).toMatchObject({ kind: 'invalid' });
		expect(rejected.kind === 'invalid' && rejected.reason).toMatch(
			/"VIP" is not in the picklist of "lifecyclestage" \(allowed: lead, salesqualifiedlead, customer\)/,
		);
	});

	it('keeps multi-selects as arrays of picklist values (from ;, comma or array input)', () => {
		expect(coerceValue('a;Beta', tags)).toEqual({ kind: 'ok', value: ['a', 'b'] });
		expect(coerceValue('gamma, a, a', tags)).toEqual({ kind: 'ok', value: ['c', 'a'] });
		expect(coerceValue(['b'], tags)).toEqual({ kind: 'ok', value: ['b'] });
		expect(coerceValue('a;zzz', tags)).toMatchObject({
			kind: 'invalid',
			reason: expect.stringMatching(/"zzz" is not in the picklist/),
		});
	});

	it('rejects objects as text', () => {
		expect(coerceValue({ a: 1 }, spec('string')).kind).toBe('invalid');
	});
});

describe('readStoredValue', () => {
	it('reads what CRMs return as text into the neutral form', () => {
		expect(readStoredValue('1200', spec('number'))).toBe(1200);
		expect(readStoredValue('true', spec('boolean'))).toBe(true);
		expect(readStoredValue('a;b', tags)).toEqual(['a', 'b']);
		expect(readStoredValue('100000000,100000001', { name: 'm', type: 'multiEnum' })).toEqual([
			'100000000',
			'100000001',
		]);
		expect(readStoredValue(3, { name: 'p', type: 'enum' })).toBe('3');
		expect(readStoredValue('', spec('string'))).toBeUndefined();
		// A stored value outside today's picklist is still the current value.
		expect(readStoredValue('retired', stage)).toBe('retired');
		expect(readStoredValue('garbage', spec('number'))).toBe('garbage');
	});
});

describe('round trips (property tests)', () => {
	const zones = fc.constantFrom(
		'UTC',
		'Pacific/Kiritimati',
		'Pacific/Pago_Pago',
		'Asia/Kolkata',
		'America/St_Johns',
	);
	const day = fc
		.date({
			min: new Date(Date.UTC(1900, 0, 1)),
			max: new Date(Date.UTC(2200, 11, 31)),
			noInvalidDate: true,
		})
		.map((d) => d.toISOString().slice(0, 10));

	it('date: coerce(x) = x and reading it back gives the same day, in any zone', () => {
		fc.assert(
			fc.property(day, zones, (text, zone) => {
				const coerced = coerceValue(text, spec('date'), { zone });
				expect(coerced).toEqual({ kind: 'ok', value: text });
				expect(readStoredValue(text, spec('date'))).toBe(text);
			}),
		);
	});

	it('datetime: any instant written with any offset coerces to the same instant, and is a fixed point', () => {
		const instant = fc.date({
			min: new Date(Date.UTC(1970, 0, 1)),
			max: new Date(Date.UTC(2200, 0, 1)),
			noInvalidDate: true,
		});
		fc.assert(
			fc.property(instant, fc.integer({ min: -12 * 60, max: 14 * 60 }), (date, offsetMinutes) => {
				const local = new Date(date.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 23);
				const sign = offsetMinutes < 0 ? '-' : '+';
				const abs = Math.abs(offsetMinutes);
				const written = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
				const coerced = coerceValue(written, spec('datetime'));
				expect(coerced).toEqual({ kind: 'ok', value: date.toISOString() });
				expect(coerceValue(date.toISOString(), spec('datetime'))).toEqual(coerced);
			}),
		);
	});

	it('number: String(n) coerces back to n', () => {
		fc.assert(
			fc.property(
				fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
				(n) => {
					expect(coerceValue(String(n), spec('number'))).toEqual({ kind: 'ok', value: n });
				},
			),
		);
	});

	it('multiEnum: the ;-joined form reads back to the same set', () => {
		fc.assert(
			fc.property(fc.subarray(['a', 'b', 'c']), (values) => {
				const joined = values.join(';');
				const read = readStoredValue(joined, tags);
				if (values.length === 0) expect(read).toBeUndefined();
				else expect(sameValue(read, values, 'multiEnum')).toBe(true);
			}),
		);
	});

	it('enum: every option is found by its value and by its label in any case', () => {
		fc.assert(
			fc.property(fc.constantFrom(...stage.options!), fc.boolean(), (option, upper) => {
				const label = upper ? option.label.toUpperCase() : option.label.toLowerCase();
				expect(findOption(stage.options!, option.value)).toBe(option);
				expect(coerceValue(label, stage)).toEqual({ kind: 'ok', value: option.value });
			}),
		);
	});
});
