import fc from 'fast-check';

import {
	coerceValue,
	type FieldSpec,
	type PicklistOption,
} from '../../nodes/CrmContactFieldMerge/logic/fieldValues';
import {
	optionForMeaning,
	PICKLIST_MEANINGS,
	picklistWords,
} from '../../nodes/CrmContactFieldMerge/logic/picklistMeaning';

const options = (...values: Array<string | [string, string]>): PicklistOption[] =>
	values.map((entry) =>
		Array.isArray(entry) ? { value: entry[0], label: entry[1] } : { value: entry, label: entry },
	);

/** Salesforce's classic Lead Status values, its newer defaults, and HubSpot's hs_lead_status. */
const SALESFORCE_CLASSIC = options(
	'Open - Not Contacted',
	'Working - Contacted',
	'Closed - Converted',
	'Closed - Not Converted',
);
const SALESFORCE_NEW = options('New', 'Contacted', 'Nurturing', 'Qualified', 'Unqualified');
const HUBSPOT = options(
	['NEW', 'New'],
	['OPEN', 'Open'],
	['IN_PROGRESS', 'In Progress'],
	['OPEN_DEAL', 'Open Deal'],
	['UNQUALIFIED', 'Unqualified'],
	['CONNECTED', 'Connected'],
	['BAD_TIMING', 'Bad Timing'],
);

describe('optionForMeaning', () => {
	it.each([
		[
			'Salesforce classic',
			SALESFORCE_CLASSIC,
			{
				qualified: 'Working - Contacted',
				unqualified: 'Closed - Not Converted',
				pending: 'Open - Not Contacted',
			},
		],
		[
			'Salesforce new defaults',
			SALESFORCE_NEW,
			{ qualified: 'Qualified', unqualified: 'Unqualified', pending: 'New' },
		],
		['HubSpot', HUBSPOT, { qualified: 'IN_PROGRESS', unqualified: 'UNQUALIFIED', pending: 'NEW' }],
	])('maps the three qualification meanings onto %s', (_name, picklist, expected) => {
		for (const [meaning, value] of Object.entries(expected))
			expect({ meaning, value: optionForMeaning(picklist, meaning)?.value }).toEqual({
				meaning,
				value,
			});
	});

	it('compares by value and by label, ignoring case and punctuation', () => {
		expect(optionForMeaning(options(['x1', 'Closed – not converted!']), 'unqualified')?.value).toBe(
			'x1',
		);
		expect(optionForMeaning(options('CLOSED_NOT_CONVERTED'), ' Unqualified ')?.value).toBe(
			'CLOSED_NOT_CONVERTED',
		);
		expect(picklistWords('Working - Contacted')).toBe('working contacted');
	});

	it('is undefined for a word that is no meaning, or a picklist without any word of the meaning', () => {
		expect(optionForMeaning(SALESFORCE_NEW, 'hot')).toBeUndefined();
		expect(optionForMeaning(options('Hot', 'Cold'), 'qualified')).toBeUndefined();
	});

	it('property: the answer is always an option of the picklist', () => {
		const words = Object.values(PICKLIST_MEANINGS).flat();
		fc.assert(
			fc.property(
				fc.array(fc.oneof(fc.constantFrom(...words), fc.string()), { maxLength: 8 }),
				fc.constantFrom(...Object.keys(PICKLIST_MEANINGS)),
				(values, meaning) => {
					const picklist = options(...values);
					const found = optionForMeaning(picklist, meaning);
					return found === undefined || picklist.includes(found);
				},
			),
		);
	});
});

describe('coerceValue with a meaning for a picklist', () => {
	const status: FieldSpec = { name: 'Status', type: 'enum', options: SALESFORCE_NEW };

	it("writes the org's value for a meaning; a real value of the picklist still wins", () => {
		expect(coerceValue('unqualified', { ...status, options: SALESFORCE_CLASSIC })).toEqual({
			kind: 'ok',
			value: 'Closed - Not Converted',
		});
		expect(coerceValue('Nurturing', status)).toEqual({ kind: 'ok', value: 'Nurturing' });
		expect(coerceValue('qualified', status)).toEqual({ kind: 'ok', value: 'Qualified' });
	});

	it('still rejects a value that is neither in the picklist nor a meaning it can carry', () => {
		expect(coerceValue('qualified', { ...status, options: options('Hot', 'Cold') })).toMatchObject({
			kind: 'invalid',
			reason: expect.stringContaining('"qualified" is not in the picklist of "Status"'),
		});
	});
});
