/**
 * The Salesforce sandbox at the HTTP level: SOQL string escapes decoded exactly as
 * Salesforce documents them (property-tested against the pack's own escaper), LIKE
 * wildcards, typed literals, SOSL parsing, collection limits and allOrNone, and the
 * error shapes and Sforce-Limit-Info header on every answer.
 */
import fc from 'fast-check';

import { escapeSoqlLike, soqlLiteral, soslFindClause } from '../../nodes/shared/logic/escape';
import { call, clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';
import { SALESFORCE_SEED_IDS, salesforceId } from './vendors/salesforce';

interface QueryAnswer {
	totalSize: number;
	done: boolean;
	records: Array<Record<string, unknown>>;
}
type ErrorAnswer = Array<{ message: string; errorCode: string; fields?: string[] }>;
type SaveAnswer = Array<{
	id?: string;
	success: boolean;
	errors: Array<{ statusCode: string; message: string; fields: string[] }>;
	created?: boolean;
}>;

describe('Salesforce sandbox over HTTP', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let token: string;
	const data = (path: string) => `${sandbox.url}/services/data/v62.0${path}`;
	const soql = (text: string) =>
		call<QueryAnswer & ErrorAnswer>(data(`/query?q=${encodeURIComponent(text)}`), { token });

	beforeAll(async () => {
		sandbox = await startSandbox();
		token = await clientCredentialsToken(sandbox.url, 'salesforce');
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.admin.seed('salesforce'));

	it('decodes SOQL string literals exactly: any text written by the pack escaper finds itself', async () => {
		await fc.assert(
			fc.asyncProperty(fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }), async (text) => {
				const [stored] = sandbox.admin.putRecords('salesforce', 'Contact', [
					{ LastName: text, Title: 'property' },
				]);
				const answer = await soql(
					`SELECT Id, LastName FROM Contact WHERE Title = 'property' AND LastName = ${soqlLiteral(text)}`,
				);
				const like = await soql(
					`SELECT Id FROM Contact WHERE Title = 'property' AND LastName LIKE '${escapeSoqlLike(text)}'`,
				);
				sandbox.admin.seed('salesforce');
				expect(answer.status).toBe(200);
				// SOQL = is case-insensitive: the stored record is among the hits and every hit equals it ignoring case.
				expect(answer.body.records.map((record) => record.Id)).toContain(stored.id);
				expect(
					answer.body.records.every(
						(record) => String(record.LastName).toLowerCase() === text.toLowerCase(),
					),
				).toBe(true);
				expect(like.body.records.map((record) => record.Id)).toContain(stored.id);
			}),
			{ numRuns: 40 },
		);
	});

	it('treats % and _ as LIKE wildcards unless escaped, and refuses undocumented escapes', async () => {
		sandbox.admin.putRecords('salesforce', 'Account', [
			{ Name: '100% Organic' },
			{ Name: '100 Percent Organic' },
			{ Name: 'A_B' },
			{ Name: 'AxB' },
		]);
		const names = async (where: string) =>
			(await soql(`SELECT Name FROM Account WHERE ${where} ORDER BY Name`)).body.records.map(
				(r) => r.Name,
			);

		expect(await names("Name LIKE '100%'")).toEqual(['100 Percent Organic', '100% Organic']);
		expect(await names("Name LIKE '100\\%%'")).toEqual(['100% Organic']);
		expect(await names("Name LIKE 'a_b'")).toEqual(['A_B', 'AxB']);
		expect(await names("Name LIKE 'A\\_B'")).toEqual(['A_B']);
		const bad = await soql("SELECT Id FROM Account WHERE Name = 'a\\qb'");
		expect(bad.status).toBe(400);
		expect(bad.body[0].errorCode).toBe('MALFORMED_QUERY');
	});

	it('evaluates typed literals, NOT IN, null, nested logic, ORDER BY with NULLS, LIMIT/OFFSET and COUNT()', async () => {
		const ids = SALESFORCE_SEED_IDS.contacts;
		const dated = await soql(
			'SELECT Id FROM Contact WHERE CreatedDate >= 2026-01-05T09:00:00Z AND CreatedDate < 2026-01-05T09:00:01.000+0000',
		);
		expect(dated.body.totalSize).toBe(6);
		const notIn = await soql(
			`SELECT Id FROM Contact WHERE Id NOT IN ('${ids.alice}', '${ids.bob.slice(0, 15)}') AND (MobilePhone = null OR NOT Email LIKE '%globex%')`,
		);
		expect(new Set(notIn.body.records.map((r) => r.Id))).toEqual(
			new Set([ids.carol, ids.dan, ids.frank]),
		);
		const ordered = await soql(
			'SELECT LastName, MobilePhone FROM Contact ORDER BY MobilePhone DESC NULLS LAST, LastName ASC LIMIT 3 OFFSET 1',
		);
		expect(ordered.body.records.map((r) => r.LastName)).toEqual(['Ramirez', 'Hughes', 'Li']);
		// != keeps null fields, NOT IN does not; on a boolean null means false.
		expect(
			(await soql("SELECT Id FROM Contact WHERE MobilePhone != '07700 900123'")).body.totalSize,
		).toBe(5);
		expect(
			(await soql("SELECT Id FROM Contact WHERE MobilePhone NOT IN ('07700 900123')")).body
				.totalSize,
		).toBe(1);
		expect((await soql('SELECT Id FROM Lead WHERE IsConverted = null')).body.totalSize).toBe(2);
		const count = await soql(
			'SELECT COUNT() FROM Opportunity WHERE IsClosed = false AND Amount > 10000',
		);
		expect(count.body).toMatchObject({ totalSize: 2, records: [] });
		const wrongType = await soql("SELECT Id FROM Lead WHERE IsConverted = 'false'");
		expect(wrongType.body[0].errorCode).toBe('INVALID_QUERY_FILTER_OPERATOR');
		const unknownObject = await soql('SELECT Id FROM Widget__c');
		expect(unknownObject.body[0].errorCode).toBe('INVALID_TYPE');
	});

	it('evaluates semi-joins and refuses the ones Salesforce refuses (OR, nesting, a non-id field, more than two)', async () => {
		const ids = SALESFORCE_SEED_IDS;
		const accounts = await soql(
			"SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Email = 'bob.ramirez@acme.example' OR Phone = 'none')",
		);
		expect(accounts.status).toBe(200);
		expect(accounts.body.records.map((r) => r.Id)).toEqual([ids.accounts.acme]);
		const roles = await soql(
			"SELECT ContactId, Opportunity.Name FROM OpportunityContactRole WHERE ContactId IN (SELECT Id FROM Contact WHERE Email = 'alice.nguyen@acme.example') AND Opportunity.IsClosed = false",
		);
		expect(roles.status).toBe(200);
		expect(roles.body.records.length).toBeGreaterThan(0);
		expect(roles.body.records.every((r) => r.ContactId === ids.contacts.alice)).toBe(true);
		const notAcme = await soql(
			'SELECT Id FROM Opportunity WHERE AccountId NOT IN (SELECT AccountId FROM Contact WHERE AccountId != null)',
		);
		expect(notAcme.body.records.map((r) => r.Id)).not.toContain(ids.opportunities['acme-renewal']);

		const refused = [
			[
				"SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact) OR Name = 'x'",
				"Semi join sub-selects are not allowed with the 'OR' operator",
			],
			[
				'SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact WHERE Id IN (SELECT ContactId FROM OpportunityContactRole))',
				'Nesting of semi join sub-selects is not supported',
			],
			[
				'SELECT Id FROM Account WHERE Name IN (SELECT Email FROM Contact)',
				'can only query id fields',
			],
			[
				'SELECT Id FROM Account WHERE Id IN (SELECT AccountId FROM Contact) AND Id IN (SELECT AccountId FROM Opportunity) AND Id IN (SELECT AccountId FROM Contact)',
				'Maximum of 2 semi join sub-selects',
			],
		];
		for (const [text, message] of refused) {
			const answer = await soql(text);
			expect(answer.status).toBe(400);
			expect(answer.body[0].errorCode).toBe('MALFORMED_QUERY');
			expect(answer.body[0].message).toContain(message);
		}
	});

	it('runs composite query subrequests as one API call, with a result or an error per subrequest and the documented limits', async () => {
		type CompositeAnswer = {
			compositeResponse: Array<{ body: unknown; httpStatusCode: number; referenceId: string }>;
		};
		const sub = (referenceId: string, text: string) => ({
			method: 'GET',
			url: `/services/data/v62.0/query?q=${encodeURIComponent(text)}`,
			referenceId,
		});
		const composite = (body: unknown) =>
			call<CompositeAnswer & ErrorAnswer>(data('/composite'), { token, body });
		const usage = (answer: { headers: Headers }) =>
			Number(/api-usage=(\d+)/.exec(answer.headers.get('sforce-limit-info') ?? '')?.[1]);

		const first = await soql('SELECT Id FROM Account');
		const answer = await composite({
			allOrNone: false,
			compositeRequest: [
				sub('accounts', "SELECT Id, Name FROM Account WHERE Website LIKE '%acme.example%'"),
				sub('broken', 'SELECT Nope FROM Account'),
				{
					method: 'GET',
					url: `/services/data/v62.0/search?q=${encodeURIComponent('FIND {x}')}`,
					referenceId: 'search',
				},
			],
		});
		expect(answer.status).toBe(200);
		// One API call for the whole request.
		expect(usage(answer)).toBe(usage(first) + 1);
		const [accounts, broken, search] = answer.body.compositeResponse;
		expect(accounts).toMatchObject({ httpStatusCode: 200, referenceId: 'accounts' });
		expect((accounts.body as QueryAnswer).records.map((r) => r.Id)).toEqual([
			SALESFORCE_SEED_IDS.accounts.acme,
		]);
		expect(broken).toMatchObject({ httpStatusCode: 400, referenceId: 'broken' });
		expect((broken.body as ErrorAnswer)[0].errorCode).toBe('INVALID_FIELD');
		// SOSL is not a resource Composite supports.
		expect(search.httpStatusCode).toBe(400);

		const halted = await composite({
			allOrNone: true,
			compositeRequest: [
				sub('ok', 'SELECT Id FROM Account'),
				sub('broken', 'SELECT Nope FROM Account'),
			],
		});
		expect(halted.body.compositeResponse.map((r) => r.httpStatusCode)).toEqual([400, 400]);
		expect((halted.body.compositeResponse[0].body as ErrorAnswer)[0].errorCode).toBe(
			'PROCESSING_HALTED',
		);

		const six = await composite({
			compositeRequest: Array.from({ length: 6 }, (_, i) => sub(`q${i}`, 'SELECT Id FROM Account')),
		});
		expect(six.status).toBe(400);
		expect(six.body[0].message).toContain('at most 5 query');
		const many = await composite({
			compositeRequest: Array.from({ length: 26 }, (_, i) => ({
				method: 'GET',
				url: `/services/data/v62.0/sobjects/Account/${SALESFORCE_SEED_IDS.accounts.acme}`,
				referenceId: `r${i}`,
			})),
		});
		expect(many.status).toBe(400);
		expect(many.body[0].message).toContain('at most 25 subrequests');
	});

	it('parses escaped SOSL terms and filters inside RETURNING', async () => {
		const terms = soslFindClause(['dan.obrien@initech.example', "O'Brien {x}"]);
		const answer = await call<{ searchRecords: Array<Record<string, unknown>> }>(
			data(
				`/search?q=${encodeURIComponent(`${terms} IN EMAIL FIELDS RETURNING Contact(Id, Email WHERE Title = 'CTO' LIMIT 5), Lead`)}`,
			),
			{ token },
		);
		expect(answer.status).toBe(200);
		expect(answer.body.searchRecords).toEqual([
			{
				attributes: {
					type: 'Contact',
					url: `/services/data/v62.0/sobjects/Contact/${SALESFORCE_SEED_IDS.contacts.dan}`,
				},
				Id: SALESFORCE_SEED_IDS.contacts.dan,
				Email: 'dan.obrien@initech.example',
			},
		]);
		const unbalanced = await call<ErrorAnswer>(
			data(`/search?q=${encodeURIComponent('FIND {abc')}`),
			{ token },
		);
		expect(unbalanced.body[0].errorCode).toBe('MALFORMED_SEARCH');
	});

	it('enforces the collection size and allOrNone, and checks ids and references per record', async () => {
		const tooMany = await call<ErrorAnswer>(data('/composite/sobjects'), {
			token,
			body: {
				records: Array.from({ length: 201 }, () => ({
					attributes: { type: 'Contact' },
					LastName: 'x',
				})),
			},
		});
		expect(tooMany.status).toBe(400);
		expect(tooMany.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');

		const allOrNone = await call<SaveAnswer>(data('/composite/sobjects'), {
			token,
			body: {
				allOrNone: true,
				records: [
					{ attributes: { type: 'Contact' }, LastName: 'Kept?' },
					{ attributes: { type: 'Contact' }, LastName: 'Bad ref', AccountId: 'nope' },
					{
						attributes: { type: 'Contact' },
						LastName: 'Missing account',
						AccountId: salesforceId('Account', 999),
					},
					{
						attributes: { type: 'Task' },
						Subject: 'Wrong who',
						WhoId: SALESFORCE_SEED_IDS.accounts.acme,
					},
				],
			},
		});
		expect(allOrNone.status).toBe(200);
		expect(allOrNone.body.map((r) => r.errors[0]?.statusCode)).toEqual([
			'ALL_OR_NONE_OPERATION_ROLLED_BACK',
			'MALFORMED_ID',
			'INVALID_CROSS_REFERENCE_KEY',
			'FIELD_INTEGRITY_EXCEPTION',
		]);
		expect(sandbox.admin.records('salesforce', 'Contact')).toHaveLength(6);

		const readOnly = await call<SaveAnswer>(data('/composite/sobjects'), {
			token,
			method: 'PATCH',
			body: {
				records: [
					{
						attributes: { type: 'Contact' },
						id: SALESFORCE_SEED_IDS.contacts.alice,
						Name: 'Renamed',
						Email: 'not-an-email',
					},
				],
			},
		});
		expect(readOnly.body[0].errors.map((e) => e.statusCode).sort()).toEqual([
			'INVALID_EMAIL_ADDRESS',
			'INVALID_FIELD_FOR_INSERT_UPDATE',
		]);
	});

	it('serves single records, composite retrieve with nulls, external-id duplicates and the versions list', async () => {
		const created = await call<{ id: string; success: boolean }>(data('/sobjects/Lead'), {
			token,
			body: { LastName: 'Single', Company: 'One', External_Id__c: 'dup' },
		});
		expect(created.status).toBe(201);
		await call(data('/sobjects/Lead'), {
			token,
			body: { LastName: 'Twin', Company: 'Two', External_Id__c: 'DUP' },
		});
		const missing = await call<ErrorAnswer>(data('/sobjects/Lead'), {
			token,
			body: { LastName: 'No company', Email: 'nope' },
		});
		expect(missing.status).toBe(400);
		expect(missing.body.map((e) => e.errorCode)).toEqual([
			'INVALID_EMAIL_ADDRESS',
			'REQUIRED_FIELD_MISSING',
		]);
		expect(missing.body[1].fields).toEqual(['Company']);

		const patched = await call(data(`/sobjects/Lead/${created.body.id}`), {
			token,
			method: 'PATCH',
			body: { Status: 'Working - Contacted' },
		});
		expect(patched.status).toBe(204);
		const one = await call<Record<string, unknown>>(
			data(`/sobjects/Lead/${created.body.id}?fields=Name,Status,IsConverted`),
			{ token },
		);
		expect(one.body).toMatchObject({
			Name: 'Single',
			Status: 'Working - Contacted',
			IsConverted: false,
		});

		const retrieved = await call<Array<Record<string, unknown> | null>>(
			data(
				`/composite/sobjects/Lead?ids=${created.body.id},${salesforceId('Lead', 998)}&fields=Id,Company`,
			),
			{ token },
		);
		expect(retrieved.body).toEqual([expect.objectContaining({ Company: 'One' }), null]);

		const upsert = await call<SaveAnswer>(data('/composite/sobjects/Lead/External_Id__c'), {
			token,
			method: 'PATCH',
			body: {
				records: [
					{ attributes: { type: 'Lead' }, External_Id__c: 'dup', LastName: 'X', Company: 'Y' },
				],
			},
		});
		expect(upsert.body[0].errors[0].statusCode).toBe('DUPLICATE_EXTERNAL_ID');

		const versions = await call<Array<{ version: string; url: string }>>(
			`${sandbox.url}/salesforce/services/data/`,
			{ token },
		);
		expect(versions.body.find((v) => v.version === '62.0')?.url).toBe('/services/data/v62.0');
		expect(versions.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
		const notFound = await call<ErrorAnswer>(data(`/sobjects/Lead/${salesforceId('Lead', 997)}`), {
			token,
		});
		expect(notFound.status).toBe(404);
		expect(notFound.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
		const unauthenticated = await call<ErrorAnswer>(data('/limits'), {
			token: 'sbx-salesforce-nope',
		});
		expect(unauthenticated.status).toBe(401);
		expect(unauthenticated.body).toEqual([
			{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
		]);
	});

	it('refuses every call past the daily allocation with 403 REQUEST_LIMIT_EXCEEDED (configurable per test)', async () => {
		sandbox.admin.configure('salesforce', { dailyApiLimit: 100, apiUsage: 98 });
		try {
			const limits = await call<{ DailyApiRequests: { Max: number; Remaining: number } }>(
				data('/limits'),
				{ token },
			);
			expect(limits.body.DailyApiRequests).toEqual({ Max: 100, Remaining: 1 });
			expect(limits.headers.get('sforce-limit-info')).toBe('api-usage=99/100');
			const last = await soql('SELECT Id FROM Lead LIMIT 1');
			expect(last.status).toBe(200);
			expect(last.headers.get('sforce-limit-info')).toBe('api-usage=100/100');
			const refused = await soql('SELECT Id FROM Lead LIMIT 1');
			expect(refused.status).toBe(403);
			expect(refused.body).toEqual([
				{ message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
			]);
			expect(() => sandbox.admin.configure('salesforce', { dailyApiLimit: -1 })).toThrow(
				/dailyApiLimit must be a whole number/,
			);
		} finally {
			sandbox.admin.configure('salesforce', { dailyApiLimit: 15_000, apiUsage: 0 });
		}
	});

	it('sObject Collections delete: a result per id in order, ENTITY_IS_DELETED for one not there, allOrNone keeps everything, > 200 ids refused', async () => {
		const stored = sandbox.admin.putRecords('salesforce', 'Contact', [
			{ LastName: 'Del1' },
			{ LastName: 'Del2' },
		]);
		const [first, second] = stored.map((record) => record.id);
		const remove = (ids: string[], allOrNone: boolean) =>
			call<SaveAnswer & ErrorAnswer>(
				data(`/composite/sobjects?ids=${ids.join(',')}&allOrNone=${allOrNone}`),
				{ method: 'DELETE', token },
			);
		const missing = salesforceId('Contact', 999_999);
		const held = await remove([first, missing], true);
		expect(held.body.map((result) => result.success)).toEqual([false, false]);
		expect(held.body[0].errors[0].statusCode).toBe('ALL_OR_NONE_OPERATION_ROLLED_BACK');
		expect(sandbox.store.get('salesforce', 'Contact', first)).toBeDefined();

		const answer = await remove([first, missing, 'bad-id', second], false);
		expect(answer.status).toBe(200);
		expect(
			answer.body.map((result) => [result.id, result.success, result.errors[0]?.statusCode]),
		).toEqual([
			[first, true, undefined],
			[missing, false, 'ENTITY_IS_DELETED'],
			['bad-id', false, 'MALFORMED_ID'],
			[second, true, undefined],
		]);
		expect(sandbox.store.get('salesforce', 'Contact', first)).toBeUndefined();
		expect(sandbox.store.deletions('salesforce', 'Contact').map((entry) => entry.id)).toEqual(
			expect.arrayContaining([first, second]),
		);
		const again = await remove([first], false);
		expect(again.body[0].errors[0].statusCode).toBe('ENTITY_IS_DELETED');

		const tooMany = await remove(
			Array.from({ length: 201 }, (_, i) => salesforceId('Contact', 500_000 + i)),
			false,
		);
		expect(tooMany.status).toBe(400);
		expect(tooMany.body[0].errorCode).toBe('EXCEEDED_ID_LIMIT');
	});
});

describe('Salesforce SOSL index delay (opt-in)', () => {
	localNetworkOnly();

	it('finds a new record by SOQL at once and by SOSL only after the delay', async () => {
		let now = Date.UTC(2026, 10, 21, 12);
		const sandbox = await startSandbox({
			now: () => now,
			salesforceSearch: { searchIndexDelayMs: 5000 },
		});
		try {
			const token = await clientCredentialsToken(sandbox.url, 'salesforce');
			const data = (path: string) => `${sandbox.url}/services/data/v62.0${path}`;
			const created = await call<{ id: string }>(data('/sobjects/Lead'), {
				token,
				body: { LastName: 'Fresh', Company: 'Fresh Ltd', Phone: '+12025550111' },
			});
			expect(created.status).toBe(201);
			const sosl = () =>
				call<{ searchRecords: Array<{ Id: string }> }>(
					data(
						`/search?q=${encodeURIComponent(`${soslFindClause(['+12025550111'])} IN PHONE FIELDS RETURNING Lead(Id)`)}`,
					),
					{ token },
				);
			const soql = await call<QueryAnswer>(
				data(
					`/query?q=${encodeURIComponent("SELECT Id FROM Lead WHERE Phone IN ('+12025550111')")}`,
				),
				{ token },
			);
			expect(soql.body.records.map((r) => r.Id)).toEqual([created.body.id]);
			expect((await sosl()).body.searchRecords).toEqual([]);
			// Seeded records were created long before: the index holds them.
			const seeded = await call<{ searchRecords: Array<{ Id: string }> }>(
				data(
					`/search?q=${encodeURIComponent(`${soslFindClause(['+16465550142'])} IN PHONE FIELDS RETURNING Lead(Id)`)}`,
				),
				{ token },
			);
			expect(seeded.body.searchRecords.map((r) => r.Id)).toEqual([SALESFORCE_SEED_IDS.leads.grace]);

			now += 5000;
			expect((await sosl()).body.searchRecords.map((r) => r.Id)).toEqual([created.body.id]);
		} finally {
			await sandbox.close();
		}
	});
});
