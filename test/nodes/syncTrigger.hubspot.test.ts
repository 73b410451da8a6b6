/**
 * CRM Sync Trigger on HubSpot, polled through n8n-core's real poll machinery (PollContext,
 * TriggersAndPollers, staging scope) against the local sandbox, with the workflow's static
 * data kept between polls as n8n keeps it for an active workflow. The sandbox clock is
 * driven by the test so several contacts can share one lastmodifieddate exactly.
 */
import type { IDataObject } from 'n8n-workflow';

import { runFullImport } from './support/fullImportScenario';
import { contacts, syncTriggerSuite } from './support/syncTriggerSetup';

const SEARCH = '/hubspot/crm/v3/objects/contacts/search';

describe('CRM Sync Trigger — HubSpot, polled by n8n-core', () => {
	const suite = syncTriggerSuite({
		crm: 'hubspot',
		parameters: { objectType: 'contacts' },
		// HubSpot's 10-second window would follow the frozen test clock; the provider paces itself anyway.
		sandbox: { rateLimits: { hubspot: false } },
		person: (prefix, i) => ({
			firstname: `${prefix}${i}`,
			lastname: 'Test',
			email: `${prefix.toLowerCase()}${i}@example.com`,
			phone: `+1 415 555 ${String(1000 + i).slice(-4)}`,
		}),
	});
	const { runner } = suite;
	const plant = (count: number, prefix: string, extra?: (i: number) => IDataObject) =>
		suite.plant('contacts', count, prefix, extra);
	const searches = () =>
		suite.sandbox.admin.requests('hubspot').filter((r) => r.path === SEARCH).length;

	it('two polls with changes in between return exactly the changed contacts, then nothing', async () => {
		const poller = runner();
		const [a, b, c] = plant(3, 'First');
		const first = await poller.poll();
		expect(contacts(first.items).map((x) => x.crmId)).toEqual([a, b, c]);
		expect(contacts(first.items)[0]).toMatchObject({
			objectType: 'contacts',
			phone: '+14155551000',
			firstName: 'First0',
			lastName: 'Test',
			email: 'first0@example.com',
			doNotCall: null,
			fields: {},
		});

		suite.clock += 5_000;
		suite.sandbox.admin.putRecords('hubspot', 'contacts', [
			{ id: b, phone: '020 7946 0958', hs_lead_status: 'OPEN' },
		]);
		const [d] = plant(1, 'Second');
		const second = await poller.poll();
		expect(contacts(second.items).map((x) => x.crmId)).toEqual([b, d]);
		// A national number that is not possible in the default country (US) comes out without a phone, with the reason.
		expect(contacts(second.items)[0]).toMatchObject({ phone: null });
		expect(contacts(second.items)[0].phoneReason).toMatch(/field "phone"/);

		const third = await poller.poll();
		expect(third.output).toBeNull();
		expect(third.committed).toBe(true);
		// The listing was read to its end: the tie at the newest timestamp is closed (HubSpot stamps to the millisecond).
		expect(poller.nodeState().cursor).toEqual({
			since: new Date(suite.clock + 1).toISOString(),
			seenAtSince: [],
		});
	});

	it('seven contacts sharing one timestamp across pages of three: all seven once; later polls do not read the tie again', async () => {
		const poller = runner({ options: { pageSize: 3 } });
		const seven = plant(7, 'Tie');
		const first = await poller.poll();
		expect(contacts(first.items).map((x) => x.crmId)).toEqual(seven);
		expect(searches()).toBe(3);
		expect(new Set(contacts(first.items).map((x) => x.updatedAt)).size).toBe(1);

		// Nothing new: one search, not the three pages of the tie again.
		expect((await poller.poll()).output).toBeNull();
		expect(searches()).toBe(4);

		// Two changed one millisecond after the tie still come out, once.
		suite.clock += 1;
		const two = plant(2, 'Late');
		const second = await poller.poll();
		expect(contacts(second.items).map((x) => x.crmId)).toEqual(two);
		expect(searches()).toBe(5);
	});

	it('a poll stopped by its record cap or time budget resumes inside a run of equal timestamps without a gap or repeat', async () => {
		const capped = runner({ options: { pageSize: 3, maxRecords: 3 } });
		const seven = plant(7, 'Cap');
		const seen: string[] = [];
		for (let i = 0; i < 3; i++)
			seen.push(...contacts((await capped.poll()).items).map((x) => x.crmId));
		expect(seen).toEqual(seven);
		expect((await capped.poll()).output).toBeNull();

		// Budget 0: each poll stops after its first page that brought something new.
		const hurried = runner({ options: { pageSize: 3 } });
		const pages: number[] = [];
		for (let i = 0; i < 4; i++) pages.push((await hurried.poll({ budgetMs: 0 })).items.length);
		expect(pages).toEqual([3, 3, 1, 0]);
	});

	it('manual mode returns a recent sample and leaves the cursor alone', async () => {
		const poller = runner({ options: { sampleSize: 2 } });
		plant(4, 'Sample');
		await poller.poll();
		const stored = JSON.parse(JSON.stringify(poller.staticData)) as IDataObject;

		suite.clock += 1_000;
		plant(3, 'After');
		const manual = await poller.poll({ mode: 'manual' });
		expect(manual.items).toHaveLength(2);
		expect(contacts(manual.items)[0].syncLog[0].reason).toMatch(/sample/);
		expect(manual.nodeStaticData).toEqual(stored[`node:CRM Sync Trigger`]);
		expect(poller.staticData).toEqual(stored);

		// The scheduled poll still delivers the three changes made after the last one.
		const next = await poller.poll();
		expect(contacts(next.items).map((x) => x.firstName)).toEqual(['After0', 'After1', 'After2']);
	});

	it('1,000 changed contacts reach the output in one poll with the API calls reported (≤ ceil(1000/100) + 1)', async () => {
		const poller = runner({ options: { pageSize: 100 } });
		// Ten contacts per millisecond: every page boundary falls inside a run of equal timestamps.
		const batches: string[] = [];
		for (let i = 0; i < 100; i++) {
			batches.push(...plant(10, `Bulk${i}-`));
			suite.clock += 1;
		}
		const result = await poller.poll();
		const items = contacts(result.items);
		expect(items).toHaveLength(1000);
		expect(new Set(items.map((x) => x.crmId))).toEqual(new Set(batches));
		const reported = items.reduce((sum, item) => sum + item.syncLog[0].apiCalls, 0);
		expect(reported).toBe(searches());
		expect(reported).toBeLessThanOrEqual(Math.ceil(1000 / 100) + 1);
		expect(items[0].syncLog[0]).toMatchObject({
			crm: 'hubspot',
			operation: 'poll',
			status: 'success',
			target: { type: 'contacts' },
		});
	});

	it('inclusion filter and extra fields: only matching contacts, with the selected fields', async () => {
		const poller = runner({
			hubspotFilter: JSON.stringify([
				{ propertyName: 'lifecyclestage', operator: 'EQ', value: 'lead' },
			]),
			extraFields: ['lifecyclestage', 'jobtitle'],
		});
		const ids = plant(4, 'Filter', (i) => ({
			lifecyclestage: i % 2 === 0 ? 'lead' : 'customer',
			jobtitle: `Role ${i}`,
		}));
		const result = await poller.poll();
		expect(contacts(result.items).map((x) => [x.crmId, x.fields])).toEqual([
			[ids[0], { lifecyclestage: 'lead', jobtitle: 'Role 0' }],
			[ids[2], { lifecyclestage: 'lead', jobtitle: 'Role 2' }],
		]);
	});

	it('a malformed filter fails the poll with a clear error and leaves the cursor unset', async () => {
		const poller = runner({ hubspotFilter: 'lifecyclestage = lead' });
		plant(1, 'Bad');
		await expect(poller.poll()).rejects.toThrow(/JSON array of search filters/);
		expect(poller.nodeState()).toEqual({});
	});

	it('the first poll is bounded: contacts changed before the start are not emitted', async () => {
		suite.clock = Date.now() - 3 * 3_600_000;
		plant(2, 'Old');
		suite.clock = Date.now() - 120_000;
		const recent = plant(1, 'New');
		const poller = runner({ hoursBack: 1 });
		const result = await poller.poll();
		expect(contacts(result.items).map((x) => x.crmId)).toEqual(recent);
	});

	it('the first poll can start at a chosen date instead', async () => {
		suite.clock = Date.now() - 3 * 3_600_000;
		plant(1, 'Before');
		const start = new Date(Date.now() - 2 * 3_600_000).toISOString();
		suite.clock = Date.now() - 90 * 60_000;
		const after = plant(2, 'After');
		const poller = runner({ firstPoll: 'startDate', startDate: start });
		expect(contacts((await poller.poll()).items).map((x) => x.crmId)).toEqual(after);
		await expect(runner({ firstPoll: 'startDate', startDate: '' }).poll()).rejects.toThrow(
			/"Start Date" needs a date/,
		);
	});

	it('changes younger than the settle delay wait for a later poll instead of being risked', async () => {
		const [settled] = plant(1, 'Settled');
		suite.clock = Date.now() - 5_000;
		const [fresh] = plant(1, 'Fresh');
		const poller = runner();
		const first = await poller.poll();
		expect(contacts(first.items).map((x) => x.crmId)).toEqual([settled]);

		// Same workflow later (simulated by a zero delay on the stored cursor): the fresh change comes out once.
		const later = runner({ options: { settleSeconds: 0 } });
		later.staticData = poller.staticData;
		const second = await later.poll();
		expect(contacts(second.items).map((x) => x.crmId)).toEqual([fresh]);
		expect((await later.poll()).output).toBeNull();
	});
	it('a full import ("Everything") over several polls: every record once, progress against the CRM\'s count in the sync log, a start-over key begins again', async () => {
		await runFullImport({
			suite,
			crm: 'hubspot',
			objectType: 'contacts',
			perPoll: 10,
			pageSize: 5,
		});
	});
});
