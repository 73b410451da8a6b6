/**
 * The Salesforce sandbox's Composite Graph over HTTP: references between nodes, one
 * transaction per graph (a failed node takes back what its graph stored), the documented
 * limits with Salesforce's whole-request error shape, graphs halted after 14 failures, and
 * the reads a note lookup needs: ContentDocumentLink by linked record and note title, and a
 * ContentNote's content as bytes.
 */
import { call, clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';
import { SALESFORCE_SEED_IDS } from './vendors/salesforce';

interface NodeAnswer {
	body: unknown;
	httpStatusCode: number;
	referenceId: string;
	httpHeaders: Record<string, string>;
}
interface GraphAnswer {
	graphs: Array<{
		graphId: string;
		isSuccessful: boolean;
		graphResponse: { compositeResponse: NodeAnswer[] };
	}>;
}
type ErrorAnswer = Array<{ message: string; errorCode: string }>;

const V = '/services/data/v62.0';
const ALICE = SALESFORCE_SEED_IDS.contacts.alice;
const DEAL = SALESFORCE_SEED_IDS.opportunities['acme-expansion'];
const html = (text: string) => Buffer.from(`<p>${text}</p>`, 'utf8').toString('base64');

const noteNode = (ref: string, title: string, text = 'Body') => ({
	method: 'POST',
	url: `${V}/sobjects/ContentNote/`,
	referenceId: ref,
	body: { Title: title, Content: html(text) },
});
const linkNode = (ref: string, note: string, entity: string) => ({
	method: 'POST',
	url: `${V}/sobjects/ContentDocumentLink`,
	referenceId: ref,
	body: { ContentDocumentId: `@{${note}.id}`, LinkedEntityId: entity, ShareType: 'V' },
});

describe('Salesforce sandbox: Composite Graph', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let token: string;
	const graph = (graphs: unknown[]) =>
		call<GraphAnswer & ErrorAnswer>(`${sandbox.url}${V}/composite/graph`, {
			token,
			body: { graphs },
		});
	const soql = (text: string) =>
		call<{ records: Array<Record<string, unknown>> } & ErrorAnswer>(
			`${sandbox.url}${V}/query?q=${encodeURIComponent(text)}`,
			{ token },
		);
	const records = (type: string) => sandbox.admin.records('salesforce', type);

	beforeAll(async () => {
		sandbox = await startSandbox();
		token = await clientCredentialsToken(sandbox.url, 'salesforce');
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		sandbox.admin.seed('salesforce');
		sandbox.admin.clearRequests();
	});

	it('stores a note and its links in one graph, resolving @{note.id}, with a result per node — one API call', async () => {
		const answer = await graph([
			{
				graphId: 'g1',
				compositeRequest: [
					noteNode('note1', 'Summary'),
					linkNode('link1', 'note1', ALICE),
					linkNode('link2', 'note1', DEAL),
				],
			},
		]);

		expect(answer.status).toBe(200);
		const [result] = answer.body.graphs;
		expect(result.isSuccessful).toBe(true);
		const [note, ...links] = result.graphResponse.compositeResponse;
		const noteId = (note.body as { id: string }).id;
		expect(note).toEqual({
			referenceId: 'note1',
			httpStatusCode: 201,
			httpHeaders: { Location: `${V}/sobjects/ContentNote/${noteId}` },
			body: { id: noteId, success: true, errors: [] },
		});
		expect(links.map((link) => [link.referenceId, link.httpStatusCode])).toEqual([
			['link1', 201],
			['link2', 201],
		]);
		expect(
			records('ContentDocumentLink').map((link) => [
				link.fields.ContentDocumentId,
				link.fields.LinkedEntityId,
			]),
		).toEqual([
			[noteId, ALICE],
			[noteId, DEAL],
		]);
		expect(sandbox.admin.requests('salesforce')).toHaveLength(1);
		expect(answer.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
	});

	it('takes back everything a graph stored when one of its nodes fails, and reports that node’s error; other graphs stand', async () => {
		const answer = await graph([
			{
				graphId: 'bad',
				compositeRequest: [
					noteNode('n1', 'Doomed'),
					linkNode('l1', 'n1', ALICE),
					linkNode('l2', 'n1', ALICE),
				],
			},
			{ graphId: 'good', compositeRequest: [noteNode('n2', 'Kept'), linkNode('l3', 'n2', ALICE)] },
		]);

		const [bad, good] = answer.body.graphs;
		expect(bad.isSuccessful).toBe(false);
		expect(
			bad.graphResponse.compositeResponse.map((node) => [
				node.referenceId,
				node.httpStatusCode,
				(node.body as ErrorAnswer)[0].errorCode,
			]),
		).toEqual([
			['n1', 400, 'PROCESSING_HALTED'],
			['l1', 400, 'PROCESSING_HALTED'],
			['l2', 400, 'DUPLICATE_VALUE'],
		]);
		expect(good.isSuccessful).toBe(true);
		expect(records('ContentNote').map((note) => note.fields.Title)).toEqual(['Kept']);
		expect(records('ContentDocumentLink')).toHaveLength(1);
	});

	it('takes back updates too: a PATCH in a failed graph leaves the record as it was', async () => {
		const before = { ...sandbox.store.get('salesforce', 'Contact', ALICE)?.fields };
		const answer = await graph([
			{
				graphId: 'g1',
				compositeRequest: [
					{
						method: 'PATCH',
						url: `${V}/sobjects/Contact/${ALICE}`,
						referenceId: 'edit',
						body: { Title: 'Changed' },
					},
					{
						method: 'POST',
						url: `${V}/sobjects/Contact`,
						referenceId: 'nameless',
						body: { FirstName: 'No last name' },
					},
				],
			},
		]);
		expect(answer.body.graphs[0].isSuccessful).toBe(false);
		expect(sandbox.store.get('salesforce', 'Contact', ALICE)?.fields).toEqual(before);
		expect(answer.body.graphs[0].graphResponse.compositeResponse[1].body).toEqual([
			{
				errorCode: 'REQUIRED_FIELD_MISSING',
				message: 'Required fields are missing: [LastName]',
				fields: ['LastName'],
			},
		]);
	});

	it('refuses a request beyond the documented limits, storing nothing: 75 graphs, 500 nodes, references to unknown nodes', async () => {
		const one = (i: number) => ({
			graphId: `g${i}`,
			compositeRequest: [noteNode(`n${i}`, `T${i}`)],
		});
		const tooManyGraphs = await graph(Array.from({ length: 76 }, (_, i) => one(i)));
		expect(tooManyGraphs.status).toBe(400);
		expect(tooManyGraphs.body).toEqual([
			{
				errorCode: 'LIMIT_EXCEEDED',
				message: 'A composite graph request can contain at most 75 graphs; this one has 76',
			},
		]);

		const wide = (g: number, links: number) => ({
			graphId: `w${g}`,
			compositeRequest: [
				noteNode(`w${g}`, 'Wide'),
				...Array.from({ length: links }, (_, i) => linkNode(`w${g}_${i}`, `w${g}`, ALICE)),
			],
		});
		const tooManyNodes = await graph([wide(1, 250), wide(2, 250)]);
		expect(tooManyNodes.status).toBe(400);
		expect(tooManyNodes.body[0]).toMatchObject({
			errorCode: 'LIMIT_EXCEEDED',
			message: expect.stringContaining('at most 500 nodes; this one has 502'),
		});

		const dangling = await graph([
			{ graphId: 'g1', compositeRequest: [linkNode('l1', 'nowhere', ALICE)] },
		]);
		expect(dangling.status).toBe(400);
		expect(dangling.body[0]).toMatchObject({
			errorCode: 'INVALID_INPUT',
			message: expect.stringContaining('refers to nowhere'),
		});

		expect(records('ContentNote')).toHaveLength(0);
		const full = await graph(Array.from({ length: 75 }, (_, i) => one(i)));
		expect(full.status).toBe(200);
		expect(records('ContentNote')).toHaveLength(75);
	});

	it('halts the remaining graphs after 14 failed ones; halted graphs store nothing', async () => {
		const failing = (i: number) => ({
			graphId: `f${i}`,
			compositeRequest: [
				{
					method: 'POST',
					url: `${V}/sobjects/Contact`,
					referenceId: `c${i}`,
					body: { FirstName: 'No last name' },
				},
			],
		});
		const answer = await graph([
			...Array.from({ length: 15 }, (_, i) => failing(i)),
			{ graphId: 'after', compositeRequest: [noteNode('n', 'Late')] },
		]);
		const after = answer.body.graphs[15];
		expect(answer.body.graphs.slice(0, 15).every((result) => !result.isSuccessful)).toBe(true);
		expect(after.isSuccessful).toBe(false);
		expect((after.graphResponse.compositeResponse[0].body as ErrorAnswer)[0].errorCode).toBe(
			'PROCESSING_HALTED',
		);
		expect(records('ContentNote')).toHaveLength(0);
	});

	it('finds notes through ContentDocumentLink by linked record, note title and FileType, and serves a note’s content as bytes', async () => {
		const stored = await graph([
			{
				graphId: 'g1',
				compositeRequest: [noteNode('n1', "Call O'Brien", 'Ref: k-1'), linkNode('l1', 'n1', ALICE)],
			},
		]);
		const noteId = (stored.body.graphs[0].graphResponse.compositeResponse[0].body as { id: string })
			.id;

		const found = await soql(
			`SELECT ContentDocumentId, ContentDocument.Title FROM ContentDocumentLink WHERE LinkedEntityId IN ('${ALICE}') AND ContentDocument.FileType = 'SNOTE' AND ContentDocument.Title IN ('call o\\'brien')`,
		);
		expect(found.body.records.map((record) => record.ContentDocumentId)).toEqual([noteId]);
		expect(found.body.records[0].ContentDocument).toMatchObject({
			attributes: { type: 'ContentDocument' },
			Title: "Call O'Brien",
		});

		const unfiltered = await soql(
			`SELECT Id FROM ContentDocumentLink WHERE ContentDocument.Title = 'x'`,
		);
		expect(unfiltered.status).toBe(400);
		expect(unfiltered.body[0]).toMatchObject({
			errorCode: 'MALFORMED_QUERY',
			message: expect.stringContaining(
				'Implementation restriction: ContentDocumentLink requires a filter',
			),
		});

		const viaQuery = await soql(`SELECT Id, Content FROM ContentNote WHERE Id = '${noteId}'`);
		expect(viaQuery.body.records[0].Content).toBe(`${V}/sobjects/ContentNote/${noteId}/Content`);
		const bytes = await fetch(`${sandbox.url}${V}/sobjects/ContentNote/${noteId}/Content`, {
			headers: { Authorization: `Bearer ${token}` },
		});
		expect(bytes.status).toBe(200);
		expect(await bytes.text()).toBe('<p>Ref: k-1</p>');
		const missing = await fetch(`${sandbox.url}${V}/sobjects/ContentNote/${noteId}/Title`, {
			headers: { Authorization: `Bearer ${token}` },
		});
		expect(missing.status).toBe(404);
	});
});
