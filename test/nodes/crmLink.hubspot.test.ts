/**
 * CRM Link on HubSpot, executed by n8n's real engine against the local CRM sandbox.
 */
import { CrmLink } from '../../nodes/CrmLink/CrmLink.node';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { addSandboxCredentials, jsonOf, packHarness, singleNodeWorkflow } from './support/packHarness';

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
				{ crm: 'hubspot', hubspotAuthentication: 'privateApp', objectTypes: ['deal', 'contact', 'company'] },
				[
					call('call-1', [{ name: 'Alice', phone: '415-555-0101' }, { name: 'Bob', email: 'Bob.Ramirez@acme.example' }]),
					call('call-2', [{ name: 'Stranger', phone: '+1 202 555 0199', email: 'someone@gmail.com' }]),
				],
				credentials,
			),
		);
		expect(run.error('CRM Link')).toBeUndefined();
		const matched = jsonOf(run, 'CRM Link', 0);
		const noMatch = jsonOf(run, 'CRM Link', 1);
		expect(matched).toHaveLength(1);
		expect(noMatch).toHaveLength(1);
		const crm = matched[0].crm as { provider: string; matches: Record<string, Array<{ id: string; name?: string; isOpen?: boolean }>> };
		expect(crm.provider).toBe('hubspot');
		expect(crm.matches.contact.map((c) => c.name).sort()).toEqual(['Alice Nguyen', 'Bob Ramirez']);
		expect(crm.matches.company.map((c) => c.name)).toEqual(['Acme Corporation']);
		expect(crm.matches.deal.length).toBeGreaterThanOrEqual(2);
		expect(crm.matches.deal.every((d) => d.isOpen !== false)).toBe(true);
		expect(matched[0].extraField).toBe('kept');
		expect(noMatch[0].id).toBe('call-2');

		const searches = sandbox.admin.requests().filter((r) => r.path.includes('/contacts/search'));
		expect(searches).toHaveLength(1);
		const logs = matched[0].syncLog as Array<{ operation: string; status: string; apiCalls: number }>;
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
				[{ id: 'bad', startedAt: 'yesterday', participants: [] }, call('call-3', [{ email: 'carol.hughes@globex.example' }])],
				credentials,
				{ onError: 'continueErrorOutput' },
			),
		);
		const errors = run.output('CRM Link')[2];
		expect(errors).toHaveLength(1);
		expect(errors[0].json.error).toMatch(/Item 0: field "startedAt"/);
		expect(errors[0].pairedItem).toEqual({ item: 0 });
		expect(jsonOf(run, 'CRM Link', 0).map((j) => j.id)).toEqual(['call-3']);
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
			singleNodeWorkflow('CRM Link', 'crmLink', { crm: 'hubspot', hubspotAuthentication: 'privateApp', objectTypes: ['contact'] }, [call('call-ext', [{ name: 'Dan', phone: '+1 212-555-0199' }])], credentials),
		);
		const [matched] = jsonOf(run, 'CRM Link', 0);
		const contacts = (matched.crm as { matches: { contact: Array<{ name: string }> } }).matches.contact;
		expect(contacts.map((c) => c.name)).toEqual(["Dan O'Brien"]);
	});
});
