/**
 * CRM Contact Lookup on every CRM, executed by n8n's real engine against the local CRM
 * sandbox: the caller's record with owner, open deals and last activity; `found: false` for
 * nobody; a clear error for bad input; at most two CRM calls per lookup (the sandbox's
 * request log); hostile keys escaped.
 */
import type { IDataObject } from 'n8n-workflow';

import { CrmContactLookup } from '../../nodes/CrmContactLookup/CrmContactLookup.node';
import { startSandbox, type SandboxHandle } from '../sandbox/server';
import {
	jsonOf,
	SANDBOX_AUTH,
	sandboxHarness,
	singleNodeWorkflow,
	type SandboxCrm,
} from './support/packHarness';

const NODE = 'CRM Contact Lookup';

/**
 * Requests a lookup made. Not counted: token exchanges, and the one probe through which n8n
 * fetches a client-credentials token for a credential that has none yet (every harness run
 * starts with fresh credentials; a running n8n keeps the token).
 */
function crmCalls(sandbox: SandboxHandle, crm: SandboxCrm) {
	return sandbox.admin
		.requests(crm)
		.filter((request) => !/token|oauth2|\/limits$|\/WhoAmI$/i.test(request.path));
}

interface Expected {
	aliceKind: string;
	/** Grace is a lead where the CRM has leads; HubSpot's sandbox holds no such contact. */
	graceKind?: string;
	leadField?: string;
	openDeals: number;
	lastActivity: boolean;
	fields: string;
	fieldValue: [string, unknown];
	company?: string;
	/**
	 * Calls for 3 phones + 1 email, one of them unknown: HubSpot one contact search, one email
	 * batch read, one deal search per person found; Salesforce one SOSL per key type and one
	 * SOQL; Dynamics two $batch; autoch.at one request per key, two spellings for the stranger.
	 */
	batchCalls: number;
}

const EXPECTED: Record<SandboxCrm, Expected> = {
	hubspot: {
		aliceKind: 'contact',
		openDeals: 2,
		lastActivity: true,
		fields: 'jobtitle',
		fieldValue: ['jobtitle', 'VP Operations'],
		company: 'Acme Corporation',
		// phone search, email read, one association read and one deal read for every caller
		batchCalls: 4,
	},
	salesforce: {
		aliceKind: 'contact',
		graceKind: 'lead',
		leadField: 'Status',
		openDeals: 2,
		lastActivity: true,
		fields: 'Title',
		fieldValue: ['Title', 'VP Operations'],
		batchCalls: 3,
	},
	dynamics: {
		aliceKind: 'contact',
		graceKind: 'lead',
		leadField: 'statecode',
		openDeals: 2,
		lastActivity: false,
		fields: 'jobtitle',
		fieldValue: ['jobtitle', 'VP Operations'],
		batchCalls: 2,
	},
	autochat: {
		aliceKind: 'contact',
		graceKind: 'contact',
		openDeals: 0,
		lastActivity: false,
		fields: 'email',
		fieldValue: ['email', 'alice.nguyen@acme.example'],
		batchCalls: 5,
	},
};

describe.each(Object.keys(EXPECTED) as SandboxCrm[])(
	'CRM Contact Lookup — %s through the engine',
	(crm) => {
		const expected = EXPECTED[crm];
		let sandbox: SandboxHandle;
		beforeAll(async () => {
			sandbox = await startSandbox({ port: 0 });
		});
		afterAll(async () => {
			await sandbox.close();
		});
		beforeEach(() => sandbox.admin.clearRequests());

		async function lookUp(
			items: IDataObject[],
			parameters: IDataObject = {},
			onError?: 'continueErrorOutput',
		) {
			const { harness, credentials } = sandboxHarness(
				{ crmContactLookup: new CrmContactLookup() },
				sandbox.url,
			);
			const params = {
				...SANDBOX_AUTH[crm],
				phone: '={{ $json.phone }}',
				email: '={{ $json.email }}',
				fields: expected.fields,
				...parameters,
			};
			return await harness.run(
				singleNodeWorkflow(
					NODE,
					'crmContactLookup',
					params,
					items,
					credentials,
					onError ? { onError } : undefined,
				),
			);
		}

		it('finds the caller by a phone written any way, with chosen fields, owner, open deals and last activity, in ≤ 2 CRM calls', async () => {
			const run = await lookUp([{ phone: '(415) 555-0101' }], { defaultCountry: 'US' });
			expect(run.error(NODE)).toBeUndefined();
			const [answer] = jsonOf(run, NODE);
			expect(answer).toMatchObject({
				found: true,
				crm,
				lookedUpBy: 'phone',
				lookedUpValue: '+14155550101',
				candidates: 1,
			});
			const person = answer.person as IDataObject;
			expect(person).toMatchObject({
				kind: expected.aliceKind,
				firstName: 'Alice',
				lastName: 'Nguyen',
				matchedBy: 'phone',
			});
			expect((person.fields as IDataObject)[expected.fieldValue[0]]).toBe(expected.fieldValue[1]);
			if (expected.company) expect(person.company).toBe(expected.company);
			expect((answer.openDeals as IDataObject[]).map((deal) => deal.name).sort()).toHaveLength(
				expected.openDeals,
			);
			if (expected.openDeals > 0)
				expect((answer.openDeals as IDataObject[]).map((deal) => deal.name)).toContain(
					'Acme – Fleet expansion',
				);
			if (crm !== 'autochat') expect((answer.owner as IDataObject).id).toEqual(expect.any(String));
			if (expected.lastActivity) {
				expect(String(answer.lastActivityAt)).toMatch(/^2026-11-18/);
				expect(answer.lastActivitySummary).toMatch(/^Last activity 2026-11-18 \(/);
			} else {
				expect(answer.lastActivitySummary).toBe('No activity recorded');
			}
			expect(crmCalls(sandbox, crm).map((r) => r.method).length).toBeGreaterThan(0);
			expect(crmCalls(sandbox, crm).length).toBeLessThanOrEqual(2);
		});

		it('finds by email, and a lead where the CRM has leads', async () => {
			const run = await lookUp([{ email: 'Grace.Kim@umbrella.example' }], {
				leadFields: expected.leadField ?? '',
			});
			const [answer] = jsonOf(run, NODE);
			if (!expected.graceKind) {
				expect(answer).toMatchObject({
					found: false,
					lookedUpBy: 'email',
					lookedUpValue: 'grace.kim@umbrella.example',
				});
				return;
			}
			expect(answer).toMatchObject({
				found: true,
				lookedUpBy: 'email',
				lookedUpValue: 'grace.kim@umbrella.example',
			});
			expect(answer.person).toMatchObject({
				kind: expected.graceKind,
				firstName: 'Grace',
				lastName: 'Kim',
				matchedBy: 'email',
			});
			if (expected.leadField)
				expect(Object.keys((answer.person as IDataObject).fields as IDataObject)).toEqual([
					expected.leadField,
				]);
			if (expected.graceKind === 'lead')
				expect((answer.person as IDataObject).company).toBe('Umbrella Labs');
			expect(crmCalls(sandbox, crm).length).toBeLessThanOrEqual(2);
		});

		it('with Max Open Deals 0 asks for no deals: one CRM call per lookup', async () => {
			const run = await lookUp([{ phone: '+1 415 555 0101' }], { maxOpenDeals: 0 });
			expect(jsonOf(run, NODE)[0]).toMatchObject({ found: true, openDeals: [], openDealCount: 0 });
			// Dynamics still reads the last activity in its second $batch.
			expect(crmCalls(sandbox, crm)).toHaveLength(crm === 'dynamics' ? 2 : 1);
		});

		it('answers nobody with found: false, not an error', async () => {
			const run = await lookUp([{ phone: '+1 202 555 0199' }, { email: 'nobody@nowhere.example' }]);
			expect(run.error(NODE)).toBeUndefined();
			expect(jsonOf(run, NODE)).toEqual([
				{
					found: false,
					source: 'crm',
					crm,
					lookedUpBy: 'phone',
					lookedUpValue: '+12025550199',
					candidates: 0,
				},
				{
					found: false,
					source: 'crm',
					crm,
					lookedUpBy: 'email',
					lookedUpValue: 'nobody@nowhere.example',
					candidates: 0,
				},
			]);
		});

		it('shares calls across a batch: 4 callers cost at most 2 CRM calls each, fewer where the CRM batches (exact counts per CRM)', async () => {
			const run = await lookUp([
				{ phone: '+1 415 555 0101' },
				{ phone: '+44 20 7946 0958' },
				{ email: 'bob.ramirez@acme.example' },
				{ phone: '+1 202 555 0199' },
			]);
			const answers = jsonOf(run, NODE);
			expect(
				answers.map((answer) => (answer.person as IDataObject | undefined)?.firstName ?? null),
			).toEqual(['Alice', 'Carol', 'Bob', null]);
			expect(crmCalls(sandbox, crm)).toHaveLength(expected.batchCalls);
			expect(expected.batchCalls).toBeLessThanOrEqual(2 * answers.length);
		});

		it('rejects bad input with an error naming the item and the field, and still looks up the others', async () => {
			const run = await lookUp(
				[{ phone: 'call me maybe' }, { email: 'not-an-email' }, {}, { phone: '+1 415 555 0101' }],
				{},
				'continueErrorOutput',
			);
			const errors = run.output(NODE)[1];
			expect(errors.map((error) => error.json.error)).toEqual([
				expect.stringMatching(
					/^Item 0: field "phone": "call me maybe" is not a usable phone number/,
				),
				expect.stringMatching(
					/^Item 1: field "email": "not-an-email" is not a usable email address/,
				),
				'Item 2: field "phone": neither a phone number nor an email address was given',
			]);
			expect(errors.map((error) => (error.json.details as IDataObject).field)).toEqual([
				'phone',
				'email',
				'phone',
			]);
			expect(
				errors.every((error) => (error.json.details as IDataObject).kind === 'invalid-input'),
			).toBe(true);
			expect(jsonOf(run, NODE).map((answer) => answer.found)).toEqual([true]);
		});

		it('escapes for real: a person whose email holds a quote, braces and a plus is found by it', async () => {
			const email = "o'hara+{vip}@acme.example";
			const record: Record<SandboxCrm, [string, string, Record<string, unknown>]> = {
				hubspot: ['contacts', '59001', { firstname: 'Oona', lastname: "O'Hara", email }],
				salesforce: [
					'Contact',
					'0035e00000HOSTILEAA',
					{ FirstName: 'Oona', LastName: "O'Hara", Email: email },
				],
				dynamics: [
					'contact',
					'c9000000-0000-4000-8000-000000000001',
					{ firstname: 'Oona', lastname: "O'Hara", emailaddress1: email, statecode: 0 },
				],
				autochat: [
					'clients',
					'cl_hostile_1',
					{ name: "Oona O'Hara", first_name: 'Oona', last_name: "O'Hara", email },
				],
			};
			const [type, id, fields] = record[crm];
			sandbox.store.insert(crm, type, id, fields);
			try {
				const run = await lookUp([{ email: "O'Hara+{VIP}@acme.example" }]);
				expect(run.error(NODE)).toBeUndefined();
				expect(jsonOf(run, NODE)[0]).toMatchObject({
					found: true,
					person: { id, firstName: 'Oona', lastName: "O'Hara", matchedBy: 'email' },
				});
			} finally {
				sandbox.store.remove(crm, type, id);
			}
		});

		it('escapes hostile keys: quotes, braces and wildcards in an email find nobody and break no query', async () => {
			const hostile = [
				"o'neil}{*?&|!^~=@evil.example",
				"x'or'1'='1@evil.example",
				'a%27%20or%201%20eq%201@evil.example',
			];
			const run = await lookUp(hostile.map((email) => ({ email })));
			expect(run.error(NODE)).toBeUndefined();
			const answers = jsonOf(run, NODE);
			expect(answers.map((answer) => answer.found)).toEqual([false, false, false]);
			expect(crmCalls(sandbox, crm).every((request) => request.status < 400)).toBe(true);
		});
	},
);
