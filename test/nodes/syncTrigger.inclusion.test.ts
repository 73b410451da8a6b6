/**
 * CRM Sync Trigger with an inclusion list ("Inclusion List"): changed records
 * come out only while they are members — a HubSpot list, a Salesforce list view — polled through
 * n8n-core's real poll machinery against the sandbox. The membership is read only on a poll
 * that found changes.
 */
import { contacts, syncTriggerSuite } from './support/syncTriggerSetup';

describe('CRM Sync Trigger — inclusion list on HubSpot', () => {
	const suite = syncTriggerSuite({
		crm: 'hubspot',
		parameters: { objectType: 'contacts' },
		sandbox: { rateLimits: { hubspot: false } },
		person: (prefix, i) => ({
			firstname: `${prefix}${i}`,
			lastname: 'Test',
			email: `${prefix.toLowerCase()}${i}@example.com`,
		}),
	});
	const memberships = () =>
		suite.sandbox.admin.requests('hubspot').filter((r) => r.path.includes('/memberships')).length;

	it('only members come out; a member that changes again comes out again; an idle poll reads no membership', async () => {
		const [{ id: listId }] = suite.sandbox.admin.putRecords('hubspot', 'lists', [
			{ name: 'Sync to Salesforce', objectTypeId: '0-1', processingType: 'MANUAL' },
		]);
		const [member, outsider, later] = suite.plant('contacts', 3, 'Inc');
		suite.sandbox.admin.addMembers('hubspot', listId, [member]);
		const poller = suite.runner({ inclusionSegmentId: listId });

		const first = await poller.poll();
		expect(contacts(first.items).map((c) => c.crmId)).toEqual([member]);
		expect(memberships()).toBeGreaterThanOrEqual(1);

		// Nothing changed: no membership read at all.
		suite.sandbox.admin.clearRequests();
		expect((await poller.poll()).output).toBeNull();
		expect(memberships()).toBe(0);

		// The outsider changes: still not a member, nothing comes out. `later` joins and changes.
		suite.clock += 5_000;
		suite.sandbox.admin.addMembers('hubspot', listId, [later]);
		suite.sandbox.admin.putRecords('hubspot', 'contacts', [
			{ id: outsider, jobtitle: 'Buyer' },
			{ id: later, jobtitle: 'Buyer' },
			{ id: member, jobtitle: 'Buyer' },
		]);
		const second = await poller.poll();
		expect(
			contacts(second.items)
				.map((c) => c.crmId)
				.sort(),
		).toEqual([member, later].sort());

		// Removed from the list: its next change no longer comes out.
		suite.clock += 5_000;
		suite.sandbox.admin.removeMembers('hubspot', listId, [member]);
		suite.sandbox.admin.putRecords('hubspot', 'contacts', [{ id: member, jobtitle: 'CEO' }]);
		expect((await poller.poll()).output).toBeNull();
	});

	it('an unknown inclusion list fails the poll naming it', async () => {
		suite.plant('contacts', 1, 'Unknown');
		await expect(suite.runner({ inclusionSegmentId: '987654' }).poll()).rejects.toThrow('987654');
	});
});

describe('CRM Sync Trigger — inclusion list on Salesforce (list view)', () => {
	const suite = syncTriggerSuite({
		crm: 'salesforce',
		parameters: { objectType: 'Lead' },
		person: (prefix, i) => ({
			FirstName: `${prefix}${i}`,
			LastName: 'Test',
			Company: 'Initech',
			Email: `${prefix.toLowerCase()}${i}@example.com`,
		}),
	});

	it('changed leads come out only while the list view selects them', async () => {
		const [view] = suite.sandbox.admin.putRecords('salesforce', 'ListView', [
			{ Name: 'Hot', DeveloperName: 'Hot', SobjectType: 'Lead' },
		]);
		suite.sandbox.admin.configure('salesforce', {
			listViewFilters: { [view.id]: "Status = 'Working - Contacted'" },
		});
		const [hot, cold] = suite.plant('Lead', 2, 'Rated', (i) => ({
			Status: i === 0 ? 'Working - Contacted' : 'Open - Not Contacted',
		}));
		const poller = suite.runner({ inclusionSegmentId: view.id });
		expect(contacts((await poller.poll()).items).map((c) => c.crmId)).toEqual([hot]);

		suite.clock += 5_000;
		suite.sandbox.admin.putRecords('salesforce', 'Lead', [
			{ id: cold, Status: 'Working - Contacted' },
		]);
		expect(contacts((await poller.poll()).items).map((c) => c.crmId)).toEqual([cold]);
	});
});
