import fc from 'fast-check';

import {
	planAssociationWrites,
	type AssociatedRecord,
	type AssociationFacts,
} from '../../nodes/CrmRecordSync/logic/associationPlan';
import { DYNAMICS_PROFILE } from '../../nodes/shared/providers/dynamics/profile';
import { HUBSPOT_PROFILE } from '../../nodes/shared/providers/hubspot/profile';
import { SALESFORCE_PROFILE } from '../../nodes/shared/providers/salesforce/profile';
import type { AssociationStore } from '../../nodes/shared/providers/profile';

const facts = (over: Partial<AssociationFacts>): AssociationFacts => ({
	crmName: 'HubSpot',
	objectType: 'deals',
	action: 'create',
	stores: HUBSPOT_PROFILE.associationWrites.deal,
	current: {},
	...over,
});

describe('Record Sync association plan', () => {
	it('HubSpot deal: company and contacts through the association API; unresolved ones reported', () => {
		const plan = planAssociationWrites(
			{
				company: [{ sourceId: 'A1', targetId: '11' }],
				contact: [{ sourceId: 'C1', targetId: '21' }, { sourceId: 'C2' }],
			},
			facts({}),
		);
		expect(plan.apiLinks).toEqual([
			{ kind: 'company', id: '11' },
			{ kind: 'contact', id: '21' },
		]);
		expect(plan.lookups).toEqual([]);
		expect(plan.entries.map((e) => e.status)).toEqual(['linked', 'linked', 'unresolved']);
		expect(plan.entries[2].reason).toMatch(/no counterpart in HubSpot yet/);
	});

	it('an association the target record has already is not written again', () => {
		const plan = planAssociationWrites(
			{
				company: [{ sourceId: 'A1', targetId: '11' }],
				contact: [{ sourceId: 'C1', targetId: '21' }],
			},
			facts({ action: 'update', current: { company: ['11'], contact: ['21', '22'] } }),
		);
		expect(plan.apiLinks).toEqual([]);
		expect(plan.entries.map((e) => e.status)).toEqual(['unchanged', 'unchanged']);
	});

	it('Dynamics 365 opportunity: account as parent account and potential customer, one contact lookup', () => {
		const plan = planAssociationWrites(
			{
				company: [{ sourceId: 'A1', targetId: 'acc-1' }],
				contact: [
					{ sourceId: 'C1', targetId: 'con-1' },
					{ sourceId: 'C2', targetId: 'con-2' },
				],
			},
			facts({
				crmName: 'Dynamics 365',
				objectType: 'opportunity',
				stores: DYNAMICS_PROFILE.associationWrites.deal,
			}),
		);
		expect(plan.lookups).toEqual([
			{ field: 'parentaccountid', kind: 'company', id: 'acc-1' },
			{ field: 'customerid_account', kind: 'company', id: 'acc-1' },
			{ field: 'parentcontactid', kind: 'contact', id: 'con-1' },
		]);
		expect(plan.entries[2]).toMatchObject({ status: 'unsupported', targetId: 'con-2' });
		expect(plan.entries[2].reason).toMatch(/holds one contact: con-1 is kept/);
	});

	it('Salesforce: contact roles only with a new opportunity; a Lead keeps no company', () => {
		const sf = SALESFORCE_PROFILE.associationWrites;
		const created = planAssociationWrites(
			{ contact: [{ sourceId: 'C1', targetId: '003A' }] },
			facts({ crmName: 'Salesforce', objectType: 'Opportunity', stores: sf.deal }),
		);
		expect(created.junctions).toEqual([{ kind: 'contact', id: '003A' }]);
		const updated = planAssociationWrites(
			{ contact: [{ sourceId: 'C1', targetId: '003A' }] },
			facts({
				crmName: 'Salesforce',
				objectType: 'Opportunity',
				stores: sf.deal,
				action: 'update',
			}),
		);
		expect(updated.junctions).toEqual([]);
		expect(updated.entries[0].status).toBe('unchanged');
		// With the Opportunity's current contact roles read: the missing one is added.
		const read = planAssociationWrites(
			{
				contact: [
					{ sourceId: 'C1', targetId: '003A' },
					{ sourceId: 'C2', targetId: '003B' },
				],
			},
			facts({
				crmName: 'Salesforce',
				objectType: 'Opportunity',
				stores: sf.deal,
				action: 'update',
				current: { contact: ['003B'] },
			}),
		);
		expect(read.junctions).toEqual([{ kind: 'contact', id: '003A' }]);
		expect(read.entries.map((e) => e.status)).toEqual(['linked', 'unchanged']);
		const lead = planAssociationWrites(
			{ company: [{ sourceId: 'A1', targetId: '001A' }] },
			facts({ crmName: 'Salesforce', objectType: 'Lead', stores: {} }),
		);
		expect(lead.entries[0].status).toBe('unsupported');
		expect(lead.lookups).toEqual([]);
	});

	const store = fc.constantFrom<AssociationStore>(
		{ via: 'api' },
		{ via: 'lookup', fields: ['f1', 'f2'], readField: 'r' },
		{ via: 'junction', objectType: 'J', recordField: 'a', associatedField: 'b' },
	);
	const record = fc.record(
		{
			sourceId: fc.string({ minLength: 1, maxLength: 3 }),
			targetId: fc.constantFrom('t1', 't2', 't3'),
		},
		{ requiredKeys: ['sourceId'] },
	);
	const lists = fc.record({
		company: fc.array(record, { maxLength: 4 }),
		contact: fc.array(record, { maxLength: 4 }),
	});
	const current = fc.record({
		company: fc.subarray(['t1', 't2', 't3']),
		contact: fc.subarray(['t1', 't2', 't3']),
	});

	it('property: one entry per associated record; nothing written twice or again; a lookup takes one record', () => {
		fc.assert(
			fc.property(
				lists,
				current,
				store,
				store,
				fc.constantFrom<'create' | 'update'>('create', 'update'),
				(associated, now, companyStore, contactStore, action) => {
					const plan = planAssociationWrites(
						associated as Record<'company' | 'contact', AssociatedRecord[]>,
						facts({
							action,
							current: now,
							stores: { company: companyStore, contact: contactStore },
						}),
					);
					expect(plan.entries).toHaveLength(associated.company.length + associated.contact.length);
					for (const kind of ['company', 'contact'] as const) {
						const written = [
							...plan.apiLinks.filter((l) => l.kind === kind).map((l) => l.id),
							...plan.junctions.filter((l) => l.kind === kind).map((l) => l.id),
							...new Set(plan.lookups.filter((l) => l.kind === kind).map((l) => l.id)),
						];
						expect(new Set(written).size).toBe(written.length);
						for (const id of written) expect(now[kind]).not.toContain(id);
						expect(
							new Set(plan.lookups.filter((l) => l.kind === kind).map((l) => l.id)).size,
						).toBeLessThanOrEqual(1);
						const entries = plan.entries.filter((e) => e.kind === kind);
						entries.forEach((entry, i) => {
							const given = associated[kind][i];
							expect(entry.sourceId).toBe(given.sourceId);
							expect(entry.status === 'unresolved').toBe(given.targetId === undefined);
						});
						expect(entries.filter((e) => e.status === 'linked')).toHaveLength(written.length);
					}
				},
			),
		);
	});
});
