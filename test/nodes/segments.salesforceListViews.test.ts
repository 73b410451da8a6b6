/**
 * CRM Sync Trigger on Salesforce in "Members of a List/Segment" mode with a list view: the
 * records the view's filter selects, read with that filter and a key cursor through n8n-core's
 * real poll machinery against the sandbox. A record joins or leaves the view when a field the
 * filter tests changes.
 */
import type { IDataObject } from 'n8n-workflow';

import { syncTriggerSuite } from './support/syncTriggerSetup';

interface MemberItem {
	crmId: string;
	objectType: string;
	change: 'added' | 'removed';
	segmentId: string;
	firstName?: string | null;
}

const members = (items: Array<{ json: IDataObject }>) =>
	items.map((item) => item.json as unknown as MemberItem);

describe('CRM Sync Trigger — Salesforce list views, polled by n8n-core', () => {
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

	/** A list view of `objectType` that selects what `where` selects. */
	const createListView = (name: string, where: string, objectType = 'Lead') => {
		const [view] = suite.sandbox.admin.putRecords('salesforce', 'ListView', [
			{ Name: name, DeveloperName: name.replace(/\W+/g, '_'), SobjectType: objectType },
		]);
		suite.sandbox.admin.configure('salesforce', { listViewFilters: { [view.id]: where } });
		return view.id;
	};
	const setStatus = (id: string, Status: string) =>
		suite.sandbox.admin.putRecords('salesforce', 'Lead', [{ id, Status }]);

	it('offers the object’s list views (and campaigns) in the drop-down', async () => {
		const view = createListView('Open leads', "Status = 'Open - Not Contacted'");
		createListView('Big accounts', 'NumberOfEmployees > 1000', 'Account');
		const [campaign] = suite.sandbox.admin.putRecords('salesforce', 'Campaign', [
			{ Name: 'Trade show', IsActive: true },
		]);
		const options = await suite
			.runner({ records: 'segment', segmentId: view })
			.loadOptions('getSegments');
		const values = options.map((option) => option.value);
		expect(options).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ name: 'Open leads (list view)', value: view }),
			]),
		);
		expect(values).toContain(campaign.id);
		expect(options.some((option) => String(option.name).startsWith('Big accounts'))).toBe(false);
	});

	it('a lead that comes to match the filter arrives once as added over three polls; leaving it, once as removed', async () => {
		const [inView, outside] = suite.plant('Lead', 2, 'Viewed');
		setStatus(inView, 'Working - Contacted');
		setStatus(outside, 'Open - Not Contacted');
		// Quoted text that looks like a clause must stay part of the filter.
		const view = createListView(
			'Working',
			"Status = 'Working - Contacted' AND Company != 'x ORDER BY Name'",
		);
		const poller = suite.runner({ records: 'segment', segmentId: view });
		expect((await poller.poll()).output).toBeNull();

		setStatus(outside, 'Working - Contacted');
		const added = members((await poller.poll()).items);
		expect(added).toEqual([
			expect.objectContaining({
				crmId: outside,
				objectType: 'Lead',
				change: 'added',
				segmentId: view,
				firstName: 'Viewed1',
			}),
		]);
		expect((await poller.poll()).output).toBeNull();
		expect((await poller.poll()).output).toBeNull();

		setStatus(inView, 'Closed - Not Converted');
		const removed = members((await poller.poll()).items);
		expect(removed).toEqual([
			expect.objectContaining({ crmId: inView, objectType: 'Lead', change: 'removed' }),
		]);
	});

	it('reads the view with its own filter and a key cursor: the filter edited between polls applies at once', async () => {
		const leads = suite.plant('Lead', 3, 'Paged');
		leads.forEach((id) => setStatus(id, 'Working - Contacted'));
		const view = createListView('Working', "Status = 'Working - Contacted'");
		const poller = suite.runner({ records: 'segment', segmentId: view });
		suite.sandbox.admin.clearRequests();
		expect((await poller.poll()).output).toBeNull();
		const reads = suite.sandbox.admin.requests('salesforce');
		const describes = reads.filter((r) => r.path.includes(`/listviews/${view}/describe`));
		const queries = reads.filter((r) => r.path.endsWith('/query'));
		expect(describes).toHaveLength(1);
		expect(queries.length).toBeGreaterThanOrEqual(1);
		const soql = queries.map((r) => r.query.q ?? '').find((q) => q.includes('FROM Lead'));
		expect(soql).toBe(
			"SELECT Id FROM Lead WHERE (Status = 'Working - Contacted') ORDER BY Id LIMIT 100",
		);

		// The admin narrows the view: the leads it no longer selects leave it.
		suite.sandbox.admin.configure('salesforce', {
			listViewFilters: { [view]: `Status = 'Working - Contacted' AND FirstName = 'Paged0'` },
		});
		const removed = members((await poller.poll()).items)
			.map((m) => `${m.change} ${m.crmId}`)
			.sort();
		expect(removed).toEqual([`removed ${leads[1]}`, `removed ${leads[2]}`].sort());
	});

	it('an unknown list view, or a view of another object, fails naming it', async () => {
		const unknown = '00B5gSbx0009999AAA';
		await expect(suite.runner({ records: 'segment', segmentId: unknown }).poll()).rejects.toThrow(
			`Salesforce list view ${unknown} of Lead was not found`,
		);
		const accounts = createListView('Big accounts', 'NumberOfEmployees > 1000', 'Account');
		await expect(suite.runner({ records: 'segment', segmentId: accounts }).poll()).rejects.toThrow(
			`Salesforce list view ${accounts} of Lead was not found`,
		);
	});
});
