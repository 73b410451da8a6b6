/**
 * For every CRM and every text field the pack writes, on generated text: the stored value
 * is within the field's limit, the key/marker line is intact at its end (so the write stays
 * findable), nothing forbidden is left, rich-text fields are escaped HTML, and the
 * truncation marker is there exactly when the text had to be cut.
 */
import fc from 'fast-check';

import { activityKey } from '../../nodes/shared/logic/activityKeys';
import { escapeHtml, plainTextToHtml } from '../../nodes/shared/logic/html';
import {
	hasForbiddenCharacters,
	sanitizeText,
	TRUNCATION_MARKER,
} from '../../nodes/shared/logic/text';
import { AUTOCHAT_TEXT_LIMITS } from '../../nodes/shared/providers/autochat/profile';
import { DYNAMICS_TEXT_LIMITS } from '../../nodes/shared/providers/dynamics/profile';
import { HUBSPOT_TEXT_LIMITS } from '../../nodes/shared/providers/hubspot/profile';
import { SALESFORCE_TEXT_LIMITS } from '../../nodes/shared/providers/salesforce/profile';
import type { ActivityDraft, ActivityKind } from '../../nodes/shared/model';
import { activityBody as autochatActivityBody } from '../../nodes/shared/providers/autochat/activities';
import {
	activityBody as dynamicsActivityBody,
	noteKeyMarker,
} from '../../nodes/shared/providers/dynamics/activityBodies';
import { markerLine } from '../../nodes/shared/providers/hubspot/activityKey';
import { engagementProperties } from '../../nodes/shared/providers/hubspot/activityProperties';
import {
	carriesRef,
	contentNoteFields,
	eventFields,
	legacyNoteFields,
	refLine,
	taskFields,
} from '../../nodes/shared/providers/salesforce/activityRecords';
import { hasLoneSurrogate, messyText } from './support/textArbitraries';

const MARKER = TRUNCATION_MARKER.trim();
const identity = (text: string) => text;

/** What a field must hold for a body: `render(clean body) + suffix`, cut to `limit` when longer. */
interface FieldSpec {
	limit: number;
	render: (text: string) => string;
	suffix: string;
}

function expectFitted(stored: unknown, body: string, spec: FieldSpec): void {
	expect(typeof stored).toBe('string');
	const text = stored as string;
	const full = spec.render(sanitizeText(body)) + spec.suffix;
	const cut = full.length > spec.limit;
	expect(text.length).toBeLessThanOrEqual(spec.limit);
	expect(text.endsWith(spec.suffix)).toBe(true);
	expect(hasForbiddenCharacters(text)).toBe(false);
	expect(hasLoneSurrogate(text)).toBe(false);
	expect(text.includes(MARKER)).toBe(cut);
	if (!cut) expect(text).toBe(full);
}

function expectLine(stored: unknown, limit: number): void {
	expect(typeof stored).toBe('string');
	const text = stored as string;
	expect(text.length).toBeLessThanOrEqual(limit);
	expect(/[\r\n]/.test(text)).toBe(false);
	expect(hasForbiddenCharacters(text)).toBe(false);
	expect(hasLoneSurrogate(text)).toBe(false);
}

/** A body around `limit` long: well below, near, or well over it. */
const bodyAround = (limit: number) =>
	fc
		.tuple(
			messyText,
			fc.oneof(
				fc.integer({ min: 0, max: 200 }),
				fc.integer({ min: limit - 300, max: limit + 300 }),
				fc.integer({ min: limit, max: 2 * limit }),
			),
		)
		.map(([piece, length]) => {
			const unit = piece === '' ? 'x' : piece;
			return unit
				.repeat(Math.ceil(Math.max(0, length) / unit.length))
				.slice(0, Math.max(0, length));
		});

const subjectArb = fc.oneof(
	messyText,
	messyText.map((text) => `${text}\n`.repeat(150)),
);
const keyArb = fc
	.tuple(
		fc.string({ maxLength: 40 }),
		fc.constantFrom<ActivityKind>('note', 'meeting', 'task', 'call', 'chat'),
	)
	.map(([id, kind]) => ({
		kind,
		key: activityKey(id || 'c', kind, 'route-summary'),
	}));

function draftOf(kind: ActivityKind, key: string, body: string, subject: string): ActivityDraft {
	return { key, kind, body, subject, startAt: '2026-11-20T10:00:00Z', targets: [] };
}

const RUNS = { numRuns: 25 };

describe('HubSpot engagement text', () => {
	const limit = HUBSPOT_TEXT_LIMITS.propertyValue;
	const bodies = {
		note: 'hs_note_body',
		meeting: 'hs_meeting_body',
		task: 'hs_task_body',
		call: 'hs_call_body',
		chat: 'hs_communication_body',
	} as const;
	/** Communications (chats) have no title. */
	const titles = {
		meeting: 'hs_meeting_title',
		task: 'hs_task_subject',
		call: 'hs_call_title',
	} as const;

	it('bodies are escaped HTML within 65,536 characters with the marker line last (notes, tasks, chats)', () => {
		fc.assert(
			fc.property(keyArb, bodyAround(limit), subjectArb, ({ kind, key }, body, subject) => {
				const properties = engagementProperties(
					draftOf(kind, key, body, subject),
					'2026-11-20T10:00:00.000Z',
				);
				const suffix = kind === 'note' || kind === 'task' || kind === 'chat' ? markerLine(key) : '';
				expectFitted(properties[bodies[kind]], body, { limit, render: plainTextToHtml, suffix });
				if (kind !== 'note' && kind !== 'chat') expectLine(properties[titles[kind]], limit);
			}),
			RUNS,
		);
	});

	it('a 5 MB task body is stored cut, its marker intact', () => {
		const properties = engagementProperties(
			draftOf('task', 'crmsync:c1:task:x', 'x'.repeat(5_000_000), 'Follow up'),
			'2026-11-20T10:00:00.000Z',
		);
		expect(properties.hs_task_body.length).toBeLessThanOrEqual(limit);
		expect(properties.hs_task_body.endsWith(markerLine('crmsync:c1:task:x'))).toBe(true);
		expect(properties.hs_task_body).toContain(MARKER);
	});
});

describe('Dynamics 365 activity text', () => {
	it('notetext is escaped HTML within 100,000 with the key marker paragraph last; descriptions within 2,000', () => {
		fc.assert(
			fc.property(
				keyArb,
				bodyAround(DYNAMICS_TEXT_LIMITS.noteText),
				subjectArb,
				({ kind, key }, body, subject) => {
					const fields = dynamicsActivityBody(draftOf(kind, key, body, subject), 'create');
					if (kind === 'note') {
						expectFitted(fields.notetext, body, {
							limit: DYNAMICS_TEXT_LIMITS.noteText,
							render: plainTextToHtml,
							suffix: `<p>${noteKeyMarker(key)}</p>`,
						});
						expectLine(fields.subject, DYNAMICS_TEXT_LIMITS.noteSubject);
					} else {
						if (body !== '')
							expectFitted(fields.description, body, {
								limit: DYNAMICS_TEXT_LIMITS.activityDescription,
								render: plainTextToHtml,
								// A chat names its channel in a last paragraph that always survives.
								suffix: kind === 'chat' ? '<p>Channel: chat</p>' : '',
							});
						expectLine(fields.subject, DYNAMICS_TEXT_LIMITS.activitySubject);
					}
				},
			),
			RUNS,
		);
	});

	it('the note marker escapes a key that looks like markup, so the key cannot inject HTML', () => {
		const fields = dynamicsActivityBody(draftOf('note', 'k<b>"x"</b>', 'Hi', 'S'), 'create');
		expect(fields.notetext).toBe('<p>Hi</p><p>[crm-sync:k&lt;b&gt;&quot;x&quot;&lt;/b&gt;]</p>');
		expect(noteKeyMarker('crmsync:call-1:note:route-summary')).toBe(
			'[crm-sync:crmsync:call-1:note:route-summary]',
		);
	});

	it('escapes HTML and script in descriptions and notes instead of storing markup', () => {
		const note = dynamicsActivityBody(
			draftOf('note', 'k', '<script>alert(1)</script>\nline 2', 'S'),
			'create',
		);
		expect(note.notetext).toBe(
			'<p>&lt;script&gt;alert(1)&lt;/script&gt;<br>line 2</p><p>[crm-sync:k]</p>',
		);
		const task = dynamicsActivityBody(
			draftOf('task', 'k', '<img src=x onerror=alert(1)>', 'S'),
			'create',
		);
		expect(task.description).toBe('<p>&lt;img src=x onerror=alert(1)&gt;</p>');
	});
});

describe('Salesforce record text', () => {
	const L = SALESFORCE_TEXT_LIMITS;
	const contentNoteRender = (text: string) =>
		text
			.split(/\r?\n/)
			.map((line) => `<p>${escapeHtml(line)}</p>`)
			.join('');
	const blank = (body: string) => sanitizeText(body).trim() === '';

	it('Task and call Descriptions are plain text within 32,000; Subjects one line within 255', () => {
		fc.assert(
			fc.property(keyArb, bodyAround(L.description), subjectArb, ({ key }, body, subject) => {
				const fields = taskFields(draftOf('task', key, body, subject));
				expectFitted(fields.Description === undefined ? '' : fields.Description, body, {
					limit: L.description,
					render: identity,
					suffix: '',
				});
				expectLine(fields.Subject, L.subject);
			}),
			RUNS,
		);
	});

	it('Event Description and legacy Note Body keep their Ref line within 32,000', () => {
		fc.assert(
			fc.property(keyArb, bodyAround(L.description), subjectArb, ({ key }, body, subject) => {
				const draft = draftOf('meeting', key, body, subject);
				const ref = refLine(key);
				for (const stored of [
					eventFields(draft).Description,
					legacyNoteFields({ ...draft, kind: 'note' }, '003000000000001AAA').Body,
				]) {
					if (blank(body)) expect(stored).toBe(ref);
					else
						expectFitted(stored, body, {
							limit: L.description,
							render: identity,
							suffix: `\n\n${ref}`,
						});
					expect(carriesRef(stored, key)).toBe(true);
				}
				expectLine(eventFields(draft).Subject, L.subject);
				expectLine(
					legacyNoteFields({ ...draft, kind: 'note' }, '003000000000001AAA').Title,
					L.legacyNoteTitle,
				);
			}),
			RUNS,
		);
	});

	it('ContentNote Content is escaped HTML within the note cap, the Ref paragraph last', () => {
		fc.assert(
			fc.property(keyArb, bodyAround(L.contentNote), subjectArb, ({ key }, body, subject) => {
				const fields = contentNoteFields(draftOf('note', key, body, subject));
				const html = Buffer.from(String(fields.Content), 'base64').toString('utf8');
				const ref = `<p>${escapeHtml(refLine(key))}</p>`;
				if (blank(body)) expect(html).toBe(ref);
				else
					expectFitted(html, body, {
						limit: L.contentNote,
						render: contentNoteRender,
						suffix: `<p></p>${ref}`,
					});
				expectLine(fields.Title, L.contentNoteTitle);
			}),
			{ numRuns: 15 },
		);
	});
});

describe('autoch.at activity text', () => {
	it('body is plain text within the assumed 10,000, subject one line within 255', () => {
		fc.assert(
			fc.property(
				keyArb,
				bodyAround(AUTOCHAT_TEXT_LIMITS.activityBody),
				subjectArb,
				({ key }, body, subject) => {
					const sent = autochatActivityBody(
						{ ...draftOf('note', key, body, subject), kind: 'note' },
						() => '2026-11-20T10:00:00.000Z',
					);
					expectLine(sent.subject, AUTOCHAT_TEXT_LIMITS.activitySubject);
					if (sanitizeText(body).trim() === '') expect(sent.body).toBe(sent.subject);
					else
						expectFitted(sent.body, body, {
							limit: AUTOCHAT_TEXT_LIMITS.activityBody,
							render: identity,
							suffix: '',
						});
					expect(sent.external_id).toBe(key);
				},
			),
			RUNS,
		);
	});
});
