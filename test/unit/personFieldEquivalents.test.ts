/** A lead's address field and the contact field holding the same part, from the profile's address facts. */
import {
	equivalentAddressField,
	translatePersonUpdates,
} from '../../nodes/CrmContactFieldMerge/logic/personFieldEquivalents';
import { profileOf } from '../../nodes/shared/providers/profiles';

const address = profileOf('salesforce').address;

describe('person field equivalents', () => {
	it('maps each part of the first address both ways and nothing else', () => {
		expect(equivalentAddressField('Street', 'contact', address)).toBe('MailingStreet');
		expect(equivalentAddressField('StateCode', 'contact', address)).toBe('MailingStateCode');
		expect(equivalentAddressField('MailingPostalCode', 'lead', address)).toBe('PostalCode');
		expect(equivalentAddressField('OtherCity', 'lead', address)).toBe('City');
		expect(equivalentAddressField('Company', 'contact', address)).toBeUndefined();
		expect(equivalentAddressField('Street', 'contact', undefined)).toBeUndefined();
	});

	it('renames only fields the target lacks, never onto a field already given', () => {
		const has = (name: string) => name.startsWith('Mailing') || name === 'Email';
		const updates = translatePersonUpdates(
			[
				{ field: 'Email', value: 'a@b.example', mode: 'overwrite' },
				{ field: 'Street', value: '1 Main St', mode: 'overwrite' },
				{ field: 'City', value: 'Springfield', mode: 'overwrite' },
				{ field: 'MailingCity', value: 'Shelbyville', mode: 'overwrite' },
				{ field: 'Company', value: 'Acme', mode: 'overwrite' },
			],
			has,
			'contact',
			address,
		);
		expect(updates.map((u) => u.field)).toEqual([
			'Email',
			'MailingStreet',
			'City',
			'MailingCity',
			'Company',
		]);
	});
});
