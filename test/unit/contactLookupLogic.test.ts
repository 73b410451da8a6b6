import fc from 'fast-check';

import { ageInWords, lookupAnswer } from '../../nodes/CrmContactLookup/logic/lookupAnswer';
import { lookupKeyOf } from '../../nodes/CrmContactLookup/logic/lookupKey';
import { HUBSPOT_PROFILE } from '../../nodes/shared/providers/hubspot/profile';

describe('lookupKeyOf', () => {
	it('normalises a phone written any way to E.164, and prefers it over an email', () => {
		for (const written of [
			'+1 (415) 555-0101',
			'415.555.0101',
			'tel:+14155550101',
			'001 415 555 0101',
		]) {
			expect(lookupKeyOf(written, 'a@b.example', 'US')).toMatchObject({
				ok: true,
				by: 'phone',
				value: '+14155550101',
			});
		}
		expect(lookupKeyOf(' ', ' Alice@Acme.example ')).toEqual({
			ok: true,
			by: 'email',
			value: 'alice@acme.example',
			query: { phones: [], emails: ['alice@acme.example'], domains: [] },
		});
	});

	it('names the field of an unusable value, and refuses nothing given', () => {
		expect(lookupKeyOf('12', '')).toMatchObject({ ok: false, field: 'phone' });
		expect(lookupKeyOf(undefined, 'nope')).toMatchObject({ ok: false, field: 'email' });
		expect(lookupKeyOf(null, undefined)).toEqual({
			ok: false,
			field: 'phone',
			message: 'neither a phone number nor an email address was given',
		});
	});

	it('never throws, whatever it is given', () => {
		fc.assert(
			fc.property(fc.anything(), fc.anything(), (phone, email) => {
				const key = lookupKeyOf(phone, email);
				if (key.ok) expect(key.query.phones.length + key.query.emails.length).toBe(1);
				else expect(['phone', 'email']).toContain(key.field);
			}),
		);
	});
});

describe('lookupAnswer', () => {
	const context = {
		source: 'crm' as const,
		crm: 'hubspot',
		by: 'phone' as const,
		value: '+14155550101',
		contactFields: HUBSPOT_PROFILE.contactFields,
		fields: ['jobtitle', 'missing'],
		companyField: 'company',
		now: Date.parse('2026-12-07T12:00:00Z'),
	};

	it('says found: false with no person', () => {
		expect(lookupAnswer({ candidates: 0, openDeals: [] }, context)).toEqual({
			found: false,
			source: 'crm',
			crm: 'hubspot',
			lookedUpBy: 'phone',
			lookedUpValue: '+14155550101',
			candidates: 0,
		});
		expect(lookupAnswer(undefined, context).found).toBe(false);
	});

	it('flattens the person for a prompt: names, company, owner, chosen fields (null when empty), deals, last activity in words', () => {
		const answer = lookupAnswer(
			{
				candidates: 2,
				person: {
					crm: 'hubspot',
					kind: 'contact',
					objectType: 'contacts',
					id: '7',
					ownerId: 'o1',
					matchedBy: 'phone',
					properties: {
						firstname: 'Alice',
						lastname: 'Nguyen',
						phone: '+1 415 555 0101',
						company: 'Acme',
						jobtitle: 'VP',
					},
				},
				openDeals: [
					{
						crm: 'hubspot',
						kind: 'deal',
						objectType: 'deals',
						id: 'd1',
						name: 'Expansion',
						isOpen: true,
					},
				],
				lastActivityAt: '2026-11-18T16:20:00.000Z',
			},
			context,
		);
		expect(answer).toEqual({
			found: true,
			source: 'crm',
			crm: 'hubspot',
			lookedUpBy: 'phone',
			lookedUpValue: '+14155550101',
			candidates: 2,
			person: {
				id: '7',
				kind: 'contact',
				objectType: 'contacts',
				matchedBy: 'phone',
				name: 'Alice Nguyen',
				firstName: 'Alice',
				lastName: 'Nguyen',
				phone: '+1 415 555 0101',
				company: 'Acme',
				fields: { jobtitle: 'VP', missing: null },
			},
			owner: { id: 'o1' },
			openDeals: [{ id: 'd1', name: 'Expansion' }],
			openDealCount: 1,
			lastActivityAt: '2026-11-18T16:20:00.000Z',
			lastActivitySummary: 'Last activity 2026-11-18 (18 days ago)',
		});
	});

	it('says the age of the last activity as a person would', () => {
		const now = Date.parse('2026-12-07T12:00:00Z');
		expect(ageInWords('2026-12-07T08:00:00Z', now)).toBe('today');
		expect(ageInWords('2026-12-06T08:00:00Z', now)).toBe('yesterday');
		expect(ageInWords('2026-12-01T12:00:00Z', now)).toBe('6 days ago');
		expect(ageInWords('never', now)).toBeUndefined();
	});
});
