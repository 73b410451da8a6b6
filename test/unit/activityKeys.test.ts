import fc from 'fast-check';

import { actionItemSlot, activityKey, processedEntry } from '../../nodes/shared/logic/activityKeys';
import { decideMeetingWrite } from '../../nodes/shared/logic/meetingWriteMode';

describe('activity keys', () => {
	it('are readable for simple ids and stable', () => {
		expect(activityKey('call-1', 'note', 'summary')).toBe('crmsync:call-1:note:summary');
		expect(activityKey('call-1', 'note', 'summary')).toBe(activityKey('call-1', 'note', 'summary'));
		expect(processedEntry('hubspot', 'crmsync:call-1:note:summary', '42')).toBe(
			'hubspot|crmsync:call-1:note:summary|42',
		);
	});

	it('hash unsafe or long ids into a short key that still differs per input', () => {
		fc.assert(
			fc.property(
				fc.string({ minLength: 1, maxLength: 400 }),
				fc.string({ minLength: 1, maxLength: 400 }),
				(a, b) => {
					const ka = activityKey(a, 'call', 'log');
					expect(ka.length).toBeLessThanOrEqual(255);
					expect(ka).toMatch(/^[\w:.@+-]+$/);
					if (a !== b) expect(ka).not.toBe(activityKey(b, 'call', 'log'));
				},
			),
		);
	});

	it('identify an action item by its normalised text', () => {
		expect(actionItemSlot('Send  the proposal ')).toBe(actionItemSlot('send the proposal'));
		expect(actionItemSlot('Send proposal')).not.toBe(actionItemSlot('Book demo'));
	});
});

describe('meeting write mode', () => {
	it('follows the three documented modes', () => {
		expect(decideMeetingWrite('alwaysCreate', 'm1')).toEqual({ action: 'create' });
		expect(decideMeetingWrite('updateIfExists', 'm1')).toEqual({ action: 'update', id: 'm1' });
		expect(decideMeetingWrite('updateIfExists', undefined)).toEqual({ action: 'create' });
		expect(decideMeetingWrite('updateOnly', 'm1')).toEqual({ action: 'update', id: 'm1' });
		expect(decideMeetingWrite('updateOnly', undefined)).toMatchObject({ action: 'skip' });
	});
});
