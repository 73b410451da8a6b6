import fc from 'fast-check';

import { InProcessCreatedRecords } from '../../nodes/CrmContactFieldMerge/createdRecords';
import {
	chooseMatchKey,
	identityKey,
	lookupKinds,
	recordHoldsKey,
} from '../../nodes/CrmContactFieldMerge/matchKeys';
import { groupWrites, type Planned } from '../../nodes/CrmContactFieldMerge/writeGroups';
import type { MergeFieldSpec } from '../../nodes/CrmContactFieldMerge/fieldSpecs';

describe('chooseMatchKey', () => {
	it('uses the Match By key when the item has a usable value, without falling back', () => {
		expect(
			chooseMatchKey({
				by: 'phone',
				raw: '(415) 555-0101',
				fallback: { raw: 'a@b.example' },
				defaultCountry: 'US',
			}),
		).toEqual({
			ok: true,
			key: { by: 'phone', value: '+14155550101' },
			fallback: false,
		});
	});

	it('falls back from a missing phone to the email, and from a missing email to the phone, saying why', () => {
		expect(
			chooseMatchKey({ by: 'phone', raw: '', fallback: { raw: ' Sam@Walker.example ' } }),
		).toEqual({
			ok: true,
			key: { by: 'email', value: 'sam@walker.example' },
			fallback: true,
			primaryReason:
				'field "matchValue" (phone) is empty: the item has no value to find its CRM record by',
		});
		expect(
			chooseMatchKey({
				by: 'email',
				raw: undefined,
				fallback: { raw: '020 7946 0958' },
				defaultCountry: 'GB',
			}),
		).toMatchObject({
			ok: true,
			key: { by: 'phone', value: '+442079460958' },
			fallback: true,
		});
	});

	it('falls back from an unusable value too, and names both fields when neither works', () => {
		expect(
			chooseMatchKey({ by: 'phone', raw: 'call me maybe', fallback: { raw: 'x@y.example' } }),
		).toMatchObject({
			ok: true,
			key: { by: 'email' },
			fallback: true,
			primaryReason: expect.stringMatching(
				/^field "matchValue" \(phone\) "call me maybe" is not a usable phone number/,
			),
		});
		const failed = chooseMatchKey({ by: 'phone', raw: '', fallback: { raw: 'not-an-email' } });
		expect(failed).toEqual({
			ok: false,
			reason: expect.stringMatching(
				/^field "matchValue" \(phone\) is empty.*; fall-back field "fallbackValue" \(email\) .*no @/,
			),
		});
	});

	it('does not fall back when falling back is off or the key is a record id', () => {
		expect(chooseMatchKey({ by: 'phone', raw: '', defaultCountry: 'US' })).toEqual({
			ok: false,
			reason: expect.stringMatching(/^field "matchValue" \(phone\) is empty/),
		});
		expect(chooseMatchKey({ by: 'id', raw: '', fallback: { raw: 'a@b.example' } })).toMatchObject({
			ok: false,
		});
	});

	it('the same person written differently gives the same key and identity (property)', () => {
		const spellings = (area: string, exchange: number, line: string) => [
			`+1 ${area} ${exchange} ${line}`,
			`(${area}) ${exchange}-${line}`,
			`1${area}${exchange}${line}`,
			`tel:+1-${area}-${exchange}-${line}`,
		];
		fc.assert(
			fc.property(
				fc.constantFrom('212', '303', '415', '646', '202', '312'),
				fc.integer({ min: 200, max: 999 }),
				fc.integer({ min: 0, max: 9999 }),
				(area, exchange, n) => {
					const keys = spellings(area, exchange, String(n).padStart(4, '0')).map((raw) =>
						chooseMatchKey({ by: 'phone', raw, defaultCountry: 'US' }),
					);
					expect(keys.every((key) => key.ok)).toBe(true);
					const identities = keys.map((key) =>
						key.ok ? identityKey('scope', key.key) : key.reason,
					);
					expect(new Set(identities).size).toBe(1);
				},
			),
			{ numRuns: 100 },
		);
	});
});

describe('recordHoldsKey', () => {
	it('accepts a record whose phone or email field still holds the key, in any stored format', () => {
		expect(
			recordHoldsKey(
				'hubspot',
				{ by: 'phone', value: '+14155550101' },
				{ phone: null, mobilephone: '(415) 555-0101' },
			),
		).toBe(true);
		expect(
			recordHoldsKey(
				'salesforce',
				{ by: 'email', value: 'sam@walker.example' },
				{ Email: 'Sam@Walker.example' },
			),
		).toBe(true);
		expect(
			recordHoldsKey(
				'dynamics',
				{ by: 'phone', value: '+442079460958' },
				{ telephone2: '020 7946 0958' },
			),
		).toBe(true);
	});

	it('rejects a record whose key was changed or removed since', () => {
		expect(
			recordHoldsKey('hubspot', { by: 'phone', value: '+14155550101' }, { phone: '+14155550199' }),
		).toBe(false);
		expect(recordHoldsKey('autochat', { by: 'email', value: 'a@b.example' }, { email: '' })).toBe(
			false,
		);
		expect(recordHoldsKey('salesforce', { by: 'email', value: 'a@b.example' }, {})).toBe(false);
	});
});

describe('lookupKinds', () => {
	it('looks for the other person kind too before a create where the CRM has leads', () => {
		expect(lookupKinds('contact', 'lead', true, true)).toEqual(['contact', 'lead']);
		expect(lookupKinds('contact', 'contact', true, true)).toEqual(['contact', 'lead']);
		expect(lookupKinds('lead', 'contact', true, true)).toEqual(['lead', 'contact']);
	});

	it('looks only for the configured kind without creates or without leads', () => {
		expect(lookupKinds('contact', 'lead', true, false)).toEqual(['contact']);
		expect(lookupKinds('contact', 'contact', false, true)).toEqual(['contact']);
	});
});

describe('InProcessCreatedRecords', () => {
	it('recalls a created record until it expires, then forgets it', () => {
		let now = 0;
		const memory = new InProcessCreatedRecords(1000, 10, () => now);
		memory.remember('hs|phone:+1', { id: '42', kind: 'contact', objectType: 'contacts' });
		now = 1000;
		expect(memory.recall('hs|phone:+1')).toEqual({
			id: '42',
			kind: 'contact',
			objectType: 'contacts',
		});
		now = 1001;
		expect(memory.recall('hs|phone:+1')).toBeUndefined();
	});

	it('keeps at most maxEntries, dropping the oldest', () => {
		const memory = new InProcessCreatedRecords(60_000, 2, () => 0);
		for (const id of ['1', '2', '3'])
			memory.remember(`k${id}`, { id, kind: 'lead', objectType: 'Lead' });
		expect(['k1', 'k2', 'k3'].map((key) => memory.recall(key)?.id)).toEqual([undefined, '2', '3']);
	});
});

describe('groupWrites', () => {
	const specs = new Map<string, MergeFieldSpec>([
		['email', { name: 'email', label: 'Email', type: 'string', readOnly: false }],
		['lastname', { name: 'lastname', label: 'Last name', type: 'string', readOnly: false }],
		['jobtitle', { name: 'jobtitle', label: 'Job title', type: 'string', readOnly: false }],
	]);
	const object = { kind: 'contact' as const, objectType: 'contacts', specs };
	const planned = (
		itemIndex: number,
		fields: Record<string, string>,
		extra: Partial<Planned>,
	): Planned => ({
		itemIndex,
		json: {},
		key: { by: 'email', value: 'sam@walker.example' },
		identity: 'scope|email:sam@walker.example',
		updates: [],
		object,
		matchCount: 0,
		remembered: false,
		missing: true,
		changes: [],
		properties: fields,
		calls: 0,
		...extra,
	});

	it('makes one create per new identity, later items joining it; HubSpot email creates upsert by email', () => {
		const groups = groupWrites('hubspot', [
			planned(0, { email: 'sam@walker.example', lastname: 'Walker' }, {}),
			planned(1, { jobtitle: 'Owner' }, { joins: 0 }),
			planned(
				2,
				{ jobtitle: 'CFO' },
				{ key: { by: 'phone', value: '+14155550101' }, identity: 'scope|phone:+14155550101' },
			),
			planned(
				3,
				{ jobtitle: 'CEO' },
				{ recordId: '77', missing: false, identity: 'scope|email:other@x.example' },
			),
		]);
		expect(
			groups.map((group) => [group.write, group.items.map((p) => p.itemIndex), group.identity]),
		).toEqual([
			[
				{
					idProperty: 'email',
					idValue: 'sam@walker.example',
					properties: { email: 'sam@walker.example', lastname: 'Walker', jobtitle: 'Owner' },
				},
				[0, 1],
				'scope|email:sam@walker.example',
			],
			[{ properties: { jobtitle: 'CFO' } }, [2], 'scope|phone:+14155550101'],
			[{ id: '77', properties: { jobtitle: 'CEO' } }, [3], undefined],
		]);
	});

	it('creates plainly in the CRMs without a unique email key', () => {
		const [group] = groupWrites('salesforce', [planned(0, { lastname: 'Walker' }, {})]);
		expect(group.write).toEqual({ properties: { lastname: 'Walker' } });
	});
});
