/**
 * Fidelity of the Salesforce sandbox: the official jsforce client drives it over real HTTP
 * and must parse every answer (query + queryMore, SOSL, collections, describe, errors).
 */
import { Connection } from 'jsforce';

import { clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';
import { SALESFORCE_SEED_IDS } from './vendors/salesforce';

interface SaveResult {
	id?: string;
	success: boolean;
	errors: Array<{ statusCode?: string; errorCode?: string; message: string; fields?: string[] }>;
}

describe('Salesforce sandbox through jsforce', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let conn: Connection;

	beforeAll(async () => {
		sandbox = await startSandbox();
		const accessToken = await clientCredentialsToken(sandbox.url, 'salesforce');
		conn = new Connection({
			instanceUrl: `${sandbox.url}/salesforce`,
			accessToken,
			version: '62.0',
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.admin.seed('salesforce'));

	it('answers SOQL with typed filters, relationship paths and ORDER BY', async () => {
		const result = await conn.query<{ Id: string; Name: string; Account: { Name: string } | null }>(
			"SELECT Id, Name, Account.Name FROM Contact WHERE (Email LIKE '%@acme.example' OR LastName = 'O\\'Brien') AND NOT Title = 'CTO' ORDER BY LastName DESC",
		);

		expect(result.totalSize).toBe(2);
		expect(result.records.map((record) => record.Name)).toEqual(['Bob Ramirez', 'Alice Nguyen']);
		expect(result.records[0].Account?.Name).toBe('Acme Corporation');
		expect(result.records[0].Id).toBe(SALESFORCE_SEED_IDS.contacts.bob);
	});

	it('pages a large result through nextRecordsUrl with the requested batch size', async () => {
		sandbox.admin.putRecords(
			'salesforce',
			'Lead',
			Array.from({ length: 450 }, (_, i) => ({
				LastName: `Bulk ${i}`,
				Company: 'Bulk Co',
				IsConverted: false,
			})),
		);
		const first = await conn.query<{ Id: string }>(
			"SELECT Id FROM Lead WHERE Company = 'Bulk Co'",
			{
				headers: { 'Sforce-Query-Options': 'batchSize=200' },
			},
		);
		expect(first.totalSize).toBe(450);
		expect(first.done).toBe(false);
		expect(first.records).toHaveLength(200);
		// jsforce rewrites the locator onto its own base URL; the raw answer is instance-relative.
		expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/[A-Za-z0-9]+-200$/);
		const raw = await conn.request<{ nextRecordsUrl: string }>({
			method: 'GET',
			url: `/query?q=${encodeURIComponent("SELECT Id FROM Lead WHERE Company = 'Bulk Co'")}`,
			headers: { 'Sforce-Query-Options': 'batchSize=300' },
		});
		expect(raw.nextRecordsUrl).toMatch(/^\/services\/data\/v62\.0\/query\/[A-Za-z0-9]+-300$/);

		const locator = (url: string | undefined) => String(url).split('/').pop()!;
		// jsforce's QueryOptions type lists every option; it fills the rest with defaults.
		const options = {
			headers: { 'Sforce-Query-Options': 'batchSize=200' },
		} as unknown as Parameters<Connection['queryMore']>[1];
		const second = await conn.queryMore<{ Id: string }>(locator(first.nextRecordsUrl), options);
		const third = await conn.queryMore<{ Id: string }>(locator(second.nextRecordsUrl), options);
		expect(second.records).toHaveLength(200);
		expect(third.records).toHaveLength(50);
		expect(third.done).toBe(true);
		const ids = new Set(
			[...first.records, ...second.records, ...third.records].map((record) => record.Id),
		);
		expect(ids.size).toBe(450);
	});

	it('finds phones in any format with SOSL IN PHONE FIELDS', async () => {
		const result = await conn.search(
			'FIND {"\\+14155550102" OR "4155550112"} IN PHONE FIELDS RETURNING Contact(Id, Name, Phone), Lead(Id), Account(Id)',
		);

		expect(result.searchRecords.map((record) => record.Id)).toEqual([
			SALESFORCE_SEED_IDS.contacts.bob,
		]);
		expect(result.searchRecords[0].attributes?.type).toBe('Contact');
	});

	it('creates, updates and retrieves arrays through sObject Collections', async () => {
		const created = (await conn
			.sobject('Contact')
			.create([
				{ LastName: 'Array One', Email: 'one@array.example' },
				{ LastName: 'Array Two', AccountId: SALESFORCE_SEED_IDS.accounts.acme },
				{ FirstName: 'No Last Name' },
			])) as SaveResult[];
		expect(created.map((result) => result.success)).toEqual([true, true, false]);
		expect(created[2].errors[0]).toMatchObject({
			statusCode: 'REQUIRED_FIELD_MISSING',
			fields: ['LastName'],
		});
		const ids = created.filter((result) => result.success).map((result) => result.id!);
		expect(ids.every((id) => /^003[A-Za-z0-9]{15}$/.test(id))).toBe(true);

		const updated = (await conn
			.sobject('Contact')
			.update(ids.map((Id) => ({ Id, Title: 'Updated' })))) as SaveResult[];
		expect(updated.every((result) => result.success)).toBe(true);

		const read = await conn
			.sobject('Contact')
			.retrieve(ids, { fields: ['Id', 'Name', 'Title', 'SystemModstamp'] });
		expect(read.map((record) => record?.Title)).toEqual(['Updated', 'Updated']);
		expect(read[0]?.Name).toBe('Array One');
		expect(String(read[0]?.SystemModstamp)).toMatch(
			/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/,
		);
	});

	it('upserts arrays by external id, runs the query builder with * fields and reads the limits', async () => {
		const upserted = (await conn.sobject('Account').upsert(
			[
				{ External_Id__c: 'erp-1', Name: 'ERP One' },
				{ External_Id__c: 'erp-2', Name: 'ERP Two' },
			],
			'External_Id__c',
		)) as Array<SaveResult & { created?: boolean }>;
		expect(upserted.map((result) => [result.success, result.created])).toEqual([
			[true, true],
			[true, true],
		]);
		const again = (await conn
			.sobject('Account')
			.upsert([{ External_Id__c: 'ERP-1', Name: 'ERP One Renamed' }], 'External_Id__c')) as Array<
			SaveResult & { created?: boolean }
		>;
		expect(again[0]).toMatchObject({ success: true, created: false, id: upserted[0].id });

		const found = await conn
			.sobject('Account')
			.find<{ Name: string; Website: string }>({ Name: { $like: 'ERP%' } }, '*')
			.sort({ Name: -1 })
			.limit(5);
		expect(found.map((record) => record.Name)).toEqual(['ERP Two', 'ERP One Renamed']);
		expect(found[0].Website).toBeNull();

		const limits = await conn.limits();
		expect(limits.DailyApiRequests.Max).toBe(15000);
	});

	it('describes an object with picklists, lookups and match keys', async () => {
		const describe = await conn.sobject('Task').describe();
		const callType = describe.fields.find((field) => field.name === 'CallType');

		expect(describe.name).toBe('Task');
		expect(callType?.picklistValues?.map((value) => value.value)).toEqual([
			'Internal',
			'Inbound',
			'Outbound',
		]);
		expect(describe.fields.find((field) => field.name === 'WhoId')?.referenceTo).toEqual([
			'Contact',
			'Lead',
		]);
		const email = (await conn.sobject('Contact').describe()).fields.find(
			(field) => field.name === 'Email',
		);
		expect(email).toMatchObject({
			type: 'email',
			idLookup: true,
			updateable: true,
			nillable: true,
		});
	});

	it('refuses an Event with a Lead WhoId and a WhatId (FIELD_INTEGRITY_EXCEPTION)', async () => {
		const [result] = (await conn.sobject('Event').create([
			{
				Subject: 'Demo',
				StartDateTime: '2026-11-21T09:00:00Z',
				EndDateTime: '2026-11-21T09:30:00Z',
				WhoId: SALESFORCE_SEED_IDS.leads.grace,
				WhatId: SALESFORCE_SEED_IDS.accounts.acme,
			},
		])) as SaveResult[];

		expect(result.success).toBe(false);
		expect(result.errors[0]).toMatchObject({
			statusCode: 'FIELD_INTEGRITY_EXCEPTION',
			fields: ['WhatId'],
		});
		expect(sandbox.admin.records('salesforce', 'Event')).toHaveLength(0);
	});

	it('reports errors in the documented shape and the API usage header', async () => {
		await expect(conn.query('SELECT Nope FROM Contact')).rejects.toMatchObject({
			errorCode: 'INVALID_FIELD',
		});
		await expect(conn.query("SELECT Id FROM Contact WHERE Id = 'not-an-id'")).rejects.toMatchObject(
			{ errorCode: 'INVALID_QUERY_FILTER_OPERATOR' },
		);
		await expect(
			conn.sobject('Contact').create({ LastName: 'X', Bogus__c: 1 }),
		).rejects.toMatchObject({ errorCode: 'INVALID_FIELD' });
		expect(conn.limitInfo.apiUsage?.limit).toBe(15000);
		expect(conn.limitInfo.apiUsage?.used).toBeGreaterThan(0);

		const expired = new Connection({
			instanceUrl: `${sandbox.url}/salesforce`,
			accessToken: 'sbx-salesforce-unknown',
			version: '62.0',
		});
		await expect(expired.query('SELECT Id FROM Contact')).rejects.toMatchObject({
			errorCode: 'INVALID_SESSION_ID',
		});
	});
});
