/**
 * The CRM Sync Trigger's object kinds, associations and deletions, run the same way on
 * every CRM through n8n-core's poll machinery against the sandbox. A CRM suite describes
 * how its records are planted and linked in its own field names; the scenarios assert the
 * neutral output, exactly-once delivery and the calls an idle poll makes.
 */
import type { IDataObject } from 'n8n-workflow';

import type { LoggedRequest } from '../../sandbox/core/requestLog';
import { syncTriggerSuite, type SyncTriggerSuite } from './syncTriggerSetup';
import type { SandboxCrm } from './packHarness';

export interface PlantedGraph {
	company: string;
	contacts: string[];
	deal: string;
}

export interface ObjectKindsCrm {
	crm: SandboxCrm;
	objects: { contact: string; company: string; deal: string };
	/** Extra parameters of every runner (default country …). */
	parameters?: IDataObject;
	/** One company, two contacts of it and a deal of the company with both contacts, in the CRM's own terms. */
	plantGraph(suite: SyncTriggerSuite, prefix: string): PlantedGraph;
	/** The standard company and deal values the planted graph gives (neutral names). */
	expectedCompany: (prefix: string) => IDataObject;
	expectedDeal: (prefix: string) => IDataObject;
	/** Requests that are not API calls of a poll (token endpoints). */
	isTokenRequest?: (request: LoggedRequest) => boolean;
}

type Item = { json: IDataObject };
const jsonOf = (items: Item[]) => items.map((item) => item.json);

export function objectKindsScenarios(config: ObjectKindsCrm): void {
	const suite = syncTriggerSuite({ crm: config.crm, parameters: config.parameters ?? {} });
	const apiCalls = () =>
		suite.sandbox.admin
			.requests(config.crm)
			.filter((request) => !(config.isTokenRequest?.(request) ?? /token/.test(request.path)))
			.length;

	it('companies and deals arrive once, in the neutral record shape, with their associations; contacts carry their company', async () => {
		const graph = config.plantGraph(suite, 'Acme');
		const companies = suite.runner({
			objectType: config.objects.company,
			includeAssociations: true,
		});
		const deals = suite.runner({ objectType: config.objects.deal, includeAssociations: true });
		const people = suite.runner({ objectType: config.objects.contact, includeAssociations: true });

		const companyItems = jsonOf((await companies.poll()).items);
		expect(companyItems).toHaveLength(1);
		expect(companyItems[0]).toMatchObject({
			crm: config.crm,
			objectType: config.objects.company,
			kind: 'company',
			id: graph.company,
			event: 'created',
			properties: config.expectedCompany('Acme'),
			fields: {},
		});
		expect(typeof companyItems[0].updatedAt).toBe('string');

		const dealItems = jsonOf((await deals.poll()).items);
		expect(dealItems).toHaveLength(1);
		expect(dealItems[0]).toMatchObject({
			kind: 'deal',
			id: graph.deal,
			event: 'created',
			properties: config.expectedDeal('Acme'),
		});
		const dealLinks = dealItems[0].associations as { company: string[]; contact: string[] };
		expect(dealLinks.company).toEqual([graph.company]);
		expect([...dealLinks.contact].sort()).toEqual([...graph.contacts].sort());

		const personItems = jsonOf((await people.poll()).items);
		expect(personItems.map((item) => item.crmId).sort()).toEqual([...graph.contacts].sort());
		for (const person of personItems) {
			expect(person).toMatchObject({
				event: 'created',
				associations: { company: [graph.company] },
			});
			// The person shape is unchanged: phone-keyed contact fields are still there.
			expect(person).toHaveProperty('phone');
		}

		// Polled again: nothing new for any kind.
		expect((await companies.poll()).output).toBeNull();
		expect((await deals.poll()).output).toBeNull();
		expect((await people.poll()).output).toBeNull();
	});

	it('list/segment members stay a contacts-and-leads choice: a company object is refused with a clear error, before any call', async () => {
		const poller = suite.runner({
			objectType: config.objects.company,
			records: 'segment',
			segmentId: 'any-list',
		});
		await expect(poller.poll()).rejects.toThrow(
			/Members of a list\/segment are offered for contacts and leads/,
		);
		expect(apiCalls()).toBe(0);
	});

	it('an update after the first poll comes out once as updated, with the change', async () => {
		const graph = config.plantGraph(suite, 'Later');
		const deals = suite.runner({ objectType: config.objects.deal });
		expect(jsonOf((await deals.poll()).items)).toHaveLength(1);
		suite.clock += 5_000;
		suite.sandbox.admin.putRecords(config.crm, config.objects.deal, [{ id: graph.deal }]);
		const again = jsonOf((await deals.poll()).items);
		expect(again).toHaveLength(1);
		expect(again[0]).toMatchObject({ id: graph.deal, event: 'updated' });
		expect(again[0]).not.toHaveProperty('associations');
		expect((await deals.poll()).output).toBeNull();
	});

	for (const kind of ['contact', 'company', 'deal'] as const) {
		it(`a deleted ${kind} arrives once as deleted; polled again, not again; an idle poll makes one listing call and one deletion call`, async () => {
			const graph = config.plantGraph(suite, `Gone${kind}`);
			const objectType = config.objects[kind];
			const poller = suite.runner({ objectType, includeDeletions: true });
			const created = jsonOf((await poller.poll()).items);
			expect(created.length).toBeGreaterThan(0);
			expect(created.every((item) => item.event === 'created')).toBe(true);

			const victim =
				kind === 'contact' ? graph.contacts[0] : kind === 'company' ? graph.company : graph.deal;
			suite.clock += 2_000;
			expect(suite.sandbox.admin.deleteRecords(config.crm, objectType, [victim])).toBe(1);
			const deleted = jsonOf((await poller.poll()).items);
			expect(deleted).toHaveLength(1);
			expect(deleted[0]).toMatchObject({
				crm: config.crm,
				objectType,
				kind,
				id: victim,
				crmId: victim,
				event: 'deleted',
			});
			// The poll's first item also carries the CRM's daily API usage, where the CRM reports it.
			expect(
				(deleted[0].syncLog as IDataObject[]).filter((log) => log.operation !== 'daily-api-usage'),
			).toEqual([
				expect.objectContaining({ status: 'success', target: { type: objectType, id: victim } }),
			]);

			suite.sandbox.admin.clearRequests();
			expect((await poller.poll()).output).toBeNull();
			expect((await poller.poll()).output).toBeNull();
			// Two idle polls: per poll one change listing + one deletion listing.
			expect(apiCalls()).toBeLessThanOrEqual(4);
		});
	}

	it('an idle poll with associations on stays at one call per poll (associations are read only for listed records)', async () => {
		config.plantGraph(suite, 'Idle');
		const deals = suite.runner({ objectType: config.objects.deal, includeAssociations: true });
		await deals.poll();
		suite.sandbox.admin.clearRequests();
		expect((await deals.poll()).output).toBeNull();
		expect(apiCalls()).toBe(1);
	});

	it('deletions turned on later (same scope): the change cursor stays, a later deletion comes out once', async () => {
		const first = config.plantGraph(suite, 'Early');
		const poller = suite.runner({ objectType: config.objects.company });
		expect(jsonOf((await poller.poll()).items).map((item) => item.id)).toEqual([first.company]);

		poller.setParameters({ includeDeletions: true });
		suite.clock += 1_000;
		const second = config.plantGraph(suite, 'Late');
		const afterOn = jsonOf((await poller.poll()).items);
		expect(afterOn.map((item) => [item.id, item.event])).toEqual([[second.company, 'created']]);
		suite.clock += 2_000;
		suite.sandbox.admin.deleteRecords(config.crm, config.objects.company, [second.company]);
		const gone = jsonOf((await poller.poll()).items);
		expect(gone.map((item) => [item.id, item.event])).toEqual([[second.company, 'deleted']]);
		expect((await poller.poll()).output).toBeNull();
	});
}
