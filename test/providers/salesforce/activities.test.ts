import { createSalesforceProvider } from '../../../nodes/shared/providers/salesforce';
import type { CrmProvider } from '../../../nodes/shared/providers/CrmProvider';
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
import { findOneActivity } from '../../support/findOneActivity';

interface CollectionBody {
	allOrNone: boolean;
	records: Array<Record<string, unknown>>;
}

const CONTACT: CrmRef = {
	crm: 'salesforce',
	kind: 'contact',
	objectType: 'Contact',
	id: '003000000000001AAA',
};
const LEAD: CrmRef = {
	crm: 'salesforce',
	kind: 'lead',
	objectType: 'Lead',
	id: '00Q000000000001AAA',
};
const ACCOUNT: CrmRef = {
	crm: 'salesforce',
	kind: 'company',
	objectType: 'Account',
	id: '001000000000001AAA',
};
const DEAL: CrmRef = {
	crm: 'salesforce',
	kind: 'deal',
	objectType: 'Opportunity',
	id: '006000000000001AAA',
};

function draft(
	partial: Partial<ActivityDraft> & Pick<ActivityDraft, 'key' | 'kind'>,
): ActivityDraft {
	return { body: '', targets: [], ...partial };
}

/** Answers a collection create with ids `<prefix>…1`, `…2` … per record. */
function createdIds(prefix: string) {
	return (request: { body: unknown }) => ({
		body: (request.body as CollectionBody).records.map((_, i) => ({
			id: `${prefix}${String(i + 1).padStart(12, '0')}AAA`,
			success: true,
			errors: [],
		})),
	});
}

interface GraphBody {
	graphs: Array<{
		graphId: string;
		compositeRequest: Array<{
			method: string;
			url: string;
			referenceId: string;
			body: Record<string, unknown>;
		}>;
	}>;
}

const PREFIXES: Record<string, string> = {
	ContentNote: '069',
	ContentDocumentLink: '06A',
	Note: '002',
};

/** A stored graph's answer: each node gets `<prefix><graph number, 12 digits>AAA` (links and later Notes add 500 per position). */
function graphStored(graph: GraphBody['graphs'][number]) {
	const number = Number(graph.graphId.slice(1));
	return {
		graphId: graph.graphId,
		isSuccessful: true,
		graphResponse: {
			compositeResponse: graph.compositeRequest.map((node, position) => {
				const type = node.url.split('/').pop() as string;
				const id = `${PREFIXES[type]}${String(number + position * 500 * Number(type !== 'ContentNote')).padStart(12, '0')}AAA`;
				return {
					referenceId: node.referenceId,
					httpStatusCode: 201,
					httpHeaders: { Location: `${node.url}/${id}` },
					body: { id, success: true, errors: [] },
				};
			}),
		},
	};
}

function graphsStored(request: { body: unknown }) {
	return { body: { graphs: (request.body as GraphBody).graphs.map(graphStored) } };
}

describe('Salesforce activities', () => {
	let fake: FakeSalesforce;

	beforeAll(localNetworkOnly);
	beforeEach(async () => {
		fake = await new FakeSalesforce().start();
	});
	afterEach(() => fake.close());

	function provider(noteStyle?: 'contentNote' | 'legacyNote'): CrmProvider {
		return createSalesforceProvider({
			tokens: new CountingTokens(),
			instanceUrl: fake.url,
			limiterKey: uniqueLimiterKey(),
			noteStyle,
			transport: virtualClock(),
		});
	}

	const posted = () =>
		fake.to('POST', `${API}/composite/sobjects`).map((request) => request.body as CollectionBody);

	const graphsPosted = () =>
		fake.to('POST', `${API}/composite/graph`).map((request) => request.body as GraphBody);

	it('writes each note with its links as one all-or-nothing graph, every note of the batch in one Composite Graph call', async () => {
		fake.once('POST', `${API}/composite/graph`, graphsStored);

		const results = await provider().createActivities([
			draft({
				key: 'k-note-1',
				kind: 'note',
				subject: 'Call summary',
				body: 'Price <b> & "terms"\nNext: demo',
				targets: [CONTACT, DEAL, CONTACT],
			}),
			draft({ key: 'k-note-2', kind: 'note', body: 'Lead note', targets: [LEAD] }),
		]);

		const [request] = graphsPosted();
		expect(request).toEqual({
			graphs: [
				{
					graphId: 'g0',
					compositeRequest: [
						{
							method: 'POST',
							url: `${API}/sobjects/ContentNote`,
							referenceId: 'note0',
							body: { Title: 'Call summary', Content: expect.any(String) },
						},
						{
							method: 'POST',
							url: `${API}/sobjects/ContentDocumentLink`,
							referenceId: 'note0_link0',
							body: {
								ContentDocumentId: '@{note0.id}',
								LinkedEntityId: CONTACT.id,
								ShareType: 'V',
							},
						},
						{
							method: 'POST',
							url: `${API}/sobjects/ContentDocumentLink`,
							referenceId: 'note0_link1',
							body: { ContentDocumentId: '@{note0.id}', LinkedEntityId: DEAL.id, ShareType: 'V' },
						},
					],
				},
				{
					graphId: 'g1',
					compositeRequest: [
						{
							method: 'POST',
							url: `${API}/sobjects/ContentNote`,
							referenceId: 'note1',
							body: { Title: 'Call note', Content: expect.any(String) },
						},
						{
							method: 'POST',
							url: `${API}/sobjects/ContentDocumentLink`,
							referenceId: 'note1_link0',
							body: { ContentDocumentId: '@{note1.id}', LinkedEntityId: LEAD.id, ShareType: 'V' },
						},
					],
				},
			],
		});
		const html = request.graphs.map((graph) =>
			Buffer.from(String(graph.compositeRequest[0].body.Content), 'base64').toString('utf8'),
		);
		expect(html).toEqual([
			'<p>Price &lt;b&gt; &amp; &quot;terms&quot;</p><p>Next: demo</p><p></p><p>Ref: k-note-1</p>',
			'<p>Lead note</p><p></p><p>Ref: k-note-2</p>',
		]);
		expect(results).toEqual([
			{ ok: true, id: '069000000000000AAA', created: true },
			{ ok: true, id: '069000000000001AAA', created: true },
		]);
		expect(fake.requests).toHaveLength(1);
	});

	it('fails only the note whose graph failed, naming the rejected link; the other notes of the call stand', async () => {
		fake.once('POST', `${API}/composite/graph`, (request) => {
			const [first, second] = (request.body as GraphBody).graphs;
			return {
				body: {
					graphs: [
						{
							graphId: first.graphId,
							isSuccessful: false,
							graphResponse: {
								compositeResponse: [
									{
										referenceId: 'note0',
										httpStatusCode: 400,
										body: [
											{
												errorCode: 'PROCESSING_HALTED',
												message:
													'The transaction was rolled back since another operation in the same transaction failed.',
											},
										],
									},
									{
										referenceId: 'note0_link0',
										httpStatusCode: 400,
										body: [
											{
												errorCode: 'PROCESSING_HALTED',
												message:
													'The transaction was rolled back since another operation in the same transaction failed.',
											},
										],
									},
									{
										referenceId: 'note0_link1',
										httpStatusCode: 400,
										body: [
											{
												errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
												message: 'insufficient access rights on cross-reference id',
											},
										],
									},
								],
							},
						},
						graphStored(second),
					],
				},
			};
		});
		const results = await provider().createActivities([
			draft({ key: 'k', kind: 'note', body: 'x', targets: [CONTACT, DEAL] }),
			draft({ key: 'k2', kind: 'note', body: 'y', targets: [CONTACT] }),
		]);
		expect(results).toEqual([
			{
				ok: false,
				error: {
					code: 'INSUFFICIENT_ACCESS_OR_READONLY',
					status: 400,
					message: `Salesforce rejected the note's link to ${DEAL.id}, so none of this write was stored: insufficient access rights on cross-reference id`,
				},
			},
			{ ok: true, id: '069000000000001AAA', created: true },
		]);
	});

	it('fails a note without targets on its own, without sending it', async () => {
		fake.once('POST', `${API}/composite/graph`, graphsStored);
		const results = await provider().createActivities([
			draft({ key: 'k-none', kind: 'note', body: 'x' }),
			draft({ key: 'k-one', kind: 'note', body: 'y', targets: [LEAD] }),
		]);
		expect(results[0]).toEqual({
			ok: false,
			error: { message: 'A note needs at least one target record to be attached to' },
		});
		expect(results[1]).toMatchObject({ ok: true });
		expect(graphsPosted()[0].graphs.map((graph) => graph.graphId)).toEqual(['g1']);
	});

	it("writes legacy Notes (ParentId, Title, Body), one per target, as one graph per note with noteStyle 'legacyNote'", async () => {
		fake.once('POST', `${API}/composite/graph`, graphsStored);
		const results = await provider('legacyNote').createActivities([
			draft({
				key: 'k-legacy',
				kind: 'note',
				subject: 'Summary',
				body: 'Plain <text>',
				targets: [CONTACT, ACCOUNT],
			}),
		]);
		expect(graphsPosted()).toEqual([
			{
				graphs: [
					{
						graphId: 'g0',
						compositeRequest: [
							{
								method: 'POST',
								url: `${API}/sobjects/Note`,
								referenceId: 'note0_0',
								body: {
									ParentId: CONTACT.id,
									Title: 'Summary',
									Body: 'Plain <text>\n\nRef: k-legacy',
								},
							},
							{
								method: 'POST',
								url: `${API}/sobjects/Note`,
								referenceId: 'note0_1',
								body: {
									ParentId: ACCOUNT.id,
									Title: 'Summary',
									Body: 'Plain <text>\n\nRef: k-legacy',
								},
							},
						],
					},
				],
			},
		]);
		// The note's id is its first target's Note.
		expect(results).toEqual([{ ok: true, id: '002000000000000AAA', created: true }]);
	});

	it('splits the notes of a big batch across requests at 75 graphs each', async () => {
		fake.on('POST', `${API}/composite/graph`, graphsStored);
		const drafts = Array.from({ length: 160 }, (_, i) =>
			draft({ key: `k-${i}`, kind: 'note', body: `n${i}`, targets: [CONTACT] }),
		);
		const results = await provider().createActivities(drafts);
		expect(graphsPosted().map((request) => request.graphs.length)).toEqual([75, 75, 10]);
		expect(results.every((result) => result.ok)).toBe(true);
		expect(new Set(results.map((result) => (result.ok ? result.id : ''))).size).toBe(160);
	});

	it('sends Events, call-log Tasks and Tasks of a batch in one collection with the Salesforce fields each needs', async () => {
		fake.once('POST', `${API}/composite/sobjects`, createdIds('00U'));

		const results = await provider().createActivities([
			draft({
				key: 'k-meeting-lead',
				kind: 'meeting',
				subject: 'Discovery',
				body: 'Agenda',
				startAt: '2026-11-20T10:00:00Z',
				endAt: '2026-11-20T10:45:00Z',
				// Lead first: with a Lead as WhoId the Event must not carry a WhatId.
				targets: [LEAD, ACCOUNT, DEAL],
			}),
			draft({
				key: 'crmsync:conv-7:call:log',
				kind: 'call',
				conversationId: 'conv-7',
				subject: 'Inbound call',
				body: 'Customer asked about pricing',
				startAt: '2026-11-20T09:00:00Z',
				durationSeconds: 312,
				direction: 'inbound',
				ownerId: '005000000000001AAA',
				targets: [CONTACT, ACCOUNT, DEAL],
			}),
			draft({
				key: 'crmsync:conv-7:task:task-1',
				kind: 'task',
				subject: 'Send proposal',
				body: 'Include volume discount',
				dueAt: '2026-12-01T23:30:00-05:00',
				priority: 'high',
				ownerId: '005000000000002AAA',
				targets: [CONTACT, ACCOUNT],
			}),
		]);

		const bodies = posted();
		expect(bodies).toHaveLength(1);
		expect(bodies[0].records).toEqual([
			{
				attributes: { type: 'Event' },
				Subject: 'Discovery',
				StartDateTime: '2026-11-20T10:00:00Z',
				EndDateTime: '2026-11-20T10:45:00Z',
				Description: 'Agenda\n\nRef: k-meeting-lead',
				WhoId: LEAD.id,
			},
			{
				attributes: { type: 'Task' },
				Subject: 'Inbound call',
				Description: 'Customer asked about pricing',
				TaskSubtype: 'Call',
				CallDurationInSeconds: 312,
				CallType: 'Inbound',
				CallObject: 'crmsync:conv-7:call:log',
				Status: 'Completed',
				ActivityDate: '2026-11-20',
				OwnerId: '005000000000001AAA',
				WhoId: CONTACT.id,
				WhatId: DEAL.id,
			},
			{
				attributes: { type: 'Task' },
				Subject: 'Send proposal',
				Description: 'Include volume discount',
				ActivityDate: '2026-12-01',
				Status: 'Not Started',
				Priority: 'High',
				OwnerId: '005000000000002AAA',
				CallObject: 'crmsync:conv-7:task:task-1',
				WhoId: CONTACT.id,
				WhatId: ACCOUNT.id,
			},
		]);
		expect(bodies[0].records[0]).not.toHaveProperty('WhatId');
		expect(results.map((result) => result.ok && result.id)).toEqual([
			'00U000000000001AAA',
			'00U000000000002AAA',
			'00U000000000003AAA',
		]);
	});

	it('fails a meeting without a start time on its own, without sending it', async () => {
		fake.once('POST', `${API}/composite/sobjects`, createdIds('00T'));
		const results = await provider().createActivities([
			draft({ key: 'k-bad', kind: 'meeting', body: 'x', targets: [CONTACT] }),
			draft({ key: 'k-ok', kind: 'task', subject: 'Call back', targets: [CONTACT] }),
		]);
		expect(results[0]).toEqual({
			ok: false,
			error: { message: 'A Salesforce Event needs a start time (startAt)' },
		});
		expect(results[1]).toEqual({ ok: true, id: '00T000000000001AAA', created: true });
		expect(posted()[0].records).toHaveLength(1);
	});

	it('updates activities through one PATCH collection', async () => {
		fake.once('PATCH', `${API}/composite/sobjects`, {
			body: [{ id: '00U000000000001AAA', success: true, errors: [] }],
		});
		const results = await provider().updateActivities([
			{
				id: '00U000000000001AAA',
				draft: draft({
					key: 'k-m',
					kind: 'meeting',
					subject: 'Moved',
					body: 'New time',
					startAt: '2026-11-21T10:00:00Z',
					targets: [CONTACT, DEAL],
				}),
			},
		]);
		expect(fake.requests[0].body).toEqual({
			allOrNone: false,
			records: [
				{
					attributes: { type: 'Event' },
					Subject: 'Moved',
					StartDateTime: '2026-11-21T10:00:00Z',
					EndDateTime: '2026-11-21T10:30:00.000Z',
					Description: 'New time\n\nRef: k-m',
					WhoId: CONTACT.id,
					WhatId: DEAL.id,
					id: '00U000000000001AAA',
				},
			],
		});
		expect(results).toEqual([{ ok: true, id: '00U000000000001AAA', created: false }]);
	});

	it('finds a call log by its key in CallObject', async () => {
		fake.once('GET', `${API}/query`, {
			body: queryResult([
				{
					attributes: { type: 'Task' },
					Id: '00T000000000009AAA',
					Subject: 'Call',
					WhoId: CONTACT.id,
					CallObject: 'crmsync:conv-7:call:log',
					CreatedDate: '2026-11-20T09:05:00.000+0000',
				},
			]),
		});
		const found = await findOneActivity(provider(), {
			kind: 'call',
			key: 'crmsync:conv-7:call:log',
		});
		expect(fake.queries()).toEqual([
			"SELECT Id, Subject, WhoId, WhatId, OwnerId, CreatedDate, LastModifiedDate, CallObject FROM Task WHERE CallObject IN ('crmsync:conv-7:call:log') ORDER BY CreatedDate DESC",
		]);
		expect(found).toEqual({
			crm: 'salesforce',
			kind: 'contact',
			objectType: 'Task',
			id: '00T000000000009AAA',
			name: 'Call',
			matchedBy: 'key',
			createdAt: '2026-11-20T09:05:00.000+0000',
			properties: {
				Id: '00T000000000009AAA',
				Subject: 'Call',
				WhoId: CONTACT.id,
				CallObject: 'crmsync:conv-7:call:log',
				CreatedDate: '2026-11-20T09:05:00.000+0000',
				activityKind: 'call',
			},
		});
	});

	it('finds an event by start time ± tolerance on a contact, and by its Ref line when a key is given', async () => {
		const events = [
			{
				attributes: { type: 'Event' },
				Id: '00U000000000001AAA',
				Subject: 'Other',
				WhoId: CONTACT.id,
				StartDateTime: '2026-11-20T10:00:00.000+0000',
				Description: 'x',
			},
			{
				attributes: { type: 'Event' },
				Id: '00U000000000002AAA',
				Subject: 'Ours',
				WhoId: CONTACT.id,
				StartDateTime: '2026-11-20T10:05:00.000+0000',
				Description: 'Agenda\n\nRef: k-42',
			},
		];
		fake.on('GET', `${API}/query`, { body: queryResult(events) });

		const [byTime, byKey, later] = await provider().findActivities([
			{
				kind: 'meeting',
				startAt: '2026-11-20T10:01:00Z',
				toleranceMinutes: 10,
				contactId: CONTACT.id,
			},
			{
				kind: 'meeting',
				key: 'k-42',
				startAt: '2026-11-20T10:01:00Z',
				toleranceMinutes: 10,
				contactId: CONTACT.id,
			},
			// Its window holds both events, but each is already another lookup's.
			{
				kind: 'meeting',
				startAt: '2026-11-20T10:03:00Z',
				toleranceMinutes: 5,
				contactId: CONTACT.id,
			},
		]);

		const window = (from: string, to: string) =>
			`(StartDateTime >= ${from} AND StartDateTime <= ${to} AND WhoId = '${CONTACT.id}')`;
		expect(fake.queries()).toEqual([
			'SELECT Id, Subject, WhoId, WhatId, OwnerId, CreatedDate, LastModifiedDate, StartDateTime, EndDateTime, Description FROM Event' +
				` WHERE ${window('2026-11-20T09:51:00Z', '2026-11-20T10:11:00Z')} OR ${window('2026-11-20T09:51:00Z', '2026-11-20T10:11:00Z')}` +
				` OR ${window('2026-11-20T09:58:00Z', '2026-11-20T10:08:00Z')} ORDER BY StartDateTime`,
		]);
		expect(byTime).toMatchObject({ id: '00U000000000001AAA', matchedBy: 'startTime' });
		expect(byKey).toMatchObject({
			id: '00U000000000002AAA',
			objectType: 'Event',
			name: 'Ours',
			matchedBy: 'key',
			properties: { activityKind: 'meeting' },
		});
		expect(later).toBeUndefined();
	});

	it('refuses a contact id that is not a Salesforce id before querying', async () => {
		await expect(
			provider().findActivities([
				{
					kind: 'meeting',
					startAt: '2026-11-20T10:01:00Z',
					toleranceMinutes: 10,
					contactId: "003' OR Name != '",
				},
			]),
		).rejects.toThrow();
		expect(fake.requests).toHaveLength(0);
	});

	it('findActivities does not look notes up (it has no title or targets to narrow them by) and sends nothing', async () => {
		expect(await findOneActivity(provider(), { kind: 'note', key: 'k' })).toBeUndefined();
		expect(fake.requests).toHaveLength(0);
	});
});
