/**
 * CRM Link on HubSpot, executed by n8n's real engine against the local CRM sandbox.
 */
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import {
	addSandboxCredentials,
	jsonOf,
	packHarness,
	singleNodeWorkflow,
} from './support/packHarness';

const call = (id: string, participants: object[]) => ({
	id,
	startedAt: '2026-11-20T15:00:00Z',
	direction: 'inbound',
	participants: [{ name: 'Rep', email: 'rep@ours.example', internal: true }, ...participants],
	summary: 'Talked about the fleet expansion.',
	extraField: 'kept',
});

describe('CRM Link — HubSpot through the engine', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});
	beforeEach(() => sandbox.admin.clearRequests());

	it('matches contacts by phone and email, companies by domain and open deals, in one search for the batch', async () => {
		const harness = packHarness({ crmLink: new CrmLink() });
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const run = await harness.run(
			singleNodeWorkflow(
				'CRM Link',
				'crmLink',
				{
					crm: 'hubspot',
					hubspotAuthentication: 'privateApp',
					objectTypes: ['deal', 'contact', 'company'],
				},
				[
					call('call-1', [
						{ name: 'Alice', phone: '415-555-0101' },
						{ name: 'Bob', email: 'Bob.Ramirez@acme.example' },
					]),
					call('call-2', [
						{ name: 'Stranger', phone: '+1 202 555 0199', email: 'someone@gmail.com' },
					]),
				],
				credentials,
			),
		);
		expect(run.error('CRM Link')).toBeUndefined();
		const matched = jsonOf(run, 'CRM Link', 0);
		const noMatch = jsonOf(run, 'CRM Link', 1);
		expect(matched).toHaveLength(1);
		expect(noMatch).toHaveLength(1);
		const crm = matched[0].crm as {
			provider: string;
			matches: Record<string, Array<{ id: string; name?: string; isOpen?: boolean }>>;
		};
		expect(crm.provider).toBe('hubspot');
		expect(crm.matches.contact.map((c) => c.name).sort()).toEqual(['Alice Nguyen', 'Bob Ramirez']);
		expect(crm.matches.company.map((c) => c.name)).toEqual(['Acme Corporation']);
		expect(crm.matches.deal.length).toBeGreaterThanOrEqual(2);
		expect(crm.matches.deal.every((d) => d.isOpen !== false)).toBe(true);
		expect(matched[0].extraField).toBe('kept');
		expect(noMatch[0].id).toBe('call-2');

		const searches = sandbox.admin.requests().filter((r) => r.path.includes('/contacts/search'));
		expect(searches).toHaveLength(1);
		const logs = matched[0].syncLog as Array<{
			operation: string;
			status: string;
			apiCalls: number;
		}>;
		expect(logs[0]).toMatchObject({ operation: 'link', status: 'success' });
	});

	it('sends a bad item to the error output naming the field, and keeps the others', async () => {
		const harness = packHarness({ crmLink: new CrmLink() });
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const run = await harness.run(
			singleNodeWorkflow(
				'CRM Link',
				'crmLink',
				{ crm: 'hubspot', hubspotAuthentication: 'privateApp' },
				[
					{ id: 'bad', startedAt: 'yesterday', participants: [] },
					call('call-3', [{ email: 'carol.hughes@globex.example' }]),
				],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
		);
		const errors = run.output('CRM Link')[2];
		expect(errors).toHaveLength(1);
		expect(errors[0].json.error).toMatch(/Item 0: field "startedAt"/);
		expect(errors[0].pairedItem).toEqual({ item: 0 });
		expect(jsonOf(run, 'CRM Link', 0).map((j) => j.id)).toEqual(['call-3']);
		// n8n merges the failure into the item that came in: the input, the message and the details.
		expect(errors[0].json).toMatchObject({
			id: 'bad',
			details: { kind: 'invalid-input', httpStatus: 400, field: 'startedAt', item: 0 },
		});
	});

	it('refuses an unknown default country for every item, naming the parameter, without any CRM call', async () => {
		const harness = packHarness({ crmLink: new CrmLink() });
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const run = await harness.run(
			singleNodeWorkflow(
				'CRM Link',
				'crmLink',
				{ crm: 'hubspot', hubspotAuthentication: 'privateApp', defaultCountry: 'XQ' },
				[
					call('call-country-1', [{ phone: '415 555 0101' }]),
					call('call-country-2', [{ email: 'carol.hughes@globex.example' }]),
				],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
		);
		const errors = run.output('CRM Link')[2];
		expect(errors.map((e) => e.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(errors[0].json.error).toBe(
			'Parameter "Default Phone Country": "XQ" is not a supported country code (use e.g. US or DE)',
		);
		expect(sandbox.admin.requests('hubspot')).toEqual([]);
	});

	const manyPeople = (count: number) =>
		Array.from({ length: count }, (_, i) => ({
			name: `P${i}`,
			phone: `+1 415 ${String(2_000_000 + i).slice(1, 4)} ${String(i).padStart(4, '0')}`,
		}));

	it('rejects 10,000 participants with a 413 classification naming the field and the limit, without any CRM call', async () => {
		const harness = packHarness({ crmLink: new CrmLink() });
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const run = await harness.run(
			singleNodeWorkflow(
				'CRM Link',
				'crmLink',
				{ crm: 'hubspot', hubspotAuthentication: 'privateApp' },
				[call('huge', manyPeople(10_000))],
				credentials,
				{
					onError: 'continueErrorOutput',
				},
			),
		);
		const errors = run.output('CRM Link')[2];
		expect(errors).toHaveLength(1);
		expect(errors[0].json.details).toMatchObject({
			kind: 'invalid-input',
			httpStatus: 413,
			field: 'participants',
			item: 0,
		});
		expect(errors[0].json.error).toBe(
			'Item 0: field "participants" has 10001 entries; the limit is 50 (option "Max Participants")',
		);
		expect(sandbox.admin.requests('hubspot')).toEqual([]);
	});

	it('with a raised limit, 300 participants are searched in requests HubSpot accepts (≤ 100 values per filter)', async () => {
		const harness = packHarness({ crmLink: new CrmLink() });
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const people = [...manyPeople(299), { name: 'Alice', phone: '415-555-0101' }];
		const run = await harness.run(
			singleNodeWorkflow(
				'CRM Link',
				'crmLink',
				{
					crm: 'hubspot',
					hubspotAuthentication: 'privateApp',
					objectTypes: ['contact'],
					limits: { maxParticipants: 400 },
				},
				[call('big', people)],
				credentials,
			),
		);
		expect(run.error('CRM Link')).toBeUndefined();
		const [matched] = jsonOf(run, 'CRM Link', 0);
		expect(
			(matched.crm as { matches: { contact: Array<{ name: string }> } }).matches.contact.map(
				(c) => c.name,
			),
		).toEqual(['Alice Nguyen']);
		const searches = sandbox.admin
			.requests('hubspot')
			.filter((r) => r.path.includes('/contacts/search'));
		expect(searches.length).toBeGreaterThanOrEqual(3);
		expect(searches.every((r) => r.status === 200)).toBe(true);
	});

	it('a CRM that stays unavailable gives each item a 503 classification naming HubSpot, with a Retry-After', async () => {
		const harness = packHarness({ crmLink: new CrmLink() });
		const credentials = addSandboxCredentials(harness, sandbox.url);
		sandbox.admin.addFault({
			vendor: 'hubspot',
			pathPattern: 'contacts/search',
			kind: 'status',
			status: 503,
			count: 10,
		});
		const run = await harness.run(
			singleNodeWorkflow(
				'CRM Link',
				'crmLink',
				{ crm: 'hubspot', hubspotAuthentication: 'privateApp', objectTypes: ['contact'] },
				[call('down', [{ phone: '415-555-0101' }])],
				credentials,
				{
					onError: 'continueErrorOutput',
				},
			),
		);
		sandbox.admin.clearFaults();
		const errors = run.output('CRM Link')[2];
		expect(errors).toHaveLength(1);
		const details = errors[0].json.details as {
			kind: string;
			httpStatus: number;
			crm: string;
			retryAfterSeconds: number;
			reason: string;
			syncLog: Array<{ status: string }>;
		};
		expect(details).toMatchObject({
			kind: 'crm-unavailable',
			httpStatus: 503,
			crm: 'hubspot',
			item: 0,
		});
		expect(details.retryAfterSeconds).toBeGreaterThan(0);
		expect(details.reason).toContain('HubSpot');
		expect(details.syncLog.map((entry) => entry.status)).toEqual(['failed']);
	});
});

describe('CRM Link — HubSpot phone formats', () => {
	let sandbox: SandboxHandle;
	beforeAll(async () => {
		sandbox = await startSandbox({ port: 0 });
	});
	afterAll(async () => {
		await sandbox.close();
	});

	it('matches a contact stored nationally with an extension ("(212) 555-0199 x12")', async () => {
		const harness = packHarness({ crmLink: new CrmLink() });
		const credentials = addSandboxCredentials(harness, sandbox.url);
		const run = await harness.run(
			singleNodeWorkflow(
				'CRM Link',
				'crmLink',
				{ crm: 'hubspot', hubspotAuthentication: 'privateApp', objectTypes: ['contact'] },
				[call('call-ext', [{ name: 'Dan', phone: '+1 212-555-0199' }])],
				credentials,
			),
		);
		const [matched] = jsonOf(run, 'CRM Link', 0);
		const contacts = (matched.crm as { matches: { contact: Array<{ name: string }> } }).matches
			.contact;
		expect(contacts.map((c) => c.name)).toEqual(["Dan O'Brien"]);
	});
});
