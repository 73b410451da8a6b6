import { wireProperties } from '../../nodes/CrmContactFieldMerge/wireValues';
import type { MergeFieldSpec } from '../../nodes/CrmContactFieldMerge/fieldSpecs';

const specs = new Map<string, MergeFieldSpec>([
	[
		'choice',
		{
			name: 'choice',
			label: 'Choice',
			type: 'enum',
			readOnly: false,
			options: [{ value: '100000001', label: 'Warm' }],
		},
	],
	['choices', { name: 'choices', label: 'Choices', type: 'multiEnum', readOnly: false }],
	['code', { name: 'code', label: 'Code', type: 'enum', readOnly: false }],
	['note', { name: 'note', label: 'Note', type: 'string', readOnly: false }],
]);
const neutral = { choice: '100000001', choices: ['1', '2'], code: 'A-1', note: 'x;y', count: 3 };

describe('wireProperties', () => {
	it('formats Dataverse choices as integers and multi-select choices as comma-joined integers', () => {
		expect(wireProperties('dynamics', specs, neutral)).toEqual({
			choice: 100000001,
			choices: '1,2',
			code: 'A-1',
			note: 'x;y',
			count: 3,
		});
	});

	it('joins multi-select picklists with ";" for Salesforce and HubSpot and leaves other values alone', () => {
		expect(wireProperties('salesforce', specs, neutral)).toEqual({ ...neutral, choices: '1;2' });
		expect(wireProperties('hubspot', specs, neutral)).toEqual({ ...neutral, choices: '1;2' });
		expect(wireProperties('autochat', specs, neutral)).toEqual(neutral);
	});
});
