/**
 * Note lookups by key over the wire (scripted org): which SOQL goes out, which note contents
 * are read, and found / absent / unknown as the answers say; plus the pure parts of the
 * Composite Graph writer (request packing, answers, note HTML).
 */
import fc from 'fast-check';
import { createSalesforceProvider } from '../../../nodes/shared/providers/salesforce';
import {
	GRAPH_LIMITS,
	fewerRequestsTogether,
	graphOutcome,
	packGraphs,
} from '../../../nodes/shared/providers/salesforce/graph';
import { noteGraph, noteText } from '../../../nodes/shared/providers/salesforce/notes';
import { noteHtml } from '../../../nodes/shared/providers/salesforce/activityRecords';
import type { ActivityDraft, CrmRef } from '../../../nodes/shared/model';
import {
	API,
	CountingTokens,
	FakeSalesforce,
	localNetworkOnly,
	queryResult,
	uniqueLimiterKey,
	virtualClock,
} from './fakeSalesforce';

const CONTACT: CrmRef = {
	crm: 'salesforce',
	kind: 'contact',
	objectType: 'Contact',
	id: '003000000000001AAA',
};
const DEAL: CrmRef = {
	crm: 'salesforce',
	kind: 'deal',
	objectType: 'Opportunity',
	id: '006000000000001AAA',
};
const NOTE_A = '069000000000001AAA';
const NOTE_B = '069000000000002AAA';

const note = (
	key: string,
	targets: CrmRef[],
	subject = 'Call outbound 2026-11-20',
): ActivityDraft => ({ key, kind: 'note', subject, body: 'Scope agreed.', targets });
const link = (documentId: string, entityId: string, title = 'Call outbound 2026-11-20') => ({
	attributes: { type: 'ContentDocumentLink' },
	ContentDocumentId: documentId,
	LinkedEntityId: entityId,
	ContentDocument: { attributes: { type: 'ContentDocument' }, Title: title },
});
const content = (key: string) => ({
	raw: noteHtml('Scope agreed.', key),
	headers: { 'content-type': 'application/octetstream' },
});

describe('Salesforce notes by key', () => {
	let fake: FakeSalesforce;
	beforeAll(localNetworkOnly);
	beforeEach(async () => {
		fake = await new FakeSalesforce().start();
	});
	afterEach(() => fake.close());

	const provider = (noteStyle?: 'contentNote' | 'legacyNote') =>
		createSalesforceProvider({
			tokens: new CountingTokens(),
			instanceUrl: fake.url,
			limiterKey: uniqueLimiterKey(),
			noteStyle,
			transport: virtualClock(),
		});

	it('finds a note through its targets’ links and confirms it by the Ref line of its content', async () => {
		fake.once('GET', `${API}/query`, {
			body: queryResult([
				link(NOTE_A, CONTACT.id),
				link(NOTE_A, DEAL.id),
				link(NOTE_B, CONTACT.id),
			]),
		});
		fake.once('GET', `${API}/sobjects/ContentNote/${NOTE_A}/Content`, content('other-key'));
		fake.once('GET', `${API}/sobjects/ContentNote/${NOTE_B}/Content`, content('conv-1:note'));

		const [result] = await provider().findActivitiesByKey([note('conv-1:note', [CONTACT])]);

		expect(result).toEqual({ status: 'found', id: NOTE_B });
		expect(fake.queries()).toEqual([
			'SELECT ContentDocumentId, LinkedEntityId, ContentDocument.Title FROM ContentDocumentLink' +
				` WHERE LinkedEntityId IN ('${CONTACT.id}') AND ContentDocument.FileType = 'SNOTE' AND ContentDocument.Title IN ('Call outbound 2026-11-20')`,
		]);
		expect(fake.requests).toHaveLength(3);
	});

	it('answers absent when no link leads to a note with the key, reading each candidate once for the whole batch', async () => {
		fake.once('GET', `${API}/query`, {
			body: queryResult([link(NOTE_A, CONTACT.id), link(NOTE_A, DEAL.id)]),
		});
		fake.once('GET', `${API}/sobjects/ContentNote/${NOTE_A}/Content`, content('someone-else'));

		const malformed: CrmRef = { ...CONTACT, id: "003' OR Id != '" };
		const results = await provider().findActivitiesByKey([
			note('k-1', [CONTACT]),
			note('k-2', [DEAL]),
			note('k-3', []),
			note('k-4', [malformed]),
		]);

		// Without targets, or on a malformed id, a note is never stored: absent without asking.
		expect(results).toEqual([
			{ status: 'absent' },
			{ status: 'absent' },
			{ status: 'absent' },
			{ status: 'absent' },
		]);
		expect(fake.queries()[0]).not.toContain('OR Id');
		expect(fake.requests).toHaveLength(2);
	});

	it('answers unknown, naming the records, when the key is on some of the targets only', async () => {
		fake.once('GET', `${API}/query`, { body: queryResult([link(NOTE_A, CONTACT.id)]) });
		fake.once('GET', `${API}/sobjects/ContentNote/${NOTE_A}/Content`, content('k-1'));
		const [result] = await provider().findActivitiesByKey([note('k-1', [CONTACT, DEAL])]);
		expect(result).toEqual({
			status: 'unknown',
			reason: `a note with key k-1 is on ${CONTACT.id} but not on ${DEAL.id}; it was written for other targets`,
		});
	});

	it('escapes the title in the query', async () => {
		fake.once('GET', `${API}/query`, { body: queryResult([]) });
		await provider().findActivitiesByKey([note('k', [CONTACT], "O'Brien \\ call")]);
		expect(fake.queries()[0]).toContain("ContentDocument.Title IN ('O\\'Brien \\\\ call')");
	});

	it('finds legacy Notes by parent and title, confirmed by the Ref line of Body; the id is the first target’s Note', async () => {
		const legacy = (id: string, parent: string, key: string) => ({
			attributes: { type: 'Note' },
			Id: id,
			ParentId: parent,
			Title: 'Call outbound 2026-11-20',
			Body: `Scope agreed.\n\nRef: ${key}`,
		});
		fake.once('GET', `${API}/query`, {
			body: queryResult([
				legacy('002000000000001AAA', DEAL.id, 'k-1'),
				legacy('002000000000002AAA', CONTACT.id, 'k-1'),
				legacy('002000000000003AAA', CONTACT.id, 'k-2'),
			]),
		});

		const results = await provider('legacyNote').findActivitiesByKey([
			note('k-1', [CONTACT, DEAL]),
			note('k-2', [CONTACT, DEAL]),
			note('k-3', [CONTACT]),
		]);

		expect(results).toEqual([
			{ status: 'found', id: '002000000000002AAA' },
			{
				status: 'unknown',
				reason: `a note with key k-2 is on ${CONTACT.id} but not on ${DEAL.id}; it was written for other targets`,
			},
			{ status: 'absent' },
		]);
		expect(fake.queries()).toEqual([
			`SELECT Id, ParentId, Title, Body, CreatedDate FROM Note WHERE ParentId IN ('${CONTACT.id}', '${DEAL.id}') AND Title IN ('Call outbound 2026-11-20') ORDER BY CreatedDate`,
		]);
	});
});

describe('Composite Graph packing', () => {
	it('keeps every request within 75 graphs and 500 nodes, in order, and sets aside only graphs too big for any request', () => {
		fc.assert(
			fc.property(fc.array(fc.integer({ min: 1, max: 520 }), { maxLength: 400 }), (sizes) => {
				const { requests, oversized } = packGraphs(sizes);
				expect([...requests.flat(), ...oversized].sort((a, b) => a - b)).toEqual(
					sizes.map((_, i) => i),
				);
				expect(requests.flat()).toEqual([...requests.flat()].sort((a, b) => a - b));
				for (const request of requests) {
					expect(request.length).toBeGreaterThan(0);
					expect(request.length).toBeLessThanOrEqual(GRAPH_LIMITS.graphsPerRequest);
					expect(request.reduce((sum, index) => sum + sizes[index], 0)).toBeLessThanOrEqual(
						GRAPH_LIMITS.nodesPerRequest,
					);
				}
				expect(oversized.every((index) => sizes[index] > 500)).toBe(true);
				// A request only ends when the next graph would not fit.
				requests.slice(0, -1).forEach((request, r) => {
					const next = requests[r + 1][0];
					const nodes = request.reduce((sum, index) => sum + sizes[index], 0);
					expect(
						request.length === GRAPH_LIMITS.graphsPerRequest ||
							nodes + sizes[next] > GRAPH_LIMITS.nodesPerRequest,
					).toBe(true);
				});
			}),
		);
	});

	it("sends Tasks/Events in the notes' graph request when that takes no more calls than a graph request plus collections", () => {
		// A processed call: one note on 5 records (6 nodes) and 3 tasks ⇒ 1 call instead of 2.
		expect(fewerRequestsTogether([6], 3, 200)).toBe(true);
		// 70 notes fill one graph request; 200 tasks as graphs need 3 more, a collection 1.
		expect(fewerRequestsTogether(new Array<number>(70).fill(2), 200, 200)).toBe(false);
		// Whatever fits one graph request goes as one call.
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 20 }),
				fc.integer({ min: 1, max: 55 }),
				(sizes, records) => {
					fc.pre(sizes.reduce((sum, size) => sum + size, 0) + records <= 500);
					fc.pre(sizes.length + records <= 75);
					expect(fewerRequestsTogether(sizes, records, 200)).toBe(true);
				},
			),
		);
		// Tasks never cost more calls together than apart.
		fc.assert(
			fc.property(
				fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 200 }),
				fc.integer({ min: 1, max: 600 }),
				(sizes, records) => {
					const apart = packGraphs(sizes).requests.length + Math.ceil(records / 200);
					if (fewerRequestsTogether(sizes, records, 200))
						expect(
							packGraphs([...sizes, ...new Array<number>(records).fill(1)]).requests.length,
						).toBeLessThanOrEqual(apart);
				},
			),
		);
	});

	it('fits 50 notes with 9 targets each (10 nodes) into one request, the 51st into the next', () => {
		expect(
			packGraphs(Array.from({ length: 51 }, () => 10)).requests.map((request) => request.length),
		).toEqual([50, 1]);
	});
});

describe('Composite Graph answers', () => {
	const planned = noteGraph(note('k', [CONTACT]), 0, 'contentNote', '62.0');

	it('reports graphs halted after too many failures as not stored, and a missing graph result as uncertain', () => {
		const halted = { errorCode: 'PROCESSING_HALTED', message: 'halted' };
		expect(
			graphOutcome(planned, {
				graphId: 'g0',
				isSuccessful: false,
				graphResponse: {
					compositeResponse: [
						{ referenceId: 'note0', httpStatusCode: 400, body: [halted] },
						{ referenceId: 'note0_link0', httpStatusCode: 400, body: [halted] },
					],
				},
			}),
		).toEqual({
			ok: false,
			error: {
				code: 'PROCESSING_HALTED',
				message: expect.stringMatching(/nothing of it was stored/),
			},
		});
		expect(graphOutcome(planned, undefined)).toEqual({
			ok: false,
			error: { message: expect.any(String), uncertain: true },
		});
	});
});

describe('note HTML as text', () => {
	it('turns paragraphs and breaks into lines and decodes entities, so the Ref line of any note body is found', () => {
		expect(noteText('<p>a &amp; b</p><p>x<br/>y&#39;s &lt;z&gt;</p><p>Ref: k&#x3A;1</p>')).toBe(
			"a & b\nx\ny's <z>\nRef: k:1\n",
		);
		expect(noteText('<div>&#9999999; &#x110000; &bogus;</div>')).toBe(
			'&#9999999; &#x110000; &bogus;\n',
		);
		fc.assert(
			fc.property(
				fc.string(),
				fc.string({ minLength: 1 }).filter((key) => key.trim() === key && !/[\r\n]/.test(key)),
				(body, key) => {
					const lines = noteText(noteHtml(body, key)).split('\n');
					expect(lines.map((line) => line.trim())).toContain(`Ref: ${key}`);
				},
			),
		);
	});
});
