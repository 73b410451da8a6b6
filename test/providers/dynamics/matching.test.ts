import nock from 'nock';

import {
	BATCH_PATH,
	batchResponse,
	filterOf,
	interceptBatch,
	jsonPart,
	makeProvider,
	OLD_TOKEN,
	ORG,
	ROOT,
	sentParts,
	setupNock,
} from './support';

setupNock();

const CONTACT_SELECT =
	'$select=contactid,fullname,telephone1,mobilephone,telephone2,emailaddress1,_parentcustomerid_value,_ownerid_value,createdon,modifiedon';
const ACCOUNT_SELECT =
	'$select=accountid,name,telephone1,telephone2,emailaddress1,websiteurl,_ownerid_value,createdon,modifiedon';
const ORDER = '$orderby=createdon%20desc&$top=50';

const C1 = 'c0000000-0000-0000-0000-000000000001';
const C2 = 'c0000000-0000-0000-0000-000000000002';
const C3 = 'c0000000-0000-0000-0000-000000000003';
const A1 = 'a0000000-0000-0000-0000-000000000001';
const A2 = 'a0000000-0000-0000-0000-000000000002';

function getPart(url: string): string {
	return [
		'Content-Type: application/http',
		'Content-Transfer-Encoding: binary',
		'',
		`GET ${url} HTTP/1.1`,
		'Accept: application/json',
		'',
		'',
	].join('\r\n');
}

describe('findMatches', () => {
	it('packs every lookup of two items into ONE $batch with exact, escaped, encoded filters and confirms hits client-side', async () => {
		const { provider } = makeProvider();
		const sent = interceptBatch(
			batchResponse([
				jsonPart(200, {
					value: [
						{
							contactid: C1,
							fullname: "Pat O'Brien",
							emailaddress1: "O'Brien@Acme.com",
							createdon: '2026-01-02T00:00:00Z',
						},
						// The server is not trusted: a row that does not carry the e-mail is dropped.
						{ contactid: C2, fullname: 'Other', emailaddress1: 'obrien@acme.com' },
					],
				}),
				jsonPart(200, { value: [] }),
				jsonPart(200, {
					value: [
						{ contactid: C3, fullname: 'Ann', emailaddress1: 'ann@beta.io', _ownerid_value: 'u1' },
					],
				}),
				jsonPart(200, {
					value: [
						{ accountid: A1, name: 'Beta', websiteurl: 'https://www.beta.io/about' },
						// `contains(websiteurl,'beta.io')` also hits notbeta.io: not the same domain.
						{ accountid: A2, name: 'Not Beta', websiteurl: 'https://notbeta.io' },
					],
				}),
			]),
		);

		const results = await provider.findMatches(
			[
				{ phones: [], emails: ["o'brien@acme.com"], domains: [] },
				{ phones: [], emails: ['ann@beta.io'], domains: ['beta.io'] },
			],
			{ kinds: ['contact', 'company'], openDealsOnly: true },
		);

		expect(sent.bodies).toHaveLength(1);
		expect(sent.bodies[0]).toBe(
			[
				'--batch_id1',
				getPart(
					`${ROOT}contacts?${CONTACT_SELECT}&$filter=emailaddress1%20eq%20'o''brien%40acme.com'&${ORDER}`,
				),
				'--batch_id1',
				getPart(
					`${ROOT}accounts?${ACCOUNT_SELECT}&$filter=emailaddress1%20eq%20'o''brien%40acme.com'&${ORDER}`,
				),
				'--batch_id1',
				getPart(
					`${ROOT}contacts?${CONTACT_SELECT}&$filter=emailaddress1%20eq%20'ann%40beta.io'&${ORDER}`,
				),
				'--batch_id1',
				getPart(
					`${ROOT}accounts?${ACCOUNT_SELECT}&$filter=(emailaddress1%20eq%20'ann%40beta.io'%20or%20contains(websiteurl%2C'beta.io')%20or%20endswith(emailaddress1%2C'%40beta.io'))&${ORDER}`,
				),
				'--batch_id1--',
				'',
			].join('\r\n'),
		);
		const headers = sent.headers[0];
		expect(headers['content-type']).toBe('multipart/mixed; boundary=batch_id1');
		expect(headers.prefer).toBe('odata.continue-on-error');
		expect(headers['odata-maxversion']).toBe('4.0');
		expect(headers['odata-version']).toBe('4.0');
		expect(headers.accept).toBe('application/json');
		expect(headers.authorization).toBe(`Bearer ${OLD_TOKEN}`);

		expect(results).toHaveLength(2);
		expect(results[0].contact.map((ref) => [ref.id, ref.matchedBy])).toEqual([[C1, 'email']]);
		expect(results[0].company).toEqual([]);
		expect(results[1].contact).toMatchObject([
			{
				crm: 'dynamics',
				kind: 'contact',
				objectType: 'contact',
				id: C3,
				name: 'Ann',
				ownerId: 'u1',
			},
		]);
		expect(
			results[1].company.map((ref) => [ref.id, ref.matchedBy, ref.kind, ref.objectType]),
		).toEqual([[A1, 'domain', 'company', 'account']]);
		expect(results[1].deal).toEqual([]);
		expect(results[1].lead).toEqual([]);
	});

	it('searches phone variants on telephone1/mobilephone/telephone2, and in the same $batch the open opportunities whose parent has them, kept only for confirmed parents', async () => {
		const { provider } = makeProvider();
		const O1 = '0f000000-0000-0000-0000-000000000001';
		const O2 = '0f000000-0000-0000-0000-000000000002';
		const O3 = '0f000000-0000-0000-0000-000000000003';
		const O4 = '0f000000-0000-0000-0000-000000000004';
		const first = interceptBatch(
			batchResponse([
				jsonPart(200, {
					value: [
						{ contactid: C1, fullname: 'Jo', telephone1: '020 7946 0958' },
						// A different number the server matched loosely: dropped.
						{ contactid: C2, fullname: 'Not Jo', mobilephone: '+44 20 7946 0000' },
					],
				}),
				jsonPart(200, {
					value: [{ accountid: A1, name: 'Acme', telephone2: '+44 (0)20 7946 0958' }],
				}),
				jsonPart(200, {
					value: [
						{
							opportunityid: O1,
							name: 'Renewal',
							statecode: 0,
							_parentaccountid_value: A1,
							createdon: '2026-11-02T00:00:00Z',
						},
						{ opportunityid: O2, name: 'Closed', statecode: 1, _parentcontactid_value: C1 },
						{
							opportunityid: O3,
							name: 'Stranger',
							statecode: 0,
							_parentaccountid_value: 'ffffffff-0000-0000-0000-000000000000',
						},
						// Its parent contact is the loose phone hit that was not confirmed: dropped.
						{ opportunityid: O4, name: 'Loose', statecode: 0, _parentcontactid_value: C2 },
					],
				}),
			]),
		);

		const [result] = await provider.findMatches(
			[{ phones: ['+442079460958'], emails: [], domains: [] }],
			{
				kinds: ['contact', 'deal'],
				openDealsOnly: true,
			},
		);

		expect(first.bodies).toHaveLength(1);
		const [contactPart, accountPart, opportunityPart] = sentParts(first.bodies[0]);
		const variants = [
			'+442079460958',
			'442079460958',
			'02079460958',
			'020 7946 0958',
			'2079460958',
		];
		const fields = ['telephone1', 'mobilephone', 'telephone2'];
		// exact spellings, then "contains every digit group" for numbers stored with any separators
		const phoneClauses = (columns: string[]) => {
			const exact = variants.flatMap((v) => columns.map((f) => `${f} eq '${v}'`));
			const grouped = columns.map(
				(f) => `((contains(${f},'20')) and (contains(${f},'7946')) and (contains(${f},'0958')))`,
			);
			return [...exact, ...grouped];
		};
		const phoneFilter = (columns: string[]) => `(${phoneClauses(columns).join(' or ')})`;
		expect(filterOf(contactPart.url)).toBe(phoneFilter(fields));
		// Accounts have no mobilephone column; they are looked up because deals hang off them.
		expect(filterOf(accountPart.url)).toBe(phoneFilter(['telephone1', 'telephone2']));

		// The same conditions read through the opportunity's lookups: no second round trip.
		const throughParents = [
			...phoneClauses(fields.map((f) => `parentcontactid/${f}`)),
			...phoneClauses(['telephone1', 'telephone2'].map((f) => `parentaccountid/${f}`)),
		];
		expect(opportunityPart.url).toBe(
			`${ROOT}opportunities?$select=opportunityid,name,statecode,_parentaccountid_value,_parentcontactid_value,estimatedvalue,_ownerid_value,createdon,modifiedon` +
				`&$filter=${encodeURIComponent(`((${throughParents.join(' or ')})) and (statecode eq 0)`).replace(/'/g, "'")}` +
				'&$orderby=createdon%20desc&$top=50',
		);

		expect(result.contact.map((ref) => ref.id)).toEqual([C1]);
		// Accounts were searched for the deals only, so they are not reported.
		expect(result.company).toEqual([]);
		expect(result.deal.map((ref) => [ref.id, ref.isOpen, ref.matchedBy])).toEqual([
			[O1, true, 'association'],
		]);
	});

	it('keeps hostile input inside escaped literals and percent-encoded — never as OData syntax or URL syntax', async () => {
		const { provider } = makeProvider();
		const sent = interceptBatch(batchResponse([jsonPart(200, { value: [] })]));
		const hostile = ["' or 1 eq 1 or '", '&$top=1', '#', '%27'];
		await provider.findMatches([{ phones: [], emails: ["o'brien@x.com"], domains: hostile }], {
			kinds: ['company'],
			openDealsOnly: true,
		});

		const [part] = sentParts(sent.bodies[0]);
		expect(filterOf(part.url)).toBe(
			"(emailaddress1 eq 'o''brien@x.com'" +
				" or contains(websiteurl,''' or 1 eq 1 or ''') or endswith(emailaddress1,'@'' or 1 eq 1 or ''')" +
				" or contains(websiteurl,'&$top=1') or endswith(emailaddress1,'@&$top=1')" +
				" or contains(websiteurl,'#') or endswith(emailaddress1,'@#')" +
				" or contains(websiteurl,'[%]27') or endswith(emailaddress1,'@[%]27'))",
		);
		// On the wire: the quote doubled, &, $, =, #, % percent-encoded; the query has exactly its own four options.
		expect(part.url).toContain("contains(websiteurl%2C'''%20or%201%20eq%201%20or%20''')");
		expect(part.url).toContain("contains(websiteurl%2C'%26%24top%3D1')");
		expect(part.url).toContain("contains(websiteurl%2C'%23')");
		expect(part.url).toContain("contains(websiteurl%2C'%5B%25%5D27')");
		expect(part.url).not.toContain('#');
		const query = part.url
			.slice(part.url.indexOf('?') + 1)
			.split('&')
			.map((option) => option.split('=')[0]);
		expect(query).toEqual(['$select', '$filter', '$orderby', '$top']);
	});

	it('leaves out qualified leads (they live on as their contact), keeping open and disqualified ones', async () => {
		const { provider } = makeProvider();
		const L1 = 'e0000000-0000-0000-0000-000000000001';
		const L2 = 'e0000000-0000-0000-0000-000000000002';
		const L3 = 'e0000000-0000-0000-0000-000000000003';
		interceptBatch(
			batchResponse([
				jsonPart(200, {
					value: [
						{ leadid: L1, fullname: 'Open', emailaddress1: 'sam@walker.example', statecode: 0 },
						{
							leadid: L2,
							fullname: 'Qualified',
							emailaddress1: 'sam@walker.example',
							statecode: 1,
						},
						{
							leadid: L3,
							fullname: 'Disqualified',
							emailaddress1: 'sam@walker.example',
							statecode: 2,
						},
					],
				}),
			]),
		);
		const [result] = await provider.findMatches(
			[{ phones: [], emails: ['sam@walker.example'], domains: [] }],
			{ kinds: ['lead'], openDealsOnly: true },
		);
		expect(result.lead.map((ref) => ref.id)).toEqual([L1, L3]);
	});

	it('sends nothing when no item has a key for the requested kinds', async () => {
		const { provider, sleeps } = makeProvider();
		const results = await provider.findMatches(
			[{ phones: [], emails: [], domains: ['acme.com'] }],
			{ kinds: ['contact', 'lead'], openDealsOnly: true },
		);
		expect(results).toEqual([{ contact: [], company: [], deal: [], lead: [] }]);
		expect(provider.usage().calls).toBe(0);
		expect(sleeps).toEqual([]);
	});

	it("reports a rejected lookup with Dataverse's message", async () => {
		const { provider } = makeProvider();
		interceptBatch(
			batchResponse([
				jsonPart(400, {
					error: { code: '0x80060888', message: "Could not find a property named 'telephone9'" },
				}),
			]),
		);
		await expect(
			provider.findMatches([{ phones: [], emails: ['a@b.co'], domains: [] }], {
				kinds: ['lead'],
				openDealsOnly: false,
			}),
		).rejects.toThrow(/Could not find a property named 'telephone9'/);
	});
});

describe('findMatches with hostile key counts', () => {
	it('splits one query with 2,000 phones into several GETs of bounded URL length in one $batch, and merges their hits', async () => {
		const { provider } = makeProvider();
		const phones = Array.from(
			{ length: 2_000 },
			(_, i) => `+44207${String(1_000_000 + i).slice(1)}`,
		);
		const bodies: string[] = [];
		nock(ORG)
			.post(BATCH_PATH, (body: unknown) => {
				bodies.push(String(body));
				return true;
			})
			.reply(() => {
				const parts = sentParts(bodies[0] ?? '');
				// The last lookup finds the last number; every other lookup finds nothing.
				return batchResponse(
					parts.map((_, index) =>
						jsonPart(200, {
							value:
								index === parts.length - 1
									? [
											{
												contactid: C1,
												fullname: 'Last',
												telephone1: phones[1_999],
												createdon: '2026-01-01T00:00:00Z',
											},
										]
									: [],
						}),
					),
				);
			});

		const [set] = await provider.findMatches([{ phones, emails: [], domains: [] }], {
			kinds: ['contact'],
			openDealsOnly: true,
		});

		expect(bodies).toHaveLength(1);
		const parts = sentParts(bodies[0]!);
		expect(parts.length).toBeGreaterThan(1);
		for (const part of parts) expect(part.url.length).toBeLessThan(32_768);
		// Every number is looked up: its E.164 form appears in exactly one filter.
		const filters = parts.map((part) => filterOf(part.url) ?? '');
		for (const phone of phones)
			expect(filters.filter((filter) => filter.includes(`telephone1 eq '${phone}'`))).toHaveLength(
				1,
			);
		expect(set?.contact.map((ref) => ref.id)).toEqual([C1]);
	});
});
