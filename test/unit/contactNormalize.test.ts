import fc from 'fast-check';

import {
	contactFieldMap,
	normalizeContact,
	propertiesToRead,
	readBoolean,
	type ContactRecordInput,
} from '../../nodes/CrmSyncTrigger/logic/contactNormalize';

const record = (
	objectType: string,
	properties: Record<string, unknown>,
	id = 'rec-1',
): ContactRecordInput => ({
	id,
	objectType,
	properties,
	updatedAt: '2026-11-21T10:00:00.000Z',
});

describe('normalizeContact — per CRM', () => {
	it('HubSpot: firstname/lastname/email/phone, national numbers in the default country, no standard do-not-call', () => {
		const contact = normalizeContact(
			record('contacts', {
				firstname: 'Alice',
				lastname: 'Nguyen',
				email: 'Alice@Acme.Example',
				phone: '(415) 555-0101',
				lifecyclestage: 'lead',
			}),
			contactFieldMap('hubspot'),
			{ defaultCountry: 'US', extraFields: ['lifecyclestage', 'hs_lead_status'] },
		);
		expect(contact).toEqual({
			crmId: 'rec-1',
			objectType: 'contacts',
			phone: '+14155550101',
			phoneField: 'phone',
			firstName: 'Alice',
			lastName: 'Nguyen',
			email: 'alice@acme.example',
			doNotCall: null,
			fields: { lifecyclestage: 'lead', hs_lead_status: null },
			updatedAt: '2026-11-21T10:00:00.000Z',
		});
	});

	it('HubSpot: falls back to mobilephone and reads a named boolean property sent as a string', () => {
		const contact = normalizeContact(
			record('contacts', { phone: '', mobilephone: '+44 20 7946 0958', do_not_call: 'true' }),
			contactFieldMap('hubspot', 'do_not_call'),
		);
		expect(contact).toMatchObject({
			phone: '+442079460958',
			phoneField: 'mobilephone',
			doNotCall: true,
			firstName: null,
		});
	});

	it('Salesforce Contact and Lead: Phone then MobilePhone, DoNotCall checkbox', () => {
		const map = contactFieldMap('salesforce');
		const lead = normalizeContact(
			record('Lead', {
				FirstName: 'Dan',
				LastName: 'Ortiz',
				Email: 'dan@initech.example',
				Phone: 'call me',
				MobilePhone: '+1 202 555 0143',
				DoNotCall: true,
			}),
			map,
		);
		expect(lead).toMatchObject({
			phone: '+12025550143',
			phoneField: 'MobilePhone',
			doNotCall: true,
			lastName: 'Ortiz',
		});
		const contact = normalizeContact(
			record('Contact', { LastName: 'Solo', DoNotCall: false }),
			map,
		);
		expect(contact).toMatchObject({
			phone: null,
			doNotCall: false,
			firstName: null,
			lastName: 'Solo',
		});
		expect(contact.phoneReason).toBe('no phone number in "Phone" or "MobilePhone"');
	});

	it('Dynamics contact/lead: telephone1, mobilephone, emailaddress1, donotphone', () => {
		const contact = normalizeContact(
			record('contact', {
				firstname: 'Eve',
				lastname: 'Stone',
				emailaddress1: 'eve@contoso.example',
				telephone1: '030 1234567',
				donotphone: false,
			}),
			contactFieldMap('dynamics'),
			{ defaultCountry: 'DE' },
		);
		expect(contact).toMatchObject({
			phone: '+49301234567',
			phoneField: 'telephone1',
			email: 'eve@contoso.example',
			doNotCall: false,
		});
	});

	it('autoch.at clients: first_name/last_name, else the name split at the first space; no standard do-not-call', () => {
		const map = contactFieldMap('autochat');
		expect(
			normalizeContact(
				record('client', { name: 'Maria de la Cruz', phone: '+34 612 34 56 78' }),
				map,
			),
		).toMatchObject({
			firstName: 'Maria',
			lastName: 'de la Cruz',
			phone: '+34612345678',
			doNotCall: null,
		});
		expect(
			normalizeContact(
				record('client', { name: 'Ignored', first_name: 'Ana', last_name: null }),
				map,
			),
		).toMatchObject({
			firstName: 'Ana',
			lastName: null,
		});
	});

	it('explains an unusable phone with the field and the reason, and a malformed email', () => {
		const contact = normalizeContact(
			record('contacts', { phone: '555-0101', email: 'not-an-address' }),
			contactFieldMap('hubspot'),
		);
		expect(contact.phone).toBeNull();
		expect(contact.phoneReason).toMatch(
			/^field "phone": "555-0101" is not a usable phone number: /,
		);
		expect(contact.email).toBeNull();
		expect(contact.emailReason).toMatch(/has no @/);
	});
});

describe('normalizeContact — change time', () => {
	it('writes every CRM’s change time as ISO UTC', () => {
		const map = contactFieldMap('salesforce');
		const at = (updatedAt?: string) =>
			normalizeContact({ id: 'x', objectType: 'Contact', properties: {}, updatedAt }, map)
				.updatedAt;
		expect(at('2026-11-21T10:00:00.000+0000')).toBe('2026-11-21T10:00:00.000Z');
		expect(at('2026-11-21T10:00:00Z')).toBe('2026-11-21T10:00:00.000Z');
		expect(at(String(Date.parse('2026-11-21T10:00:00Z')))).toBe('2026-11-21T10:00:00.000Z');
		expect(at(undefined)).toBeNull();
	});
});

describe('propertiesToRead', () => {
	it('asks for the mapped fields plus the selected ones, once each', () => {
		expect(propertiesToRead(contactFieldMap('salesforce'), ['LeadSource', 'Phone'])).toEqual([
			'FirstName',
			'LastName',
			'Email',
			'Phone',
			'MobilePhone',
			'DoNotCall',
			'LeadSource',
		]);
		expect(propertiesToRead(contactFieldMap('autochat'))).toEqual([
			'first_name',
			'last_name',
			'email',
			'phone',
			'name',
		]);
	});
});

describe('readBoolean', () => {
	it('reads the spellings CRMs use and refuses anything else', () => {
		expect([true, 'TRUE', 'yes', 1, '1'].map(readBoolean)).toEqual([true, true, true, true, true]);
		expect([false, 'false', 'No', 0].map(readBoolean)).toEqual([false, false, false, false]);
		// Empty is unknown, never "callable".
		expect(['', '  ', null, undefined].map(readBoolean)).toEqual([null, null, null, null]);
		expect(readBoolean('maybe')).toBeNull();
		expect(readBoolean(2)).toBeNull();
		expect(readBoolean({})).toBeNull();
	});
});

describe('normalizeContact — property', () => {
	it('always yields E.164 or null with a reason, never throws, and keeps exactly the selected extra fields', () => {
		fc.assert(
			fc.property(
				fc.dictionary(
					fc.constantFrom('phone', 'mobilephone', 'firstname', 'email', 'custom_a'),
					fc.oneof(fc.string(), fc.integer(), fc.constant(null)),
				),
				fc.subarray(['custom_a', 'custom_b']),
				(properties, extra) => {
					const contact = normalizeContact(
						record('contacts', properties),
						contactFieldMap('hubspot'),
						{ defaultCountry: 'US', extraFields: extra },
					);
					if (contact.phone === null) expect(typeof contact.phoneReason).toBe('string');
					else expect(contact.phone).toMatch(/^\+[1-9]\d{6,14}$/);
					expect(Object.keys(contact.fields).sort()).toEqual([...extra].sort());
				},
			),
			{ numRuns: 300 },
		);
	});
});
