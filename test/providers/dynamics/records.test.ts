import nock from 'nock';

import {
	API,
	batchResponse,
	changesetPart,
	createdPart,
	errorPart,
	httpPart,
	interceptBatch,
	jsonPart,
	makeProvider,
	ORG,
	ROOT,
	sentParts,
	setupNock,
} from './support';

setupNock();

const C1 = 'c0000000-0000-0000-0000-000000000001';
const C9 = 'c0000000-0000-0000-0000-000000000009';
const NEW = 'c0000000-0000-0000-0000-0000000000aa';

describe('upsertRecords', () => {
	it("sends writes in ONE $batch, one change set each, with If-Match for updates; a failing change set gets Dataverse's message; an upsert by a property is refused unsent", async () => {
		const { provider } = makeProvider();
		const sent = interceptBatch(
			batchResponse([
				changesetPart('changesetresponse_1', [httpPart(204, 'No Content', {}, '', '1')]),
				// The create fails: Dataverse answers the change set with a single error part.
				errorPart(
					400,
					'0x80044331',
					'A validation error occurred. The length of the lastname attribute exceeded 50.',
				),
			]),
		);

		const results = await provider.upsertRecords('contact', [
			{ id: C1, properties: { jobtitle: 'CTO' } },
			{ properties: { lastname: 'x'.repeat(60) } },
			{ idProperty: 'contactid', idValue: C9, properties: { lastname: 'Known id' } },
		]);

		expect(sent.bodies).toHaveLength(1);
		const body = sent.bodies[0];
		expect(body.match(/boundary=changeset_/g)).toHaveLength(2);
		const parts = sentParts(body);
		expect(parts.map((part) => [part.method, part.url])).toEqual([
			['PATCH', `${ROOT}contacts(${C1})`],
			['POST', `${ROOT}contacts`],
		]);
		expect(parts[0].headers['If-Match']).toBe('*');
		expect(parts[0].headers['If-None-Match']).toBeUndefined();
		expect(parts[1].headers['If-Match']).toBeUndefined();
		expect(parts[1].headers['If-None-Match']).toBeUndefined();
		expect(parts.map((part) => part.body)).toEqual([
			{ jobtitle: 'CTO' },
			{ lastname: 'x'.repeat(60) },
		]);

		expect(results).toEqual([
			{ ok: true, id: C1, created: false },
			{
				ok: false,
				error: {
					message: 'A validation error occurred. The length of the lastname attribute exceeded 50.',
					code: '0x80044331',
					status: 400,
				},
			},
			{
				ok: false,
				error: {
					message: 'Dynamics 365 has no upsert by a unique property: "contactid" cannot be used',
					code: 'UNSUPPORTED_ID_PROPERTY',
				},
			},
		]);
	});

	it("takes a new record's id from OData-EntityId and reports update-only on a missing record as a failure", async () => {
		const { provider } = makeProvider();
		interceptBatch(
			batchResponse([
				changesetPart('cs1', [createdPart('contacts', NEW, '1')]),
				errorPart(404, '0x80040217', `contact With Id = ${C1} Does Not Exist`),
			]),
		);
		const results = await provider.upsertRecords('contacts', [
			{ properties: { lastname: 'New' } },
			{ id: C1, properties: { lastname: 'Gone' } },
		]);
		expect(results).toEqual([
			{ ok: true, id: NEW, created: true },
			{
				ok: false,
				error: {
					message: `contact With Id = ${C1} Does Not Exist`,
					code: '0x80040217',
					status: 404,
				},
			},
		]);
	});

	it('rejects a non-GUID id without sending it anywhere', async () => {
		const { provider } = makeProvider();
		const results = await provider.upsertRecords('contact', [
			{ id: "x' or 1 eq 1 or '", properties: { a: 1 } },
		]);
		expect(results).toEqual([
			{
				ok: false,
				error: {
					message: expect.stringContaining('is not a Dynamics 365 record id (GUID)'),
					code: 'INVALID_INPUT',
				},
			},
		]);
		expect(provider.usage().calls).toBe(0);
	});

	it('resolves an unknown table through EntityDefinitions once (cached) before writing', async () => {
		const { provider } = makeProvider();
		nock(ORG)
			.get(`${API}/EntityDefinitions(LogicalName='new_project')`)
			.query({ $select: 'LogicalName,EntitySetName,PrimaryIdAttribute' })
			.once()
			.reply(200, {
				LogicalName: 'new_project',
				EntitySetName: 'new_projects',
				PrimaryIdAttribute: 'new_projectid',
			});
		const first = interceptBatch(
			batchResponse([changesetPart('cs', [createdPart('new_projects', NEW, '1')])]),
		);
		const second = interceptBatch(
			batchResponse([changesetPart('cs', [createdPart('new_projects', C1, '1')])]),
		);
		expect(
			await provider.upsertRecords('new_project', [{ properties: { new_name: 'A' } }]),
		).toEqual([{ ok: true, id: NEW, created: true }]);
		expect(
			await provider.upsertRecords('new_project', [{ properties: { new_name: 'B' } }]),
		).toEqual([{ ok: true, id: C1, created: true }]);
		expect(sentParts(first.bodies[0])[0].url).toBe(`${ROOT}new_projects`);
		expect(sentParts(second.bodies[0])[0].url).toBe(`${ROOT}new_projects`);
	});
});

describe('getRecords', () => {
	it('reads all ids in ONE $batch of GETs, aligned with the input; missing and non-GUID ids are undefined', async () => {
		const { provider } = makeProvider();
		const sent = interceptBatch(
			batchResponse([
				jsonPart(200, {
					'@odata.etag': 'W/"1"',
					contactid: C1,
					fullname: 'Jo',
					createdon: '2026-01-01T00:00:00Z',
					modifiedon: '2026-02-01T00:00:00Z',
				}),
				errorPart(404, '0x80040217', 'Does Not Exist'),
			]),
		);
		const records = await provider.getRecords('contact', [C1, C9, 'not-a-guid'], ['fullname']);
		const parts = sentParts(sent.bodies[0]);
		expect(parts.map((part) => `${part.method} ${part.url}`)).toEqual([
			`GET ${ROOT}contacts(${C1})?$select=contactid,createdon,modifiedon,fullname`,
			`GET ${ROOT}contacts(${C9})?$select=contactid,createdon,modifiedon,fullname`,
		]);
		expect(records).toEqual([
			{
				id: C1,
				objectType: 'contact',
				properties: {
					contactid: C1,
					fullname: 'Jo',
					createdon: '2026-01-01T00:00:00Z',
					modifiedon: '2026-02-01T00:00:00Z',
				},
				createdAt: '2026-01-01T00:00:00Z',
				updatedAt: '2026-02-01T00:00:00Z',
			},
			undefined,
			undefined,
		]);
	});
});
