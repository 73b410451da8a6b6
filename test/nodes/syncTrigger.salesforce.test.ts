/**
 * CRM Sync Trigger on Salesforce (jsforce over the shared transport), polled through
 * n8n-core's real poll machinery against the local sandbox. Salesforce pages queries in
 * batches of at least 200, so the page-boundary tie uses 250 contacts sharing one
 * SystemModstamp.
 */
import { runFullImport } from './support/fullImportScenario';
import { contacts, syncTriggerSuite } from './support/syncTriggerSetup';

describe('CRM Sync Trigger — Salesforce, polled by n8n-core', () => {
	const suite = syncTriggerSuite({
		crm: 'salesforce',
		parameters: { objectType: 'Contact' },
		person: (prefix, i) => ({
			FirstName: `${prefix}${i}`,
			LastName: 'Test',
			Email: `${prefix.toLowerCase()}${i}@example.com`,
			Phone: `(415) 555-${String(1000 + i).slice(-4)}`,
		}),
	});
	const { runner, plant } = suite;
	const queries = () =>
		suite.sandbox.admin.requests('salesforce').filter((r) => r.path.includes('/query')).length;

	it('250 contacts sharing one SystemModstamp, a poll capped at one page of 200: the next poll brings exactly the other 50', async () => {
		const poller = runner({ options: { pageSize: 200, maxRecords: 200 } });
		const all = plant('Contact', 250, 'Tie');
		const first = await poller.poll();
		const second = await poller.poll();
		const third = await poller.poll();
		const firstIds = contacts(first.items).map((x) => x.crmId);
		const secondIds = contacts(second.items).map((x) => x.crmId);
		expect(firstIds).toHaveLength(200);
		expect(secondIds).toHaveLength(50);
		expect(new Set([...firstIds, ...secondIds])).toEqual(new Set(all));
		expect(third.output).toBeNull();
		// The sandbox's Contact has no DoNotCall field (real orgs do, unless field security hides it):
		// the default is dropped after the describe instead of failing the poll.
		expect(contacts(first.items)[0]).toMatchObject({
			phone: '+14155551000',
			firstName: 'Tie0',
			lastName: 'Test',
			objectType: 'Contact',
			doNotCall: null,
		});
	});

	it('two polls with changes in between return exactly the changed contacts; SOQL condition and extra fields apply', async () => {
		const poller = runner({
			salesforceFilter: "LeadSource = 'Web'",
			extraFields: ['LeadSource', 'Title'],
		});
		const ids = plant('Contact', 4, 'Web', (i) => ({
			LeadSource: i < 3 ? 'Web' : 'Partner Referral',
			Title: `T${i}`,
		}));
		const first = await poller.poll();
		expect(contacts(first.items).map((x) => x.crmId)).toEqual(ids.slice(0, 3));
		expect(contacts(first.items)[0].fields).toEqual({ LeadSource: 'Web', Title: 'T0' });

		suite.clock += 2_000;
		suite.sandbox.admin.putRecords('salesforce', 'Contact', [
			{ id: ids[1], Title: 'Changed' },
			{ id: ids[3], Title: 'Changed too' },
		]);
		const second = await poller.poll();
		// ids[3] changed too, but its lead source keeps it out.
		expect(contacts(second.items).map((x) => [x.crmId, x.fields.Title])).toEqual([
			[ids[1], 'Changed'],
		]);
		const apiCalls = contacts(second.items).reduce((sum, x) => sum + x.syncLog[0].apiCalls, 0);
		expect(apiCalls).toBeGreaterThanOrEqual(1);
		expect((await poller.poll()).output).toBeNull();
	});

	it('Leads, and a manual sample that leaves the cursor alone', async () => {
		const poller = runner({ objectType: 'Lead', options: { sampleSize: 2 } });
		plant('Lead', 3, 'Lead', () => ({ Company: 'Initech' }));
		const before = queries();
		const manual = await poller.poll({ mode: 'manual' });
		expect(contacts(manual.items)).toHaveLength(2);
		expect(contacts(manual.items)[0]).toMatchObject({ objectType: 'Lead', firstName: 'Lead0' });
		expect(queries()).toBeGreaterThan(before);
		expect(poller.staticData).toEqual({});
		expect(manual.nodeStaticData).toEqual({});

		const scheduled = await poller.poll();
		expect(contacts(scheduled.items).map((x) => x.firstName)).toEqual(['Lead0', 'Lead1', 'Lead2']);
	});

	it('offers the object’s fields, loaded live from the describe, for the Extra Fields drop-down', async () => {
		const contactFields = await runner().loadOptions('getSyncFields');
		expect(contactFields.map((option) => option.value)).toEqual(
			expect.arrayContaining(['LeadSource', 'Title', 'MobilePhone']),
		);
		expect(contactFields.find((option) => option.value === 'LeadSource')).toMatchObject({
			name: 'Lead Source',
		});
		const leadFields = await runner({ objectType: 'Lead' }).loadOptions('getSyncFields');
		expect(leadFields.map((option) => option.value)).toContain('Company');
		expect(contactFields.map((option) => option.value)).not.toContain('Company');
	});

	it('a rejected credential fails the poll with a clear error that does not contain the secret, and moves nothing', async () => {
		const poller = runner(
			{},
			{ crmSyncSalesforceClientCredentialsApi: { clientSecret: 'wrong-secret' } },
		);
		plant('Contact', 1, 'Any');
		const error = (await poller.poll().catch((caught: unknown) => caught)) as Error & {
			description?: string;
		};
		expect(error).toBeInstanceOf(Error);
		expect(error.message).toMatch(/invalid_client/);
		expect(`${error.message} ${error.description ?? ''} ${JSON.stringify(error)}`).not.toContain(
			'wrong-secret',
		);
		expect(poller.staticData).toEqual({});
	});
	it('a full import ("Everything") over several polls: every record once, progress against the CRM\'s count in the sync log, a start-over key begins again', async () => {
		await runFullImport({
			suite,
			crm: 'salesforce',
			objectType: 'Contact',
			perPoll: 200,
			pageSize: 200,
		});
	});
});
