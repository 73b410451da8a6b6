import { API, fakeOrgPerTest } from './fakeSalesforce';

interface CollectionBody {
	allOrNone: boolean;
	records: Array<Record<string, unknown> & { attributes: { type: string } }>;
}

const id18 = (prefix: string, n: number) => `${prefix}${String(n).padStart(12, '0')}AAA`;

describe('Salesforce sObject Collections', () => {
	const org = fakeOrgPerTest();

	it('creates 450 records in exactly 3 collection calls of 200, 200 and 50, results in input order', async () => {
		// The fake derives each id from the record's own index, so alignment is checkable.
		org.fake.on('POST', `${API}/composite/sobjects`, (request) => {
			const body = request.body as CollectionBody;
			return {
				body: body.records.map((record) => ({
					id: id18('00Q', Number(String(record.LastName).split(' ')[1])),
					success: true,
					errors: [],
				})),
			};
		});
		const writes = Array.from({ length: 450 }, (_, i) => ({
			properties: { LastName: `Lead ${i}`, Company: 'Acme' },
		}));

		const results = await org.provider.upsertRecords('Lead', writes);

		const calls = org.fake.to('POST', `${API}/composite/sobjects`);
		expect(
			calls.map((call) => (call.body as CollectionBody).records.length).sort((a, b) => b - a),
		).toEqual([200, 200, 50]);
		for (const call of calls) {
			const body = call.body as CollectionBody;
			expect(body.allOrNone).toBe(false);
			expect(body.records.every((record) => record.attributes.type === 'Lead')).toBe(true);
		}
		const sent = calls.flatMap((call) =>
			(call.body as CollectionBody).records.map((record) => record.LastName),
		);
		expect(new Set(sent).size).toBe(450);
		expect(results).toHaveLength(450);
		expect(results).toEqual(
			writes.map((_, i) => ({ ok: true, id: id18('00Q', i), created: true })),
		);
		expect(org.provider.usage().calls).toBe(3);
	});

	it('maps a partial failure back to the right records with Salesforce message and statusCode', async () => {
		org.fake.once('POST', `${API}/composite/sobjects`, {
			body: [
				{ id: id18('003', 1), success: true, errors: [] },
				{
					success: false,
					errors: [
						{
							statusCode: 'REQUIRED_FIELD_MISSING',
							message: 'Required fields are missing: [LastName]',
							fields: ['LastName'],
						},
					],
				},
				{ id: id18('003', 3), success: true, errors: [] },
			],
		});
		org.fake.once('PATCH', `${API}/composite/sobjects`, {
			body: [
				{
					success: false,
					errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }],
				},
			],
		});

		const results = await org.provider.upsertRecords('Contact', [
			{ properties: { LastName: 'One' } },
			{ id: id18('003', 9), properties: { Title: 'CEO' } },
			{ properties: { FirstName: 'No last name' } },
			{ properties: { LastName: 'Three' } },
		]);

		expect(results).toEqual([
			{ ok: true, id: id18('003', 1), created: true },
			{ ok: false, error: { message: 'entity is deleted', code: 'ENTITY_IS_DELETED' } },
			{
				ok: false,
				error: {
					message: 'Required fields are missing: [LastName]',
					code: 'REQUIRED_FIELD_MISSING',
				},
			},
			{ ok: true, id: id18('003', 3), created: true },
		]);
		const patch = org.fake.to('PATCH', `${API}/composite/sobjects`)[0].body as CollectionBody;
		expect(patch).toEqual({
			allOrNone: false,
			records: [{ attributes: { type: 'Contact' }, Title: 'CEO', id: id18('003', 9) }],
		});
	});

	it('refuses an upsert by an external id field without a request, next to the creates it sends', async () => {
		org.fake.once('POST', `${API}/composite/sobjects`, {
			body: [{ id: id18('003', 1), success: true, errors: [] }],
		});
		const results = await org.provider.upsertRecords('Contact', [
			{ idProperty: 'Ext_Id__c', idValue: 'A-1', properties: { LastName: 'A' } },
			{ properties: { LastName: 'B' } },
		]);
		expect(results).toEqual([
			{
				ok: false,
				error: {
					message: 'Salesforce has no upsert by a unique property: "Ext_Id__c" cannot be used',
					code: 'UNSUPPORTED_ID_PROPERTY',
				},
			},
			{ ok: true, id: id18('003', 1), created: true },
		]);
		expect(org.fake.requests.map((request) => request.method)).toEqual(['POST']);
	});

	it('reads records by id with the requested fields; missing ids come back undefined', async () => {
		org.fake.once('GET', `${API}/composite/sobjects/Contact`, {
			body: [
				{
					attributes: { type: 'Contact' },
					Id: id18('003', 1),
					Email: 'a@x.io',
					CreatedDate: '2026-01-01T00:00:00.000+0000',
					SystemModstamp: '2026-02-01T00:00:00.000+0000',
				},
				null,
			],
		});
		const records = await org.provider.getRecords(
			'Contact',
			[id18('003', 1), id18('003', 2)],
			['Email', 'CreatedDate', 'SystemModstamp'],
		);
		const request = org.fake.requests[0];
		expect(request.query.get('ids')).toBe(`${id18('003', 1)},${id18('003', 2)}`);
		expect(request.query.get('fields')).toBe('Id,Email,CreatedDate,SystemModstamp');
		expect(records).toEqual([
			{
				id: id18('003', 1),
				objectType: 'Contact',
				properties: {
					Id: id18('003', 1),
					Email: 'a@x.io',
					CreatedDate: '2026-01-01T00:00:00.000+0000',
					SystemModstamp: '2026-02-01T00:00:00.000+0000',
				},
				createdAt: '2026-01-01T00:00:00.000+0000',
				updatedAt: '2026-02-01T00:00:00.000+0000',
			},
			undefined,
		]);
	});

	it('refuses an object name, field name or id that could alter the URL, before sending anything', async () => {
		await expect(org.provider.getRecords('Contact/../User', [id18('003', 1)], [])).rejects.toThrow(
			'not a valid Salesforce object name',
		);
		await expect(org.provider.getRecords('Contact', ['003x&fields=Password'], [])).rejects.toThrow(
			'not a valid Salesforce record id',
		);
		await expect(
			org.provider.getRecords('Contact', [id18('003', 1)], ['Email,Password']),
		).rejects.toThrow('not a valid Salesforce field name');
		expect(org.fake.requests).toHaveLength(0);
	});
});
