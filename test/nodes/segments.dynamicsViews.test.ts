/**
 * CRM Sync Trigger on Dynamics 365 in "Members of a List/Segment" mode with a view: the rows
 * a system or personal view's FetchXML selects, read with that filter and a key cursor through
 * n8n-core's real poll machinery against the sandbox. A contact joins or leaves the view when a
 * column the filter tests changes.
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

/** A view's FetchXML as the view designer saves it: columns, an order, a filter. */
const viewFetchXml = (entity: string, filter: string) =>
	`<fetch version="1.0" output-format="xml-platform" mapping="logical" distinct="false"><entity name="${entity}"><attribute name="fullname" /><attribute name="${entity}id" /><order attribute="fullname" descending="false" /><filter type="and">${filter}</filter></entity></fetch>`;

describe('CRM Sync Trigger — Dynamics 365 views, polled by n8n-core', () => {
	const suite = syncTriggerSuite({
		crm: 'dynamics',
		parameters: { objectType: 'contact', defaultCountry: 'GB' },
		person: (prefix, i) => ({
			firstname: `${prefix}${i}`,
			lastname: 'Test',
			emailaddress1: `${prefix.toLowerCase()}${i}@example.com`,
		}),
	});
	const createView = (
		name: string,
		filter: string,
		options: { table?: 'savedquery' | 'userquery'; entity?: string } = {},
	) => {
		const table = options.table ?? 'savedquery';
		const [view] = suite.sandbox.admin.putRecords('dynamics', table, [
			{
				name,
				returnedtypecode: options.entity ?? 'contact',
				querytype: 0,
				statecode: 0,
				fetchxml: viewFetchXml(options.entity ?? 'contact', filter),
			},
		]);
		return `${table}:${view.id}`;
	};
	const setJobTitle = (id: string, jobtitle: string) =>
		suite.sandbox.admin.putRecords('dynamics', 'contact', [{ id, jobtitle }]);
	const buyers = '<condition attribute="jobtitle" operator="eq" value="Buyer" />';

	it('offers the object’s system and personal views (and marketing lists) in the drop-down', async () => {
		const system = createView('Buyers', buyers);
		const personal = createView('My buyers', buyers, { table: 'userquery' });
		createView('Lead view', '<condition attribute="subject" operator="not-null" />', {
			entity: 'lead',
		});
		const options = await suite
			.runner({ records: 'segment', segmentId: system })
			.loadOptions('getSegments');
		expect(options).toEqual(
			expect.arrayContaining([
				expect.objectContaining({ name: 'Buyers (view)', value: system }),
				expect.objectContaining({ name: 'My buyers (personal view)', value: personal }),
			]),
		);
		expect(options.some((option) => String(option.name).startsWith('Lead view'))).toBe(false);
	});

	it('a contact that comes to match the view arrives once as added over three polls; leaving it, once as removed', async () => {
		const [inView, outside] = suite.plant('contact', 2, 'Viewed');
		setJobTitle(inView, 'Buyer');
		const view = createView('Buyers', buyers);
		const poller = suite.runner({ records: 'segment', segmentId: view });
		expect((await poller.poll()).output).toBeNull();

		setJobTitle(outside, 'Buyer');
		expect(members((await poller.poll()).items)).toEqual([
			expect.objectContaining({
				crmId: outside,
				objectType: 'contact',
				change: 'added',
				segmentId: view,
				firstName: 'Viewed1',
			}),
		]);
		expect((await poller.poll()).output).toBeNull();
		expect((await poller.poll()).output).toBeNull();

		setJobTitle(inView, 'Engineer');
		expect(members((await poller.poll()).items)).toEqual([
			expect.objectContaining({ crmId: inView, objectType: 'contact', change: 'removed' }),
		]);
	});

	it("reads pages with the view's filter, its own id order and a key cursor; an edited view applies on the next poll", async () => {
		const contacts = suite.plant('contact', 5, 'Paged');
		contacts.forEach((id) => setJobTitle(id, 'Buyer'));
		const view = createView('Buyers', buyers);
		const poller = suite.runner({ records: 'segment', segmentId: view, options: { pageSize: 2 } });
		suite.sandbox.admin.clearRequests();
		expect((await poller.poll()).output).toBeNull();
		const reads = suite.sandbox.admin.requests('dynamics');
		const fetches = reads.filter((r) => r.query.fetchXml !== undefined);
		// 5 members, pages of 2: 3 pages, each reading the view first.
		expect(fetches).toHaveLength(3);
		expect(reads.filter((r) => r.path.includes('/savedqueries('))).toHaveLength(3);
		const first = fetches[0].query.fetchXml;
		expect(first).toContain('<attribute name="contactid" /><order attribute="contactid"');
		expect(first).toContain(buyers);
		expect(first).not.toContain('fullname');
		expect(first).not.toContain('operator="gt"');
		expect(fetches[1].query.fetchXml).toContain('<condition attribute="contactid" operator="gt"');
		expect(first).toContain('count="2"');

		// The admin narrows the view: the contacts it no longer selects leave it.
		const [, viewId] = view.split(':');
		suite.sandbox.admin.putRecords('dynamics', 'savedquery', [
			{
				id: viewId,
				fetchxml: viewFetchXml(
					'contact',
					`${buyers}<condition attribute="firstname" operator="in"><value>Paged0</value><value>Paged1</value></condition>`,
				),
			},
		]);
		const removed = members((await poller.poll()).items)
			.map((m) => `${m.change} ${m.crmId}`)
			.sort();
		expect(removed).toEqual(
			contacts
				.slice(2)
				.map((id) => `removed ${id}`)
				.sort(),
		);
	});

	it('an unknown view, or a view of another table, fails naming it', async () => {
		const unknown = 'savedquery:0b9a7e52-0000-4000-8000-00000000beef';
		await expect(suite.runner({ records: 'segment', segmentId: unknown }).poll()).rejects.toThrow(
			'Dynamics 365 view 0b9a7e52-0000-4000-8000-00000000beef was not found',
		);
		const leads = createView('Leads', '<condition attribute="subject" operator="not-null" />', {
			entity: 'lead',
		});
		await expect(suite.runner({ records: 'segment', segmentId: leads }).poll()).rejects.toThrow(
			'cannot be watched: it lists lead rows, not contact',
		);
	});
});
