/**
 * CRM Contact Lookup when several people share a number, when the last activity lives in
 * activities (Dynamics), and when the CRM rate-limits: through n8n's engine on the sandbox.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmContactLookup } from '../../nodes/CrmContactLookup/CrmContactLookup.node';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import { DYNAMICS_SEED_IDS } from '../sandbox/vendors/dynamics';
import { LOGICAL_NAME_ANNOTATION } from '../sandbox/vendors/dynamics/rows';
import { SALESFORCE_SEED_IDS } from '../sandbox/vendors/salesforce';
import {
	jsonOf,
	SANDBOX_AUTH,
	sandboxHarness,
	singleNodeWorkflow,
	type SandboxCrm,
} from './support/packHarness';

const NODE = 'CRM Contact Lookup';
const ALICE_PHONE = '+1 (415) 555-0101';

let sandbox: SandboxHandle;
beforeEach(async () => {
	sandbox = await startSandbox({ port: 0 });
});
afterEach(async () => {
	await sandbox.close();
});

async function lookUp(crm: SandboxCrm, phone: string): Promise<IDataObject> {
	const { harness, credentials } = sandboxHarness(
		{ crmContactLookup: new CrmContactLookup() },
		sandbox.url,
	);
	const run = await harness.run(
		singleNodeWorkflow(
			NODE,
			'crmContactLookup',
			{ ...SANDBOX_AUTH[crm], phone, defaultCountry: 'US' },
			[{}],
			credentials,
		),
	);
	expect(run.error(NODE)).toBeUndefined();
	return jsonOf(run, NODE)[0];
}

const lookupCalls = (crm: SandboxCrm) =>
	sandbox.admin
		.requests(crm)
		.filter((request) => !/token|oauth2|\/limits$|\/WhoAmI$/i.test(request.path));

it('Salesforce: a contact wins over a newer lead with the same number and a later activity; among contacts the latest activity wins', async () => {
	const salesforceRecord = (type: string, id: string, fields: IDataObject, at: string) =>
		sandbox.store.insert('salesforce', type, id, fields, at);
	salesforceRecord(
		'Lead',
		'00Q5e00000LOOKUP1AA',
		{
			FirstName: 'Alicia',
			LastName: 'Lead',
			Company: 'Acme',
			Phone: '415 555 0101',
			IsConverted: false,
			LastActivityDate: '2026-12-05',
			OwnerId: SALESFORCE_SEED_IDS.users['owner-ava'],
		},
		'2026-12-01T00:00:00.000Z',
	);
	let answer = await lookUp('salesforce', ALICE_PHONE);
	expect(answer).toMatchObject({
		found: true,
		candidates: 2,
		person: { kind: 'contact', firstName: 'Alice' },
	});

	salesforceRecord(
		'Contact',
		'0035e00000LOOKUP2AA',
		{
			FirstName: 'Alex',
			LastName: 'Twin',
			Phone: '(415) 555-0101',
			LastActivityDate: '2026-12-03',
			AccountId: SALESFORCE_SEED_IDS.accounts.acme,
		},
		'2025-01-01T00:00:00.000Z',
	);
	sandbox.admin.clearRequests();
	answer = await lookUp('salesforce', ALICE_PHONE);
	expect(answer).toMatchObject({
		found: true,
		candidates: 3,
		person: { kind: 'contact', firstName: 'Alex', lastName: 'Twin' },
		lastActivityAt: '2026-12-03T00:00:00.000Z',
	});
	expect(lookupCalls('salesforce').length).toBeLessThanOrEqual(2);
});

it('Dynamics 365: the last activity is the newest phone call, task or appointment regarding the person, read in the second request', async () => {
	const alice = DYNAMICS_SEED_IDS.contacts.alice;
	const regarding = {
		_regardingobjectid_value: alice,
		[`_regardingobjectid_value${LOGICAL_NAME_ANNOTATION}`]: 'contact',
	};
	sandbox.store.insert(
		'dynamics',
		'phonecall',
		'a1000000-0000-4000-8000-000000000001',
		{ subject: 'Older call', statecode: 1, ...regarding },
		'2026-11-02T09:00:00.000Z',
	);
	sandbox.store.insert(
		'dynamics',
		'task',
		'a1000000-0000-4000-8000-000000000002',
		{ subject: 'Follow up', statecode: 0, ...regarding },
		'2026-11-30T15:45:00.000Z',
	);
	sandbox.admin.clearRequests();
	const answer = await lookUp('dynamics', ALICE_PHONE);
	expect(answer).toMatchObject({
		found: true,
		person: { kind: 'contact', firstName: 'Alice' },
		lastActivityAt: '2026-11-30T15:45:00.000Z',
		openDealCount: 2,
	});
	expect(
		lookupCalls('dynamics').map(
			(request) => `${request.method} ${request.path.replace(/^.*\/api\/data\/v[\d.]+/, '')}`,
		),
	).toEqual(['POST /$batch', 'POST /$batch']);
});

it('HubSpot: a 429 on the search is waited out and the caller is still found', async () => {
	sandbox.admin.addFault({
		vendor: 'hubspot',
		pathPattern: 'contacts/search',
		kind: 'status',
		status: 429,
		retryAfterSeconds: 1,
		count: 1,
	});
	const answer = await lookUp('hubspot', ALICE_PHONE);
	expect(answer).toMatchObject({ found: true, person: { firstName: 'Alice' } });
	expect(lookupCalls('hubspot').map((request) => request.status)).toEqual([429, 200, 200]);
});
