import fc from 'fast-check';

import {
	convertAddressUpdates,
	type AddressOutcome,
	type AddressTarget,
} from '../../../nodes/CrmContactFieldMerge/logic/addressValues';
import type { FieldUpdate } from '../../../nodes/CrmContactFieldMerge/logic/merge';
import { COUNTRY_NAMES, countryName } from '../../../nodes/shared/logic/geo';
import { profileOf } from '../../../nodes/shared/providers/profiles';

const SALESFORCE_CONTACT = profileOf('salesforce').address!.fields.contact!;
const HUBSPOT_CONTACT = profileOf('hubspot').address!.fields.contact!;

const codes = (current?: Record<string, unknown>, has = (_: string) => true): AddressTarget => ({
	storage: 'codes',
	addresses: SALESFORCE_CONTACT,
	has,
	current,
});
const names = (current?: Record<string, unknown>): AddressTarget => ({
	storage: 'names',
	addresses: HUBSPOT_CONTACT,
	has: () => true,
	current,
});

const overwrite = (values: Record<string, unknown>): FieldUpdate[] =>
	Object.entries(values).map(([field, value]) => ({ field, value, mode: 'overwrite' }));

function updates(outcome: AddressOutcome): Record<string, unknown> {
	if (!outcome.ok) throw new Error(`expected updates, got ${outcome.field}: ${outcome.reason}`);
	return Object.fromEntries(outcome.updates.map((u) => [u.field, u.value]));
}

describe('convertAddressUpdates — codes (state and country picklists)', () => {
	it('moves free text mapped to the text fields to the code fields', () => {
		const result = updates(
			convertAddressUpdates(
				overwrite({ MailingCountry: 'USA', MailingState: 'California', Title: 'CIO' }),
				codes(),
			),
		);
		expect(result).toEqual({ MailingCountryCode: 'US', MailingStateCode: 'CA', Title: 'CIO' });
	});

	it('keeps each update mode and reads a state within the record’s current country', () => {
		const outcome = convertAddressUpdates(
			[{ field: 'OtherState', value: 'Bavaria', mode: 'fillIfEmpty' }],
			codes({ OtherCountryCode: 'DE' }),
		);
		expect(outcome).toEqual({
			ok: true,
			updates: [{ field: 'OtherStateCode', value: 'BY', mode: 'fillIfEmpty' }],
		});
	});

	it('normalises values mapped straight to the code fields', () => {
		expect(
			updates(
				convertAddressUpdates(
					overwrite({ MailingCountryCode: 'u.s.a.', MailingStateCode: 'New York' }),
					codes(),
				),
			),
		).toEqual({ MailingCountryCode: 'US', MailingStateCode: 'NY' });
	});

	it('a full ISO 3166-2 code on a record without a country also sets the country', () => {
		expect(updates(convertAddressUpdates(overwrite({ MailingState: 'AU-NSW' }), codes()))).toEqual({
			MailingStateCode: 'NSW',
			MailingCountryCode: 'AU',
		});
	});

	it('fails naming the field for an unknown country, and never guesses a state without its country', () => {
		expect(convertAddressUpdates(overwrite({ MailingCountry: 'Atlantis' }), codes())).toEqual({
			ok: false,
			field: 'MailingCountry',
			reason: '"Atlantis" is not a known country',
		});
		const georgia = convertAddressUpdates(overwrite({ MailingState: 'Georgia' }), codes());
		expect(georgia).toMatchObject({ ok: false, field: 'MailingState' });
		expect(georgia.ok ? '' : georgia.reason).toMatch(/needs its country/);
	});

	it('fails when the text and the code field name different countries', () => {
		const outcome = convertAddressUpdates(
			overwrite({ MailingCountry: 'Germany', MailingCountryCode: 'FR' }),
			codes(),
		);
		expect(outcome).toMatchObject({ ok: false, field: 'MailingCountry' });
	});

	it('fails clearly when the org has no code fields (picklists off)', () => {
		const outcome = convertAddressUpdates(
			overwrite({ MailingCountry: 'USA' }),
			codes(undefined, (field) => !field.endsWith('Code')),
		);
		expect(outcome).toMatchObject({ ok: false, field: 'MailingCountry' });
		expect(outcome.ok ? '' : outcome.reason).toMatch(/no "MailingCountryCode" field/);
	});

	it('leaves items without address values and empty values untouched', () => {
		const input = overwrite({ Title: 'CIO', MailingCountry: '', MailingState: null });
		expect(convertAddressUpdates(input, codes())).toEqual({ ok: true, updates: input });
	});
});

describe('convertAddressUpdates — names (text CRMs)', () => {
	it('writes codes and short forms as names', () => {
		expect(
			updates(convertAddressUpdates(overwrite({ country: 'US', state: 'CA' }), names())),
		).toEqual({ country: 'United States', state: 'California' });
		expect(
			updates(convertAddressUpdates(overwrite({ country: 'USA', state: 'US-CA' }), names())),
		).toEqual({ country: 'United States', state: 'California' });
	});

	it('reads a state within the record’s country', () => {
		expect(
			updates(convertAddressUpdates(overwrite({ state: 'ON' }), names({ country: 'Canada' }))),
		).toEqual({ state: 'Ontario' });
	});

	it('is idempotent (property): converting converted names changes nothing', () => {
		fc.assert(
			fc.property(fc.constantFrom(...COUNTRY_NAMES.keys()), (code) => {
				const once = updates(convertAddressUpdates(overwrite({ country: code }), names()));
				expect(once).toEqual({ country: countryName(code) });
				const twice = updates(convertAddressUpdates(overwrite({ country: once.country }), names()));
				expect(twice).toEqual(once);
			}),
		);
	});
});
