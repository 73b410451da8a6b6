/** Required text fields filled on create, and the placeholder read back as blank. */
import fc from 'fast-check';

import {
	requiredTextFills,
	withoutPlaceholder,
} from '../../nodes/CrmRecordSync/logic/requiredText';
import type { FieldDescription } from '../../nodes/shared/providers/CrmProvider';

const field = (name: string, extra: Partial<FieldDescription> = {}): FieldDescription => ({
	name,
	label: name,
	type: 'string',
	nativeType: 'string',
	readOnly: false,
	required: true,
	canBeUsedToMatch: false,
	...extra,
});

describe('requiredTextFills', () => {
	const fields = [
		field('LastName'),
		field('Company'),
		field('Email', { required: false }),
		field('Status', { type: 'enum' }),
		field('Name', { readOnly: true }),
	];

	it('fills only required, writable text fields the record lacks', () => {
		expect(requiredTextFills(fields, { LastName: 'Ng', Company: '  ' }, '[x]')).toEqual([
			{ field: 'Company', label: 'Company', value: '[x]' },
		]);
		expect(requiredTextFills(fields, {}, undefined)).toEqual([]);
	});

	it('never fills a field that has a value, and fills every other required text field', () => {
		fc.assert(
			fc.property(
				fc.record({
					LastName: fc.option(fc.string(), { nil: undefined }),
					Company: fc.option(fc.string(), { nil: undefined }),
				}),
				(properties) => {
					const filled = requiredTextFills(fields, properties, '[x]').map((f) => f.field);
					for (const name of ['LastName', 'Company'] as const) {
						const value = properties[name];
						const blank = value === undefined || value.trim() === '';
						expect(filled.includes(name)).toBe(blank);
					}
				},
			),
		);
	});
});

describe('withoutPlaceholder', () => {
	it('reads the placeholder as blank and anything else as it is', () => {
		expect(withoutPlaceholder('[not provided]', '[not provided]')).toBeNull();
		expect(withoutPlaceholder(' [not provided] ', '[not provided]')).toBeNull();
		expect(withoutPlaceholder('Acme', '[not provided]')).toBe('Acme');
		expect(withoutPlaceholder('[not provided]', undefined)).toBe('[not provided]');
	});
});
