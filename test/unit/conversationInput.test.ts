/**
 * Reading a processed call: bad values of one participant never fail the call, numeric ids
 * become text, every input text is sanitised, and truly invalid items still fail naming the
 * field.
 */
import fc from 'fast-check';

import { hasKeys, linkKeysFor } from '../../nodes/shared/logic/linkKeys';
import { hasForbiddenCharacters } from '../../nodes/shared/logic/text';
import { ConversationSchema, describeIssues } from '../../nodes/shared/model';
import { messyText, NUL, RLO } from './support/textArbitraries';

const ALL_KEYS = { usePhones: true, useEmails: true, useDomains: true };

const call = (overrides: Record<string, unknown> = {}) => ({
	id: 'call-1',
	startedAt: '2026-11-20T15:00:00Z',
	participants: [
		{ name: 'Rep', email: 'rep@ours.example', internal: true },
		{ name: 'Ann', email: '' },
		{ name: 'Bob', email: 'bob.ramirez@acme.example' },
	],
	...overrides,
});

describe('ConversationSchema', () => {
	it('reads an empty or blank participant email as absent', () => {
		for (const email of ['', '   ', '\t\n', null]) {
			const parsed = ConversationSchema.parse(call({ participants: [{ name: 'Ann', email }] }));
			expect(parsed.participants[0].email).toBeUndefined();
		}
	});

	it('keeps a malformed participant email for CRM Link to report instead of rejecting the call', () => {
		const parsed = ConversationSchema.parse(
			call({ participants: [{ name: 'Ann', email: 'ann at acme' }, { phone: '' }] }),
		);
		expect(parsed.participants[0].email).toBe('ann at acme');
		expect(parsed.participants[1].phone).toBeUndefined();
	});

	it('turns a numeric id (and numeric phones) into text', () => {
		const parsed = ConversationSchema.parse(
			call({ id: 12345, participants: [{ phone: 4155550101 }] }),
		);
		expect(parsed.id).toBe('12345');
		expect(parsed.participants[0].phone).toBe('4155550101');
	});

	it('still fails a truly invalid item and names the field', () => {
		for (const [bad, field] of [
			[{ startedAt: undefined }, 'startedAt'],
			[{ id: '' }, 'id'],
			[{ id: '  ' }, 'id'],
			[{ id: Number.NaN }, 'id'],
			[{ participants: [] }, 'participants'],
		] as const) {
			const result = ConversationSchema.safeParse(call(bad));
			expect(result.success).toBe(false);
			if (!result.success) expect(describeIssues(result.error)).toMatch(new RegExp(`^${field}`));
		}
	});

	it('sanitises every text of the call as it is read', () => {
		const parsed = ConversationSchema.parse(
			call({
				id: `call${NUL}-7`,
				participants: [
					{ name: `Ann${RLO}`, email: `ann${NUL}@acme.example`, phone: `+1 415 555 0101${NUL}` },
				],
				summary: `Budget ${RLO}approved${NUL}`,
				actionItems: [{ text: `Send${NUL} proposal`, ownerEmail: '' }],
				dealInsights: [{ label: `Bud${RLO}get`, value: `ok${NUL}` }],
			}),
		);
		expect(parsed.id).toBe('call-7');
		expect(parsed.participants[0]).toMatchObject({
			name: 'Ann',
			email: 'ann@acme.example',
			phone: '+1 415 555 0101',
		});
		expect(parsed.summary).toBe('Budget approved');
		expect(parsed.actionItems[0]).toEqual({ text: 'Send proposal' });
		expect(parsed.dealInsights).toEqual([{ label: 'Budget', value: 'ok' }]);
	});

	it('property: whatever text a participant carries, the call parses and holds no forbidden character', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ name: messyText, email: messyText, phone: messyText }), {
					minLength: 1,
					maxLength: 4,
				}),
				messyText,
				(participants, summary) => {
					const parsed = ConversationSchema.parse(call({ participants, summary }));
					const texts = [
						parsed.summary ?? '',
						...parsed.participants.flatMap((p) => [p.name ?? '', p.email ?? '', p.phone ?? '']),
					];
					expect(texts.some(hasForbiddenCharacters)).toBe(false);
				},
			),
			{ numRuns: 200 },
		);
	});
});

describe('linkKeysFor', () => {
	it("one participant with email '' and one good one: the good one matches, the other gets a warning", () => {
		const { participants } = ConversationSchema.parse(call());
		const { query, warnings } = linkKeysFor(participants, ALL_KEYS);
		expect(query.emails).toEqual(['bob.ramirez@acme.example']);
		expect(query.domains).toEqual(['acme.example']);
		expect(warnings).toEqual([
			'participants[1] (Ann): no phone number or email address to match by',
		]);
	});

	it('reports each malformed value per participant and field, and keeps the usable ones', () => {
		const { participants } = ConversationSchema.parse(
			call({
				participants: [
					{ name: 'Ann', email: 'ann at acme', phone: '+1 415 555 0101' },
					{ name: 'Cy', phone: 'call me' },
					{ name: 'Di', email: 'di@globex.example' },
				],
			}),
		);
		const { query, warnings } = linkKeysFor(participants, ALL_KEYS);
		expect(query.phones).toEqual(['+14155550101']);
		expect(query.emails).toEqual(['di@globex.example']);
		expect(warnings).toHaveLength(2);
		expect(warnings[0]).toMatch(
			/^participants\[0\] \(Ann\)\.email: "ann at acme" is not a usable email address/,
		);
		expect(warnings[1]).toMatch(/^participants\[1\] \(Cy\)\.phone: /);
	});

	it('never warns about internal participants, and has no keys when nobody external is usable', () => {
		const { participants } = ConversationSchema.parse(
			call({
				participants: [
					{ name: 'Rep', email: '', internal: true },
					{ name: 'Ann', email: ' ' },
				],
			}),
		);
		const { query, warnings } = linkKeysFor(participants, ALL_KEYS);
		expect(hasKeys(query)).toBe(false);
		expect(warnings).toEqual([
			'participants[1] (Ann): no phone number or email address to match by',
		]);
	});

	it('property: any participant values give keys or warnings, never an exception, and no forbidden character', () => {
		fc.assert(
			fc.property(
				fc.array(fc.record({ name: messyText, email: messyText, phone: messyText }), {
					maxLength: 5,
				}),
				(raw) => {
					const participants = raw.map((p) => ({ ...p, internal: false }));
					const { query, warnings } = linkKeysFor(participants, ALL_KEYS);
					expect(
						[...query.phones, ...query.emails, ...query.domains, ...warnings].some(
							hasForbiddenCharacters,
						),
					).toBe(false);
				},
			),
			{ numRuns: 200 },
		);
	});
});
