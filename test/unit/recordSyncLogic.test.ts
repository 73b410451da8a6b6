/** CRM Record Sync's pure decisions: sync rules, field-pair types, identity order, echo fingerprints. */
import fc from 'fast-check';

import type { FieldType } from '../../nodes/shared/model';
import { fingerprint, echoVerdict } from '../../nodes/CrmRecordSync/logic/echo';
import { checkCompatibility } from '../../nodes/CrmRecordSync/logic/fieldCompatibility';
import { convertValue } from '../../nodes/CrmRecordSync/logic/convertValue';
import { domainOfWebsite, resolveIdentity } from '../../nodes/CrmRecordSync/logic/identity';
import { decideField, SYNC_RULES, type SyncRule } from '../../nodes/CrmRecordSync/logic/syncRules';

const value = fc.option(
	fc.string({ minLength: 1, maxLength: 8 }).filter((s) => s.trim() !== ''),
	{
		nil: undefined,
	},
);
const time = fc.option(fc.integer({ min: 0, max: 1_000_000 }), { nil: undefined });
const rule = fc.constantFrom<SyncRule>(...SYNC_RULES);

describe('sync rules', () => {
	it('applying a decision and deciding again writes nothing the second time', () => {
		fc.assert(
			fc.property(rule, value, value, time, time, (r, source, target, sourceAt, targetAt) => {
				const first = decideField(
					r,
					{ value: source, modifiedAt: sourceAt },
					{ value: target, modifiedAt: targetAt },
					'string',
				);
				if (!first.write) return;
				// The write makes the target the newest record, holding the written value.
				const writtenAt = Math.max(sourceAt ?? 0, targetAt ?? 0) + 1;
				const second = decideField(
					r,
					{ value: source, modifiedAt: sourceAt },
					{ value: first.value, modifiedAt: writtenAt },
					'string',
				);
				expect(second.write).toBe(false);
			}),
		);
	});

	it("never moves data from a Don't Sync field", () => {
		fc.assert(
			fc.property(value, value, time, time, (source, target, sourceAt, targetAt) => {
				expect(
					decideField(
						'none',
						{ value: source, modifiedAt: sourceAt },
						{ value: target, modifiedAt: targetAt },
						'string',
					).write,
				).toBe(false);
			}),
		);
	});

	it('each rule decides as documented', () => {
		const older = { value: 'new', modifiedAt: 1 };
		const newer = { value: 'old', modifiedAt: 2 };
		expect(decideField('twoWay', older, newer, 'string')).toMatchObject({ write: false });
		expect(decideField('twoWay', { value: 'new', modifiedAt: 3 }, newer, 'string')).toEqual({
			write: true,
			value: 'new',
		});
		// Deletes propagate: a blank on the newer side clears the other.
		expect(decideField('twoWay', { value: undefined, modifiedAt: 3 }, newer, 'string')).toEqual({
			write: true,
			value: undefined,
		});
		expect(decideField('preferTarget', older, newer, 'string')).toMatchObject({ write: false });
		expect(decideField('preferTarget', older, { value: undefined }, 'string')).toEqual({
			write: true,
			value: 'new',
		});
		expect(decideField('alwaysSource', older, newer, 'string')).toEqual({
			write: true,
			value: 'new',
		});
		expect(decideField('alwaysSource', { value: undefined }, newer, 'string')).toEqual({
			write: true,
			value: undefined,
		});
	});
});

describe('field-pair type compatibility', () => {
	const field = (name: string, type: FieldType | undefined, readOnly = false) => ({
		name,
		label: name,
		type,
		nativeType: type ?? 'reference',
		readOnly,
	});

	it.each([
		['enum', 'enum'],
		['multiEnum', 'multiEnum'],
		['enum', 'multiEnum'],
		['boolean', 'boolean'],
		['number', 'number'],
		['date', 'datetime'],
		['datetime', 'date'],
		['number', 'string'],
		['enum', 'string'],
	] as const)('%s → %s is compatible', (source, target) => {
		expect(checkCompatibility(field('a', source), field('b', target))).toEqual({ ok: true });
	});

	it.each([
		['string', 'number', 'a text field cannot be written to a number field'],
		['multiEnum', 'enum', 'a multi-select picklist field cannot be written to a picklist field'],
		['string', 'boolean', 'a text field cannot be written to a boolean field'],
		['date', 'number', 'a date field cannot be written to a number field'],
	] as const)('%s → %s fails naming the pair', (source, target, reason) => {
		expect(checkCompatibility(field('src', source), field('dst', target))).toEqual({
			ok: false,
			reason: `Field pair "src" → "dst": ${reason}`,
		});
	});

	it('refuses read-only targets and unconvertible types', () => {
		expect(checkCompatibility(field('a', 'string'), field('b', 'string', true))).toMatchObject({
			ok: false,
		});
		expect(checkCompatibility(field('a', undefined), field('b', 'string'))).toMatchObject({
			ok: false,
		});
	});

	it('converts picklist values by label across CRMs', () => {
		const hubspot = {
			name: 'dealstage',
			type: 'enum' as const,
			options: [{ value: 'closedwon', label: 'Closed Won' }],
		};
		const salesforce = {
			name: 'StageName',
			type: 'enum' as const,
			options: [{ value: 'Closed Won', label: 'Closed Won' }],
		};
		expect(convertValue('closedwon', hubspot, salesforce)).toEqual({
			ok: true,
			value: 'Closed Won',
		});
		expect(
			convertValue(
				'2026-07-15T10:00:00Z',
				{ name: 'a', type: 'datetime' },
				{ name: 'b', type: 'date' },
			),
		).toEqual({ ok: true, value: '2026-07-15' });
	});
});

describe('identity order', () => {
	const policy = {
		kind: 'contact' as const,
		newPersonKind: 'lead' as const,
		create: 'ifEligible' as const,
	};

	it('link, then email (contact before lead), then create as the default object', () => {
		expect(
			resolveIdentity(
				{ linked: { kind: 'contact', id: 'L', exists: true }, byEmail: { contact: ['C'] } },
				policy,
			),
		).toEqual({ action: 'update', kind: 'contact', id: 'L', by: 'link' });
		expect(
			resolveIdentity(
				{
					linked: { kind: 'contact', id: 'L', exists: false },
					byEmail: { lead: ['X'], contact: ['C'] },
				},
				policy,
			),
		).toEqual({ action: 'update', kind: 'contact', id: 'C', by: 'email' });
		expect(resolveIdentity({ byEmail: { lead: ['X'], contact: [] } }, policy)).toEqual({
			action: 'update',
			kind: 'lead',
			id: 'X',
			by: 'email',
		});
		expect(resolveIdentity({}, policy)).toEqual({ action: 'create', kind: 'lead' });
		expect(
			resolveIdentity({}, { ...policy, ineligibleReason: 'a person needs an email address' }),
		).toMatchObject({ action: 'skip' });
		expect(resolveIdentity({}, { ...policy, create: 'never' })).toMatchObject({ action: 'skip' });
	});

	it('companies by domain', () => {
		expect(resolveIdentity({ byDomain: ['A1'] }, { ...policy, kind: 'company' })).toEqual({
			action: 'update',
			kind: 'company',
			id: 'A1',
			by: 'domain',
		});
		expect(domainOfWebsite('https://www.Acme.example/about')).toBe('acme.example');
		expect(domainOfWebsite('not a site')).toBeUndefined();
	});
});

describe('echo fingerprints', () => {
	it('ignore order, blanks, instant formats and multi-select order', () => {
		expect(fingerprint({ a: 'x', b: undefined, c: ['2', '1'], d: '2026-01-01T00:00:00Z' })).toBe(
			fingerprint({ d: '2026-01-01T00:00:00.000Z', c: ['1', '2'], a: 'x', e: '' }),
		);
		expect(fingerprint({ a: 'x' })).not.toBe(fingerprint({ a: 'y' }));
	});

	it('tell an echo, a seen value and a new change apart', () => {
		const fp = fingerprint({ a: 'x' });
		expect(echoVerdict({ fingerprint: fp, origin: 'written' }, fp)).toBe('echo');
		expect(echoVerdict({ fingerprint: fp, origin: 'read' }, fp)).toBe('seen');
		expect(echoVerdict({ fingerprint: fp, origin: 'written' }, fingerprint({ a: 'y' }))).toBe(
			'new',
		);
		expect(echoVerdict(undefined, fp)).toBe('new');
	});

	it('differ whenever one mapped value differs', () => {
		fc.assert(
			fc.property(
				fc.dictionary(
					fc.constantFrom('a', 'b', 'c'),
					fc.string({ minLength: 1 }).filter((s) => s.trim() !== '' && !/^\d{4}-/.test(s)),
				),
				fc.string({ minLength: 1 }).filter((s) => s.trim() !== ''),
				(values, other) => {
					const keys = Object.keys(values);
					fc.pre(keys.length > 0 && values[keys[0]].trim() !== other.trim());
					expect(fingerprint({ ...values, [keys[0]]: other })).not.toBe(fingerprint(values));
				},
			),
		);
	});
});
