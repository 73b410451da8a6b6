import fc from 'fast-check';

import { withoutKeys } from '../../nodes/shared/logic/withoutKeys';

describe('withoutKeys', () => {
	test('drops exactly the named keys and leaves the record as it was', () => {
		const record = { attributes: { type: 'Contact' }, Id: '003A', Email: 'a@acme.com' };
		expect(withoutKeys(record, 'attributes')).toEqual({ Id: '003A', Email: 'a@acme.com' });
		expect(record).toEqual({ attributes: { type: 'Contact' }, Id: '003A', Email: 'a@acme.com' });
	});

	test('property: every other key keeps its value, no dropped key survives', () => {
		fc.assert(
			fc.property(
				fc.dictionary(fc.string(), fc.jsonValue()),
				fc.array(fc.string()),
				(record, keys) => {
					const result = withoutKeys(record, ...(keys as Array<keyof typeof record & string>));
					for (const key of keys) expect(Object.hasOwn(result, key)).toBe(false);
					for (const [key, value] of Object.entries(record))
						if (!keys.includes(key))
							expect((result as Record<string, unknown>)[key]).toEqual(value);
				},
			),
		);
	});
});
