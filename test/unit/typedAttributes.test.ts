import fc from 'fast-check';

import {
	normalizeContact,
	contactFieldMap,
} from '../../nodes/CrmSyncTrigger/logic/contactNormalize';
import { objectKindOf, standardPlan } from '../../nodes/CrmSyncTrigger/logic/standardAttributes';
import {
	ATTRIBUTE_TYPES,
	attributeWarning,
	convertValue,
	mapAttributes,
	type AttributeType,
} from '../../nodes/CrmSyncTrigger/logic/typedAttributes';
import { attributeProperties } from '../../nodes/CrmSyncTrigger/attributeDescription';
import { CRM_NAMES } from '../../nodes/shared/model';
import { profileOf } from '../../nodes/shared/providers/profiles';

const EMPTY = [undefined, null, '', '   ', '\t'];

describe('convertValue', () => {
	it('numbers from CRM strings and JSON numbers; anything else is refused with the value named', () => {
		expect(convertValue('1250.50', 'number')).toEqual({ value: 1250.5 });
		expect(convertValue(' -3 ', 'number')).toEqual({ value: -3 });
		expect(convertValue('1e3', 'number')).toEqual({ value: 1000 });
		expect(convertValue(42, 'number')).toEqual({ value: 42 });
		for (const bad of ['1,250.50', '12 kg', 'abc', 'NaN', 'Infinity', '0x10', true]) {
			const result = convertValue(bad, 'number');
			expect(result.value).toBeNull();
			expect(result.problem).toMatch(/is not a number/);
		}
		expect(convertValue(Number.NaN, 'number').value).toBeNull();
	});

	it("booleans as HubSpot ('true'/'false'), Salesforce/Dataverse (JSON booleans) and numeric flags (1/0) send them", () => {
		expect(
			['true', 'TRUE', ' yes ', 1, '1', true].map((v) => convertValue(v, 'boolean').value),
		).toEqual([true, true, true, true, true, true]);
		expect(['false', 'No', 0, '0', false].map((v) => convertValue(v, 'boolean').value)).toEqual([
			false,
			false,
			false,
			false,
			false,
		]);
		for (const bad of [2, -1, 'maybe', 'y', {}]) {
			expect(convertValue(bad, 'boolean')).toMatchObject({
				value: null,
				problem: expect.any(String),
			});
		}
	});

	it('date = YYYY-MM-DD (also from a midnight-UTC instant); datetime = ISO UTC (also from +0000 offsets and epoch ms)', () => {
		expect(convertValue('2026-12-07', 'date')).toEqual({ value: '2026-12-07' });
		expect(convertValue('2026-12-07T00:00:00Z', 'date')).toEqual({ value: '2026-12-07' });
		expect(convertValue('1796601600000', 'date')).toEqual({ value: '2026-12-07' });
		expect(convertValue('2026-02-30', 'date').problem).toMatch(/not a calendar date/);
		expect(convertValue('07/12/2026', 'date').problem).toMatch(/not a date/);
		expect(convertValue('2026-12-07T18:30:00.000+0000', 'datetime')).toEqual({
			value: '2026-12-07T18:30:00.000Z',
		});
		expect(convertValue('2026-12-07T19:30:00+01:00', 'datetime')).toEqual({
			value: '2026-12-07T18:30:00.000Z',
		});
		expect(convertValue('1796668200000', 'datetime')).toEqual({
			value: '2026-12-07T18:30:00.000Z',
		});
		expect(convertValue('2026-12-07', 'datetime')).toEqual({ value: '2026-12-07T00:00:00.000Z' });
		// No zone: reading it in the server's zone would be a silent guess.
		expect(convertValue('2026-12-07T18:30:00', 'datetime').problem).toMatch(/time zone/);
	});

	it('enum: the stored option value plus the label from the field description', () => {
		const options = [
			{ value: '8', label: 'Web' },
			{ value: '10', label: 'Other' },
		];
		expect(convertValue(8, 'enum', { options })).toEqual({ value: { value: '8', label: 'Web' } });
		expect(convertValue('lead', 'enum')).toEqual({ value: { value: 'lead', label: null } });
		// Kept (the CRM stores it) but flagged: no label for it.
		expect(convertValue('99', 'enum', { options })).toEqual({
			value: { value: '99', label: null },
			problem: expect.stringMatching(/not one of the field's options/),
		});
		expect(convertValue(['a'], 'enum').value).toBeNull();
	});

	it('string: text as is, numbers and booleans as text, objects refused', () => {
		expect(convertValue(' Acme ', 'string')).toEqual({ value: ' Acme ' });
		expect(convertValue(12, 'string')).toEqual({ value: '12' });
		expect(convertValue({ a: 1 }, 'string').value).toBeNull();
	});

	it('property: empty or absent is unknown (null, no warning) for every type — never false, 0 or ""', () => {
		fc.assert(
			fc.property(
				fc.constantFrom(...EMPTY),
				fc.constantFrom(...ATTRIBUTE_TYPES),
				(raw, type: AttributeType) => {
					expect(convertValue(raw, type)).toEqual({ value: null });
				},
			),
		);
	});

	it('property: the result is of the attribute type or null; a null from a present value always carries a problem', () => {
		const anyValue = fc.oneof(
			fc.string(),
			fc.double(),
			fc.integer(),
			fc.boolean(),
			fc.constant(null),
			fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
			fc.object(),
		);
		const typeOf: Record<AttributeType, (v: unknown) => boolean> = {
			string: (v) => typeof v === 'string',
			number: (v) => typeof v === 'number' && Number.isFinite(v),
			boolean: (v) => typeof v === 'boolean',
			date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v),
			datetime: (v) => typeof v === 'string' && new Date(v).toISOString() === v,
			enum: (v) =>
				typeof v === 'object' && v !== null && typeof (v as { value: unknown }).value === 'string',
		};
		fc.assert(
			fc.property(anyValue, fc.constantFrom(...ATTRIBUTE_TYPES), (raw, type: AttributeType) => {
				const result = convertValue(raw, type);
				if (result.value === null) {
					const empty = raw === null || (typeof raw === 'string' && raw.trim() === '');
					expect(empty || result.problem !== undefined).toBe(true);
				} else {
					expect(typeOf[type](result.value)).toBe(true);
				}
			}),
		);
	});

	it('property: numbers round-trip from their text; dates and instants round-trip', () => {
		fc.assert(
			fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
				expect(convertValue(String(n), 'number').value).toBe(n === 0 ? 0 : n);
			}),
		);
		fc.assert(
			fc.property(
				fc.date({
					min: new Date('0001-01-01T00:00:00Z'),
					max: new Date('9999-12-31T23:59:59Z'),
					noInvalidDate: true,
				}),
				(date) => {
					const iso = date.toISOString();
					expect(convertValue(iso, 'datetime').value).toBe(iso);
					expect(convertValue(iso.slice(0, 10), 'date').value).toBe(iso.slice(0, 10));
					expect(convertValue(iso, 'date').value).toBe(iso.slice(0, 10));
				},
			),
		);
	});

	it('property: a boolean is true or false only for the spellings CRMs use, whatever else arrives', () => {
		const spelled = new Map<unknown, boolean>([
			[true, true],
			[false, false],
			[1, true],
			[0, false],
		]);
		fc.assert(
			fc.property(fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.double()), (raw) => {
				const { value } = convertValue(raw, 'boolean');
				if (typeof raw === 'string') {
					const text = raw.trim().toLowerCase();
					const expected = ['true', '1', 'yes'].includes(text)
						? true
						: ['false', '0', 'no'].includes(text)
							? false
							: null;
					expect(value).toBe(expected);
				} else {
					expect(value).toBe(spelled.has(raw) ? spelled.get(raw) : null);
				}
			}),
		);
	});
});

describe('mapAttributes', () => {
	it('applies every mapping; a bad value is null with a warning naming record, field and attribute', () => {
		const { attributes, problems } = mapAttributes(
			{ annual_budget: 'lots', decision_maker: 'true', lifecyclestage: 'customer' },
			[
				{ crmField: 'annual_budget', attribute: 'budget', type: 'number' },
				{ crmField: 'decision_maker', attribute: 'decisionMaker', type: 'boolean' },
				{ crmField: 'lifecyclestage', attribute: 'lifecycleStage', type: 'enum' },
				{ crmField: 'preferred_contact_date', attribute: 'callOn', type: 'date' },
			],
			new Map([['lifecyclestage', { options: [{ value: 'customer', label: 'Customer' }] }]]),
		);
		expect(attributes).toEqual({
			budget: null,
			decisionMaker: true,
			lifecycleStage: { value: 'customer', label: 'Customer' },
			callOn: null,
		});
		expect(problems).toHaveLength(1);
		expect(attributeWarning('501', problems[0])).toBe(
			'Record 501: CRM field "annual_budget" → attribute "budget": "lots" is not a number; the attribute is null',
		);
	});

	it('reads only own properties (a field named like an Object prototype member is absent, not a function)', () => {
		const { attributes } = mapAttributes({}, [
			{ crmField: 'constructor', attribute: 'c', type: 'string' },
		]);
		expect(attributes).toEqual({ c: null });
	});
});

describe('do-not-call stays unknown', () => {
	it('property: an unknown do-not-call never becomes false, neither as the doNotCall flag nor through a typed boolean attribute', () => {
		const map = contactFieldMap('hubspot', 'do_not_call');
		fc.assert(
			fc.property(
				fc.oneof(fc.constantFrom(...EMPTY), fc.constantFrom('unknown', 'n/a', 'maybe', 2, -1)),
				(raw) => {
					const properties: Record<string, unknown> = { phone: '+14155550100' };
					if (raw !== undefined) properties.do_not_call = raw;
					const contact = normalizeContact({ id: '1', objectType: 'contacts', properties }, map);
					expect(contact.doNotCall).toBeNull();
					const { attributes } = mapAttributes(properties, [
						{ crmField: 'do_not_call', attribute: 'doNotCall', type: 'boolean' },
					]);
					expect(attributes.doNotCall).toBeNull();
				},
			),
		);
	});

	it('what the CRM says is kept: true and false through both paths', () => {
		const map = contactFieldMap('salesforce');
		for (const said of [true, false]) {
			const contact = normalizeContact(
				{ id: '1', objectType: 'Contact', properties: { DoNotCall: said } },
				map,
			);
			expect(contact.doNotCall).toBe(said);
			expect(
				mapAttributes({ DoNotCall: said }, [
					{ crmField: 'DoNotCall', attribute: 'dnc', type: 'boolean' },
				]).attributes.dnc,
			).toBe(said);
		}
	});
});

describe('ready mappings from the profiles', () => {
	const everyField = () => true;

	it('each CRM names its own field per record kind, or none', () => {
		const plan = (crm: 'hubspot' | 'salesforce' | 'dynamics' | 'autochat', objectType: string) => {
			const profile = profileOf(crm);
			return standardPlan(
				profile.standardAttributes,
				objectKindOf(profile, objectType),
				['leadSource', 'lifecycleStage'],
				everyField,
			);
		};
		expect(plan('hubspot', 'contacts')).toEqual({
			mappings: [
				{ crmField: 'hs_analytics_source', attribute: 'leadSource', type: 'enum' },
				{ crmField: 'lifecyclestage', attribute: 'lifecycleStage', type: 'enum' },
			],
			unmapped: [],
		});
		expect(plan('salesforce', 'Contact')).toEqual({
			mappings: [{ crmField: 'LeadSource', attribute: 'leadSource', type: 'enum' }],
			unmapped: ['lifecycleStage'],
		});
		expect(plan('salesforce', 'Lead').mappings.map((m) => m.crmField)).toEqual([
			'LeadSource',
			'Status',
		]);
		expect(plan('dynamics', 'lead').mappings.map((m) => m.crmField)).toEqual([
			'leadsourcecode',
			'statuscode',
		]);
		expect(plan('dynamics', 'contact').unmapped).toEqual(['lifecycleStage']);
		expect(plan('autochat', 'client')).toEqual({
			mappings: [],
			unmapped: ['leadSource', 'lifecycleStage'],
		});
	});

	it("a field missing from the org's object description is unmapped (null), not queried", () => {
		const profile = profileOf('dynamics');
		expect(
			standardPlan(
				profile.standardAttributes,
				'contact',
				['leadSource'],
				(field) => field !== 'leadsourcecode',
			),
		).toEqual({ mappings: [], unmapped: ['leadSource'] });
	});

	it('an object type the profile does not know gives no kind, so every ready mapping is null', () => {
		const profile = profileOf('hubspot');
		expect(objectKindOf(profile, 'tickets')).toBeUndefined();
		expect(objectKindOf(profile, 'CONTACTS')).toBe('contact');
	});
});

describe('Standard Attributes in the editor', () => {
	it("each option names every CRM's field, or none, from the profiles", () => {
		const [standard] = attributeProperties([...CRM_NAMES]);
		const describedAs = Object.fromEntries(
			(standard.options as Array<{ value: string; description: string }>).map((option) => [
				option.value,
				option.description,
			]),
		);
		expect(describedAs.leadSource).toContain('HubSpot: hs_analytics_source');
		expect(describedAs.leadSource).toContain('autoch.at CRM: none');
		expect(describedAs.lifecycleStage).toContain(
			'Salesforce: Lead Status on Lead; none on Contact',
		);
		expect(describedAs.lifecycleStage).toContain(
			'Dynamics 365: statuscode (Status Reason) on lead; none on contact',
		);
	});
});
