import nock from 'nock';

import { API, batchBody, hsObject, isolateNetwork, makeProvider } from './helpers';

interface UpsertInput {
	id: string;
	idProperty: string;
	properties: Record<string, string>;
	objectWriteTraceId: string;
}

describe('HubSpot records', () => {
	isolateNetwork();

	it('getRecords reads in one batch call and aligns results to the requested ids (missing ⇒ undefined)', async () => {
		const bodies: unknown[] = [];
		nock(API)
			.post('/crm/v3/objects/contacts/batch/read', (body) => {
				bodies.push(body);
				return true;
			})
			.query({ archived: 'false' })
			.reply(
				207,
				batchBody(
					[hsObject('1', { email: 'a@acme.com' })],
					[
						{
							status: 'error',
							category: 'OBJECT_NOT_FOUND',
							message:
								'Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.',
							context: { ids: ['2'] },
						},
					],
				),
			);
		const { provider } = makeProvider();

		const records = await provider.getRecords('contacts', ['1', '2', '1'], ['email']);

		expect(bodies).toEqual([{ inputs: [{ id: '1' }, { id: '2' }], properties: ['email'] }]);
		expect(records[0]).toMatchObject({
			id: '1',
			objectType: 'contacts',
			properties: { email: 'a@acme.com' },
		});
		expect(records[1]).toBeUndefined();
		expect(records[2]).toEqual(records[0]);
	});

	it('upserts 250 records in exactly 3 calls of 100, 100 and 50 inputs, results aligned to inputs', async () => {
		const sizes: number[] = [];
		nock(API)
			.post('/crm/v3/objects/contacts/batch/upsert')
			.times(3)
			.reply(200, (_uri, body) => {
				const inputs = (body as { inputs: UpsertInput[] }).inputs;
				sizes.push(inputs.length);
				// HubSpot does not promise input order: answer reversed, with trace ids echoed.
				const results = inputs
					.map((input) =>
						hsObject(
							`id-${input.objectWriteTraceId}`,
							{ email: input.id },
							{
								objectWriteTraceId: input.objectWriteTraceId,
								new: Number(input.objectWriteTraceId) % 2 === 0,
							},
						),
					)
					.reverse();
				return batchBody(results);
			});
		const { provider } = makeProvider();
		const writes = Array.from({ length: 250 }, (_, index) => ({
			idProperty: 'email',
			idValue: `person${index}@acme.com`,
			properties: { firstname: `Person ${index}`, score: index },
		}));

		const results = await provider.upsertRecords('contacts', writes);

		expect(sizes).toEqual([100, 100, 50]);
		expect(provider.usage().calls).toBe(3);
		expect(results).toHaveLength(250);
		results.forEach((result, index) => {
			expect(result).toEqual({ ok: true, id: `id-${index}`, created: index % 2 === 0 });
		});
	});

	it('sends upsert inputs as { id, idProperty, properties (strings), objectWriteTraceId }', async () => {
		const bodies: unknown[] = [];
		nock(API)
			.post('/crm/v3/objects/contacts/batch/upsert', (body) => {
				bodies.push(body);
				return true;
			})
			.reply(200, batchBody([hsObject('9', { email: 'x@acme.com' }, { new: false })]));
		const { provider } = makeProvider();

		const results = await provider.upsertRecords('contacts', [
			{
				idProperty: 'email',
				idValue: 'x@acme.com',
				properties: { score: 5, vip: true, tags: ['a', 'b'], note: null },
			},
		]);

		expect(bodies).toEqual([
			{
				inputs: [
					{
						id: 'x@acme.com',
						idProperty: 'email',
						properties: { score: '5', vip: 'true', tags: 'a;b', note: '' },
						objectWriteTraceId: '0',
					},
				],
			},
		]);
		// No trace id echoed: matched by the idProperty value instead.
		expect(results).toEqual([{ ok: true, id: '9', created: false }]);
	});

	it('maps each failed input of a 207 partial batch update to its own error with HubSpot’s message; the others succeed', async () => {
		nock(API)
			.post('/crm/v3/objects/deals/batch/update')
			.reply(
				207,
				batchBody(
					[hsObject('13', { amount: '30' }), hsObject('11', { amount: '10' })],
					[
						{
							status: 'error',
							category: 'VALIDATION_ERROR',
							message: 'Property values were not valid',
							errors: [
								{ message: '"ten" is not a valid number for amount', code: 'INVALID_NUMBER' },
							],
							context: { ids: ['12'] },
						},
					],
				),
			);
		const { provider } = makeProvider();

		const results = await provider.upsertRecords('deals', [
			{ id: '11', properties: { amount: 10 } },
			{ id: '12', properties: { amount: 'ten' } },
			{ id: '13', properties: { amount: 30 } },
		]);

		expect(results).toEqual([
			{ ok: true, id: '11', created: false },
			{
				ok: false,
				error: {
					message: 'Property values were not valid ("ten" is not a valid number for amount)',
					code: 'VALIDATION_ERROR',
				},
			},
			{ ok: true, id: '13', created: false },
		]);
	});

	it('maps 207 errors of a batch create back by objectWriteTraceId', async () => {
		nock(API)
			.post('/crm/v3/objects/companies/batch/create')
			.reply(
				207,
				batchBody(
					[
						hsObject('700', { name: 'First' }, { objectWriteTraceId: '0' }),
						hsObject('702', { name: 'Third' }, { objectWriteTraceId: '2' }),
					],
					[
						{
							status: 'error',
							category: 'VALIDATION_ERROR',
							message: 'Property "numberofemployees" value "many" is not a number',
							context: { objectWriteTraceId: ['1'] },
						},
					],
				),
			);
		const { provider } = makeProvider();

		const results = await provider.upsertRecords('companies', [
			{ properties: { name: 'First' } },
			{ properties: { name: 'Second', numberofemployees: 'many' } },
			{ properties: { name: 'Third' } },
		]);

		expect(results).toEqual([
			{ ok: true, id: '700', created: true },
			{
				ok: false,
				error: {
					message: 'Property "numberofemployees" value "many" is not a number',
					code: 'VALIDATION_ERROR',
				},
			},
			{ ok: true, id: '702', created: true },
		]);
	});

	it('a chunk HubSpot rejects as a whole fails only its own inputs, with the reason; the next chunk is still written', async () => {
		nock(API)
			.post('/crm/v3/objects/contacts/batch/update')
			.reply(400, {
				status: 'error',
				message:
					'Property values were not valid: [{"isValid":false,"message":"Email address x@ is invalid","name":"email"}]',
				category: 'VALIDATION_ERROR',
			})
			.post('/crm/v3/objects/contacts/batch/update')
			.reply(200, (_uri, body) =>
				batchBody(
					(body as { inputs: Array<{ id: string }> }).inputs.map((input) => hsObject(input.id, {})),
				),
			);
		const { provider } = makeProvider();
		const writes = Array.from({ length: 101 }, (_, index) => ({
			id: String(index + 1),
			properties: { email: 'x@' },
		}));

		const results = await provider.upsertRecords('contacts', writes);

		expect(results.slice(0, 100).every((result) => !result.ok)).toBe(true);
		const first = results[0];
		expect(first?.ok).toBe(false);
		if (first && !first.ok) {
			expect(first.error.status).toBe(400);
			expect(first.error.message).toContain('Email address x@ is invalid');
		}
		expect(results[100]).toEqual({ ok: true, id: '101', created: false });
		expect(provider.usage().calls).toBe(2);
	});
});
