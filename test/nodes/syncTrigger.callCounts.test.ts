/**
 * What a CRM Sync Trigger poll costs, counted by the sandbox: a full import with associations
 * reads the associations once per poll in HubSpot's largest batches (not once per page), and a
 * poll after a listing that ended on a tie of many records costs one call (Salesforce compares
 * SystemModstamp by whole seconds, so the read second is closed instead of listed again).
 */
import { defaultAssociationType } from '../sandbox/vendors/hubspot/objectTypes';
import { contacts, syncTriggerSuite } from './support/syncTriggerSetup';

describe('CRM Sync Trigger API calls — HubSpot full import with associations', () => {
	const suite = syncTriggerSuite({
		crm: 'hubspot',
		parameters: { objectType: 'contacts' },
		person: (prefix, i) => ({
			firstname: `${prefix}${i}`,
			lastname: 'Test',
			email: `${prefix.toLowerCase()}${i}@example.com`,
		}),
	});

	it('450 contacts over 3 pages: one associations batch read for the whole poll, every contact with its company', async () => {
		const { admin } = suite.sandbox;
		const [company] = admin.putRecords('hubspot', 'companies', [
			{ name: 'Pages Ltd', domain: 'pages.example' },
		]);
		const ids = suite.plant('contacts', 450, 'Page');
		const type = defaultAssociationType('contacts', 'companies')!;
		for (const id of ids) {
			admin.linkRecords('hubspot', {
				fromType: 'contacts',
				fromId: id,
				toType: 'companies',
				toId: company.id,
				typeId: type.typeId,
				category: 'HUBSPOT_DEFINED',
			});
		}
		admin.clearRequests();
		const poll = await suite
			.runner({ firstPoll: 'everything', includeAssociations: true, options: { pageSize: 200 } })
			.poll();
		const items = contacts(poll.items);
		expect(items.map((item) => item.crmId).sort()).toEqual([...ids].sort());
		for (const item of poll.items)
			expect(item.json.associations).toEqual({ company: [company.id] });
		const paths = admin.requests('hubspot').map((r) => r.path);
		expect(paths.filter((path) => path.endsWith('/search'))).toHaveLength(3);
		expect(paths.filter((path) => path.includes('/crm/v4/associations/'))).toHaveLength(1);
	});

	it("a poll's first item carries HubSpot's daily API usage after its own row; the others do not", async () => {
		const { admin } = suite.sandbox;
		admin.configure('hubspot', { dailyApiLimit: 250_000, apiUsage: 1_000 });
		try {
			suite.plant('contacts', 2, 'Daily');
			admin.clearRequests();
			const [first, second] = contacts((await suite.runner().poll()).items);
			const calls = admin.requests('hubspot').length;
			expect(first.syncLog.map((log) => log.operation)).toEqual(['poll', 'daily-api-usage']);
			expect(first.syncLog[1]).toMatchObject({
				crm: 'hubspot',
				apiCalls: 0,
				reason: `HubSpot daily API usage ${(1_000 + calls).toLocaleString('en-US')}/250,000 (0.4 %)`,
			});
			expect(second.syncLog.map((log) => log.operation)).toEqual(['poll']);
		} finally {
			admin.configure('hubspot', { dailyApiLimit: 500_000, apiUsage: 0 });
		}
	});
});

describe('CRM Sync Trigger API calls — Salesforce idle poll after a tie', () => {
	const suite = syncTriggerSuite({
		crm: 'salesforce',
		parameters: { objectType: 'Contact' },
		person: (prefix, i) => ({
			FirstName: `${prefix}${i}`,
			LastName: 'Test',
			Email: `${prefix.toLowerCase()}${i}@example.com`,
		}),
	});
	const queries = () =>
		suite.sandbox.admin.requests('salesforce').filter((r) => r.path.includes('/query')).length;

	it('250 contacts in one second, read to the end: the next polls cost one query each and find nothing; a later change still comes out', async () => {
		const poller = suite.runner({ options: { pageSize: 200 } });
		const tie = suite.plant('Contact', 250, 'Tie');
		const first = await poller.poll();
		expect(contacts(first.items)).toHaveLength(250);

		suite.sandbox.admin.clearRequests();
		expect((await poller.poll()).output).toBeNull();
		expect((await poller.poll()).output).toBeNull();
		expect(queries()).toBe(2);

		suite.clock += 2_000;
		const [later] = suite.plant('Contact', 1, 'Later');
		const next = await poller.poll();
		expect(contacts(next.items).map((item) => item.crmId)).toEqual([later]);
		expect(tie).not.toContain(later);
	});
});
