/**
 * Log Chat through the real engine and the sandbox, on every CRM that stores a chat: a HubSpot
 * communication (channel, logged from CRM, body, time, associated), a Salesforce completed
 * Task, a Dynamics 365 task. Each is written once under 10 concurrent deliveries and under a
 * lost answer followed by a retry (0 duplicates, 0 lost), asserted on the sandbox's records;
 * a bad channel fails its item; autoch.at CRM, which stores no chats, is refused.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { CrmMeetingWriter } from '../../nodes/CrmMeetingWriter/CrmMeetingWriter.node';
import { DYNAMICS_SEED_IDS } from '../sandbox/vendors/dynamics/seed';
import { HUBSPOT_SEED_IDS } from '../sandbox/vendors/hubspot';
import { SALESFORCE_SEED_IDS } from '../sandbox/vendors/salesforce';
import type { StoredRecord } from '../sandbox/core/store';
import {
	SANDBOX_AUTH,
	chainWorkflow,
	jsonOf,
	sandboxHarness,
	type ChainStep,
	type SandboxCredentials,
} from './support/packHarness';
import type { EngineHarness } from './harness/runWorkflow';
import { seededSandbox } from './support/sandboxSuite';

type ChatCrm = 'hubspot' | 'salesforce' | 'dynamics';

const chat = (id: string, summary = 'Asked for the renewal quote on WhatsApp.') => ({
	id,
	startedAt: '2026-11-20T09:00:00Z',
	endedAt: '2026-11-20T09:20:00Z',
	direction: 'inbound',
	participants: [
		{ name: 'Rep', email: 'rep@ours.example', internal: true },
		{ name: 'Alice', phone: '+1 415 555 0101' },
	],
	summary,
});

/** Where each CRM keeps a chat, how to find one conversation's, and the fault aimed at its create. */
const CRMS: Record<
	ChatCrm,
	{
		alice: string;
		records: (list: (vendor: string, type: string) => StoredRecord[]) => StoredRecord[];
		ofChat: (record: StoredRecord, id: string) => boolean;
		createPath: string;
	}
> = {
	hubspot: {
		alice: HUBSPOT_SEED_IDS.contacts.alice,
		records: (list) => list('hubspot', 'communications'),
		ofChat: (record, id) => String(record.fields.hs_communication_body).includes(`chat ${id}.`),
		createPath: 'communications/batch/create',
	},
	salesforce: {
		alice: SALESFORCE_SEED_IDS.contacts.alice,
		records: (list) => list('salesforce', 'Task'),
		ofChat: (record, id) => String(record.fields.CallObject).includes(`:${id}:chat:`),
		createPath: 'composite/sobjects',
	},
	dynamics: {
		alice: DYNAMICS_SEED_IDS.contacts.alice,
		records: (list) => list('dynamics', 'task'),
		ofChat: (record, id) => String(record.fields.subcategory).includes(`:${id}:chat:`),
		createPath: '$batch',
	},
};

const writer = (crm: string, parameters: IDataObject = {}): ChainStep => ({
	name: 'Writer',
	packNode: 'crmMeetingWriter',
	parameters: {
		...SANDBOX_AUTH[crm as ChatCrm],
		operation: 'logChat',
		contentSource: 'summary',
		targetObjectTypes: ['contact'],
		chatChannel: 'WHATS_APP',
		...parameters,
	},
	settings: { onError: 'continueErrorOutput' },
});

const chatResults = (run: Parameters<typeof jsonOf>[0]) =>
	((jsonOf(run, 'Writer')[0]?.crm as IDataObject | undefined)?.chats as IDataObject[]) ?? [];

describe('Log Chat', () => {
	const suite = seededSandbox();
	const setup = () =>
		sandboxHarness(
			{ crmLink: new CrmLink(), crmMeetingWriter: new CrmMeetingWriter() },
			suite.sandbox.url,
		);
	const list = (vendor: string, type: string) =>
		suite.sandbox.store.list(vendor as Parameters<typeof suite.sandbox.store.list>[0], type);

	/** The chat as CRM Link hands it on, so the writer's first create is the one a fault is aimed at. */
	async function linked(
		crm: ChatCrm,
		harness: EngineHarness,
		credentials: SandboxCredentials,
		id: string,
	): Promise<IDataObject> {
		const link: ChainStep = {
			name: 'CRM Link',
			packNode: 'crmLink',
			parameters: { ...SANDBOX_AUTH[crm], objectTypes: ['contact'] },
		};
		const run = await harness.run(
			chainWorkflow([chat(id, `Renewal quote, chat ${id}.`)], [link], credentials),
		);
		const [item] = jsonOf(run, 'CRM Link');
		const contacts = ((item.crm as IDataObject).matches as { contact: Array<{ id: string }> })
			.contact;
		expect(contacts.map((c) => c.id)).toEqual([CRMS[crm].alice]);
		suite.sandbox.admin.clearRequests();
		return item;
	}

	it('HubSpot: a communication with channel, logged from CRM, body and time, associated with the contact', async () => {
		const { harness, credentials } = setup();
		const item = await linked('hubspot', harness, credentials, 'hs-1');
		const run = await harness.run(
			chainWorkflow([item], [writer('hubspot', { chatChannel: 'SMS' })], credentials),
		);
		expect(chatResults(run)).toMatchObject([{ status: 'success', created: true }]);
		const [record] = CRMS.hubspot.records(list).filter((r) => CRMS.hubspot.ofChat(r, 'hs-1'));
		expect(record.fields).toMatchObject({
			hs_communication_channel_type: 'SMS',
			hs_communication_logged_from: 'CRM',
			hs_timestamp: '2026-11-20T09:00:00.000Z',
		});
		const links = suite.sandbox.store.linksFrom('hubspot', 'communications', record.id, 'contacts');
		expect(links.map((link) => [link.toId, link.typeId])).toEqual([[CRMS.hubspot.alice, 81]]);
		const log = jsonOf(run, 'Writer')[0].syncLog as IDataObject[];
		expect(log.at(-1)).toMatchObject({ operation: 'log-chat', status: 'success' });
	});

	it('Salesforce: a completed Task of subtype Task, linked as Name, the channel as its last line', async () => {
		const { harness, credentials } = setup();
		const item = await linked('salesforce', harness, credentials, 'sf-1');
		const run = await harness.run(
			chainWorkflow(
				[item],
				[writer('salesforce', { chatChannel: '={{ "linkedin" }}' })],
				credentials,
			),
		);
		expect(chatResults(run)).toMatchObject([{ status: 'success' }]);
		const [task] = CRMS.salesforce.records(list).filter((r) => CRMS.salesforce.ofChat(r, 'sf-1'));
		expect(task.fields).toMatchObject({
			TaskSubtype: 'Task',
			Status: 'Completed',
			ActivityDate: '2026-11-20',
			WhoId: CRMS.salesforce.alice,
			Subject: expect.stringMatching(/^LinkedIn chat/),
		});
		expect(String(task.fields.Description).split('\n').at(-1)).toBe('Channel: LinkedIn');
	});

	it('Dynamics 365: a task regarding the contact, 100 % complete, with the channel line', async () => {
		const { harness, credentials } = setup();
		const item = await linked('dynamics', harness, credentials, 'dy-1');
		const run = await harness.run(chainWorkflow([item], [writer('dynamics')], credentials));
		expect(chatResults(run)).toMatchObject([{ status: 'success' }]);
		const [task] = CRMS.dynamics.records(list).filter((r) => CRMS.dynamics.ofChat(r, 'dy-1'));
		expect(task.fields).toMatchObject({
			percentcomplete: 100,
			_regardingobjectid_value: CRMS.dynamics.alice,
			actualstart: '2026-11-20T09:00:00Z',
		});
		expect(String(task.fields.description)).toMatch(/<p>Channel: WhatsApp<\/p>$/);
	});

	describe.each(Object.keys(CRMS) as ChatCrm[])('written once — %s', (crm) => {
		const chatsOf = (id: string) => CRMS[crm].records(list).filter((r) => CRMS[crm].ofChat(r, id));

		it('10 concurrent deliveries of the same chat: one record', async () => {
			const { harness, credentials } = setup();
			const item = await linked(crm, harness, credentials, `${crm}-conc`);
			const workflow = chainWorkflow([item], [writer(crm)], credentials);
			const runs = await Promise.all(Array.from({ length: 10 }, () => harness.run(workflow)));
			for (const run of runs) expect(run.error('Writer')).toBeUndefined();
			expect(chatsOf(`${crm}-conc`)).toHaveLength(1);
			const statuses = runs.map((run) => chatResults(run)[0]?.status);
			expect(statuses.filter((status) => status === 'success')).toHaveLength(1);
			expect(statuses.filter((status) => status === 'skipped')).toHaveLength(9);
		});

		it('the answer of the create is lost after the CRM stored it, then a retry: one record, none lost', async () => {
			const { harness, credentials } = setup();
			const id = `${crm}-lost`;
			const item = await linked(crm, harness, credentials, id);
			suite.sandbox.admin.addFault({
				vendor: crm,
				pathPattern: CRMS[crm].createPath,
				method: 'POST',
				kind: 'dropAnswer',
				status: 500,
				count: 1,
			});
			const workflow = chainWorkflow([item], [writer(crm)], credentials);
			const first = await harness.run(workflow);
			expect(first.error('Writer')).toBeUndefined();
			const faulted = suite.sandbox.admin
				.requests(crm)
				.filter((request) => request.method === 'POST' && request.status === 500);
			expect(faulted).toHaveLength(1);
			const retry = await harness.run(workflow);
			expect(retry.error('Writer')).toBeUndefined();
			expect(chatsOf(id)).toHaveLength(1);
			expect(chatResults(retry)[0]).toMatchObject({ status: 'skipped' });
		});
	});

	it('an unknown channel fails its item, naming the item and field; the other chat is logged', async () => {
		const { harness, credentials } = setup();
		const first = await linked('hubspot', harness, credentials, 'hs-ch-ok');
		const second = await linked('hubspot', harness, credentials, 'hs-ch-bad');
		const run = await harness.run(
			chainWorkflow(
				[
					{ ...first, channel: 'whatsapp' },
					{ ...second, channel: 'Telegram' },
				],
				[writer('hubspot', { chatChannel: '={{ $json.channel }}' })],
				credentials,
			),
		);
		const errors = (run.output('Writer')[1] ?? []).map((i) => i.json);
		expect(errors).toHaveLength(1);
		expect(String(errors[0].error)).toBe(
			'Item 1: field "Channel": "Telegram" is not a chat channel (WhatsApp, LinkedIn, SMS)',
		);
		expect(errors[0].details).toMatchObject({ kind: 'invalid-input', field: 'Channel', item: 1 });
		expect(
			CRMS.hubspot.records(list).filter((r) => CRMS.hubspot.ofChat(r, 'hs-ch-ok')),
		).toHaveLength(1);
		expect(
			CRMS.hubspot.records(list).filter((r) => CRMS.hubspot.ofChat(r, 'hs-ch-bad')),
		).toHaveLength(0);
	});

	it('autoch.at CRM stores no chats: the node says so and writes nothing', async () => {
		const { harness, credentials } = setup();
		const run = await harness.run(
			chainWorkflow([chat('ac-1')], [{ ...writer('autochat'), settings: {} }], credentials),
		);
		expect(String(run.error('Writer')?.message)).toMatch(
			/autoch\.at CRM has no place for a chat log/,
		);
	});
});
