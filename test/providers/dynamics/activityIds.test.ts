import type { ActivityDraft, CrmRef } from '../../../nodes/shared/model';
import {
	ACTIVITY_ID_NAMESPACE,
	activityId,
	uuidV5,
} from '../../../nodes/shared/providers/dynamics/activityIds';

const contact: CrmRef = {
	crm: 'dynamics',
	kind: 'contact',
	objectType: 'contact',
	id: 'c0000000-0000-0000-0000-000000000001',
};
const draft = (partial: Partial<ActivityDraft>): ActivityDraft => ({
	key: 'conv-1:task:0',
	kind: 'task',
	body: '',
	targets: [contact],
	...partial,
});

describe('deterministic Dataverse activity ids', () => {
	it("uuidV5 matches RFC 4122 version 5 (the vector from Python's uuid documentation)", () => {
		expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'python.org')).toBe(
			'886313e1-3b8a-5372-9b90-0c9aee199e5d',
		);
	});

	it('is the same in every process and replay: pinned values computed independently', () => {
		expect(ACTIVITY_ID_NAMESPACE).toBe('5b0c3f61-2d7e-4c1a-9f3e-8a6d2b47c915');
		expect(activityId(draft({ kind: 'call', key: 'conv-1:call' }))).toBe(
			'658ee1e7-6b74-55b0-8451-07e8f613b954',
		);
		expect(activityId(draft({ key: 'conv-1:task:9', targets: [] }))).toBe(
			'04c396c0-5538-5761-aa4c-039da8726ccd',
		);
	});

	it('differs per table, per target and per key, and ignores the case of the target GUID', () => {
		const base = activityId(draft({}));
		expect(activityId(draft({ kind: 'call' }))).not.toBe(base);
		expect(
			activityId(draft({ targets: [{ ...contact, id: 'c0000000-0000-0000-0000-000000000002' }] })),
		).not.toBe(base);
		expect(activityId(draft({ key: 'conv-1:task:1' }))).not.toBe(base);
		expect(activityId(draft({ targets: [{ ...contact, id: contact.id.toUpperCase() }] }))).toBe(
			base,
		);
		expect(base).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});
});
