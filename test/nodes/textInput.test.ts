/**
 * Bad input and long text through the real engine, CRM Link → CRM Note Router, for every
 * CRM on the sandbox: one participant's empty email does not cost the call, a numeric id
 * is written once and replayed as skipped, and a 200,000-character summary is stored cut
 * to the CRM's field with its marker. The sandbox's stored records are the evidence.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { hasForbiddenCharacters, TRUNCATION_MARKER } from '../../nodes/shared/logic/text';
import { profileOf } from '../../nodes/shared/providers/profiles';
import type { SandboxHandle } from '../sandbox/server';
import {
	SANDBOX_AUTH,
	chainWorkflow,
	jsonOf,
	sandboxHarness,
	type SandboxCrm,
} from './support/packHarness';
import { seededSandbox } from './support/sandboxSuite';

type Notes = Array<{ status: string; id?: string; reason?: string }>;

/** Every stored note of a CRM, as its text is stored. */
const STORED_NOTES: Record<SandboxCrm, (sandbox: SandboxHandle) => string[]> = {
	hubspot: (sandbox) =>
		sandbox.store.list('hubspot', 'notes').map((note) => String(note.fields.hs_note_body)),
	salesforce: (sandbox) =>
		sandbox.store
			.list('salesforce', 'ContentNote')
			.map((note) => Buffer.from(String(note.fields.Content), 'base64').toString('utf8')),
	dynamics: (sandbox) =>
		sandbox.store.list('dynamics', 'annotation').map((note) => String(note.fields.notetext)),
	autochat: (sandbox) =>
		sandbox.store.list('autochat', 'activities').map((activity) => String(activity.fields.body)),
};

const SUMMARY = 'Agreed on the fleet expansion scope.';

const call = (id: unknown, participants: IDataObject[], summary = SUMMARY): IDataObject => ({
	id: id as string,
	startedAt: '2026-11-20T15:00:00Z',
	endedAt: '2026-11-20T15:30:00Z',
	direction: 'outbound',
	participants: [{ name: 'Rep', email: 'rep@ours.example', internal: true }, ...participants],
	summary,
});

describe.each((Object.keys(STORED_NOTES) as SandboxCrm[]).map((crm) => [crm]))(
	'bad input and long text — %s through the engine',
	(crm) => {
		const suite = seededSandbox();
		const setup = () =>
			sandboxHarness(
				{ crmLink: new CrmLink(), crmNoteRouter: new CrmNoteRouter() },
				suite.sandbox.url,
			);
		// The per-call caps are raised so an over-long summary reaches the CRM's own field limit.
		const limits = { maxSummaryLength: 300_000 };
		const steps = [
			{
				name: 'CRM Link',
				packNode: 'crmLink',
				parameters: { ...SANDBOX_AUTH[crm], objectTypes: ['contact'], limits },
			},
			{
				name: 'CRM Note Router',
				packNode: 'crmNoteRouter',
				parameters: {
					...SANDBOX_AUTH[crm],
					contentSource: 'summary',
					targetObjectTypes: ['contact'],
					limits,
				},
			},
		];
		const notesOf = (json: IDataObject) => (json.crm as IDataObject).notes as Notes;
		const stored = () => STORED_NOTES[crm](suite.sandbox);

		it("one participant with email '' and one good one: the call is linked and written, with a warning on the item", async () => {
			const { harness, credentials } = setup();
			const run = await harness.run(
				chainWorkflow(
					[
						call('text-1', [
							{ name: 'Ann', email: '' },
							{ name: 'Bob', email: 'bob.ramirez@acme.example' },
						]),
					],
					steps,
					credentials,
				),
			);

			expect(run.error('CRM Link')).toBeUndefined();
			expect(jsonOf(run, 'CRM Link', 1)).toEqual([]);
			const [out] = jsonOf(run, 'CRM Note Router');
			expect(notesOf(out).map((note) => note.status)).toEqual(['success']);
			expect((out.crm as IDataObject).warnings).toEqual([
				'participants[1] (Ann): no phone number or email address to match by',
			]);
			expect(stored()).toHaveLength(1);
			expect(stored()[0]).toContain(SUMMARY);
		});

		it('a numeric conversation id is written once; the replay is skipped and writes nothing', async () => {
			const { harness, credentials } = setup();
			const workflow = chainWorkflow(
				[call(4711, [{ name: 'Alice', phone: '+1 415 555 0101' }])],
				steps,
				credentials,
			);

			const first = await harness.run(workflow);
			expect(first.error('CRM Note Router')).toBeUndefined();
			expect(notesOf(jsonOf(first, 'CRM Note Router')[0]).map((note) => note.status)).toEqual([
				'success',
			]);
			const second = await harness.run(workflow);
			expect(notesOf(jsonOf(second, 'CRM Note Router')[0]).map((note) => note.status)).toEqual([
				'skipped',
			]);

			expect(stored()).toHaveLength(1);
			expect(stored()[0]).toContain(SUMMARY);
		});

		it('a 200,000-character summary with NUL and bidi overrides is stored clean, cut to the field with its marker', async () => {
			const { harness, credentials } = setup();
			const line = `Detail of the call${String.fromCharCode(0)} with ${String.fromCharCode(0x202e)}numbers 42.`;
			const summary = `${line}\n`.repeat(Math.ceil(200_000 / line.length));
			const run = await harness.run(
				chainWorkflow(
					[call('text-3', [{ name: 'Alice', phone: '+1 415 555 0101' }], summary)],
					steps,
					credentials,
				),
			);

			expect(run.error('CRM Note Router')).toBeUndefined();
			expect(notesOf(jsonOf(run, 'CRM Note Router')[0]).map((note) => note.status)).toEqual([
				'success',
			]);
			const [text] = stored();
			expect(stored()).toHaveLength(1);
			expect(text.length).toBeLessThanOrEqual(profileOf(crm).noteBodyLimit);
			expect(text).toContain(TRUNCATION_MARKER.trim());
			expect(text).toContain('Detail of the call with numbers 42.');
			expect(hasForbiddenCharacters(text)).toBe(false);
		});
	},
);
