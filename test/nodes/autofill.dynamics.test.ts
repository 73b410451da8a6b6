/**
 * The call-autofill nodes on Dynamics 365 through the real engine and the sandbox: notes as
 * annotations (one per target: Dataverse notes have one regarding record), tasks,
 * appointments and phone calls, all in one $batch per node, idempotent on replay.
 */
import { CrmActionItemsToTasks } from '../../nodes/CrmActionItemsToTasks/CrmActionItemsToTasks.node';
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmMeetingWriter } from '../../nodes/CrmMeetingWriter/CrmMeetingWriter.node';
import { CrmNoteRouter } from '../../nodes/CrmNoteRouter/CrmNoteRouter.node';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { DYNAMICS_SEED_IDS as DYN } from '../sandbox/vendors/dynamics/seed';
import { addSandboxCredentials, chainWorkflow, packHarness } from './support/packHarness';

const dyn = { crm: 'dynamics', dynamicsAuthentication: 'clientCredentials' };
const call = {
	id: 'dyn-1',
	startedAt: '2026-11-20T15:00:00Z',
	endedAt: '2026-11-20T15:10:00Z',
	direction: 'inbound',
	participants: [{ phone: '+1 415 555 0101' }, { email: 'bob.ramirez@acme.example' }],
	summary: 'Support call.',
	actionItems: [{ text: 'Send the fix' }, { text: 'Check back Friday' }],
};

describe('call autofill — Dynamics 365 through the engine', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('notes (one annotation per contact), tasks, an appointment and a phone call; a replay writes nothing new', async () => {
		const harness = packHarness({
			crmLink: new CrmLink(),
			crmNoteRouter: new CrmNoteRouter(),
			crmActionItemsToTasks: new CrmActionItemsToTasks(),
			crmMeetingWriter: new CrmMeetingWriter(),
		});
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const workflow = chainWorkflow(
			[call],
			[
				{
					name: 'Link',
					packNode: 'crmLink',
					parameters: { ...dyn, objectTypes: ['contact', 'company', 'deal'] },
				},
				{
					name: 'Notes',
					packNode: 'crmNoteRouter',
					parameters: { ...dyn, targetObjectTypes: ['contact'], routing: 'oneType' },
				},
				{
					name: 'Tasks',
					packNode: 'crmActionItemsToTasks',
					parameters: {
						...dyn,
						targetObjectTypes: ['deal', 'contact'],
						timezone: 'UTC',
						dueBusinessDays: 1,
						taskPriority: 'low',
					},
				},
				{
					name: 'Meeting',
					packNode: 'crmMeetingWriter',
					parameters: {
						...dyn,
						operation: 'writeMeeting',
						targetObjectTypes: ['contact'],
						meetingWriteMode: 'alwaysCreate',
					},
				},
				{
					name: 'Log',
					packNode: 'crmMeetingWriter',
					parameters: { ...dyn, operation: 'logCall', targetObjectTypes: ['contact'] },
				},
			],
			credentials,
		);
		const before = {
			notes: sandbox.store.list('dynamics', 'annotation').length,
			tasks: sandbox.store.list('dynamics', 'task').length,
		};
		sandbox.admin.clearRequests();
		const run = await harness.run(workflow);
		for (const node of ['Notes', 'Tasks', 'Meeting', 'Log'])
			expect(run.error(node)).toBeUndefined();

		const notes = sandbox.store.list('dynamics', 'annotation').slice(before.notes);
		expect(notes.map((n) => n.fields._objectid_value).sort()).toEqual(
			[DYN.contacts.alice, DYN.contacts.bob].sort(),
		);
		expect(sandbox.store.list('dynamics', 'task').length - before.tasks).toBe(2);
		expect(sandbox.store.list('dynamics', 'appointment')).toHaveLength(1);
		const phonecalls = sandbox.store.list('dynamics', 'phonecall');
		expect(phonecalls).toHaveLength(1);
		expect(phonecalls[0].fields).toMatchObject({ directioncode: false, actualdurationminutes: 10 });
		// each writer node sent its activities in one $batch
		const batches = sandbox.admin.requests('dynamics').filter((r) => r.path.endsWith('/$batch'));
		expect(batches.length).toBeLessThanOrEqual(7);

		await harness.run(workflow);
		expect(sandbox.store.list('dynamics', 'annotation').length - before.notes).toBe(2);
		expect(sandbox.store.list('dynamics', 'phonecall')).toHaveLength(1);
	});
});
