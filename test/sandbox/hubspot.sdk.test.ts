/**
 * Fidelity: the official @hubspot/api-client talks to the sandbox's HubSpot vendor and
 * parses every answer into its models (search, batch, properties, owners, v4 associations).
 */
import { Client } from '@hubspot/api-client';

import { clientCredentialsToken, localNetworkOnly } from './helpers';
import { HUBSPOT_SEED_IDS, startSandbox, type SandboxHandle } from './server';

interface SdkError {
	code: number;
	body: {
		status: string;
		category: string;
		message: string;
		errors?: Array<{ code: string; context: Record<string, string[]> }>;
	};
}

async function sdkError(promise: Promise<unknown>): Promise<SdkError> {
	try {
		await promise;
	} catch (error) {
		return error as SdkError;
	}
	throw new Error('expected the SDK call to fail');
}

describe('HubSpot vendor through @hubspot/api-client', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let hubspot: Client;

	beforeAll(async () => {
		sandbox = await startSandbox({ rateLimits: { hubspot: false } });
		const accessToken = await clientCredentialsToken(sandbox.url, 'hubspot');
		hubspot = new Client({
			accessToken,
			basePath: `${sandbox.url}/hubspot`,
			numberOfApiCallRetries: 0,
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.admin.seed('hubspot'));

	it('search ORs filter groups over phone, mobile and the calculated searchable numbers', async () => {
		const page = await hubspot.crm.contacts.searchApi.doSearch({
			filterGroups: [
				{
					filters: [{ propertyName: 'phone', operator: 'EQ' as never, value: '+44 20 7946 0958' }],
				},
				{
					filters: [
						{
							propertyName: 'hs_searchable_calculated_phone_number',
							operator: 'EQ' as never,
							value: '4155550102',
						},
					],
				},
				{
					filters: [
						{
							propertyName: 'hs_searchable_calculated_mobile_number',
							operator: 'EQ' as never,
							value: '4155550112',
						},
					],
				},
				{
					filters: [
						{
							propertyName: 'hs_searchable_calculated_phone_number',
							operator: 'EQ' as never,
							value: '2125550199',
						},
					],
				},
			],
			properties: ['email', 'phone', 'hs_searchable_calculated_phone_number'],
			sorts: [],
			limit: 10,
			after: '0',
		});
		expect(page.total).toBe(3);
		expect(page.results.map((r) => r.properties.email).sort()).toEqual([
			'bob.ramirez@acme.example',
			'carol.hughes@globex.example',
			'dan.obrien@initech.example',
		]);
		const dan = page.results.find((r) => r.id === HUBSPOT_SEED_IDS.contacts.dan)!;
		expect(dan.properties.phone).toBe('(212) 555-0199 x12');
		expect(dan.properties.hs_searchable_calculated_phone_number).toBe('2125550199');
		expect(dan.createdAt).toBeInstanceOf(Date);
		expect(dan.archived).toBe(false);
	});

	it('search supports IN, HAS_PROPERTY, CONTAINS_TOKEN with wildcards, sorting and after-paging', async () => {
		const request = {
			filterGroups: [
				{
					filters: [
						{ propertyName: 'email', operator: 'CONTAINS_TOKEN' as never, value: '*@acme.example' },
						{ propertyName: 'phone', operator: 'HAS_PROPERTY' as never },
					],
				},
				{
					filters: [
						{ propertyName: 'firstname', operator: 'IN' as never, values: ['frank', 'ERIN'] },
					],
				},
			],
			sorts: [{ propertyName: 'lastname', direction: 'DESCENDING' } as never],
			properties: ['lastname'],
			limit: 3,
		};
		const first = await hubspot.crm.contacts.searchApi.doSearch(request);
		expect(first.total).toBe(4);
		expect(first.results.map((r) => r.properties.lastname)).toEqual([
			'Schulz',
			'Ramirez',
			'Nguyen',
		]);
		expect(first.paging?.next?.after).toBe('3');
		const second = await hubspot.crm.contacts.searchApi.doSearch({
			...request,
			after: first.paging!.next!.after,
		});
		expect(second.results.map((r) => r.properties.lastname)).toEqual(['Li']);
		expect(second.paging).toBeUndefined();
	});

	it('open deals: NOT_IN on the deal stage and BETWEEN on the amount', async () => {
		const page = await hubspot.crm.deals.searchApi.doSearch({
			filterGroups: [
				{
					filters: [
						{
							propertyName: 'dealstage',
							operator: 'NOT_IN' as never,
							values: ['closedwon', 'closedlost'],
						},
						{
							propertyName: 'amount',
							operator: 'BETWEEN' as never,
							value: '10000',
							highValue: '50000',
						},
					],
				},
			],
			properties: ['dealname', 'hs_is_closed'],
			limit: 10,
		});
		expect(page.results.map((r) => r.properties.dealname).sort()).toEqual([
			'Acme – Fleet expansion',
			'Acme – Support renewal',
		]);
		expect(page.results.every((r) => r.properties.hs_is_closed === 'false')).toBe(true);
	});

	it('search rejects more than 5 groups, 10 filters per group, 25 filters or 100 IN values with a 400 VALIDATION_ERROR', async () => {
		const filter = { propertyName: 'email', operator: 'EQ' as never, value: 'x@y.example' };
		const search = (filterGroups: Array<{ filters: Array<Record<string, unknown>> }>) =>
			hubspot.crm.contacts.searchApi.doSearch({ filterGroups: filterGroups as never, limit: 10 });
		// At every limit: accepted.
		await expect(
			search(
				Array.from({ length: 5 }, () => ({ filters: Array.from({ length: 5 }, () => filter) })),
			),
		).resolves.toBeDefined();
		await expect(
			search([{ filters: Array.from({ length: 10 }, () => filter) }]),
		).resolves.toBeDefined();
		const values = (n: number) => Array.from({ length: n }, (_, i) => `p${i}@y.example`);
		await expect(
			search([{ filters: [{ propertyName: 'email', operator: 'IN', values: values(100) }] }]),
		).resolves.toBeDefined();

		const tooManyGroups = await sdkError(
			search(Array.from({ length: 6 }, () => ({ filters: [filter] }))),
		);
		const tooManyInGroup = await sdkError(
			search([{ filters: Array.from({ length: 11 }, () => filter) }]),
		);
		const tooManyTotal = await sdkError(
			search(
				Array.from({ length: 3 }, () => ({ filters: Array.from({ length: 9 }, () => filter) })),
			),
		);
		const tooManyValues = await sdkError(
			search([{ filters: [{ propertyName: 'email', operator: 'IN', values: values(101) }] }]),
		);
		const tooLarge = await sdkError(
			hubspot.crm.contacts.searchApi.doSearch({ filterGroups: [], limit: 201 }),
		);
		expect(tooManyValues.body.message).toContain('maximum number of values per filter is 100');
		for (const error of [tooManyGroups, tooManyInGroup, tooManyTotal, tooManyValues, tooLarge]) {
			expect(error.code).toBe(400);
			expect(error.body).toMatchObject({ status: 'error', category: 'VALIDATION_ERROR' });
		}
		expect(tooManyGroups.body.message).toContain('filterGroups');
		expect(tooManyTotal.body.message).toContain('25');
	});

	it('batch create → read → update → upsert, with lastmodifieddate maintained', async () => {
		const created = await hubspot.crm.contacts.batchApi.create({
			inputs: [
				{
					properties: {
						email: 'new.one@acme.example',
						firstname: 'New',
						phone: '+1 415 555 0177',
						hs_lead_status: 'NEW',
					},
					associations: [],
				},
				{ properties: { email: 'new.two@globex.example', firstname: 'Two' }, associations: [] },
			],
		});
		expect(created.status).toBe('COMPLETE');
		expect(created.results).toHaveLength(2);
		const one = created.results.find((r) => r.properties.email === 'new.one@acme.example')!;
		expect(one.properties.hs_searchable_calculated_phone_number).toBe('4155550177');
		expect(one.createdAt).toBeInstanceOf(Date);

		const read = await hubspot.crm.contacts.batchApi.read({
			inputs: [{ id: one.id }],
			properties: ['firstname', 'hs_lead_status'],
			propertiesWithHistory: [],
		});
		expect(read.results[0].properties).toMatchObject({
			firstname: 'New',
			hs_lead_status: 'NEW',
			hs_object_id: one.id,
		});

		const before = Date.parse(read.results[0].properties.lastmodifieddate!);
		const updated = await hubspot.crm.contacts.batchApi.update({
			inputs: [{ id: one.id, properties: { firstname: 'Renamed', hs_lead_status: 'CONNECTED' } }],
		});
		expect(updated.results[0].properties).toMatchObject({
			firstname: 'Renamed',
			hs_lead_status: 'CONNECTED',
		});
		expect(Date.parse(updated.results[0].properties.lastmodifieddate!)).toBeGreaterThan(before);
		expect(updated.results[0].updatedAt.getTime()).toBeGreaterThan(before);

		const upserted = await hubspot.crm.contacts.batchApi.upsert({
			inputs: [
				{ idProperty: 'email', id: 'alice.nguyen@acme.example', properties: { jobtitle: 'COO' } },
				{
					idProperty: 'email',
					id: 'brand.new@initech.example',
					properties: { firstname: 'Brand' },
				},
			],
		});
		const byEmail = new Map(upserted.results.map((r) => [r.properties.email, r]));
		expect(byEmail.get('alice.nguyen@acme.example')).toMatchObject({
			id: HUBSPOT_SEED_IDS.contacts.alice,
			_new: false,
		});
		expect(byEmail.get('brand.new@initech.example')?._new).toBe(true);
		expect(
			sandbox.admin
				.records('hubspot', 'contacts')
				.find((r) => r.id === HUBSPOT_SEED_IDS.contacts.alice)?.fields.jobtitle,
		).toBe('COO');
	});

	it('a batch with some invalid inputs answers 207: the valid ones are written, errors carry HubSpot fields and the trace id', async () => {
		const response = await hubspot.crm.objects.notes.batchApi.create({
			inputs: [
				{
					properties: { hs_note_body: 'ok', hs_timestamp: '2026-11-21T10:00:00Z' },
					associations: [],
					objectWriteTraceId: 't0',
				} as never,
				{
					properties: { hs_note_body: 'bad', not_a_property: 'x' },
					associations: [],
					objectWriteTraceId: 't1',
				} as never,
			],
		});
		expect(response.status).toBe('COMPLETE');
		expect(response.results).toHaveLength(1);
		expect(response.results[0].properties.hs_timestamp).toBe('2026-11-21T10:00:00.000Z');
		const errors = (
			response as {
				errors?: Array<{
					status: string;
					category: string;
					message: string;
					context: Record<string, string[]>;
				}>;
			}
		).errors!;
		expect((response as { numErrors?: number }).numErrors).toBe(1);
		expect(errors[0]).toMatchObject({
			status: 'error',
			category: 'VALIDATION_ERROR',
			context: { objectWriteTraceId: ['t1'], propertyName: ['not_a_property'] },
		});
		expect(errors[0].message).toMatch(/^Property values were not valid: /);
		expect(sandbox.admin.records('hubspot', 'notes')).toHaveLength(1);
	});

	it("an unknown property on a single create is a 400 in HubSpot's validation shape, and nothing is written", async () => {
		const error = await sdkError(
			hubspot.crm.contacts.basicApi.create({
				properties: { email: 'x@acme.example', favourite_color: 'teal' },
				associations: [],
			}),
		);
		expect(error.code).toBe(400);
		expect(error.body).toMatchObject({
			status: 'error',
			category: 'VALIDATION_ERROR',
			errors: [
				{
					message: 'Property "favourite_color" does not exist',
					code: 'PROPERTY_DOESNT_EXIST',
					context: { propertyName: ['favourite_color'] },
				},
			],
		});
		expect(JSON.parse(error.body.message.replace('Property values were not valid: ', ''))).toEqual([
			expect.objectContaining({
				isValid: false,
				error: 'PROPERTY_DOESNT_EXIST',
				name: 'favourite_color',
			}),
		]);
		expect(
			sandbox.admin.records('hubspot', 'contacts').some((r) => r.fields.email === 'x@acme.example'),
		).toBe(false);
	});

	it('rejects an enum value outside the picklist and a date that is not midnight UTC', async () => {
		const badEnum = await sdkError(
			hubspot.crm.contacts.basicApi.update(HUBSPOT_SEED_IDS.contacts.bob, {
				properties: { hs_lead_status: 'MAYBE' },
			}),
		);
		expect(badEnum.code).toBe(400);
		expect(badEnum.body.errors?.[0].code).toBe('INVALID_OPTION');
		const badDate = await sdkError(
			hubspot.crm.contacts.basicApi.update(HUBSPOT_SEED_IDS.contacts.bob, {
				properties: { preferred_contact_date: String(Date.UTC(2026, 10, 21, 15)) },
			}),
		);
		expect(badDate.body.errors?.[0].code).toBe('INVALID_DATE');
		const good = await hubspot.crm.contacts.basicApi.update(HUBSPOT_SEED_IDS.contacts.bob, {
			properties: { preferred_contact_date: String(Date.UTC(2026, 10, 21)) },
		});
		expect(good.properties.preferred_contact_date).toBe('2026-11-21');
	});

	it('creates engagements with inline associations and reads them back through v4 batch read', async () => {
		const meeting = await hubspot.crm.objects.meetings.basicApi.create({
			properties: {
				hs_meeting_title: 'Discovery',
				hs_activity_type: 'Discovery call',
				hs_timestamp: '2026-11-20T15:00:00Z',
			},
			associations: [
				{
					to: { id: HUBSPOT_SEED_IDS.contacts.alice },
					types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 200 }],
				},
				{
					to: { id: HUBSPOT_SEED_IDS.deals['acme-expansion'] },
					types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 212 }],
				},
			],
		});
		const fromMeeting = await hubspot.crm.associations.v4.batchApi.getPage('meetings', 'contacts', {
			inputs: [{ id: meeting.id }],
		});
		expect(fromMeeting.results).toHaveLength(1);
		expect(String(fromMeeting.results[0].to[0].toObjectId)).toBe(HUBSPOT_SEED_IDS.contacts.alice);
		expect(fromMeeting.results[0].to[0].associationTypes[0]).toMatchObject({
			category: 'HUBSPOT_DEFINED',
			typeId: 200,
		});

		// The inverse direction is created too (contact → meeting 199).
		const fromContact = await hubspot.crm.associations.v4.batchApi.getPage('contact', 'meeting', {
			inputs: [{ id: HUBSPOT_SEED_IDS.contacts.alice }],
		});
		expect(fromContact.results[0].to.map((t) => String(t.toObjectId))).toEqual([meeting.id]);
		expect(fromContact.results[0].to[0].associationTypes[0].typeId).toBe(199);

		const wrongType = await sdkError(
			hubspot.crm.objects.notes.basicApi.create({
				properties: { hs_note_body: 'x', hs_timestamp: '2026-11-20T15:00:00Z' },
				associations: [
					{
						to: { id: HUBSPOT_SEED_IDS.contacts.alice },
						types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 200 }],
					},
				],
			}),
		);
		expect(wrongType.code).toBe(400);
		expect(wrongType.body.category).toBe('VALIDATION_ERROR');
		const missingTarget = await sdkError(
			hubspot.crm.objects.notes.basicApi.create({
				properties: { hs_note_body: 'x', hs_timestamp: '2026-11-20T15:00:00Z' },
				associations: [
					{
						to: { id: '999999' },
						types: [{ associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: 202 }],
					},
				],
			}),
		);
		expect(missingTarget.code).toBe(400);
		expect(sandbox.admin.records('hubspot', 'notes')).toHaveLength(0);
	});

	it('v4 batch read returns the seeded deal associations and a 207 error for an object without any', async () => {
		const response = await hubspot.crm.associations.v4.batchApi.getPage('deals', 'contacts', {
			inputs: [
				{ id: HUBSPOT_SEED_IDS.deals['acme-expansion'] },
				{ id: HUBSPOT_SEED_IDS.deals['acme-pilot'] },
				{ id: '424242' },
			],
		});
		const byDeal = new Map(
			response.results.map((r) => [r._from.id, r.to.map((t) => String(t.toObjectId)).sort()]),
		);
		expect(byDeal.get(HUBSPOT_SEED_IDS.deals['acme-expansion'])).toEqual(
			[HUBSPOT_SEED_IDS.contacts.alice, HUBSPOT_SEED_IDS.contacts.bob].sort(),
		);
		expect(byDeal.get(HUBSPOT_SEED_IDS.deals['acme-pilot'])).toEqual([
			HUBSPOT_SEED_IDS.contacts.bob,
		]);
		const errors = (
			response as {
				errors?: Array<{
					category: string;
					subCategory: string;
					context: Record<string, string[]>;
				}>;
			}
		).errors!;
		expect(errors).toEqual([
			expect.objectContaining({
				category: 'OBJECT_NOT_FOUND',
				subCategory: 'crm.associations.NO_ASSOCIATIONS_FOUND',
				context: { fromObjectId: ['424242'] },
			}),
		]);
	});

	it('properties list enumeration options (lead status, lifecycle stage, meeting types)', async () => {
		const contactProps = await hubspot.crm.properties.coreApi.getAll('contacts');
		const leadStatus = contactProps.results.find((p) => p.name === 'hs_lead_status')!;
		expect(leadStatus.type).toBe('enumeration');
		expect(leadStatus.options.map((o) => o.value)).toContain('CONNECTED');
		expect(
			contactProps.results.find((p) => p.name === 'lifecyclestage')!.options.map((o) => o.value),
		).toContain('salesqualifiedlead');
		expect(
			contactProps.results.find((p) => p.name === 'hs_searchable_calculated_phone_number')!
				.modificationMetadata?.readOnlyValue,
		).toBe(true);
		const meetingProps = await hubspot.crm.properties.coreApi.getAll('meetings');
		expect(
			meetingProps.results.find((p) => p.name === 'hs_activity_type')!.options.map((o) => o.label),
		).toEqual(['Discovery call', 'Demo', 'Follow-up', 'Negotiation']);
		expect(meetingProps.results[0].createdAt).toBeInstanceOf(Date);
	});

	it('owners: filter by email and page with after', async () => {
		const byEmail = await hubspot.crm.owners.ownersApi.getPage('ben.okafor@sales.example');
		expect(byEmail.results).toHaveLength(1);
		expect(byEmail.results[0]).toMatchObject({
			id: HUBSPOT_SEED_IDS.owners['owner-ben'],
			firstName: 'Ben',
			lastName: 'Okafor',
			archived: false,
		});
		const first = await hubspot.crm.owners.ownersApi.getPage(undefined, undefined, 3);
		expect(first.results).toHaveLength(3);
		const rest = await hubspot.crm.owners.ownersApi.getPage(
			undefined,
			first.paging!.next!.after,
			3,
		);
		expect(rest.results.map((o) => o.email)).toEqual(['dev.patel@sales.example']);
		expect(rest.paging).toBeUndefined();
	});

	it("single-record get returns requested properties and 404s in HubSpot's shape", async () => {
		const company = await hubspot.crm.companies.basicApi.getById(
			HUBSPOT_SEED_IDS.companies.globex,
			['domain', 'city'],
		);
		expect(company.properties).toMatchObject({
			domain: 'globex.example',
			city: 'London',
			hs_object_id: HUBSPOT_SEED_IDS.companies.globex,
		});
		const missing = await sdkError(hubspot.crm.companies.basicApi.getById('1'));
		expect(missing.code).toBe(404);
		expect(missing.body).toMatchObject({ status: 'error', category: 'OBJECT_NOT_FOUND' });
	});

	it('a private app token (pat-…) is accepted without a token exchange', async () => {
		const patClient = new Client({
			accessToken: 'pat-na1-sandbox-demo',
			basePath: `${sandbox.url}/hubspot`,
			numberOfApiCallRetries: 0,
		});
		const page = await patClient.crm.companies.basicApi.getPage(10);
		expect(page.results.map((c) => c.properties.domain).sort()).toEqual([
			'acme.example',
			'globex.example',
			'initech.example',
		]);
	});
});
