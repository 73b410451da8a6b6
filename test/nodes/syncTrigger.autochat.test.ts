/**
 * CRM Sync Trigger on autoch.at CRM clients, polled through n8n-core's real poll machinery
 * against the local sandbox (`GET /clients?updated_since=…&cursor=…`, ≤ 100 per page).
 */
import type { IDataObject, INode } from 'n8n-workflow';

import { CrmSyncTrigger } from '../../nodes/CrmSyncTrigger/CrmSyncTrigger.node';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { PollRunner } from './harness/runPoll';
import { PACK, addSandboxCredentials, packHarness } from './support/packHarness';

type Client = { crmId: string; phone: string | null; phoneReason?: string; firstName: string | null; lastName: string | null; doNotCall: boolean | null; fields: Record<string, unknown> };

describe('CRM Sync Trigger — autoch.at CRM, polled by n8n-core', () => {
	let sandbox: SandboxHandle;
	let clock = Date.now();

	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0, now: () => clock, rateLimits: { autochat: false } });
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(() => {
		clock = Date.now() - 60_000;
		sandbox.admin.reset();
		sandbox.admin.clearRequests();
	});

	function runner(parameters: IDataObject = {}): PollRunner {
		const harness = packHarness({ crmSyncTrigger: new CrmSyncTrigger() });
		const node: INode = {
			id: 'sync-trigger-ac',
			name: 'CRM Sync Trigger',
			type: `${PACK}.crmSyncTrigger`,
			typeVersion: 1,
			position: [0, 0],
			parameters: { crm: 'autochat', autochatAuthentication: 'apiKey', objectType: 'client', defaultCountry: 'DE', ...parameters },
			credentials: addSandboxCredentials(harness, sandbox.url),
		};
		return new PollRunner(harness.credentials, `${PACK}.crmSyncTrigger`, new CrmSyncTrigger(), node);
	}

	const clients = (items: Array<{ json: IDataObject }>) => items.map((item) => item.json as unknown as Client);

	it('pages through equal timestamps, then returns only the clients changed since, keyed by E.164 phone', async () => {
		const poller = runner({ options: { pageSize: 4 }, extraFields: ['company'] });
		const planted = sandbox.admin.putRecords(
			'autochat',
			'clients',
			Array.from({ length: 10 }, (_, i) => ({ name: `Kunde ${i} Beispiel`, phone: `030 1234${String(100 + i)}`, company: 'Muster GmbH' })),
		);
		const first = clients((await poller.poll()).items);
		expect(new Set(first.map((c) => c.crmId))).toEqual(new Set(planted.map((r) => r.id)));
		expect(first).toHaveLength(10);
		expect(sandbox.admin.requests('autochat').filter((r) => r.path === '/autochat/v1/clients')).toHaveLength(3);
		expect(first.find((c) => c.crmId === planted[0].id)).toMatchObject({
			firstName: 'Kunde',
			lastName: '0 Beispiel',
			phone: '+49301234100',
			doNotCall: null,
			fields: { company: 'Muster GmbH' },
		});

		clock += 1_000;
		sandbox.admin.putRecords('autochat', 'clients', [{ id: planted[4].id, phone: 'unknown' }]);
		const second = clients((await poller.poll()).items);
		expect(second.map((c) => c.crmId)).toEqual([planted[4].id]);
		expect(second[0].phone).toBeNull();
		expect(second[0].phoneReason).toMatch(/contains letters/);
		expect((await poller.poll()).output).toBeNull();
	});
});
