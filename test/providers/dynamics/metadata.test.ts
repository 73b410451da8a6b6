import nock from 'nock';

import {
	API,
	batchResponse,
	interceptBatch,
	jsonPart,
	makeProvider,
	ORG,
	ROOT,
	sentParts,
	setupNock,
} from './support';

setupNock();

const DEFS = "EntityDefinitions(LogicalName='contact')/Attributes";
const label = (text: string) => ({ UserLocalizedLabel: { Label: text } });

function describeResponse() {
	return batchResponse([
		jsonPart(200, {
			value: [
				{
					LogicalName: 'contactid',
					AttributeType: 'Uniqueidentifier',
					AttributeTypeName: { Value: 'UniqueidentifierType' },
					DisplayName: label('Contact'),
					IsValidForCreate: true,
					IsValidForUpdate: false,
					IsValidForRead: true,
					RequiredLevel: { Value: 'SystemRequired' },
					IsPrimaryId: true,
				},
				{
					LogicalName: 'lastname',
					AttributeType: 'String',
					AttributeTypeName: { Value: 'StringType' },
					DisplayName: label('Last Name'),
					IsValidForCreate: true,
					IsValidForUpdate: true,
					IsValidForRead: true,
					RequiredLevel: { Value: 'ApplicationRequired' },
				},
				{
					LogicalName: 'emailaddress1',
					AttributeType: 'String',
					AttributeTypeName: { Value: 'StringType' },
					DisplayName: label('Email'),
					IsValidForCreate: true,
					IsValidForUpdate: true,
					IsValidForRead: true,
					RequiredLevel: { Value: 'None' },
				},
				{
					LogicalName: 'birthdate',
					AttributeType: 'DateTime',
					AttributeTypeName: { Value: 'DateTimeType' },
					DisplayName: label('Birthday'),
					IsValidForCreate: true,
					IsValidForUpdate: true,
					IsValidForRead: true,
					RequiredLevel: { Value: 'None' },
				},
				{
					LogicalName: 'lastusedincampaign',
					AttributeType: 'DateTime',
					AttributeTypeName: { Value: 'DateTimeType' },
					DisplayName: label('Last Used'),
					IsValidForCreate: false,
					IsValidForUpdate: false,
					IsValidForRead: true,
					RequiredLevel: { Value: 'None' },
				},
				{
					LogicalName: 'preferredcontactmethodcode',
					AttributeType: 'Picklist',
					AttributeTypeName: { Value: 'PicklistType' },
					DisplayName: label('Preferred Method'),
					IsValidForCreate: true,
					IsValidForUpdate: true,
					IsValidForRead: true,
					RequiredLevel: { Value: 'None' },
				},
				{
					LogicalName: 'new_interests',
					AttributeType: 'Virtual',
					AttributeTypeName: { Value: 'MultiSelectPicklistType' },
					DisplayName: label('Interests'),
					IsValidForCreate: true,
					IsValidForUpdate: true,
					IsValidForRead: true,
					RequiredLevel: { Value: 'None' },
				},
				{
					LogicalName: 'numberofchildren',
					AttributeType: 'Integer',
					AttributeTypeName: { Value: 'IntegerType' },
					DisplayName: label('No. of Children'),
					IsValidForCreate: true,
					IsValidForUpdate: true,
					IsValidForRead: true,
					RequiredLevel: { Value: 'None' },
				},
				{
					LogicalName: 'donotemail',
					AttributeType: 'Boolean',
					AttributeTypeName: { Value: 'BooleanType' },
					DisplayName: label('Do not allow Emails'),
					IsValidForCreate: true,
					IsValidForUpdate: true,
					IsValidForRead: true,
					RequiredLevel: { Value: 'None' },
				},
				{
					LogicalName: 'parentcustomerid',
					AttributeType: 'Customer',
					AttributeTypeName: { Value: 'CustomerType' },
					DisplayName: label('Company Name'),
					IsValidForCreate: true,
					IsValidForUpdate: true,
					IsValidForRead: true,
					RequiredLevel: { Value: 'None' },
				},
				// Auxiliary columns of a lookup and plain virtual columns are not fields a user maps.
				{
					LogicalName: 'parentcustomeridname',
					AttributeType: 'String',
					AttributeOf: 'parentcustomerid',
					IsValidForRead: true,
				},
				{
					LogicalName: 'entityimage',
					AttributeType: 'Virtual',
					AttributeTypeName: { Value: 'ImageType' },
					IsValidForRead: true,
				},
			],
		}),
		jsonPart(200, {
			value: [
				{
					LogicalName: 'preferredcontactmethodcode',
					OptionSet: {
						Options: [
							{ Value: 1, Label: label('Any') },
							{ Value: 2, Label: label('Email') },
						],
					},
				},
			],
		}),
		jsonPart(200, {
			value: [
				{
					LogicalName: 'new_interests',
					OptionSet: null,
					GlobalOptionSet: { Options: [{ Value: 100000000, Label: label('Golf') }] },
				},
			],
		}),
		jsonPart(200, { value: [] }),
		jsonPart(200, { value: [] }),
		jsonPart(200, {
			value: [
				{ LogicalName: 'birthdate', Format: 'DateOnly' },
				{ LogicalName: 'lastusedincampaign', Format: 'DateAndTime' },
			],
		}),
		jsonPart(200, {
			value: [
				{ LogicalName: 'lastname', FormatName: { Value: 'Text' } },
				{ LogicalName: 'emailaddress1', FormatName: { Value: 'Email' } },
			],
		}),
	]);
}

describe('describeObject', () => {
	it('reads attributes and every option-set cast in ONE $batch and maps them to neutral fields', async () => {
		const { provider } = makeProvider();
		const sent = interceptBatch(describeResponse());
		const description = await provider.describeObject('contacts');

		expect(sentParts(sent.bodies[0]).map((part) => part.url)).toEqual([
			`${ROOT}${DEFS}?$select=LogicalName,AttributeType,AttributeTypeName,AttributeOf,DisplayName,IsValidForCreate,IsValidForUpdate,IsValidForRead,RequiredLevel,IsPrimaryId,IsPrimaryName`,
			`${ROOT}${DEFS}/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options),GlobalOptionSet($select=Options)`,
			`${ROOT}${DEFS}/Microsoft.Dynamics.CRM.MultiSelectPicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options),GlobalOptionSet($select=Options)`,
			`${ROOT}${DEFS}/Microsoft.Dynamics.CRM.StateAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options),GlobalOptionSet($select=Options)`,
			`${ROOT}${DEFS}/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$select=LogicalName&$expand=OptionSet($select=Options),GlobalOptionSet($select=Options)`,
			`${ROOT}${DEFS}/Microsoft.Dynamics.CRM.DateTimeAttributeMetadata?$select=LogicalName,Format`,
			`${ROOT}${DEFS}/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,FormatName`,
		]);

		expect(description.objectType).toBe('contact');
		const byName = Object.fromEntries(description.fields.map((field) => [field.name, field]));
		expect(Object.keys(byName).sort()).toEqual(
			[
				'birthdate',
				'contactid',
				'donotemail',
				'emailaddress1',
				'lastname',
				'lastusedincampaign',
				'new_interests',
				'numberofchildren',
				'parentcustomerid',
				'preferredcontactmethodcode',
			].sort(),
		);
		expect(byName.preferredcontactmethodcode).toEqual({
			name: 'preferredcontactmethodcode',
			label: 'Preferred Method',
			type: 'enum',
			nativeType: 'PicklistType',
			options: [
				{ value: '1', label: 'Any' },
				{ value: '2', label: 'Email' },
			],
			readOnly: false,
			required: false,
			canBeUsedToMatch: false,
		});
		expect(byName.new_interests).toMatchObject({
			type: 'multiEnum',
			options: [{ value: '100000000', label: 'Golf' }],
		});
		expect(byName.birthdate.type).toBe('date');
		expect(byName.lastusedincampaign).toMatchObject({ type: 'datetime', readOnly: true });
		expect(byName.lastname).toMatchObject({
			type: 'string',
			required: true,
			canBeUsedToMatch: false,
		});
		expect(byName.emailaddress1).toMatchObject({ type: 'string', canBeUsedToMatch: true });
		expect(byName.contactid).toMatchObject({ canBeUsedToMatch: true, readOnly: false });
		expect(byName.numberofchildren.type).toBe('number');
		expect(byName.donotemail.type).toBe('boolean');
		expect(byName.parentcustomerid.type).toBe('reference');
	});

	it('serves repeats from the cache until refresh, TTL expiry or clearMetadataCache', async () => {
		const { provider, advance } = makeProvider({ metadataTtlMs: 60_000 });
		const sent = interceptBatch(describeResponse());
		const first = await provider.describeObject('contact');
		expect(await provider.describeObject('contact')).toBe(first);
		expect(sent.bodies).toHaveLength(1);

		const refreshed = interceptBatch(describeResponse());
		const second = await provider.describeObject('contact', { refresh: true });
		expect(refreshed.bodies).toHaveLength(1);
		expect(second).not.toBe(first);

		advance(59_000);
		expect(await provider.describeObject('contact')).toBe(second);
		advance(2_000);
		const expired = interceptBatch(describeResponse());
		const third = await provider.describeObject('contact');
		expect(expired.bodies).toHaveLength(1);
		expect(third.fetchedAt).toBeGreaterThan(second.fetchedAt);

		provider.clearMetadataCache();
		const cleared = interceptBatch(describeResponse());
		await provider.describeObject('contact');
		expect(cleared.bodies).toHaveLength(1);
		expect(provider.usage().calls).toBe(4);
	});
});

describe('resolveOwners', () => {
	it('looks every e-mail up in ONE systemusers request and keys the result by lower-cased e-mail', async () => {
		const { provider } = makeProvider();
		nock(ORG)
			.get(`${API}/systemusers`)
			.query({
				$select: 'systemuserid,internalemailaddress,isdisabled',
				$filter:
					"(internalemailaddress eq 'ann@contoso.com' or internalemailaddress eq 'o''neil@contoso.com') and isdisabled eq false",
			})
			.reply(200, {
				value: [
					{
						systemuserid: 'e0000000-0000-0000-0000-000000000001',
						internalemailaddress: 'Ann@Contoso.com',
					},
					{
						systemuserid: 'e0000000-0000-0000-0000-000000000002',
						internalemailaddress: "O'Neil@contoso.com",
					},
				],
			});
		const owners = await provider.resolveOwners([
			'Ann@contoso.com',
			"o'neil@contoso.com",
			'ann@contoso.com',
			'not-an-email',
		]);
		expect(Object.fromEntries(owners)).toEqual({
			'ann@contoso.com': 'e0000000-0000-0000-0000-000000000001',
			"o'neil@contoso.com": 'e0000000-0000-0000-0000-000000000002',
		});
	});
});

describe('listChanged', () => {
	it('pages oldest-first with odata.maxpagesize and follows @odata.nextLink as the cursor', async () => {
		const { provider } = makeProvider();
		const next = `${ROOT}contacts?$select=contactid&$skiptoken=%3Ccookie%20pagenumber=%222%22%3E`;
		nock(ORG)
			.get(`${API}/contacts`)
			.query({
				$select: 'contactid,createdon,modifiedon,fullname,telephone1',
				$filter: '(modifiedon ge 2026-11-01T00:00:00Z) and (statecode eq 0)',
				$orderby: 'modifiedon asc,contactid asc',
				$count: 'true',
			})
			.matchHeader('prefer', 'odata.maxpagesize=2')
			.reply(200, {
				'@odata.count': 3,
				value: [
					{
						contactid: 'c1',
						fullname: 'A',
						modifiedon: '2026-11-02T00:00:00Z',
						createdon: '2026-01-01T00:00:00Z',
					},
					{
						contactid: 'c2',
						fullname: 'B',
						modifiedon: '2026-11-03T00:00:00Z',
						createdon: '2026-01-02T00:00:00Z',
					},
				],
				'@odata.nextLink': next,
			})
			.get(`${API}/contacts`)
			.query({ $select: 'contactid', $skiptoken: '<cookie pagenumber="2">' })
			.matchHeader('prefer', 'odata.maxpagesize=2')
			.reply(200, {
				value: [{ contactid: 'c3', fullname: 'C', modifiedon: '2026-11-04T00:00:00Z' }],
			});

		const request = {
			objectType: 'contact',
			since: '2026-11-01T01:00:00+01:00',
			properties: ['fullname', 'telephone1'],
			pageSize: 2,
			filter: 'statecode eq 0',
		};
		const page1 = await provider.listChanged(request);
		expect(page1.records.map((record) => [record.id, record.updatedAt])).toEqual([
			['c1', '2026-11-02T00:00:00Z'],
			['c2', '2026-11-03T00:00:00Z'],
		]);
		expect(page1.records[0]).toMatchObject({
			objectType: 'contact',
			createdAt: '2026-01-01T00:00:00Z',
			properties: { fullname: 'A' },
		});
		expect(page1.nextCursor).toBe(next);
		// The first page carries Dataverse's count of the whole listing (a full import's estimate).
		expect(page1.listedFromSince).toBe(3);
		const page2 = await provider.listChanged({ ...request, cursor: page1.nextCursor });
		expect(page2.records.map((record) => record.id)).toEqual(['c3']);
		expect(page2.nextCursor).toBeUndefined();
		expect(page2.listedFromSince).toBeUndefined();
	});

	it('refuses a cursor that points outside the org (the token would go with it)', async () => {
		const { provider } = makeProvider();
		await expect(
			provider.listChanged({
				objectType: 'contact',
				since: '2026-11-01T00:00:00Z',
				properties: [],
				cursor: 'https://evil.example/api/data/v9.2/contacts',
			}),
		).rejects.toThrow(/does not belong to this Dynamics 365 org/);
		expect(provider.usage().calls).toBe(0);
	});
});

describe('profile', () => {
	it('declares the Dataverse object types, single-target activities and batch sizes', () => {
		const { provider } = makeProvider();
		expect(provider.profile).toMatchObject({
			crm: 'dynamics',
			objects: {
				contact: { objectType: 'contact' },
				company: { objectType: 'account' },
				deal: { objectType: 'opportunity' },
				lead: { objectType: 'lead' },
			},
			activityKinds: ['note', 'meeting', 'task', 'call', 'chat'],
			singleTargetActivityKinds: ['note', 'meeting', 'task', 'call', 'chat'],
			writeBatchSize: 1000,
		});
	});
});
