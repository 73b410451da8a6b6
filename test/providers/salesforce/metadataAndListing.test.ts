import { createSalesforceProvider } from '../../../nodes/shared/providers/salesforce';
import type { CrmProvider } from '../../../nodes/shared/providers/CrmProvider';
import {
	API,
	CountingTokens,
	FakeSalesforce,
	localNetworkOnly,
	queryResult,
	uniqueLimiterKey,
	virtualClock,
} from './fakeSalesforce';

const DESCRIBE = {
	name: 'Lead',
	fields: [
		{
			name: 'Id',
			label: 'Lead ID',
			type: 'id',
			updateable: false,
			createable: false,
			nillable: false,
			idLookup: true,
		},
		{
			name: 'LastName',
			label: 'Last Name',
			type: 'string',
			updateable: true,
			createable: true,
			nillable: false,
			defaultedOnCreate: false,
		},
		{
			name: 'Status',
			label: 'Status',
			type: 'picklist',
			updateable: true,
			createable: true,
			nillable: false,
			defaultedOnCreate: true,
			picklistValues: [
				{ value: 'Open', label: 'Open - Not Contacted', active: true },
				{ value: 'Old', label: 'Old', active: false },
				{ value: 'Qualified', label: null, active: true },
			],
		},
		{
			name: 'Interests__c',
			label: 'Interests',
			type: 'multipicklist',
			updateable: true,
			createable: true,
			nillable: true,
			picklistValues: [{ value: 'API', label: 'API', active: true }],
		},
		{
			name: 'Ext_Id__c',
			label: 'External Id',
			type: 'string',
			updateable: true,
			createable: true,
			nillable: true,
			externalId: true,
		},
		{
			name: 'AnnualRevenue',
			label: 'Annual Revenue',
			type: 'currency',
			updateable: true,
			createable: true,
			nillable: true,
		},
		{
			name: 'CreatedDate',
			label: 'Created Date',
			type: 'datetime',
			updateable: false,
			createable: false,
			nillable: false,
		},
	],
};

describe('Salesforce describe, owners, listChanged and connection test', () => {
	let fake: FakeSalesforce;
	let clock: ReturnType<typeof virtualClock>;
	let provider: CrmProvider;

	beforeAll(localNetworkOnly);
	beforeEach(async () => {
		fake = await new FakeSalesforce().start();
		clock = virtualClock();
		provider = createSalesforceProvider({
			tokens: new CountingTokens(),
			instanceUrl: fake.url,
			limiterKey: uniqueLimiterKey(),
			metadataTtlMs: 60_000,
			transport: clock,
		});
	});
	afterEach(() => fake.close());

	it('describes an object into neutral fields and caches it until the TTL, a refresh or a clear', async () => {
		fake.on('GET', `${API}/sobjects/Lead/describe`, { body: DESCRIBE });
		const describeCalls = () => fake.to('GET', `${API}/sobjects/Lead/describe`).length;

		const first = await provider.describeObject('Lead');
		expect(first.objectType).toBe('Lead');
		expect(first.fields).toEqual([
			{
				name: 'Id',
				label: 'Lead ID',
				type: 'string',
				nativeType: 'id',
				readOnly: true,
				required: false,
				canBeUsedToMatch: true,
			},
			{
				name: 'LastName',
				label: 'Last Name',
				type: 'string',
				nativeType: 'string',
				readOnly: false,
				required: true,
				canBeUsedToMatch: false,
			},
			{
				name: 'Status',
				label: 'Status',
				type: 'enum',
				nativeType: 'picklist',
				readOnly: false,
				required: false,
				canBeUsedToMatch: false,
				options: [
					{ value: 'Open', label: 'Open - Not Contacted' },
					{ value: 'Qualified', label: 'Qualified' },
				],
			},
			{
				name: 'Interests__c',
				label: 'Interests',
				type: 'multiEnum',
				nativeType: 'multipicklist',
				readOnly: false,
				required: false,
				canBeUsedToMatch: false,
				options: [{ value: 'API', label: 'API' }],
			},
			{
				name: 'Ext_Id__c',
				label: 'External Id',
				type: 'string',
				nativeType: 'string',
				readOnly: false,
				required: false,
				canBeUsedToMatch: true,
			},
			{
				name: 'AnnualRevenue',
				label: 'Annual Revenue',
				type: 'number',
				nativeType: 'currency',
				readOnly: false,
				required: false,
				canBeUsedToMatch: false,
			},
			{
				name: 'CreatedDate',
				label: 'Created Date',
				type: 'datetime',
				nativeType: 'datetime',
				readOnly: true,
				required: false,
				canBeUsedToMatch: false,
			},
		]);

		await provider.describeObject('Lead');
		expect(describeCalls()).toBe(1);
		await provider.describeObject('Lead', { refresh: true });
		expect(describeCalls()).toBe(2);
		await clock.sleep(60_001);
		await provider.describeObject('Lead');
		expect(describeCalls()).toBe(3);
		provider.clearMetadataCache();
		await provider.describeObject('Lead');
		expect(describeCalls()).toBe(4);
	});

	it('resolves owners with one SOQL on active users, keyed by lower-case e-mail', async () => {
		fake.once('GET', `${API}/query`, {
			body: queryResult([
				{ attributes: { type: 'User' }, Id: '005000000000001AAA', Email: 'Ann@Acme.com' },
			]),
		});
		const owners = await provider.resolveOwners([
			'ann@acme.com',
			'ANN@acme.com',
			"o'hara@acme.com",
		]);
		expect(fake.queries()).toEqual([
			String.raw`SELECT Id, Email FROM User WHERE Email IN ('ann@acme.com', 'o\'hara@acme.com') AND IsActive = true`,
		]);
		expect([...owners]).toEqual([['ann@acme.com', '005000000000001AAA']]);
	});

	it('lists changed records page by page through nextRecordsUrl, with the admin filter ANDed in', async () => {
		const locator = `${API}/query/01gD0000002HU6KIAW-2000`;
		fake.once('GET', `${API}/query`, {
			body: queryResult(
				[
					{
						attributes: { type: 'Lead' },
						Id: '00Q000000000001AAA',
						Email: 'a@x.io',
						SystemModstamp: '2026-11-20T10:00:00.000+0000',
						CreatedDate: '2026-11-01T00:00:00.000+0000',
					},
				],
				locator,
			),
		});
		fake.once('GET', `${API}/query/01gD0000002HU6KIAW-2000`, {
			body: queryResult([
				{
					attributes: { type: 'Lead' },
					Id: '00Q000000000002AAA',
					Email: 'b@x.io',
					SystemModstamp: '2026-11-20T11:00:00.000+0000',
				},
			]),
		});

		const first = await provider.listChanged({
			objectType: 'Lead',
			since: '2026-11-20T09:30:00.250Z',
			properties: ['Email', 'Phone'],
			filter: "LeadSource = 'Web' OR Rating = 'Hot'",
			pageSize: 500,
		});
		expect(fake.queries()[0]).toBe(
			"SELECT Id, Email, Phone, SystemModstamp, CreatedDate FROM Lead WHERE SystemModstamp >= 2026-11-20T09:30:00Z AND (LeadSource = 'Web' OR Rating = 'Hot') ORDER BY SystemModstamp, Id",
		);
		expect(fake.requests[0].headers['sforce-query-options']).toBe('batchSize=500');
		expect(first).toEqual({
			records: [
				{
					id: '00Q000000000001AAA',
					objectType: 'Lead',
					properties: {
						Id: '00Q000000000001AAA',
						Email: 'a@x.io',
						SystemModstamp: '2026-11-20T10:00:00.000+0000',
						CreatedDate: '2026-11-01T00:00:00.000+0000',
					},
					updatedAt: '2026-11-20T10:00:00.000+0000',
					createdAt: '2026-11-01T00:00:00.000+0000',
				},
			],
			nextCursor: locator,
			// The query's totalSize, as the org answered the first page.
			listedFromSince: 1,
		});

		const second = await provider.listChanged({
			objectType: 'Lead',
			since: '2026-11-20T09:30:00Z',
			properties: ['Email'],
			cursor: first.nextCursor,
		});
		expect(second.records.map((record) => record.id)).toEqual(['00Q000000000002AAA']);
		expect(second.nextCursor).toBeUndefined();
		expect(second.listedFromSince).toBeUndefined();
		expect(fake.requests).toHaveLength(2);
	});

	it('refuses a cursor that is not a Salesforce query locator', async () => {
		await expect(
			provider.listChanged({
				objectType: 'Lead',
				since: '2026-11-20T09:30:00Z',
				properties: [],
				cursor: 'https://evil.example/steal',
			}),
		).rejects.toThrow('Invalid Salesforce query cursor');
		expect(fake.requests).toHaveLength(0);
	});

	it('uses the API version it is given, on the instance it is given', async () => {
		const older = createSalesforceProvider({
			tokens: new CountingTokens(),
			instanceUrl: `${fake.url}/`,
			apiVersion: '59.0',
			limiterKey: uniqueLimiterKey(),
			transport: clock,
		});
		fake.once('GET', '/services/data/v59.0/sobjects/Contact/describe', {
			body: { name: 'Contact', fields: [] },
		});
		expect(await older.describeObject('Contact')).toMatchObject({
			objectType: 'Contact',
			fields: [],
		});
		expect(fake.requests.map((request) => request.path)).toEqual([
			'/services/data/v59.0/sobjects/Contact/describe',
		]);
	});

	it('declares its profile', () => {
		expect(provider.profile).toMatchObject({
			crm: 'salesforce',
			objects: {
				contact: { objectType: 'Contact' },
				company: { objectType: 'Account' },
				deal: { objectType: 'Opportunity' },
				lead: { objectType: 'Lead' },
			},
			activityKinds: ['note', 'meeting', 'task', 'call', 'chat'],
			singleTargetActivityKinds: ['meeting'],
			writeBatchSize: 200,
		});
	});
});
