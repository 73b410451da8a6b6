/**
 * Phone matching on the Salesforce sandbox: the sandbox evaluates the pack's phone LIKE
 * patterns as Salesforce does (case-insensitive, `%` any run, `_` one character), and a
 * contact created a moment ago — which the search index has not caught up with — is found
 * by the default query matching in one call, while Search Index matching misses it.
 */
import type { CrmProvider, PhoneMatching } from '../../nodes/shared/providers/CrmProvider';
import { createSalesforceProvider } from '../../nodes/shared/providers/salesforce/SalesforceProvider';
import { phoneLikePattern } from '../../nodes/shared/providers/salesforce/soql';
import { clientCredentialsToken, localNetworkOnly } from './helpers';
import { startSandbox, type SandboxHandle } from './server';

describe('Salesforce phone matching on the sandbox', () => {
	localNetworkOnly();
	let sandbox: SandboxHandle;
	let token: string;
	let provider: CrmProvider;
	let now = Date.UTC(2026, 10, 21, 12);

	beforeAll(async () => {
		sandbox = await startSandbox({
			now: () => now,
			salesforceSearch: { searchIndexDelayMs: 10 * 60_000 },
		});
		token = await clientCredentialsToken(sandbox.url, 'salesforce');
		provider = createSalesforceProvider({
			tokens: { getAccessToken: async () => token, refresh: async () => token },
			instanceUrl: `${sandbox.url}/salesforce`,
			apiVersion: '62.0',
			limiterKey: `salesforce-phone-matching-${sandbox.port}`,
		});
	});
	afterAll(() => sandbox.close());

	const data = (path: string) => `${sandbox.url}/salesforce/services/data/v62.0${path}`;

	async function createContact(fields: Record<string, string>): Promise<string> {
		const response = await fetch(data('/sobjects/Contact'), {
			method: 'POST',
			headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
			body: JSON.stringify(fields),
		});
		expect(response.status).toBe(201);
		return ((await response.json()) as { id: string }).id;
	}

	async function soqlIds(where: string): Promise<string[]> {
		const response = await fetch(
			data(`/query?q=${encodeURIComponent(`SELECT Id FROM Contact WHERE ${where}`)}`),
			{ headers: { authorization: `Bearer ${token}` } },
		);
		expect(response.status).toBe(200);
		const body = (await response.json()) as { records: Array<{ Id: string }> };
		return body.records.map((record) => record.Id);
	}

	it('evaluates the phone LIKE patterns like Salesforce: any spelling, extensions, case-insensitive, _ is one character', async () => {
		const spellings = [
			'+1 (303) 555-0140',
			'303.555.0140',
			'0013035550140',
			'303-555-0140 EXT 9',
			'303 555 0140 ext 9',
		];
		const ids = [];
		for (const phone of spellings)
			ids.push(await createContact({ LastName: `Spelling ${phone}`, Phone: phone }));
		const other = await createContact({ LastName: 'Other', Phone: '+1 303 555 0141' });

		const pattern = phoneLikePattern('3035550140');
		const found = await soqlIds(`Phone LIKE ${pattern}`);
		expect(new Set(found)).toEqual(new Set(ids));
		expect(found).not.toContain(other);
		// Case-insensitive, like Salesforce for non-unique text fields.
		expect(await soqlIds("Phone LIKE '%ext 9'")).toEqual(expect.arrayContaining([ids[3], ids[4]]));
		// `_` is exactly one character.
		expect(new Set(await soqlIds("Phone LIKE '303_555_0140'"))).toEqual(new Set([ids[1]]));
	});

	it.each([
		['query', 1, true],
		['searchIndex', 2, false],
	] as Array<[PhoneMatching, number, boolean]>)(
		'with %s matching: %i call(s) for a contact created a moment ago, found: %s',
		async (phoneMatching, calls, found) => {
			now += 1000;
			// Written in a spelling none of the exact forms SOQL looked for before.
			const id = await createContact({
				LastName: `Fresh ${phoneMatching}`,
				Phone: `720.555.01${phoneMatching === 'query' ? '10' : '11'}`,
			});
			sandbox.admin.clearRequests();
			const [set] = await provider.findMatches(
				[
					{
						phones: [`+1720555${phoneMatching === 'query' ? '0110' : '0111'}`],
						emails: [],
						domains: [],
					},
				],
				{ kinds: ['contact', 'company', 'deal'], openDealsOnly: true, phoneMatching },
			);
			expect(set.contact.map((ref) => ref.id)).toEqual(found ? [id] : []);
			expect(sandbox.admin.requests('salesforce')).toHaveLength(calls);
		},
	);
});
