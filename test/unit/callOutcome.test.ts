/** The pure checks of Log Call and Log Chat: outcome, recording URL, additional fields, channel, description lines. */
import fc from 'fast-check';

import {
	additionalFieldValue,
	checkRecordingUrl,
	resolveCallOutcome,
} from '../../nodes/CrmMeetingWriter/logic/callOutcome';
import { parseChatChannel } from '../../nodes/CrmMeetingWriter/logic/chatChannel';
import { callDetailLines } from '../../nodes/shared/logic/callDetailLines';
import type { FieldDescription } from '../../nodes/shared/providers/CrmProvider';

const DISPOSITIONS = [
	{ value: 'f240bbac-87c9-4f6e-bf70-924b57d47db7', label: 'Connected' },
	{ value: 'b2cf5968-551e-4856-9783-52b3da59a7d0', label: 'Left voicemail' },
];

describe('resolveCallOutcome', () => {
	const choice = { store: 'choice' } as const;
	const text = { store: 'text', field: 'CallDisposition', maxLength: 255 } as const;

	it('a choice CRM takes the id or the label (case and spacing ignored) and stores the id', () => {
		expect(resolveCallOutcome(DISPOSITIONS[1].value, choice, DISPOSITIONS, 'HubSpot')).toEqual({
			ok: true,
			value: DISPOSITIONS[1].value,
		});
		expect(resolveCallOutcome('  left   VOICEMAIL ', choice, DISPOSITIONS, 'HubSpot')).toEqual({
			ok: true,
			value: DISPOSITIONS[1].value,
		});
	});

	it('an unknown label is refused, listing the known ones; blank means no outcome', () => {
		expect(resolveCallOutcome('Voicemail full', choice, DISPOSITIONS, 'HubSpot')).toEqual({
			ok: false,
			message:
				'"Voicemail full" is not one of the HubSpot call outcomes (Connected, Left voicemail)',
		});
		expect(resolveCallOutcome(' \t', choice, [], 'HubSpot')).toEqual({
			ok: true,
			value: undefined,
		});
	});

	it('a text CRM keeps any single line up to its limit and refuses a longer one', () => {
		fc.assert(
			fc.property(fc.string({ minLength: 1, maxLength: 400 }), (raw) => {
				const result = resolveCallOutcome(raw, text, [], 'Salesforce');
				if (result.ok) {
					if (result.value !== undefined) {
						expect(result.value.length).toBeLessThanOrEqual(255);
						expect(result.value).not.toMatch(/[\n\r\t]/);
					}
				} else expect(result.message).toMatch(/Salesforce stores at most 255$/);
			}),
		);
	});
});

describe('checkRecordingUrl', () => {
	it('takes http(s) URLs and refuses anything else', () => {
		expect(checkRecordingUrl('https://rec.example/a b.mp3')).toEqual({
			ok: true,
			value: 'https://rec.example/a%20b.mp3',
		});
		expect(checkRecordingUrl('')).toEqual({ ok: true, value: undefined });
		expect(checkRecordingUrl('javascript:alert(1)')).toMatchObject({ ok: false });
		expect(checkRecordingUrl('not a url')).toMatchObject({ ok: false });
	});
});

describe('additionalFieldValue', () => {
	const fields: FieldDescription[] = [
		{
			name: 'Priority',
			label: 'Priority',
			type: 'enum',
			nativeType: 'picklist',
			readOnly: false,
			required: false,
			canBeUsedToMatch: false,
			options: [
				{ value: 'High', label: 'High' },
				{ value: 'Normal', label: 'Normal' },
			],
		},
		{
			name: 'prioritycode',
			label: 'Priority',
			type: 'enum',
			nativeType: 'Picklist',
			readOnly: false,
			required: false,
			canBeUsedToMatch: false,
			options: [{ value: '2', label: 'High' }],
		},
		{
			name: 'Minutes__c',
			label: 'Minutes',
			type: 'number',
			nativeType: 'double',
			readOnly: false,
			required: false,
			canBeUsedToMatch: false,
		},
		{
			name: 'Billable__c',
			label: 'Billable',
			type: 'boolean',
			nativeType: 'boolean',
			readOnly: false,
			required: false,
			canBeUsedToMatch: false,
		},
		{
			name: 'CallObject',
			label: 'Call Object',
			type: 'string',
			nativeType: 'string',
			readOnly: false,
			required: false,
			canBeUsedToMatch: false,
		},
		{
			name: 'IsClosed',
			label: 'Closed',
			type: 'boolean',
			nativeType: 'boolean',
			readOnly: true,
			required: false,
			canBeUsedToMatch: false,
		},
	];
	const reserved = ['CallObject'];

	it('types values as their field: choices by label or value (numbers where choices are numbers), numbers, booleans', () => {
		expect(additionalFieldValue('Priority', 'high', fields, reserved, false)).toEqual({
			ok: true,
			value: 'High',
		});
		expect(additionalFieldValue('prioritycode', 'High', fields, reserved, true)).toEqual({
			ok: true,
			value: 2,
		});
		expect(additionalFieldValue('Minutes__c', ' 12.5 ', fields, reserved, false)).toEqual({
			ok: true,
			value: 12.5,
		});
		expect(additionalFieldValue('Billable__c', 'yes', fields, reserved, false)).toEqual({
			ok: true,
			value: true,
		});
	});

	it('refuses unknown fields, the fields the node sets itself, read-only fields and values of the wrong type', () => {
		expect(additionalFieldValue('Nope__c', '1', fields, reserved, false)).toMatchObject({
			ok: false,
		});
		expect(additionalFieldValue('CallObject', 'x', fields, reserved, false)).toMatchObject({
			ok: false,
		});
		expect(additionalFieldValue('IsClosed', 'true', fields, reserved, false)).toMatchObject({
			ok: false,
		});
		expect(additionalFieldValue('Minutes__c', 'ten', fields, reserved, false)).toMatchObject({
			ok: false,
		});
		expect(additionalFieldValue('Priority', 'Urgent', fields, reserved, false)).toMatchObject({
			ok: false,
		});
	});
});

describe('parseChatChannel', () => {
	it('takes the API values and their names in any case', () => {
		expect(parseChatChannel('WHATS_APP')).toEqual({ ok: true, value: 'WHATS_APP' });
		expect(parseChatChannel('whatsapp')).toEqual({ ok: true, value: 'WHATS_APP' });
		expect(parseChatChannel('LinkedIn')).toEqual({ ok: true, value: 'LINKEDIN_MESSAGE' });
		expect(parseChatChannel('linkedin_message')).toEqual({ ok: true, value: 'LINKEDIN_MESSAGE' });
		expect(parseChatChannel('sms')).toEqual({ ok: true, value: 'SMS' });
		expect(parseChatChannel('Telegram')).toMatchObject({ ok: false });
	});
});

describe('callDetailLines', () => {
	const draft = {
		fromNumber: '+14155550000',
		toNumber: '+14155550101',
		recordingUrl: 'https://rec.example/1',
		outcome: 'Left voicemail',
	};

	it('writes the fixed lines asked for, in order', () => {
		expect(callDetailLines(draft, { numbers: true, recording: true, outcome: true })).toEqual([
			'From: +14155550000 · To: +14155550101',
			'Recording: https://rec.example/1',
			'Outcome: Left voicemail',
		]);
		expect(callDetailLines(draft, { numbers: false, recording: true, outcome: false })).toEqual([
			'Recording: https://rec.example/1',
		]);
		expect(
			callDetailLines({ toNumber: '+1' }, { numbers: true, recording: true, outcome: true }),
		).toEqual(['To: +1']);
	});

	it('every line is a single line whatever the values hold', () => {
		fc.assert(
			fc.property(fc.string(), fc.string(), (from, outcome) => {
				for (const line of callDetailLines(
					{ fromNumber: from, outcome },
					{ numbers: true, recording: true, outcome: true },
				))
					expect(line).not.toMatch(/[\n\r]/);
			}),
		);
	});
});
