import fc from 'fast-check';

import type { QualificationStatus } from '../../nodes/CrmQualificationGate/logic/qualification';
import {
	clientStates,
	effectiveStatus,
	qualifiedElsewhere,
	type JudgedConversation,
} from '../../nodes/CrmQualificationGate/logic/stickyQualification';

const conversation = (overrides: Partial<JudgedConversation>): JudgedConversation => ({
	clientId: 'c1',
	status: 'unqualified',
	firstQualified: false,
	...overrides,
});

describe('clientStates — one batch, per client', () => {
	it('a client qualifies now when any of its conversations does', () => {
		const states = clientStates([
			conversation({ clientId: 'a', status: 'unqualified' }),
			conversation({ clientId: 'a', status: 'qualified' }),
			conversation({ clientId: 'b', status: 'pending' }),
		]);
		expect(states.get('a')).toEqual({ qualifiedNow: true, retract: false });
		expect(states.get('b')).toEqual({ qualifiedNow: false, retract: false });
	});

	it('retracts only when the review downgrades the very conversation that first qualified the client', () => {
		const own = conversation({
			status: 'unqualified',
			reviewVerdict: 'downgraded',
			firstQualified: true,
		});
		expect(clientStates([own]).get('c1')?.retract).toBe(true);
		// Another conversation created the qualification, or the platform says the client qualified elsewhere: kept.
		expect(clientStates([{ ...own, firstQualified: false }]).get('c1')?.retract).toBe(false);
		expect(clientStates([{ ...own, priorStatus: 'qualified' }]).get('c1')?.retract).toBe(false);
		expect(clientStates([{ ...own, reviewVerdict: 'confirmed' }]).get('c1')?.retract).toBe(false);
	});
});

describe('qualifiedElsewhere + effectiveStatus — sticky qualification', () => {
	it('an unqualified conversation stays qualified when the platform, the memory or another item of the batch qualified the client', () => {
		const late = conversation({ status: 'unqualified' });
		const none = clientStates([late]);
		expect(qualifiedElsewhere(late, none, false)).toBe(false);
		expect(qualifiedElsewhere({ ...late, priorStatus: 'qualified' }, none, false)).toBe(true);
		expect(qualifiedElsewhere(late, none, true)).toBe(true);
		const batch = [late, conversation({ status: 'qualified' })];
		expect(qualifiedElsewhere(late, clientStates(batch), false)).toBe(true);
		expect(effectiveStatus('unqualified', true)).toEqual({ status: 'qualified', sticky: true });
	});

	it('property: a qualified conversation is never sticky, and nothing qualified anywhere is never qualified', () => {
		const status = fc.constantFrom<QualificationStatus>('qualified', 'unqualified', 'pending');
		fc.assert(
			fc.property(
				fc.array(
					fc.record({
						clientId: fc.constantFrom('a', 'b', 'c'),
						status,
						firstQualified: fc.boolean(),
					}),
					{ maxLength: 12 },
				),
				(batch) => {
					const clients = clientStates(batch);
					for (const item of batch) {
						const effective = effectiveStatus(
							item.status,
							qualifiedElsewhere(item, clients, false),
						);
						if (item.status === 'qualified')
							expect(effective).toEqual({ status: 'qualified', sticky: false });
						const anyQualified = batch.some(
							(other) => other.clientId === item.clientId && other.status === 'qualified',
						);
						if (!anyQualified) expect(effective).toEqual({ status: item.status, sticky: false });
					}
				},
			),
			{ numRuns: 300 },
		);
	});
});
