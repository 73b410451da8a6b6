/**
 * The seed's staggered qualification against the HubSpot sandbox, through the real engine:
 * execution 1 (during the conversation) — rules gate → qualified → CRM Contact Field Merge
 * creates the contact as an open lead; execution 2 (the delayed AI review) — the gate with a
 * stub chat model downgrades → the unqualified branch updates the same CRM record.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmContactFieldMerge } from '../../nodes/CrmContactFieldMerge/CrmContactFieldMerge.node';
import { CrmQualificationGate } from '../../nodes/CrmQualificationGate/CrmQualificationGate.node';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import {
	CHAT_MODEL_NODE,
	HarnessChatModelNode,
	RecordingChatModel,
	withLanguageModel,
} from './harness/chatModelNode';
import { addSandboxCredentials, chainWorkflow, jsonOf, packHarness } from './support/packHarness';

const GATE = 'Gate';
const MERGE = 'Sync Lead';
const QUALIFIED = 0;
const UNQUALIFIED = 1;
const EMAIL = 'zoe.quinn@newco.example';

const conversation: IDataObject = {
	id: 'conv-zoe-1',
	client: { id: 'client-zoe', email: EMAIL, company: 'NewCo' },
	messages: [
		{ role: 'client', text: 'Hello, I need pricing for 30 vans.' },
		{ role: 'agent', text: 'Sure, when do you start?' },
		{ role: 'client', text: 'Next quarter.' },
	],
	score: 72,
};

const mapper = (value: IDataObject) => ({
	mappingMode: 'defineBelow',
	value,
	matchingColumns: [],
	schema: [],
	attemptToConvertTypes: false,
	convertFieldsToString: false,
});

const gateStep = (parameters: IDataObject) => ({
	name: GATE,
	packNode: 'crmQualificationGate',
	parameters: { useScore: true, minScore: 50, ...parameters },
});
const mergeStep = (fromOutput: number) => ({
	name: MERGE,
	packNode: 'crmContactFieldMerge',
	fromOutput,
	parameters: {
		crm: 'hubspot',
		hubspotAuthentication: 'privateApp',
		objectKind: 'contact',
		matchBy: 'email',
		matchValue: '={{ $json.client.email }}',
		createIfMissing: true,
		defaultMode: 'overwrite',
		fields: mapper({
			firstname: 'Zoe',
			company: '={{ $json.client.company }}',
			hs_lead_status: "={{ $json.qualification.status === 'qualified' ? 'OPEN' : 'UNQUALIFIED' }}",
		}),
	},
});

describe('Staggered qualification — rules now, AI review later, HubSpot record follows', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('creates the lead when provisionally qualified, then a downgrade updates the same record', async () => {
		const harness = packHarness({
			crmQualificationGate: new CrmQualificationGate(),
			crmContactFieldMerge: new CrmContactFieldMerge(),
			[CHAT_MODEL_NODE]: new HarnessChatModelNode(
				new RecordingChatModel({
					responses: [
						'{"verdict":"downgraded","status":"unqualified","reason":"Asked for a price list for a school project."}',
					],
				}),
			),
		});
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const zoe = () =>
			sandbox.store.list('hubspot', 'contacts').filter((c) => c.fields.email === EMAIL);

		// Execution 1: real-time rules → qualified (provisional) → contact created at once
		const now = await harness.run(
			chainWorkflow(
				[conversation],
				[gateStep({ mode: 'rules' }), mergeStep(QUALIFIED)],
				credentials,
			),
		);
		expect(now.error(MERGE)).toBeUndefined();
		expect(jsonOf(now, GATE, QUALIFIED)).toHaveLength(1);
		const [synced] = jsonOf(now, MERGE, 0);
		expect((synced.qualification as IDataObject).provisional).toBe(true);
		expect(zoe()).toHaveLength(1);
		expect(zoe()[0].fields).toMatchObject({
			firstname: 'Zoe',
			company: 'NewCo',
			hs_lead_status: 'OPEN',
		});

		// Execution 2 (24-48 h later): the AI review downgrades → unqualified branch updates the record
		const review = withLanguageModel(
			chainWorkflow(
				[synced],
				[gateStep({ mode: 'aiReview' }), mergeStep(UNQUALIFIED)],
				credentials,
			),
			GATE,
		);
		const later = await harness.run(review);
		expect(later.error(MERGE)).toBeUndefined();
		const [downgraded] = jsonOf(later, GATE, UNQUALIFIED);
		expect(downgraded.qualification).toMatchObject({
			status: 'unqualified',
			changed: true,
			review: { verdict: 'downgraded', previousStatus: 'qualified' },
		});
		expect(zoe()).toHaveLength(1);
		expect(zoe()[0].fields.hs_lead_status).toBe('UNQUALIFIED');

		const [updated] = jsonOf(later, MERGE, 0);
		const operations = (updated.syncLog as IDataObject[]).map(
			(entry) => `${entry.operation}:${entry.status}`,
		);
		expect(operations[0]).toBe('qualify:success');
		expect(operations).toContain('ai-review:skipped');
		expect(operations.at(-1)).toMatch(/^update-contact:success$/);
	});
});
