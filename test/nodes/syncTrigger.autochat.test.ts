/**
 * CRM Sync Trigger on autoch.at CRM clients, polled through n8n-core's real poll machinery
 * against the local sandbox (`GET /clients?updated_since=…&cursor=…`, ≤ 100 per page).
 */
import { contacts as clients, syncTriggerSuite } from './support/syncTriggerSetup';

describe('CRM Sync Trigger — autoch.at CRM, polled by n8n-core', () => {
	const suite = syncTriggerSuite({
		crm: 'autochat',
		parameters: { objectType: 'client', defaultCountry: 'DE' },
		sandbox: { rateLimits: { autochat: false } },
	});
	const { runner } = suite;

	it('pages through equal timestamps, then returns only the clients changed since, keyed by E.164 phone', async () => {
		const poller = runner({ options: { pageSize: 4 }, extraFields: ['company'] });
		const planted = suite.sandbox.admin.putRecords(
			'autochat',
			'clients',
			Array.from({ length: 10 }, (_, i) => ({
				name: `Kunde ${i} Beispiel`,
				phone: `030 1234${String(100 + i)}`,
				company: 'Muster GmbH',
			})),
		);
		const first = clients((await poller.poll()).items);
		expect(new Set(first.map((c) => c.crmId))).toEqual(new Set(planted.map((r) => r.id)));
		expect(first).toHaveLength(10);
		expect(
			suite.sandbox.admin.requests('autochat').filter((r) => r.path === '/autochat/v1/clients'),
		).toHaveLength(3);
		expect(first.find((c) => c.crmId === planted[0].id)).toMatchObject({
			firstName: 'Kunde',
			lastName: '0 Beispiel',
			phone: '+49301234100',
			doNotCall: null,
			fields: { company: 'Muster GmbH' },
		});

		suite.clock += 1_000;
		suite.sandbox.admin.putRecords('autochat', 'clients', [
			{ id: planted[4].id, phone: 'unknown' },
		]);
		const second = clients((await poller.poll()).items);
		expect(second.map((c) => c.crmId)).toEqual([planted[4].id]);
		expect(second[0].phone).toBeNull();
		expect(second[0].phoneReason).toMatch(/contains letters/);
		expect((await poller.poll()).output).toBeNull();
	});
});
