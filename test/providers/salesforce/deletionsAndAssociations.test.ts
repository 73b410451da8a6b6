import type { CrmProvider } from '../../../nodes/shared/providers/CrmProvider';
import { createSalesforceProvider } from '../../../nodes/shared/providers/salesforce';
import {
	API,
	CountingTokens,
	FakeSalesforce,
	localNetworkOnly,
	queryResult,
	uniqueLimiterKey,
	virtualClock,
} from './fakeSalesforce';

describe('Salesforce listDeleted and readAssociations', () => {
	let fake: FakeSalesforce;
	let provider: CrmProvider;

	beforeAll(localNetworkOnly);
	beforeEach(async () => {
		fake = await new FakeSalesforce().start();
		provider = createSalesforceProvider({
			tokens: new CountingTokens(),
			instanceUrl: fake.url,
			limiterKey: uniqueLimiterKey(),
			// 2026-11-21T12:00:00Z
			transport: virtualClock(),
		});
	});
	afterEach(() => fake.close());

	it('asks the delete log from the minute of since up to the minute of now rounded up, in one call', async () => {
		fake.on('GET', `${API}/sobjects/Account/deleted/`, {
			body: {
				deletedRecords: [
					{ id: '001000000000001AAA', deletedDate: '2026-11-21T11:30:12.000+0000' },
					{ deletedDate: '2026-11-21T11:31:00.000+0000' },
				],
				earliestDateAvailable: '2026-11-06T12:00:00.000+0000',
				latestDateCovered: '2026-11-21T12:00:00.000+0000',
			},
		});
		const page = await provider.listDeleted!({
			objectType: 'Account',
			since: '2026-11-21T11:30:45.500Z',
		});
		const [request] = fake.to('GET', `${API}/sobjects/Account/deleted/`);
		expect(request.query.get('start')).toBe('2026-11-21T11:30:00+00:00');
		// The clock stands at 12:00:00.000: nothing can have been deleted later than that yet.
		expect(request.query.get('end')).toBe('2026-11-21T12:00:00+00:00');
		// A record without an id is not a deletion the trigger can act on.
		expect(page).toEqual({
			records: [
				{
					id: '001000000000001AAA',
					objectType: 'Account',
					deletedAt: '2026-11-21T11:30:12.000+0000',
				},
			],
		});
		expect(fake.requests).toHaveLength(1);
	});

	it('never asks further back than the delete log keeps, and refuses an object name that is not one', async () => {
		fake.on('GET', `${API}/sobjects/Contact/deleted/`, { body: { deletedRecords: [] } });
		await provider.listDeleted!({ objectType: 'Contact', since: '1970-01-01T00:00:00.000Z' });
		const [request] = fake.to('GET', `${API}/sobjects/Contact/deleted/`);
		expect(request.query.get('start')).toBe('2026-11-07T12:00:00+00:00');
		await expect(
			provider.listDeleted!({ objectType: 'Contact/../x', since: '2026-11-21T11:00:00Z' }),
		).rejects.toThrow(/not a valid Salesforce object name/);
	});

	it('gives opportunities their account and contact roles in one query, contacts their account, accounts nothing', async () => {
		fake.on('GET', `${API}/query`, {
			body: queryResult([
				{ OpportunityId: '006000000000001AAA', ContactId: '003000000000001AAA' },
				{ OpportunityId: '006000000000001AAA', ContactId: '003000000000002AAA' },
				{ OpportunityId: '006000000000001AAA', ContactId: '003000000000001AAA' },
			]),
		});
		const deals = await provider.readAssociations!('Opportunity', [
			{
				id: '006000000000001AAA',
				objectType: 'Opportunity',
				properties: { AccountId: '001000000000001AAA' },
			},
			{ id: '006000000000002AAA', objectType: 'Opportunity', properties: { AccountId: null } },
		]);
		expect(fake.queries()).toEqual([
			"SELECT OpportunityId, ContactId FROM OpportunityContactRole WHERE OpportunityId IN ('006000000000001AAA', '006000000000002AAA') ORDER BY OpportunityId, ContactId",
		]);
		expect(deals.map((deal) => deal.associations)).toEqual([
			{ company: ['001000000000001AAA'], contact: ['003000000000001AAA', '003000000000002AAA'] },
			{ company: [], contact: [] },
		]);
		const contacts = await provider.readAssociations!('Contact', [
			{
				id: '003000000000001AAA',
				objectType: 'Contact',
				properties: { AccountId: '001000000000001AAA' },
			},
		]);
		expect(contacts[0].associations).toEqual({ company: ['001000000000001AAA'] });
		const accounts = await provider.readAssociations!('Account', [
			{ id: '001000000000001AAA', objectType: 'Account', properties: {} },
		]);
		expect(accounts[0].associations).toEqual({});
		// Contacts and accounts cost no call.
		expect(fake.requests).toHaveLength(1);
		// A record id that is not one never reaches the query.
		await expect(
			provider.readAssociations!('Opportunity', [
				{ id: "x' OR Id != '", objectType: 'Opportunity', properties: {} },
			]),
		).rejects.toThrow(/not a valid Salesforce record id/);
	});

	it('asks the listing for AccountId only when associations are wanted', async () => {
		fake.on('GET', `${API}/query`, { body: queryResult([]) });
		await provider.listChanged({
			objectType: 'Contact',
			since: '2026-11-21T11:00:00Z',
			properties: ['Email'],
		});
		await provider.listChanged({
			objectType: 'Contact',
			since: '2026-11-21T11:00:00Z',
			properties: ['Email'],
			associations: true,
		});
		expect(fake.queries()).toEqual([
			'SELECT Id, Email, SystemModstamp, CreatedDate FROM Contact WHERE SystemModstamp >= 2026-11-21T11:00:00Z ORDER BY SystemModstamp, Id',
			'SELECT Id, Email, AccountId, SystemModstamp, CreatedDate FROM Contact WHERE SystemModstamp >= 2026-11-21T11:00:00Z ORDER BY SystemModstamp, Id',
		]);
	});
});
