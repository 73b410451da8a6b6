import {
	changeEvent,
	normalizeRecord,
	recordPropertiesToRead,
} from '../../nodes/CrmSyncTrigger/logic/recordNormalize';
import { kindOfObject, objectOptions } from '../../nodes/CrmSyncTrigger/objectKinds';
import { CRM_NAMES } from '../../nodes/shared/model';
import { profileOf } from '../../nodes/shared/providers/profiles';

const since = { since: '2026-12-07T09:00:00.000Z', seenAtSince: [] as string[] };

describe('normalizeRecord', () => {
	it('reads a Salesforce opportunity into the neutral deal, extra fields by their CRM names', () => {
		const deal = normalizeRecord(
			'salesforce',
			'deal',
			{
				id: '006A',
				objectType: 'Opportunity',
				properties: {
					Name: 'Big one',
					Amount: 1200,
					StageName: 'Closed Won',
					CloseDate: '2026-12-31',
					IsClosed: true,
					IsWon: true,
					Custom__c: 'x',
				},
				createdAt: '2026-12-07T10:00:00.000+0000',
				updatedAt: '2026-12-07T10:05:00.000+0000',
				associations: { company: ['001A'], contact: ['003A'] },
			},
			{ extraFields: ['Custom__c', 'Missing__c'], listedFrom: since },
		);
		expect(deal).toEqual({
			crm: 'salesforce',
			objectType: 'Opportunity',
			kind: 'deal',
			id: '006A',
			event: 'created',
			properties: {
				name: 'Big one',
				amount: 1200,
				stage: 'Closed Won',
				closeDate: '2026-12-31',
				closed: true,
				won: true,
			},
			fields: { Custom__c: 'x', Missing__c: null },
			createdAt: '2026-12-07T10:00:00.000Z',
			updatedAt: '2026-12-07T10:05:00.000Z',
			associations: { company: ['001A'], contact: ['003A'] },
		});
	});

	it('reads Dynamics 365 closed/won from the state code and HubSpot flags from strings', () => {
		const lost = normalizeRecord(
			'dynamics',
			'deal',
			{ id: 'g', objectType: 'opportunity', properties: { name: 'L', statecode: 2 } },
			{ listedFrom: since },
		);
		expect(lost.properties).toMatchObject({ closed: true, won: false, amount: null });
		const open = normalizeRecord(
			'dynamics',
			'deal',
			{ id: 'g', objectType: 'opportunity', properties: { name: 'O', statecode: 0 } },
			{ listedFrom: since },
		);
		expect(open.properties).toMatchObject({ closed: false, won: false });
		const hubspot = normalizeRecord(
			'hubspot',
			'deal',
			{
				id: '1',
				objectType: 'deals',
				properties: { dealname: 'H', hs_is_closed: 'false', hs_is_closed_won: '' },
			},
			{ listedFrom: since },
		);
		// An empty flag is unknown, never false (the same rule as do-not-call).
		expect(hubspot.properties).toMatchObject({ name: 'H', closed: false, won: null });
		expect(hubspot).not.toHaveProperty('associations');
	});

	it('reads companies with the profile names and asks the listing for exactly those fields', () => {
		expect(recordPropertiesToRead('hubspot', 'company', ['industry'])).toEqual([
			'name',
			'domain',
			'phone',
			'city',
			'country',
			'industry',
		]);
		expect(recordPropertiesToRead('dynamics', 'deal')).toContain('statecode');
		const company = normalizeRecord(
			'dynamics',
			'company',
			{ id: 'a', objectType: 'account', properties: { name: 'Acme', websiteurl: '' } },
			{ listedFrom: since },
		);
		expect(company.properties).toEqual({
			name: 'Acme',
			domain: null,
			phone: null,
			city: null,
			country: null,
		});
		expect(() =>
			normalizeRecord(
				'autochat',
				'company',
				{ id: 'a', objectType: 'x', properties: {} },
				{ listedFrom: since },
			),
		).toThrow(/autoch\.at CRM names no standard company fields/);
	});
});

describe('changeEvent', () => {
	it('created after the start cursor, or at it without having been emitted there; else updated', () => {
		const cursor = { since: '2026-12-07T09:00:00.000Z', seenAtSince: ['seen'] };
		expect(changeEvent({ id: 'n', createdAt: '2026-12-07T09:00:01.000Z' }, cursor)).toBe('created');
		expect(changeEvent({ id: 'n', createdAt: '2026-12-07T09:00:00.000Z' }, cursor)).toBe('created');
		expect(changeEvent({ id: 'seen', createdAt: '2026-12-07T09:00:00.000Z' }, cursor)).toBe(
			'updated',
		);
		expect(changeEvent({ id: 'o', createdAt: '2026-12-07T08:59:59.999Z' }, cursor)).toBe('updated');
		expect(changeEvent({ id: 'u' }, cursor)).toBe('updated');
		// HubSpot's epoch milliseconds read the same way.
		expect(
			changeEvent({ id: 'n', createdAt: String(Date.parse('2026-12-07T09:30:00.000Z')) }, cursor),
		).toBe('created');
	});
});

describe('Object choice', () => {
	it('offers every kind the profile names, person kinds first, by the CRM label', () => {
		expect(objectOptions('salesforce').map((o) => o.name)).toEqual([
			'Contact',
			'Lead',
			'Opportunity',
			'Account',
		]);
		expect(objectOptions('hubspot')[0]).toEqual({ name: 'Contact', value: 'contacts' });
		expect(objectOptions('autochat')).toEqual([{ name: 'Client', value: 'client' }]);
		for (const crm of CRM_NAMES) {
			for (const option of objectOptions(crm)) {
				const kind = kindOfObject(crm, option.value);
				expect(profileOf(crm).objects[kind]?.objectType).toBe(option.value);
				// Every company/deal kind a CRM offers has standard fields in its profile.
				if (kind === 'company' || kind === 'deal')
					expect(profileOf(crm).recordFields?.[kind]).toBeDefined();
			}
		}
		expect(() => kindOfObject('hubspot', 'tickets')).toThrow(/HubSpot has no "tickets"/);
	});
});
