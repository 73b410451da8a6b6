/**
 * CRM Sync Trigger on Dynamics 365 (Dataverse Web API through n8n's authenticated request
 * helper), polled through n8n-core's real poll machinery against the local sandbox.
 * Dataverse stamps `modifiedon` to the second, so equal timestamps are the normal case.
 */
import { runFullImport } from './support/fullImportScenario';
import { contacts, syncTriggerSuite } from './support/syncTriggerSetup';

describe('CRM Sync Trigger — Dynamics 365, polled by n8n-core', () => {
	const suite = syncTriggerSuite({
		crm: 'dynamics',
		parameters: { objectType: 'contact', defaultCountry: 'GB' },
		person: (prefix, i) => ({
			firstname: `${prefix}${i}`,
			lastname: 'Test',
			emailaddress1: `${prefix.toLowerCase()}${i}@example.com`,
			mobilephone: `07700 900${String(100 + i)}`,
		}),
	});
	const { runner, plant } = suite;
	const listings = () =>
		suite.sandbox.admin
			.requests('dynamics')
			.filter((r) => /\/api\/data\/v9\.2\/(contacts|leads)$/.test(r.path)).length;

	it('seven contacts in one second across pages of three, then exactly the changed ones with the OData filter and extra fields', async () => {
		const poller = runner({
			dynamicsFilter: "jobtitle eq 'Buyer'",
			extraFields: ['jobtitle'],
			options: { pageSize: 3 },
		});
		const buyers = plant('contact', 7, 'Tie', () => ({ jobtitle: 'Buyer' }));
		const [other] = plant('contact', 1, 'Other', () => ({ jobtitle: 'Engineer' }));
		const first = await poller.poll();
		expect(
			contacts(first.items)
				.map((x) => x.crmId)
				.sort(),
		).toEqual([...buyers].sort());
		expect(listings()).toBe(3);
		// Ties are ordered by GUID, so look the first planted contact up by id.
		const tie0 = contacts(first.items).find((x) => x.crmId === buyers[0]);
		expect(tie0).toMatchObject({
			objectType: 'contact',
			phone: '+447700900100',
			firstName: 'Tie0',
			fields: { jobtitle: 'Buyer' },
		});
		// The sandbox's contact has no donotphone column: the default is dropped after the describe (null), not a failed poll.
		expect(tie0?.doNotCall).toBeNull();

		suite.clock += 3_000;
		suite.sandbox.admin.putRecords('dynamics', 'contact', [
			{ id: buyers[2], mobilephone: '07700 900999' },
			{ id: other, firstname: 'Still not a buyer' },
		]);
		const [late] = plant('contact', 1, 'Late', () => ({ jobtitle: 'Buyer' }));
		const second = await poller.poll();
		expect(
			contacts(second.items)
				.map((x) => x.crmId)
				.sort(),
		).toEqual([buyers[2], late].sort());
		expect((await poller.poll()).output).toBeNull();
	});

	it('leads, and a manual sample that leaves the cursor alone', async () => {
		const poller = runner({ objectType: 'lead', options: { sampleSize: 2 } });
		plant('lead', 3, 'Lead', () => ({ companyname: 'Contoso' }));
		const manual = await poller.poll({ mode: 'manual' });
		expect(contacts(manual.items)).toHaveLength(2);
		expect(poller.staticData).toEqual({});
		const scheduled = await poller.poll();
		expect(
			contacts(scheduled.items)
				.map((x) => x.firstName)
				.sort(),
		).toEqual(['Lead0', 'Lead1', 'Lead2']);
		expect(contacts(scheduled.items)[0].objectType).toBe('lead');
	});
	it('a full import ("Everything") over several polls: every record once, progress against the CRM\'s count in the sync log, a start-over key begins again', async () => {
		await runFullImport({
			suite,
			crm: 'dynamics',
			objectType: 'contact',
			perPoll: 10,
			pageSize: 5,
		});
	});
});
