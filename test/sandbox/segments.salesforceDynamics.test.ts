/**
 * Campaign members (Salesforce) and marketing-list members (Dynamics 365) in the sandbox:
 * the admin helpers change them as a CRM user would, and the CRMs' own queries — SOQL on
 * CampaignMember with a key cursor, OData on listmembers — read them back.
 */
import { call, clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';

describe('Segments in the Salesforce and Dynamics sandboxes', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;

	beforeAll(async () => {
		sandbox = await startSandbox({ rateLimits: { salesforce: false, dynamics: false } });
	});
	afterAll(() => sandbox.close());
	beforeEach(() => sandbox.admin.reset());

	it('Salesforce: a campaign gets a CampaignMember row per lead or contact, read by SOQL in Id order', async () => {
		const token = await clientCredentialsToken(sandbox.url, 'salesforce');
		const soql = (q: string) =>
			call<{ records: Array<Record<string, unknown>>; totalSize: number }>(
				`${sandbox.url}/services/data/v62.0/query?q=${encodeURIComponent(q)}`,
				{ token },
			);
		const [{ id: campaign }] = sandbox.admin.putRecords('salesforce', 'Campaign', [
			{ Name: 'Trade show', IsActive: true },
		]);
		const [{ id: contact }] = sandbox.admin.putRecords('salesforce', 'Contact', [
			{ LastName: 'Ng' },
		]);
		const [{ id: lead }] = sandbox.admin.putRecords('salesforce', 'Lead', [
			{ LastName: 'Roe', Company: 'Initech' },
		]);
		sandbox.admin.addMembers('salesforce', campaign, [contact, lead, contact]);
		const all = await soql(
			`SELECT Id, LeadId, ContactId FROM CampaignMember WHERE CampaignId = '${campaign}' ORDER BY Id LIMIT 1`,
		);
		expect(all.status).toBe(200);
		expect(all.body.records).toEqual([
			expect.objectContaining({ ContactId: contact, LeadId: null }),
		]);
		const after = await soql(
			`SELECT Id, LeadId, ContactId FROM CampaignMember WHERE CampaignId = '${campaign}' AND Id > '${String(all.body.records[0].Id)}' ORDER BY Id LIMIT 5`,
		);
		expect(after.body.records).toEqual([
			expect.objectContaining({ LeadId: lead, ContactId: null }),
		]);

		sandbox.admin.removeMembers('salesforce', campaign, [contact]);
		expect(
			sandbox.admin.records('salesforce', 'CampaignMember').map((r) => r.fields.LeadId),
		).toEqual([lead]);
		expect(() => sandbox.admin.addMembers('salesforce', '7015gSbx0009999AAA', [lead])).toThrow(
			'Salesforce campaign 7015gSbx0009999AAA does not exist',
		);
		expect(() => sandbox.admin.addMembers('salesforce', campaign, [campaign])).toThrow(
			`no lead or contact ${campaign}`,
		);
	});

	it('Dynamics: a static list gets a listmember row per record of its type, read by OData with a key cursor', async () => {
		const token = await clientCredentialsToken(sandbox.url, 'dynamics');
		const get = <T>(path: string) => call<T>(`${sandbox.url}/api/data/v9.2/${path}`, { token });
		const [{ id: listId }] = sandbox.admin.putRecords('dynamics', 'list', [
			{ listname: 'Newsletter', createdfromcode: 2, type: false },
		]);
		const contacts = sandbox.admin
			.putRecords('dynamics', 'contact', [{ lastname: 'A' }, { lastname: 'B' }, { lastname: 'C' }])
			.map((record) => record.id);
		sandbox.admin.addMembers('dynamics', listId, contacts);

		const list = await get<{ listname: string; createdfromcode: number; type: boolean }>(
			`lists(${listId})?$select=listid,listname,createdfromcode,type`,
		);
		expect(list.body).toMatchObject({ listname: 'Newsletter', createdfromcode: 2, type: false });
		const first = await get<{ value: Array<{ listmemberid: string; _entityid_value: string }> }>(
			`listmembers?$select=listmemberid,_entityid_value&$filter=_listid_value eq ${listId}&$orderby=listmemberid asc&$top=2`,
		);
		expect(first.body.value).toHaveLength(2);
		const rest = await get<{ value: Array<{ listmemberid: string; _entityid_value: string }> }>(
			`listmembers?$select=listmemberid,_entityid_value&$filter=(_listid_value eq ${listId}) and (listmemberid gt ${first.body.value[1].listmemberid})&$orderby=listmemberid asc&$top=2`,
		);
		expect([...first.body.value, ...rest.body.value].map((m) => m._entityid_value).sort()).toEqual(
			[...contacts].sort(),
		);

		sandbox.admin.removeMembers('dynamics', listId, [contacts[0]]);
		expect(sandbox.admin.records('dynamics', 'listmember')).toHaveLength(2);
		const missing = await get('lists(0b9a7e52-0000-4000-8000-00000000beef)');
		expect(missing.status).toBe(404);
		const [{ id: lead }] = sandbox.admin.putRecords('dynamics', 'lead', [{ lastname: 'L' }]);
		expect(() => sandbox.admin.addMembers('dynamics', listId, [lead])).toThrow(
			`no contact ${lead}`,
		);
	});
});
