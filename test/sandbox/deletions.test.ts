/**
 * Deletions in the sandbox, deleted through each vendor's own API and read back the way the
 * vendor lists them: HubSpot's archived listing, Salesforce's sObject Get Deleted, Dataverse
 * change tracking. Also the reads associations come from (contact roles, lookup annotations).
 */
import { call, clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';

async function send<T>(
	url: string,
	init: { method?: string; token: string; headers?: Record<string, string> },
): Promise<{ status: number; headers: Headers; body: T }> {
	const response = await fetch(url, {
		method: init.method ?? 'GET',
		headers: { Authorization: `Bearer ${init.token}`, ...(init.headers ?? {}) },
	});
	const text = await response.text();
	return {
		status: response.status,
		headers: response.headers,
		body: (text ? JSON.parse(text) : undefined) as T,
	};
}

describe('Deletions in the sandbox', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let clock = Date.UTC(2026, 11, 7, 9, 0, 30);

	beforeAll(async () => {
		sandbox = await startSandbox({
			now: () => clock,
			rateLimits: { hubspot: false, salesforce: false, dynamics: false },
		});
	});
	afterAll(() => sandbox.close());
	beforeEach(() => {
		clock = Date.UTC(2026, 11, 7, 9, 0, 30);
		sandbox.admin.reset();
	});

	it('HubSpot: an archived record leaves the normal listing and shows in archived=true with archivedAt, page by page', async () => {
		const token = 'pat-na1-deletions';
		const api = (path: string) => `${sandbox.url}/hubspot/crm/v3/objects${path}`;
		const [kept, gone, alsoGone] = sandbox.admin.putRecords('hubspot', 'companies', [
			{ name: 'Kept' },
			{ name: 'Gone' },
			{ name: 'Also gone' },
		]);
		clock += 5_000;
		expect((await call(api(`/companies/${gone.id}`), { method: 'DELETE', token })).status).toBe(
			204,
		);
		clock += 1_000;
		const batch = await call(api('/companies/batch/archive'), {
			token,
			body: { inputs: [{ id: alsoGone.id }] },
		});
		expect(batch.status).toBe(204);

		type Page = {
			results: Array<{ id: string; archived: boolean; archivedAt?: string }>;
			paging?: unknown;
		};
		const live = await call<Page>(api('/companies?limit=100'), { token });
		expect(live.body.results.map((r) => r.id)).toEqual([kept.id]);
		const archived = await call<Page>(api('/companies?archived=true&limit=1'), { token });
		expect(archived.body.results).toEqual([
			expect.objectContaining({
				id: gone.id,
				archived: true,
				archivedAt: new Date(Date.UTC(2026, 11, 7, 9, 0, 35)).toISOString(),
			}),
		]);
		expect(archived.body.paging).toEqual({ next: { after: '1', link: '' } });
		const second = await call<Page>(api('/companies?archived=true&limit=1&after=1'), { token });
		expect(second.body.results.map((r) => [r.id, r.archivedAt])).toEqual([
			[alsoGone.id, new Date(Date.UTC(2026, 11, 7, 9, 0, 36)).toISOString()],
		]);
		expect(second.body.paging).toBeUndefined();
		// Other object types are untouched.
		expect((await call<Page>(api('/deals?archived=true'), { token })).body.results).toEqual([]);
	});

	it('Salesforce: sObject Get Deleted lists deletions in a window whose seconds are ignored, within 15 days', async () => {
		const token = await clientCredentialsToken(sandbox.url, 'salesforce');
		const base = `${sandbox.url}/services/data/v62.0/sobjects`;
		const [first, second] = sandbox.admin.putRecords('salesforce', 'Account', [
			{ Name: 'A' },
			{ Name: 'B' },
		]);
		clock = Date.UTC(2026, 11, 7, 9, 1, 20);
		expect((await call(`${base}/Account/${first.id}`, { method: 'DELETE', token })).status).toBe(
			204,
		);
		clock = Date.UTC(2026, 11, 7, 9, 3, 5);
		expect((await call(`${base}/Account/${second.id}`, { method: 'DELETE', token })).status).toBe(
			204,
		);

		type Deleted = {
			deletedRecords: Array<{ id: string; deletedDate: string }>;
			latestDateCovered: string;
		};
		const window = (start: string, end: string) =>
			call<Deleted>(
				`${base}/Account/deleted/?start=${encodeURIComponent(start)}&end=${encodeURIComponent(end)}`,
				{ token },
			);
		// 09:01:59 counts from 09:01:00: the first deletion (09:01:20) is in; 09:03:05 is past the end (09:03:00).
		const some = await window('2026-12-07T09:01:59+00:00', '2026-12-07T09:03:30+00:00');
		expect(some.status).toBe(200);
		expect(some.body.deletedRecords).toEqual([
			{ id: first.id, deletedDate: '2026-12-07T09:01:20.000+0000' },
		]);
		const all = await window('2026-12-07T09:00:00+00:00', '2026-12-07T09:05:00+00:00');
		expect(all.body.deletedRecords.map((d) => d.id)).toEqual([first.id, second.id]);
		expect(all.body.latestDateCovered).toBe('2026-12-07T09:03:00.000+0000');
		expect((await window('2026-11-01T00:00:00+00:00', '2026-12-07T09:05:00+00:00')).status).toBe(
			400,
		);
		expect((await window('2026-12-07T09:05:00+00:00', '2026-12-07T09:05:30+00:00')).status).toBe(
			400,
		);
		// Contacts have their own log.
		expect(
			(await window('2026-12-07T09:00:00+00:00', '2026-12-07T09:05:00+00:00')).body.deletedRecords,
		).toHaveLength(2);
		const contacts = await call<Deleted>(
			`${base}/Contact/deleted/?start=2026-12-07T09:00:00%2B00:00&end=2026-12-07T09:05:00%2B00:00`,
			{ token },
		);
		expect(contacts.body.deletedRecords).toEqual([]);
	});

	it('Salesforce: OpportunityContactRole rows are read by opportunity ids with SOQL', async () => {
		const token = await clientCredentialsToken(sandbox.url, 'salesforce');
		const [contact] = sandbox.admin.putRecords('salesforce', 'Contact', [{ LastName: 'Ng' }]);
		const [deal] = sandbox.admin.putRecords('salesforce', 'Opportunity', [
			{ Name: 'D', StageName: 'Prospecting', CloseDate: '2026-12-31' },
		]);
		sandbox.admin.putRecords('salesforce', 'OpportunityContactRole', [
			{ OpportunityId: deal.id, ContactId: contact.id },
		]);
		const soql = `SELECT OpportunityId, ContactId FROM OpportunityContactRole WHERE OpportunityId IN ('${deal.id}')`;
		const answer = await call<{ records: Array<Record<string, unknown>> }>(
			`${sandbox.url}/services/data/v62.0/query?q=${encodeURIComponent(soql)}`,
			{ token },
		);
		expect(answer.body.records).toEqual([
			expect.objectContaining({ OpportunityId: deal.id, ContactId: contact.id }),
		]);
	});

	it('Dataverse: change tracking starts with a delta link and then returns changed rows and $deletedEntity entries once', async () => {
		const token = await clientCredentialsToken(sandbox.url, 'dynamics');
		const root = `${sandbox.url}/api/data/v9.2/`;
		const [a, b, c] = sandbox.admin.putRecords('dynamics', 'account', [
			{ name: 'A' },
			{ name: 'B' },
			{ name: 'C' },
		]);
		type Tracked = {
			value: Array<Record<string, unknown>>;
			'@odata.nextLink'?: string;
			'@odata.deltaLink'?: string;
		};
		const track = { Prefer: 'odata.track-changes,odata.maxpagesize=2' };
		const first = await send<Tracked>(`${root}accounts?$select=accountid`, {
			token,
			headers: track,
		});
		expect(first.status).toBe(200);
		expect(first.headers.get('preference-applied')).toContain('odata.track-changes');
		expect(first.body.value).toHaveLength(2);
		expect(first.body['@odata.deltaLink']).toBeUndefined();
		const last = await send<Tracked>(first.body['@odata.nextLink']!, { token, headers: track });
		expect(last.body.value.map((row) => row.accountid)).toEqual([c.id]);
		const delta = last.body['@odata.deltaLink']!;
		expect(delta.startsWith(root)).toBe(true);

		clock += 2_000;
		expect((await send(`${root}accounts(${a.id})`, { method: 'DELETE', token })).status).toBe(204);
		sandbox.admin.putRecords('dynamics', 'account', [{ id: b.id, name: 'B2' }]);
		const changes = await send<Tracked>(delta, { token, headers: track });
		expect(changes.body.value).toEqual([
			expect.objectContaining({ accountid: b.id }),
			{ '@odata.context': `${root}$metadata#accounts/$deletedEntity`, id: a.id, reason: 'deleted' },
		]);
		const next = await send<Tracked>(changes.body['@odata.deltaLink']!, { token, headers: track });
		expect(next.body.value).toEqual([]);
		// Like Dataverse, a tracked read takes no $filter.
		const filtered = await send(`${root}accounts?$filter=name eq 'A'`, { token, headers: track });
		expect(filtered.status).toBe(400);
	});
});
