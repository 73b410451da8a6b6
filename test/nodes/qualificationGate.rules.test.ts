/**
 * CRM Qualification Gate, Rules mode, through n8n's real engine: routing to the three
 * outputs, each criterion, the priority order, sticky qualification (input and n8n's
 * processed-items store), sync logs, paired items and the error output.
 */
import type { IDataObject } from 'n8n-workflow';

import type { EngineHarness } from './harness/runWorkflow';
import {
	ERROR,
	GATE,
	PENDING,
	QUALIFIED,
	UNQUALIFIED,
	gateHarness,
	gateWorkflow,
	messageCountRules,
	pricingConversation,
	q,
} from './support/gateSetup';
import { jsonOf } from './support/packHarness';

const conversation = pricingConversation;

const rules = messageCountRules;

describe('CRM Qualification Gate — rules through the engine', () => {
	const run = (
		harness: EngineHarness,
		parameters: IDataObject,
		items: IDataObject[],
		onError?: 'continueErrorOutput',
	) => harness.run(gateWorkflow(parameters, items, onError ? { onError } : {}));

	it('routes qualified / unqualified / pending to their outputs with paired items, decision and sync logs', async () => {
		const harness = gateHarness();
		const result = await run(
			harness,
			rules({ useScore: true, minScore: 50, syncLogCrms: ['hubspot', 'salesforce'] }),
			[
				conversation('a'),
				conversation('b', { score: 20 }),
				conversation('c', { messages: [{ text: 'hello' }] }),
			],
		);
		expect(result.error(GATE)).toBeUndefined();
		const outputs = result.output(GATE);
		expect(outputs.map((items) => items.map((item) => item.pairedItem))).toEqual([
			[{ item: 0 }],
			[{ item: 1 }],
			[{ item: 2 }],
		]);

		const [qualified] = jsonOf(result, GATE, QUALIFIED);
		expect(q(qualified)).toMatchObject({
			status: 'qualified',
			provisional: true,
			sticky: false,
			firstQualified: true,
			decidedBy: { kind: 'score', label: 'Minimum score' },
		});
		expect(qualified.syncLog).toEqual([
			expect.objectContaining({
				crm: 'hubspot',
				operation: 'qualify',
				status: 'success',
				target: { type: 'client', id: 'a' },
				apiCalls: 0,
			}),
			expect.objectContaining({ crm: 'salesforce', operation: 'qualify', status: 'success' }),
		]);
		expect(qualified.client).toEqual(conversation('a').client);

		const [unqualified] = jsonOf(result, GATE, UNQUALIFIED);
		expect(q(unqualified)).toMatchObject({
			status: 'unqualified',
			provisional: false,
			decidedBy: { kind: 'score' },
			reason: 'Minimum score: score 20 is below the minimum of 50',
		});
		expect((unqualified.syncLog as IDataObject[])[0]).toMatchObject({
			status: 'skipped',
			reason: 'unqualified: Minimum score: score 20 is below the minimum of 50',
		});

		const [pending] = jsonOf(result, GATE, PENDING);
		expect(q(pending)).toMatchObject({
			status: 'pending',
			decidedBy: { kind: 'messageCount' },
			reason: 'Minimum message count: only 1 of 3 messages so far',
		});
		expect((pending.syncLog as IDataObject[])[0]).toMatchObject({ status: 'pending' });
	});

	it('appends to the sync log earlier nodes left on the item', async () => {
		const earlier = {
			at: '2026-11-21T10:00:00.000Z',
			crm: 'hubspot',
			operation: 'link',
			status: 'success',
			apiCalls: 1,
		};
		const result = await run(gateHarness(), rules(), [conversation('a', { syncLog: [earlier] })]);
		const [item] = jsonOf(result, GATE, QUALIFIED);
		expect(item.syncLog).toEqual([earlier, expect.objectContaining({ operation: 'qualify' })]);
	});

	it('required keywords: any vs all, whole words in any case, in messages, text and summary', async () => {
		const harness = gateHarness();
		const items = [
			conversation('a', { summary: 'Customer asked about PRICING.' }),
			conversation('b', {
				messages: [{ text: 'repricing is our topic' }, { text: 'x' }, { text: 'y' }],
			}),
			conversation('c', { text: 'They want a free   trial and pricing' }),
		];
		const any = await run(
			harness,
			rules({ useKeywords: true, keywords: 'pricing, free trial', keywordMode: 'any' }),
			items,
		);
		expect(jsonOf(any, GATE, QUALIFIED).map((j) => (j.client as IDataObject).id)).toEqual([
			'a',
			'c',
		]);
		expect(q(jsonOf(any, GATE, UNQUALIFIED)[0]).decidedBy?.kind).toBe('keywords');

		// a fresh harness: client a qualified above and would stay qualified (sticky)
		const all = await run(
			gateHarness(),
			rules({ useKeywords: true, keywords: 'pricing, demo, free trial', keywordMode: 'all' }),
			items,
		);
		expect(jsonOf(all, GATE, QUALIFIED).map((j) => (j.client as IDataObject).id)).toEqual(['c']);
		expect(q(jsonOf(all, GATE, UNQUALIFIED)[0]).reason).toBe(
			'Required keywords: missing required keyword "free trial"',
		);
	});

	it('minimum message count: messageCount field, pending while open, unqualified once ended', async () => {
		const result = await run(gateHarness(), rules({ minMessages: 5 }), [
			conversation('a', { messages: undefined, messageCount: 5 }),
			conversation('b', { messages: undefined, messageCount: 2 }),
			conversation('c', { messages: undefined, messageCount: 2, ended: true }),
		]);
		expect(jsonOf(result, GATE, QUALIFIED).map((j) => (j.client as IDataObject).id)).toEqual(['a']);
		expect(jsonOf(result, GATE, PENDING).map((j) => (j.client as IDataObject).id)).toEqual(['b']);
		expect(q(jsonOf(result, GATE, UNQUALIFIED)[0]).reason).toBe(
			'Minimum message count: the conversation ended with 2 of the 5 messages required',
		);
	});

	it('required contact fields: names the missing ones', async () => {
		const result = await run(
			gateHarness(),
			rules({ useContactFields: true, contactFields: ['email', 'phone', 'company'] }),
			[
				conversation('a'),
				conversation('b', { client: { id: 'b', email: 'b@x.example', phone: null } }),
			],
		);
		expect(jsonOf(result, GATE, QUALIFIED)).toHaveLength(1);
		expect(q(jsonOf(result, GATE, UNQUALIFIED)[0]).reason).toBe(
			'Required contact fields: missing contact fields: phone, company',
		);
	});

	it('minimum score: pending while the conversation has no score yet', async () => {
		const result = await run(
			gateHarness(),
			rules({ useMessageCount: false, useScore: true, minScore: 60 }),
			[conversation('a', { score: null })],
		);
		expect(q(jsonOf(result, GATE, PENDING)[0])).toMatchObject({
			decidedBy: { kind: 'score' },
			reason: 'Minimum score: no score has been computed yet',
		});
	});

	it('priority order: the highest-priority criterion that is not met decides', async () => {
		const item = conversation('a', { messages: [{ text: 'hi' }], score: 10 });
		const harness = gateHarness();
		const countFirst = await run(
			harness,
			rules({ messageCountPriority: 40, useScore: true, minScore: 50, scorePriority: 10 }),
			[item],
		);
		expect(q(jsonOf(countFirst, GATE, PENDING)[0]).decidedBy).toEqual({
			kind: 'messageCount',
			label: 'Minimum message count',
			priority: 40,
		});
		const scoreFirst = await run(
			harness,
			rules({ messageCountPriority: 5, useScore: true, minScore: 50, scorePriority: 90 }),
			[item],
		);
		expect(q(jsonOf(scoreFirst, GATE, UNQUALIFIED)[0]).decidedBy).toEqual({
			kind: 'score',
			label: 'Minimum score',
			priority: 90,
		});
		expect(q(jsonOf(scoreFirst, GATE, UNQUALIFIED)[0]).checks).toHaveLength(1);
	});

	it('sticky from the input: priorStatus "qualified" keeps an unqualified conversation syncable', async () => {
		const result = await run(gateHarness(), rules({ useScore: true, minScore: 50 }), [
			conversation('a', { score: 10, priorStatus: 'qualified' }),
			conversation('b', { score: 10, priorStatus: 'unqualified' }),
		]);
		const [sticky] = jsonOf(result, GATE, QUALIFIED);
		expect(q(sticky)).toMatchObject({
			status: 'qualified',
			conversationStatus: 'unqualified',
			sticky: true,
			provisional: false,
		});
		expect(q(sticky).reason).toContain(
			'the client stays qualified from an earlier qualified conversation',
		);
		expect((sticky.syncLog as IDataObject[])[0]).toMatchObject({ status: 'success' });
		expect(jsonOf(result, GATE, UNQUALIFIED).map((j) => (j.client as IDataObject).id)).toEqual([
			'b',
		]);
	});

	it("sticky from n8n's processed-items store: a client qualified in an earlier execution stays qualified; unqualified clients are not remembered", async () => {
		const harness = gateHarness();
		const parameters = rules({ useScore: true, minScore: 50 });
		const first = await run(harness, parameters, [
			conversation('a'),
			conversation('b', { score: 5 }),
		]);
		expect(jsonOf(first, GATE, QUALIFIED)).toHaveLength(1);

		const later = await run(harness, parameters, [
			conversation('a', { id: 'conv-a-2', score: 5 }),
			conversation('b', { id: 'conv-b-2', score: 5 }),
			conversation('a', { id: 'conv-a-3', messages: [{ text: 'hi' }] }),
		]);
		const qualified = jsonOf(later, GATE, QUALIFIED);
		expect(
			qualified.map((j) => [j.id, q(j).conversationStatus, q(j).sticky, q(j).firstQualified]),
		).toEqual([
			['conv-a-2', 'unqualified', true, false],
			['conv-a-3', 'pending', true, false],
		]);
		expect(jsonOf(later, GATE, UNQUALIFIED).map((j) => j.id)).toEqual(['conv-b-2']);
	});

	it('sticky within one batch, and switched off by the option', async () => {
		const harness = gateHarness();
		const items = [conversation('a', { score: 5 }), conversation('a', { id: 'conv-a-2' })];
		const on = await run(harness, rules({ useScore: true, minScore: 50 }), items);
		expect(jsonOf(on, GATE, QUALIFIED).map((j) => q(j).sticky)).toEqual([true, false]);

		const off = await run(
			gateHarness(),
			rules({ useScore: true, minScore: 50, options: { sticky: false, rememberClients: false } }),
			items,
		);
		expect(jsonOf(off, GATE, UNQUALIFIED)).toHaveLength(1);
		expect(jsonOf(off, GATE, QUALIFIED)).toHaveLength(1);
	});

	it('bad items go to the error output naming the item and the field; the others are routed', async () => {
		const result = await run(
			gateHarness(),
			rules({ useScore: true, minScore: 50 }),
			[
				conversation('a'),
				{ ...conversation('b'), client: { email: 'x@y.example' } },
				conversation('c', { score: 'high' }),
			],
			'continueErrorOutput',
		);
		expect(jsonOf(result, GATE, QUALIFIED)).toHaveLength(1);
		const errors = result.output(GATE)[ERROR];
		expect(errors.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(errors[0].json.error).toBe('Item 1: field "client.id" is invalid: Required');
		expect(errors[1].json.error).toBe(
			'Item 2: field "score" is invalid: Expected number, received string',
		);
	});

	it('without an error output a bad item stops the node with the item named', async () => {
		const result = await run(gateHarness(), rules(), [{ id: 'x', messages: [] }]);
		expect(result.error(GATE)?.message).toBe('Item 0: field "client" is invalid: Required');
	});

	it('with every criterion disabled the items fail with an explanation', async () => {
		const result = await run(
			gateHarness(),
			rules({ useMessageCount: false }),
			[conversation('a')],
			'continueErrorOutput',
		);
		expect(result.output(GATE)[ERROR][0].json.error).toBe(
			'Item 0: no qualification criterion is enabled',
		);
	});

	it('a criterion expression that fails for one item fails that item only; the other is routed', async () => {
		const minMessages = "={{ $json.failHere ? $('No Such Node').item.json.x : 3 }}";
		const result = await run(
			gateHarness(),
			rules({ minMessages }),
			[conversation('a'), conversation('b', { failHere: true })],
			'continueErrorOutput',
		);
		expect(result.error(GATE)).toBeUndefined();
		const outputs = result.output(GATE);
		expect(outputs[QUALIFIED].map((item) => item.pairedItem)).toEqual([{ item: 0 }]);
		expect(outputs[ERROR].map((item) => item.pairedItem)).toEqual([{ item: 1 }]);
		expect(String(outputs[ERROR][0].json.error)).toMatch(/^Item 1: /);
	});
});
