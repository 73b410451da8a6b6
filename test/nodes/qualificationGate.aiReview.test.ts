/**
 * CRM Qualification Gate, AI Review mode, through n8n's real engine with a real LangChain
 * chat model (FakeListChatModel) connected as the ai_languageModel sub-node: the staggered
 * flow (rules now, review later) confirming, upgrading and downgrading, sticky clients,
 * a review skipped (status kept) without a model, and a clear failure for an unreadable answer.
 */
import type { IDataObject } from 'n8n-workflow';

import {
	CHAT_MODEL_NODE,
	HarnessChatModelNode,
	RecordingChatModel,
	withLanguageModel,
} from './harness/chatModelNode';
import type { EngineHarness } from './harness/runWorkflow';
import {
	ERROR,
	GATE,
	PENDING,
	QUALIFIED,
	UNQUALIFIED,
	conversationBuilder,
	gateHarness,
	gateWorkflow,
	q,
} from './support/gateSetup';
import { jsonOf } from './support/packHarness';

const conversation = conversationBuilder({
	client: (clientId) => ({
		id: clientId,
		name: 'Ana Ruiz',
		email: `${clientId}@acme.example`,
		company: 'Acme',
	}),
	messages: [
		{ role: 'client', text: 'We run 40 vans and need route planning.' },
		{ role: 'agent', text: 'Happy to help. Budget?' },
		{ role: 'client', text: 'Approved for Q1, send pricing.' },
	],
	score: 75,
});

const answer = (status: string, reason: string, verdict?: string) =>
	JSON.stringify({ ...(verdict ? { verdict } : {}), status, reason });

describe('CRM Qualification Gate — AI review with a connected chat model', () => {
	const modelNode = new HarnessChatModelNode();
	/** Every model the review runs of a test were given (one per run), in order. */
	let models: RecordingChatModel[] = [];
	const prompts = () => models.flatMap((model) => model.prompts);
	const setup = () => gateHarness({ [CHAT_MODEL_NODE]: modelNode });
	const rulesRun = (harness: EngineHarness, items: IDataObject[], parameters: IDataObject = {}) =>
		harness.run(
			gateWorkflow({ mode: 'rules', useScore: true, minScore: 50, ...parameters }, items),
		);
	const reviewRun = (
		harness: EngineHarness,
		items: IDataObject[],
		responses: string[] | undefined,
		parameters: IDataObject = {},
	) => {
		const workflow = gateWorkflow(
			{ mode: 'aiReview', useScore: true, minScore: 50, ...parameters },
			items,
			{ onError: 'continueErrorOutput' },
		);
		if (!responses) return harness.run(workflow);
		const model = new RecordingChatModel({ responses });
		models.push(model);
		modelNode.model = model;
		return harness.run(withLanguageModel(workflow, GATE));
	};

	beforeEach(() => {
		models = [];
		modelNode.model = undefined;
	});

	it('staggered: provisional now, the review later confirms — final, same output', async () => {
		const harness = setup();
		const now = await rulesRun(harness, [conversation('a')]);
		const [provisional] = jsonOf(now, GATE, QUALIFIED);
		expect(q(provisional)).toMatchObject({
			status: 'qualified',
			provisional: true,
			firstQualified: true,
		});

		const later = await reviewRun(
			harness,
			[provisional],
			[answer('qualified', 'Budget approved and a clear need.', 'confirmed')],
		);
		expect(later.error(GATE)).toBeUndefined();
		const [reviewed] = jsonOf(later, GATE, QUALIFIED);
		expect(q(reviewed)).toMatchObject({
			status: 'qualified',
			provisional: false,
			mode: 'aiReview',
			changed: false,
			decidedBy: { kind: 'aiReview' },
			review: {
				verdict: 'confirmed',
				previousStatus: 'qualified',
				status: 'qualified',
				reason: 'Budget approved and a clear need.',
			},
		});
		expect(later.output(GATE)[QUALIFIED][0].pairedItem).toEqual({ item: 0 });
		expect(
			(reviewed.syncLog as IDataObject[]).map((entry) => [entry.operation, entry.status]),
		).toEqual([
			['qualify', 'success'],
			['ai-review', 'success'],
		]);
	});

	it('the model sees the whole conversation, the contact, the score and the current status', async () => {
		const harness = setup();
		await reviewRun(
			harness,
			[conversation('a', { qualification: { conversationStatus: 'pending' } })],
			[answer('pending', 'Too early.')],
			{
				reviewInstructions: 'Fleets over 10 vans only.',
			},
		);
		expect(prompts()).toHaveLength(1);
		const [system, human] = prompts()[0];
		expect(system).toMatch(/^system: /);
		expect(system).toContain('The lead is currently "pending"');
		expect(system).toContain('Team guidance: Fleets over 10 vans only.');
		expect(human).toContain('client: We run 40 vans and need route planning.');
		expect(human).toContain('client: Approved for Q1, send pricing.');
		expect(human).toContain('Contact: name: Ana Ruiz; email: a@acme.example; company: Acme');
		expect(human).toContain('Score: 75');
	});

	it('upgrades an unqualified lead the rules missed: qualified output, changed', async () => {
		const harness = setup();
		const now = await rulesRun(harness, [conversation('b', { score: 30 })]);
		const [unqualified] = jsonOf(now, GATE, UNQUALIFIED);
		expect(q(unqualified).status).toBe('unqualified');

		const later = await reviewRun(
			harness,
			[unqualified],
			[
				'Looking closer, they are ready to buy.\n```json\n{"verdict":"upgraded","status":"qualified","reason":"Explicit budget and timeline."}\n```',
			],
		);
		const [upgraded] = jsonOf(later, GATE, QUALIFIED);
		expect(q(upgraded)).toMatchObject({
			status: 'qualified',
			changed: true,
			firstQualified: true,
			review: { verdict: 'upgraded', previousStatus: 'unqualified' },
		});
	});

	it('downgrades a provisional lead: unqualified output, and the client is no longer remembered as qualified', async () => {
		const harness = setup();
		const [provisional] = jsonOf(await rulesRun(harness, [conversation('c')]), GATE, QUALIFIED);

		const later = await reviewRun(
			harness,
			[provisional],
			[answer('unqualified', 'A student project, no budget.', 'downgraded')],
		);
		const [downgraded] = jsonOf(later, GATE, UNQUALIFIED);
		expect(q(downgraded)).toMatchObject({
			status: 'unqualified',
			sticky: false,
			changed: true,
			review: { verdict: 'downgraded', previousStatus: 'qualified' },
		});
		expect((downgraded.syncLog as IDataObject[]).at(-1)).toMatchObject({
			operation: 'ai-review',
			status: 'skipped',
		});

		// a later unqualified conversation of the same client is not sticky any more
		const next = await rulesRun(harness, [conversation('c', { id: 'conv-c-2', score: 10 })]);
		expect(jsonOf(next, GATE, UNQUALIFIED)).toHaveLength(1);
	});

	it('a downgrade keeps the client syncable when another conversation qualified it (sticky)', async () => {
		const harness = setup();
		// conversation 1 qualifies the client; conversation 2 qualifies too (not the first)
		await rulesRun(harness, [conversation('d')]);
		const [second] = jsonOf(
			await rulesRun(harness, [conversation('d', { id: 'conv-d-2' })]),
			GATE,
			QUALIFIED,
		);
		expect(q(second).firstQualified).toBe(false);

		const later = await reviewRun(
			harness,
			[second],
			[answer('unqualified', 'Only asked about jobs.')],
		);
		const [kept] = jsonOf(later, GATE, QUALIFIED);
		expect(q(kept)).toMatchObject({
			status: 'qualified',
			conversationStatus: 'unqualified',
			sticky: true,
			review: { verdict: 'downgraded' },
		});
	});

	it('one model answer per item, in order; a pending review goes to the pending output', async () => {
		const harness = setup();
		const later = await reviewRun(
			harness,
			[
				conversation('e', { qualification: { conversationStatus: 'qualified' } }),
				conversation('f', { qualification: { conversationStatus: 'qualified' } }),
			],
			[answer('qualified', 'Fine.'), answer('pending', 'Needs another call.')],
		);
		expect(jsonOf(later, GATE, QUALIFIED).map((j) => j.id)).toEqual(['conv-e']);
		expect(q(jsonOf(later, GATE, PENDING)[0])).toMatchObject({
			review: { verdict: 'downgraded', status: 'pending' },
		});
		expect(prompts()).toHaveLength(2);
	});

	it('an unreadable answer fails that item with the reason; the others are reviewed', async () => {
		const harness = setup();
		const later = await reviewRun(
			harness,
			[conversation('g'), conversation('h')],
			['I would say this lead looks promising!', answer('qualified', 'ok')],
		);
		const errors = later.output(GATE)[ERROR];
		expect(errors.map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(errors[0].json.error).toBe('Item 0: the AI review answer could not be read');
		expect(errors[0].error?.description).toContain('no JSON object with a status or verdict');
		expect(jsonOf(later, GATE, QUALIFIED).map((j) => j.id)).toEqual(['conv-h']);
	});

	it('without a connected model the review is skipped: each item keeps its status (provisional stays provisional), logged with the reason', async () => {
		const harness = setup();
		const [provisional] = jsonOf(await rulesRun(harness, [conversation('i')]), GATE, QUALIFIED);
		const [cold] = jsonOf(
			await rulesRun(harness, [conversation('j', { score: 10 })]),
			GATE,
			UNQUALIFIED,
		);
		const later = await reviewRun(harness, [provisional, cold], undefined);
		expect(later.output(GATE)[ERROR]).toEqual([]);
		const [kept] = jsonOf(later, GATE, QUALIFIED);
		const [stillCold] = jsonOf(later, GATE, UNQUALIFIED);
		expect(q(kept)).toMatchObject({
			status: 'qualified',
			provisional: true,
			changed: false,
			mode: 'aiReview',
			review: { skipped: true },
		});
		expect(q(stillCold)).toMatchObject({
			status: 'unqualified',
			changed: false,
			review: { skipped: true },
		});
		expect(q(kept).reason).toContain('no chat model is connected');
		const last = (kept.syncLog as IDataObject[]).at(-1);
		expect(last).toMatchObject({ operation: 'ai-review', status: 'skipped' });
		expect(String(last?.reason)).toContain('no chat model is connected');
		expect(later.output(GATE)[QUALIFIED].map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
	});
});
