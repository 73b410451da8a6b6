import fc from 'fast-check';

import { draftDigest } from '../../../nodes/shared/logic/draftDigest';
import type { ActivityDraft } from '../../../nodes/shared/model';

const base: ActivityDraft = {
	key: 'crmsync:c1:note:summary',
	kind: 'note',
	subject: 'Call outbound 2026-11-20',
	body: 'Agreed on scope.',
	startAt: '2026-11-20T15:00:00Z',
	targets: [{ crm: 'hubspot', kind: 'contact', objectType: 'contacts', id: '1' }],
};

describe('draftDigest', () => {
	it('depends on what the activity says, not on where it goes or the order of its fields', () => {
		const reordered = {
			targets: [],
			body: base.body,
			subject: base.subject,
			startAt: base.startAt,
			kind: base.kind,
			key: 'other-key',
		} as ActivityDraft;
		expect(draftDigest(reordered)).toBe(draftDigest(base));
		expect(draftDigest({ ...base, body: 'Corrected.' })).not.toBe(draftDigest(base));
		expect(draftDigest({ ...base, dueAt: '2026-11-24' })).not.toBe(draftDigest(base));
	});

	it('gives different content different digests (no collisions over generated bodies)', () => {
		fc.assert(
			fc.property(fc.string(), fc.string(), (a, b) => {
				fc.pre(a !== b);
				expect(draftDigest({ ...base, body: a })).not.toBe(draftDigest({ ...base, body: b }));
			}),
		);
	});
});
