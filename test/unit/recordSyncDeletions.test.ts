/** CRM Record Sync's deletion decisions: only through the stored link, echoes of its own deletes, one delete per counterpart. */
import fc from 'fast-check';

import { parseLinkRow } from '../../nodes/CrmRecordSync/links';
import {
	DELETION_MARKS,
	DELETION_MODES,
	decideDeletion,
	planDeletes,
	type DeletionDecision,
	type DeletionLink,
	type DeletionTarget,
} from '../../nodes/CrmRecordSync/logic/deletions';

const SALESFORCE: DeletionTarget = {
	crm: 'salesforce',
	displayName: 'Salesforce',
	canDelete: true,
	deletionNote: 'Salesforce: to the Recycle Bin',
	objectTypes: ['Contact', 'Lead'],
};
const AUTOCHAT: DeletionTarget = {
	crm: 'autochat',
	displayName: 'autoch.at CRM',
	canDelete: false,
	deletionNote: 'autoch.at CRM: its API has no way to delete a client',
	objectTypes: ['client'],
};

const link = (extra: Partial<DeletionLink> = {}): DeletionLink => ({
	counterpartCrm: 'salesforce',
	counterpartObjectType: 'Lead',
	counterpartId: '00Q5g0000000001AAA',
	...extra,
});

const linkArb: fc.Arbitrary<DeletionLink | undefined> = fc.option(
	fc.record(
		{
			counterpartCrm: fc.constantFrom('salesforce', 'hubspot', 'dynamics', 'autochat'),
			counterpartObjectType: fc.constantFrom('Lead', 'Contact', 'contact', 'client', 'account'),
			counterpartId: fc.string({ minLength: 1, maxLength: 6 }),
			deleted: fc.constantFrom(...DELETION_MARKS),
			deletedAt: fc.constant('2026-06-01T10:00:00.000Z'),
		},
		{ requiredKeys: ['counterpartCrm', 'counterpartObjectType', 'counterpartId'] },
	),
	{ nil: undefined },
);
const targetArb = fc.constantFrom(SALESFORCE, AUTOCHAT, {
	...SALESFORCE,
	crm: 'dynamics',
	displayName: 'Dynamics 365',
	objectTypes: ['contact', 'lead'],
});
const modeArb = fc.constantFrom(...DELETION_MODES);

describe('decideDeletion', () => {
	it('deletes exactly the linked counterpart, and only with a link to the target, "propagate" and a target that can delete', () => {
		fc.assert(
			fc.property(modeArb, linkArb, targetArb, (mode, stored, target) => {
				const decision = decideDeletion(mode, stored, target);
				if (decision.action !== 'delete') return;
				expect(mode).toBe('propagate');
				expect(target.canDelete).toBe(true);
				expect(stored?.counterpartCrm).toBe(target.crm);
				expect(stored?.deleted).toBeUndefined();
				expect(target.objectTypes).toContain(stored?.counterpartObjectType);
				expect(decision).toEqual({
					action: 'delete',
					objectType: stored?.counterpartObjectType,
					id: stored?.counterpartId,
				});
			}),
		);
	});

	it('a record the sync deleted itself is always an echo, whatever the mode; nothing else is', () => {
		fc.assert(
			fc.property(modeArb, linkArb, targetArb, (mode, stored, target) => {
				const decision = decideDeletion(mode, stored, target);
				expect(decision.action === 'echo').toBe(stored?.deleted === 'sync');
			}),
		);
	});

	it('without a link nothing is deleted: the reason says the counterpart is found only through the link', () => {
		expect(decideDeletion('propagate', undefined, SALESFORCE)).toEqual({
			action: 'skip',
			reason:
				'no stored link to a Salesforce record: a deletion is propagated only to the counterpart the sync linked, never to a record found by email or domain',
		});
		// A link to another CRM is no link to this target.
		expect(
			decideDeletion('propagate', link({ counterpartCrm: 'dynamics' }), SALESFORCE).action,
		).toBe('skip');
	});

	it('"Don\'t Sync Deletions" keeps the counterpart and says so', () => {
		expect(decideDeletion('ignore', link(), SALESFORCE)).toEqual({
			action: 'skip',
			reason:
				'deleted in the source; Deletions is set to "Don\'t Sync Deletions", so the Salesforce record is kept',
		});
	});

	it('a target whose API cannot delete gets its profile note as the reason', () => {
		expect(decideDeletion('propagate', link({ counterpartCrm: 'autochat' }), AUTOCHAT)).toEqual({
			action: 'skip',
			reason: AUTOCHAT.deletionNote,
		});
	});

	it('a link to an object this sync does not write (a stray row naming an Account for people) is not followed', () => {
		expect(
			decideDeletion('propagate', link({ counterpartObjectType: 'Account' }), SALESFORCE),
		).toEqual({
			action: 'skip',
			reason:
				'the stored link names a Salesforce Account, not one of the objects this sync writes (Contact, Lead): nothing deleted',
		});
	});

	it('a deletion already propagated is not sent again', () => {
		const decision = decideDeletion(
			'propagate',
			link({ deleted: 'source', deletedAt: '2026-06-01T10:00:00.000Z' }),
			SALESFORCE,
		);
		expect(decision).toEqual({
			action: 'done',
			reason:
				'the deletion was already propagated (2026-06-01T10:00:00.000Z): the Salesforce Lead 00Q5g0000000001AAA is deleted',
		});
	});
});

describe('planDeletes', () => {
	const decisionArb: fc.Arbitrary<DeletionDecision> = fc.oneof(
		fc.record({
			action: fc.constant('delete' as const),
			objectType: fc.constantFrom('Lead', 'Contact'),
			id: fc.constantFrom('a', 'b', 'c', 'd'),
		}),
		fc.constant({ action: 'skip' as const, reason: 'no link' }),
		fc.constant({ action: 'echo' as const, reason: 'echo' }),
	);

	it('every counterpart to delete is in its object type once; every other deleting item shares an earlier one', () => {
		fc.assert(
			fc.property(fc.array(decisionArb, { maxLength: 30 }), (decisions) => {
				const items = decisions.map((decision, item) => ({ item, decision }));
				const plan = planDeletes(items);
				const deleting = items.filter(({ decision }) => decision.action === 'delete');
				const wanted = new Set(
					deleting.map(({ decision }) =>
						decision.action === 'delete' ? `${decision.objectType}/${decision.id}` : '',
					),
				);
				const planned = [...plan.byObjectType].flatMap(([type, ids]) =>
					ids.map((id) => `${type}/${id}`),
				);
				expect(planned).toHaveLength(wanted.size);
				expect(new Set(planned)).toEqual(wanted);
				expect(plan.sharedWith.size).toBe(deleting.length - wanted.size);
				for (const [item, owner] of plan.sharedWith) {
					expect(owner).toBeLessThan(item);
					expect(items[owner].decision).toEqual(items[item].decision);
				}
			}),
		);
	});
});

describe('stored link rows carry the deletion mark', () => {
	const row = {
		crm: 'hubspot',
		objectType: 'contacts',
		recordId: '101',
		counterpartCrm: 'salesforce',
		counterpartObjectType: 'Lead',
		counterpartId: '00Q5g0000000001AAA',
		fingerprint: '',
		origin: 'read',
		syncedAt: '2026-06-01T10:00:00.000Z',
	};

	it('reads `source` and `sync` with their time, as an object or its JSON text', () => {
		for (const mark of DELETION_MARKS) {
			const stored = { ...row, deleted: mark, deletedAt: '2026-06-02T10:00:00.000Z' };
			for (const raw of [stored, JSON.stringify(stored), [stored]])
				expect(parseLinkRow(raw)).toEqual({
					ok: true,
					row: expect.objectContaining({
						key: 'hubspot:contacts:101',
						deleted: mark,
						deletedAt: '2026-06-02T10:00:00.000Z',
					}),
				});
		}
	});

	it('anything else (a row from before deletions, an empty Data Table cell, a stray value) is no mark', () => {
		for (const deleted of [undefined, null, '', 'yes', true, 1])
			expect(parseLinkRow({ ...row, deleted })).toEqual({
				ok: true,
				row: expect.objectContaining({ deleted: '', deletedAt: '' }),
			});
	});
});
