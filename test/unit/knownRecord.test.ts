import fc from 'fast-check';

import {
	decideKnownRecord,
	parseKnownRecord,
	type KnownObject,
} from '../../nodes/CrmContactFieldMerge/logic/knownRecord';
import type { ObjectKind } from '../../nodes/shared/model';

const SALESFORCE: KnownObject[] = [
	{ kind: 'lead', objectType: 'Lead' },
	{ kind: 'contact', objectType: 'Contact' },
];
const HUBSPOT: KnownObject[] = [{ kind: 'contact', objectType: 'contacts' }];

describe('parseKnownRecord', () => {
	it('reads a blank id (empty, spaces, null, undefined) as no known record', () => {
		for (const raw of ['', '   ', null, undefined])
			expect(parseKnownRecord(raw, 'Lead', SALESFORCE)).toEqual({ ok: true });
	});

	it('trims the id and takes every looked-up kind, in order, when no object is named', () => {
		expect(parseKnownRecord(' 00Q5e00000AbCdE ', '', SALESFORCE)).toEqual({
			ok: true,
			ref: { id: '00Q5e00000AbCdE', kinds: ['lead', 'contact'] },
		});
		expect(parseKnownRecord(51, undefined, HUBSPOT)).toEqual({
			ok: true,
			ref: { id: '51', kinds: ['contact'] },
		});
	});

	it('accepts the object as the CRM names it, as the kind, or plural, in any case', () => {
		for (const hint of ['Contact', 'contact', 'CONTACT', 'contacts'])
			expect(parseKnownRecord('003A', hint, SALESFORCE)).toEqual({
				ok: true,
				ref: { id: '003A', kinds: ['contact'] },
			});
		expect(parseKnownRecord('00QA', 'Lead', SALESFORCE)).toEqual({
			ok: true,
			ref: { id: '00QA', kinds: ['lead'] },
		});
	});

	it('fails the item naming the field for an object that is not looked up, and for a malformed id', () => {
		expect(parseKnownRecord('1', 'Opportunity', SALESFORCE)).toEqual({
			ok: false,
			field: 'Known Record Object',
			reason: '"Opportunity" is not one of the objects looked up: Lead, Contact',
		});
		expect(parseKnownRecord('1', 'lead', HUBSPOT)).toMatchObject({
			ok: false,
			field: 'Known Record Object',
		});
		expect(parseKnownRecord('12 OR 1=1', '', HUBSPOT)).toMatchObject({
			ok: false,
			field: 'Known Record ID',
		});
		expect(parseKnownRecord('x'.repeat(101), '', HUBSPOT)).toMatchObject({
			ok: false,
			field: 'Known Record ID',
		});
		expect(parseKnownRecord({ id: 1 }, '', HUBSPOT)).toEqual({
			ok: false,
			field: 'Known Record ID',
			reason: 'must be text or a number',
		});
	});

	it("marks an id of the wrong shape for the CRM (e.g. another CRM's) so it is not read and the item falls back", () => {
		const format = {
			pattern: /^[A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?$/,
			description: 'Salesforce record id',
		};
		expect(parseKnownRecord('90001', 'Lead', SALESFORCE, format)).toEqual({
			ok: true,
			ref: { id: '90001', kinds: ['lead'], invalid: 'is not a Salesforce record id' },
		});
		expect(parseKnownRecord('00Q5gSbx0001001EBA', 'Lead', SALESFORCE, format)).toEqual({
			ok: true,
			ref: { id: '00Q5gSbx0001001EBA', kinds: ['lead'] },
		});
		expect(
			decideKnownRecord(
				{ id: '90001', kinds: ['lead'], invalid: 'is not a Salesforce record id' },
				() => '90001',
			),
		).toEqual({
			status: 'stale',
			id: '90001',
			reason:
				'the known record id 90001 is not a Salesforce record id: matched by phone/email instead',
		});
	});

	it('never accepts an id with whitespace or control characters (it reaches a CRM query)', () => {
		fc.assert(
			fc.property(
				fc.string({ minLength: 1, maxLength: 20 }),
				fc.constantFrom(' ', '\n', '\t', '\u0000', '\u007f'),
				fc.string({ minLength: 1, maxLength: 20 }),
				(before, bad, after) => {
					const id = `${before.trim() || 'a'}${bad}${after.trim() || 'b'}`;
					return !parseKnownRecord(id, '', HUBSPOT).ok;
				},
			),
		);
	});
});

describe('decideKnownRecord', () => {
	it('uses the id under the first kind the CRM still has it', () => {
		const exists = (kind: ObjectKind) => (kind === 'contact' ? '003A' : undefined);
		expect(decideKnownRecord({ id: '003A', kinds: ['lead', 'contact'] }, exists)).toEqual({
			status: 'used',
			id: '003A',
			kind: 'contact',
		});
	});

	it('uses the id the CRM answers with (a merged record read by its old id answers as the survivor)', () => {
		expect(decideKnownRecord({ id: '51', kinds: ['contact'] }, () => '77')).toEqual({
			status: 'used',
			id: '77',
			kind: 'contact',
		});
	});

	it('reports a gone id as stale with the reason, so the item is matched by phone/email', () => {
		expect(decideKnownRecord({ id: '00QA', kinds: ['lead'] }, () => undefined)).toEqual({
			status: 'stale',
			id: '00QA',
			reason:
				'the known lead id 00QA no longer exists in the CRM (deleted or merged): matched by phone/email instead',
		});
	});

	it('is stale exactly when no kind has the id', () => {
		fc.assert(
			fc.property(
				fc.subarray(['contact', 'lead'] as ObjectKind[], { minLength: 1 }),
				fc.subarray(['contact', 'lead'] as ObjectKind[]),
				(kinds, present) => {
					const outcome = decideKnownRecord({ id: 'r1', kinds }, (kind) =>
						present.includes(kind) ? 'r1' : undefined,
					);
					const expected = kinds.some((kind) => present.includes(kind)) ? 'used' : 'stale';
					return outcome.status === expected;
				},
			),
		);
	});
});
