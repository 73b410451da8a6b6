import fc from 'fast-check';

import {
	convertPlaces,
	placeFieldsOf,
	sourceCountryOf,
	type PlaceInput,
} from '../../nodes/CrmRecordSync/logic/placeValues';
import { COUNTRY_NAMES } from '../../nodes/shared/logic/geo';
import { HUBSPOT_PROFILE } from '../../nodes/shared/providers/hubspot/profile';
import { SALESFORCE_PROFILE } from '../../nodes/shared/providers/salesforce/profile';

const leadFields = placeFieldsOf(SALESFORCE_PROFILE.address.fields.lead, (i) => `lead:${i}`);
const hubspotFields = placeFieldsOf(HUBSPOT_PROFILE.address.fields.contact, (i) => `contact:${i}`);
const contactFields = placeFieldsOf(
	SALESFORCE_PROFILE.address.fields.contact,
	(i) => `contact:${i}`,
);

const convert = (inputs: PlaceInput[], fields = leadFields) =>
	Object.fromEntries(convertPlaces(inputs, fields));

describe('Record Sync state and country values', () => {
	it('reads which target fields hold places and in which form from the profile', () => {
		expect(leadFields.get('CountryCode')).toEqual({
			role: 'country',
			form: 'code',
			address: 'lead:0',
		});
		expect(leadFields.get('State')).toEqual({ role: 'state', form: 'name', address: 'lead:0' });
		expect(contactFields.get('OtherStateCode')?.address).toBe('contact:1');
		expect(hubspotFields.get('country')).toEqual({
			role: 'country',
			form: 'name',
			address: 'contact:0',
		});
		expect(leadFields.has('City')).toBe(false);
	});

	it('"United States", "USA", "U.S." → US and "California" → CA on Salesforce code picklists', () => {
		for (const country of ['United States', 'USA', 'U.S.'])
			expect(
				convert([
					{ targetField: 'CountryCode', value: country },
					{ targetField: 'StateCode', value: 'California' },
				]),
			).toEqual({
				CountryCode: { ok: true, value: 'US' },
				StateCode: { ok: true, value: 'CA' },
			});
	});

	it("codes → names for text fields (Salesforce → HubSpot), the state within the source record's country", () => {
		expect(
			convert(
				[
					{ targetField: 'country', value: 'US' },
					{ targetField: 'state', value: 'CA' },
				],
				hubspotFields,
			),
		).toEqual({
			country: { ok: true, value: 'United States' },
			state: { ok: true, value: 'California' },
		});
		// Only the state mapped: its country comes from the source address.
		expect(
			convert([{ targetField: 'state', value: 'Calif.', sourceCountry: 'US' }], hubspotFields),
		).toEqual({ state: { ok: true, value: 'California' } });
	});

	it('never guesses: an unknown country and a state without a country are problems with reasons; blanks stay blank', () => {
		const out = convert([
			{ targetField: 'CountryCode', value: 'Atlantis' },
			{ targetField: 'StateCode', value: 'Georgia' },
			{ targetField: 'Country', value: undefined },
		]);
		expect(out.CountryCode).toEqual({ ok: false, reason: '"Atlantis" is not a known country' });
		expect(out.StateCode).toMatchObject({
			ok: false,
			reason: expect.stringMatching(/needs its country/),
		});
		expect(out.Country).toEqual({ ok: true, value: undefined });
		// A full ISO 3166-2 code carries its country.
		expect(convert([{ targetField: 'StateCode', value: 'US-GA' }]).StateCode).toEqual({
			ok: true,
			value: 'GA',
		});
	});

	it("the source address's country: the code field first, else the name; none when the state is of no address", () => {
		const addresses = SALESFORCE_PROFILE.address.fields.contact;
		expect(
			sourceCountryOf(addresses, 'OtherStateCode', {
				OtherCountryCode: 'CA',
				MailingCountryCode: 'US',
			}),
		).toBe('CA');
		expect(sourceCountryOf(addresses, 'MailingState', { MailingCountry: 'Deutschland' })).toBe(
			'DE',
		);
		expect(sourceCountryOf(addresses, 'Title', { MailingCountryCode: 'US' })).toBeUndefined();
	});

	it('property: any ISO code or its name lands as the code in a code field and as the name in a text field', () => {
		const codes = [...COUNTRY_NAMES.keys()];
		fc.assert(
			fc.property(fc.constantFrom(...codes), fc.boolean(), (code, byName) => {
				const value = byName ? COUNTRY_NAMES.get(code)! : code.toLowerCase();
				expect(convert([{ targetField: 'CountryCode', value }]).CountryCode).toEqual({
					ok: true,
					value: code,
				});
				expect(convert([{ targetField: 'country', value }], hubspotFields).country).toEqual({
					ok: true,
					value: COUNTRY_NAMES.get(code),
				});
			}),
		);
	});
});
