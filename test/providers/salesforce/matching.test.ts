import type { MatchOptions } from '../../../nodes/shared/providers/CrmProvider';
import type { MatchSet } from '../../../nodes/shared/model';
import { phoneSearchSosl } from '../../../nodes/shared/providers/salesforce/sosl';
import {
	API,
	compositeQueries,
	compositeReply,
	type FakeSalesforce,
	fakeOrgPerTest,
	queryResult,
} from './fakeSalesforce';

const ALL_KINDS: MatchOptions = {
	kinds: ['contact', 'lead', 'company', 'deal'],
	openDealsOnly: true,
};
const BY_SEARCH_INDEX: MatchOptions = { ...ALL_KINDS, phoneMatching: 'searchIndex' };

/** The LIKE patterns of the first tests' numbers: their national digits with `%` around each. */
const US_PATTERN = "'%2%1%3%3%7%3%4%2%5%3%'";
const UK_PATTERN = "'%2%0%7%9%4%6%0%9%5%8%'";

const CONTACT_SELECT =
	'SELECT Id, Name, Phone, MobilePhone, Email, AccountId, OwnerId, CreatedDate, ' +
	'Account.Id, Account.Name, Account.Phone, Account.Website, Account.OwnerId, Account.CreatedDate FROM Contact';
const LEAD_SELECT =
	'SELECT Id, Name, Phone, MobilePhone, Email, Company, OwnerId, IsConverted, CreatedDate FROM Lead';
const ACCOUNT_SELECT = 'SELECT Id, Name, Phone, Website, OwnerId, CreatedDate FROM Account';
const OPPORTUNITY_SELECT =
	'SELECT Id, Name, AccountId, OwnerId, StageName, IsClosed, CloseDate, CreatedDate FROM Opportunity';
const ROLE_SELECT =
	'SELECT ContactId, Opportunity.Id, Opportunity.Name, Opportunity.AccountId, Opportunity.OwnerId, Opportunity.StageName, ' +
	'Opportunity.IsClosed, Opportunity.CloseDate, Opportunity.CreatedDate FROM OpportunityContactRole';
const RETURNING =
	'IN PHONE FIELDS RETURNING Contact(Id, Name, Phone, MobilePhone, Email, AccountId, OwnerId, CreatedDate), ' +
	'Lead(Id, Name, Phone, MobilePhone, Email, Company, OwnerId, IsConverted, CreatedDate), ' +
	'Account(Id, Name, Phone, Website, OwnerId, CreatedDate)';

/** Every spelling of both numbers of the first test, as the SOSL and the phone SOQL send them. */
const SPELLINGS =
	"('+12133734253', '12133734253', '2133734253', '(213) 373-4253', '+442079460958', '442079460958', '02079460958', '020 7946 0958', '2079460958')";

/** A 15-character record id from a short readable one (`0031` → `003100000000000`). */
const id = (short: string) => short.padEnd(15, '0');

const rec = (type: string, fields: Record<string, unknown>) => ({
	attributes: { type },
	...fields,
});

/** The main object of a SOQL (after the first FROM that is not inside a semi-join). */
const objectOf = (soql: string) => /^SELECT [^(]*? FROM (\w+)/.exec(soql)?.[1] ?? '';

/** Answers composite query subrequests by the object after FROM, like a tiny org. */
function answerQueries(fake: FakeSalesforce, byObject: Record<string, unknown[]>): void {
	fake.on('POST', `${API}/composite`, (request) =>
		compositeReply(request, (soql) => ({ body: queryResult(byObject[objectOf(soql)] ?? []) })),
	);
}

function ids(set: MatchSet) {
	return {
		contact: set.contact.map((ref) => `${ref.id}:${ref.matchedBy}`),
		lead: set.lead.map((ref) => `${ref.id}:${ref.matchedBy}`),
		company: set.company.map((ref) => `${ref.id}:${ref.matchedBy}`),
		deal: set.deal.map((ref) => ref.id),
	};
}

describe('Salesforce findMatches', () => {
	const org = fakeOrgPerTest();

	it('with Search Index phone matching: sends one SOSL, then one composite with every SOQL of the batch, then confirms every hit', async () => {
		org.fake.on('GET', `${API}/search`, {
			body: {
				searchRecords: [
					rec('Contact', {
						Id: id('0031'),
						Name: 'Jane Doe',
						Phone: '(213) 373-4253',
						AccountId: id('001A'),
						CreatedDate: '2026-01-01T00:00:00.000+0000',
					}),
					// SOSL matches loosely: a neighbouring number must be rejected client-side.
					rec('Contact', {
						Id: id('0032'),
						Name: 'Near Miss',
						Phone: '+1 213 373 4250',
						CreatedDate: '2026-01-02T00:00:00.000+0000',
					}),
					rec('Lead', {
						Id: id('00Q1'),
						Name: 'Bob Lead',
						Phone: '020 7946 0958',
						IsConverted: false,
						CreatedDate: '2026-02-01T00:00:00.000+0000',
					}),
					rec('Lead', {
						Id: id('00Q2'),
						Name: 'Converted',
						MobilePhone: '+44 20 7946 0958',
						IsConverted: true,
						CreatedDate: '2026-02-02T00:00:00.000+0000',
					}),
					rec('Account', {
						Id: id('001P'),
						Name: 'UK Ltd',
						Phone: '+44 20 7946 0958',
						CreatedDate: '2025-03-01T00:00:00.000+0000',
					}),
				],
			},
		});
		answerQueries(org.fake, {
			Contact: [
				rec('Contact', {
					Id: id('0031'),
					Name: 'Jane Doe',
					Phone: '(213) 373-4253',
					AccountId: id('001A'),
					CreatedDate: '2026-01-01T00:00:00.000+0000',
					// The contact's account comes with it (parent fields), so it needs no query.
					Account: rec('Account', {
						Id: id('001A'),
						Name: 'Acme (linked)',
						Website: null,
						CreatedDate: '2025-01-01T00:00:00.000+0000',
					}),
				}),
				rec('Contact', {
					Id: id('0033'),
					Name: 'Jane D',
					Email: 'Jane@Acme.com',
					AccountId: null,
					CreatedDate: '2026-03-01T00:00:00.000+0000',
				}),
				rec('Contact', {
					Id: id('0034'),
					Name: 'Other',
					Email: 'other@acme.com',
					CreatedDate: '2026-03-02T00:00:00.000+0000',
				}),
			],
			Lead: [
				rec('Lead', {
					Id: id('00Q3'),
					Name: 'Bob',
					Email: 'bob@example.org',
					IsConverted: false,
					CreatedDate: '2026-04-01T00:00:00.000+0000',
				}),
			],
			Account: [
				rec('Account', {
					Id: id('001D'),
					Name: 'Acme',
					Website: 'https://www.acme.com/about',
					CreatedDate: '2025-06-01T00:00:00.000+0000',
				}),
				rec('Account', {
					Id: id('001E'),
					Name: 'Impostor',
					Website: 'acme.com.evil.io',
					CreatedDate: '2025-07-01T00:00:00.000+0000',
				}),
				rec('Account', {
					Id: id('001P'),
					Name: 'UK Ltd',
					Phone: '+44 20 7946 0958',
					CreatedDate: '2025-03-01T00:00:00.000+0000',
				}),
			],
			Opportunity: [
				rec('Opportunity', {
					Id: id('006A'),
					Name: 'Acme deal',
					AccountId: id('001D'),
					IsClosed: false,
					CreatedDate: '2026-05-01T00:00:00.000+0000',
				}),
				rec('Opportunity', {
					Id: id('006B'),
					Name: 'UK deal',
					AccountId: id('001P'),
					IsClosed: false,
					CreatedDate: '2026-02-01T00:00:00.000+0000',
				}),
			],
			OpportunityContactRole: [
				{
					ContactId: id('0033'),
					Opportunity: rec('Opportunity', {
						Id: id('006C'),
						Name: 'Role deal',
						IsClosed: false,
						CreatedDate: '2026-06-01T00:00:00.000+0000',
					}),
				},
			],
		});

		const result = await org.provider.findMatches(
			[
				{ phones: ['+12133734253'], emails: ['jane@acme.com'], domains: ['acme.com'] },
				{ phones: ['+442079460958'], emails: ['bob@example.org'], domains: [] },
			],
			BY_SEARCH_INDEX,
		);

		expect(org.fake.unmatched).toEqual([]);
		const contactKeys = `(Email IN ('jane@acme.com', 'bob@example.org') OR Phone IN ${SPELLINGS} OR MobilePhone IN ${SPELLINGS} OR Id IN ('${id('0031')}'))`;
		const leadKeys = `(Email IN ('jane@acme.com', 'bob@example.org') OR Phone IN ${SPELLINGS} OR MobilePhone IN ${SPELLINGS} OR Id IN ('${id('00Q1')}', '${id('00Q2')}'))`;
		expect(org.fake.queries()).toEqual([
			// Round 1: SOSL (Composite does not take SOSL); only confirmed hits go on.
			String.raw`FIND {"\+12133734253" OR "12133734253" OR "2133734253" OR "\(213\) 373\-4253" OR "\+442079460958" OR "442079460958" OR "02079460958" OR "020 7946 0958" OR "2079460958"} ` +
				RETURNING,
			// Round 2, one composite: people by exact e-mail, exact phone spelling (SOQL sees records
			// the search index has not caught up with) or confirmed SOSL id; accounts; the contacts'
			// accounts' opportunities and their roles through semi-joins.
			`${CONTACT_SELECT} WHERE ${contactKeys} ORDER BY CreatedDate DESC`,
			`${LEAD_SELECT} WHERE ${leadKeys} AND IsConverted = false ORDER BY CreatedDate DESC`,
			`${ACCOUNT_SELECT} WHERE Id IN ('${id('001P')}') OR Website LIKE '%acme.com%' ORDER BY CreatedDate DESC`,
			`${OPPORTUNITY_SELECT} WHERE AccountId IN (SELECT AccountId FROM Contact WHERE ${contactKeys}) AND IsClosed = false ORDER BY CreatedDate DESC`,
			`${ROLE_SELECT} WHERE ContactId IN (SELECT Id FROM Contact WHERE ${contactKeys}) AND Opportunity.IsClosed = false ORDER BY Opportunity.CreatedDate DESC`,
			// Round 3: accounts matched by website or phone that are no matched contact's account.
			`${OPPORTUNITY_SELECT} WHERE AccountId IN ('${id('001D')}', '${id('001P')}') AND IsClosed = false ORDER BY CreatedDate DESC`,
		]);
		expect(org.fake.requests.map((r) => `${r.method} ${r.path.replace(API, '')}`)).toEqual([
			'GET /search',
			'POST /composite',
			'POST /composite',
		]);
		expect(org.fake.requests[0].headers.authorization).toBe('Bearer token-1');

		expect(result.map(ids)).toEqual([
			{
				contact: [`${id('0033')}:email`, `${id('0031')}:phone`],
				lead: [],
				company: [`${id('001D')}:domain`, `${id('001A')}:association`],
				deal: [id('006C'), id('006A')],
			},
			{
				contact: [],
				lead: [`${id('00Q3')}:email`, `${id('00Q1')}:phone`],
				company: [`${id('001P')}:phone`],
				deal: [id('006B')],
			},
		]);
		expect(result[0].deal[0]).toMatchObject({
			crm: 'salesforce',
			kind: 'deal',
			objectType: 'Opportunity',
			isOpen: true,
			name: 'Role deal',
		});
		expect(result[1].lead[0]).toMatchObject({
			objectType: 'Lead',
			name: 'Bob',
			createdAt: '2026-04-01T00:00:00.000+0000',
		});
	});

	it('by default finds phones with LIKE patterns inside the one composite — no SOSL — and confirms every hit by its normalised number', async () => {
		answerQueries(org.fake, {
			Contact: [
				rec('Contact', {
					Id: id('0031'),
					Name: 'Jane Doe',
					Phone: '(213) 373-4253',
					AccountId: id('001A'),
					CreatedDate: '2026-01-01T00:00:00.000+0000',
					Account: rec('Account', {
						Id: id('001A'),
						Name: 'Acme (linked)',
						CreatedDate: '2025-01-01T00:00:00.000+0000',
					}),
				}),
				// The pattern only narrows: the same digits in another number are rejected.
				rec('Contact', {
					Id: id('0032'),
					Name: 'Digits in order, other number',
					Phone: '+1 (555) 213-373-4253',
					CreatedDate: '2026-01-02T00:00:00.000+0000',
				}),
				rec('Contact', {
					Id: id('0035'),
					Name: 'Mobile with extension',
					MobilePhone: '+1 213 373 4253 ext. 12',
					CreatedDate: '2026-01-03T00:00:00.000+0000',
				}),
			],
			Lead: [
				rec('Lead', {
					Id: id('00Q1'),
					Name: 'Bob Lead',
					Phone: '0044 20 7946 0958',
					IsConverted: false,
					CreatedDate: '2026-02-01T00:00:00.000+0000',
				}),
			],
			Account: [
				rec('Account', {
					Id: id('001P'),
					Name: 'UK Ltd',
					Phone: '+44 20 7946 0958',
					CreatedDate: '2025-03-01T00:00:00.000+0000',
				}),
				rec('Account', {
					Id: id('001D'),
					Name: 'Acme',
					Website: 'acme.com',
					Phone: '+1 213 373 4250',
					CreatedDate: '2025-06-01T00:00:00.000+0000',
				}),
			],
		});

		const result = await org.provider.findMatches(
			[
				{ phones: ['+12133734253'], emails: [], domains: ['acme.com'] },
				{ phones: ['+442079460958'], emails: [], domains: [] },
			],
			ALL_KINDS,
		);

		expect(org.fake.unmatched).toEqual([]);
		const patterns = `Phone LIKE ${US_PATTERN} OR Phone LIKE ${UK_PATTERN}`;
		const mobilePatterns = `MobilePhone LIKE ${US_PATTERN} OR MobilePhone LIKE ${UK_PATTERN}`;
		const personKeys = `(${patterns} OR ${mobilePatterns})`;
		const queries = org.fake.queries();
		expect(queries.slice(0, 5)).toEqual([
			`${CONTACT_SELECT} WHERE ${personKeys} ORDER BY CreatedDate DESC`,
			`${LEAD_SELECT} WHERE ${personKeys} AND IsConverted = false ORDER BY CreatedDate DESC`,
			`${ACCOUNT_SELECT} WHERE Website LIKE '%acme.com%' OR ${patterns} ORDER BY CreatedDate DESC`,
			`${OPPORTUNITY_SELECT} WHERE AccountId IN (SELECT AccountId FROM Contact WHERE ${personKeys}) AND IsClosed = false ORDER BY CreatedDate DESC`,
			`${ROLE_SELECT} WHERE ContactId IN (SELECT Id FROM Contact WHERE ${personKeys}) AND Opportunity.IsClosed = false ORDER BY Opportunity.CreatedDate DESC`,
		]);
		expect(queries.some((q) => q.startsWith('FIND '))).toBe(false);
		// Matching is one composite; accounts matched only by website/phone cost one more round.
		expect(org.fake.requests.map((r) => `${r.method} ${r.path.replace(API, '')}`)).toEqual([
			'POST /composite',
			'POST /composite',
		]);
		expect(result.map(ids)).toEqual([
			{
				contact: [`${id('0035')}:phone`, `${id('0031')}:phone`],
				lead: [],
				company: [`${id('001D')}:domain`, `${id('001A')}:association`],
				deal: [],
			},
			{
				contact: [],
				lead: [`${id('00Q1')}:phone`],
				company: [`${id('001P')}:phone`],
				deal: [],
			},
		]);
	});

	it('escapes hostile e-mails and domains in SOQL and never lets a non-number reach SOSL', async () => {
		answerQueries(org.fake, {});
		const hostile = [String.raw`' OR Name LIKE '%`, '\\', '} RETURNING User(Id)'];
		const result = await org.provider.findMatches(
			[{ phones: ['} RETURNING User(Id)'], emails: hostile, domains: hostile }],
			{ kinds: ['contact', 'company'], openDealsOnly: true },
		);
		const queries = org.fake.queries();
		console.log(`SOQL sent for hostile input:\n${queries.join('\n')}`);
		// E-mails and domains are compared lower-case, so they are sent lower-case.
		expect(queries).toEqual([
			String.raw`${CONTACT_SELECT} WHERE (Email IN ('\' or name like \'%', '\\', '} returning user(id)')) ORDER BY CreatedDate DESC`,
			String.raw`${ACCOUNT_SELECT} WHERE Website LIKE '%\' or name like \'\%%' OR Website LIKE '%\\%' OR Website LIKE '%} returning user(id)%' ORDER BY CreatedDate DESC`,
		]);
		expect(org.fake.to('GET', `${API}/search`)).toHaveLength(0);
		expect(result).toEqual([{ contact: [], company: [], deal: [], lead: [] }]);
	});

	it('builds SOSL in which hostile terms stay inside their quoted phrase', () => {
		const sosl = phoneSearchSosl(
			['} RETURNING User(Id)', String.raw`' OR Name LIKE '%`, '\\"x'],
			['Contact'],
		);
		console.log(`SOSL for hostile terms:\n${sosl}`);
		expect(sosl).toBe(
			String.raw`FIND {"\} RETURNING User\(Id\)" OR "\' OR Name LIKE \'%" OR "\\\"x"} IN PHONE FIELDS RETURNING Contact(Id, Name, Phone, MobilePhone, Email, AccountId, OwnerId, CreatedDate)`,
		);
	});

	it('with Search Index phone matching: splits many numbers into several SOSL requests of at most 50 terms, never splitting one number', async () => {
		org.fake.on('GET', `${API}/search`, { body: { searchRecords: [] } });
		answerQueries(org.fake, {});
		// 12 UK numbers × 5 spellings = 60 terms → 10 numbers (50 terms) + 2 numbers (10 terms).
		const phones = Array.from({ length: 12 }, (_, i) => `+4420794609${String(i).padStart(2, '0')}`);
		await org.provider.findMatches([{ phones, emails: [], domains: [] }], {
			kinds: ['lead'],
			openDealsOnly: true,
			phoneMatching: 'searchIndex',
		});
		const all = org.fake.queries();
		const searches = all.filter((q) => q.startsWith('FIND ')).sort((a, b) => b.length - a.length);
		// The exact-spelling SOQL takes all 60 spellings at once (≤100 per query).
		expect(all.filter((q) => q.startsWith('SELECT '))).toEqual([
			expect.stringMatching(
				/^SELECT .* FROM Lead WHERE \(Phone IN \((?:'[^']+', ){59}'[^']+'\) OR MobilePhone IN/,
			),
		]);
		expect(searches).toHaveLength(2);
		const termCounts = searches.map(
			(sosl) => (/^FIND \{(.*)\} IN PHONE FIELDS/.exec(sosl)?.[1] ?? '').split(' OR ').length,
		);
		expect(termCounts).toEqual([50, 10]);
		expect(searches[1]).toContain(String.raw`"\+442079460910"`);
		expect(searches[1]).toMatch(
			/RETURNING Lead\(Id, Name, Phone, MobilePhone, Email, Company, OwnerId, IsConverted, CreatedDate\)$/,
		);
	});

	it('returns closed deals too when openDealsOnly is false, and caps each kind at maxPerKind newest first', async () => {
		answerQueries(org.fake, {
			Contact: [
				rec('Contact', {
					Id: id('0031'),
					Email: 'a@x.io',
					AccountId: id('001A'),
					CreatedDate: '2026-01-01T00:00:00.000+0000',
					Account: rec('Account', {
						Id: id('001A'),
						Website: 'x.io',
						CreatedDate: '2025-01-01T00:00:00.000+0000',
					}),
				}),
			],
			Opportunity: [
				rec('Opportunity', {
					Id: id('006O'),
					AccountId: id('001A'),
					IsClosed: false,
					CreatedDate: '2026-01-01T00:00:00.000+0000',
				}),
				rec('Opportunity', {
					Id: id('006W'),
					AccountId: id('001A'),
					IsClosed: true,
					CreatedDate: '2026-02-01T00:00:00.000+0000',
				}),
			],
		});
		const [set] = await org.provider.findMatches(
			[{ phones: [], emails: ['a@x.io'], domains: [] }],
			{
				kinds: ['deal'],
				openDealsOnly: false,
				maxPerKind: 1,
			},
		);
		// The contact's account is covered by the semi-join: no second round.
		expect(org.fake.queries()).toEqual([
			`${CONTACT_SELECT} WHERE (Email IN ('a@x.io')) ORDER BY CreatedDate DESC`,
			`${OPPORTUNITY_SELECT} WHERE AccountId IN (SELECT AccountId FROM Contact WHERE (Email IN ('a@x.io'))) ORDER BY CreatedDate DESC`,
			`${ROLE_SELECT} WHERE ContactId IN (SELECT Id FROM Contact WHERE (Email IN ('a@x.io'))) ORDER BY Opportunity.CreatedDate DESC`,
		]);
		expect(set.deal.map((ref) => [ref.id, ref.isOpen])).toEqual([[id('006W'), false]]);
		expect(set.contact).toEqual([]);
	});

	it.each(['query', 'searchIndex'] as const)(
		'with %s phone matching, sends 10,000 phones and 10,000 emails in bounded requests: ≤ 50 SOSL terms, ≤ 5 queries per composite, ≤ 100 IN values and phone patterns, subrequest urls under 16,384 bytes, every email and phone once',
		async (phoneMatching) => {
			org.fake.on('GET', `${API}/search`, { body: { searchRecords: [] } });
			answerQueries(org.fake, {});
			const phones = Array.from(
				{ length: 10_000 },
				(_, i) => `+44207${String(1_000_000 + i).slice(1)}`,
			);
			// Long addresses too: the IN lists are bounded by length as well as by count.
			const emails = Array.from({ length: 10_000 }, (_, i) =>
				i % 2 === 0 ? `${'x'.repeat(220)}${i}@example.org` : `person${i}@example.org`,
			);

			await org.provider.findMatches([{ phones, emails, domains: [] }], {
				kinds: ['contact', 'lead'],
				openDealsOnly: true,
				phoneMatching,
			});

			const searches = org.fake.to('GET', `${API}/search`);
			const composites = org.fake.to('POST', `${API}/composite`);
			expect(org.fake.to('GET', `${API}/query`)).toEqual([]);
			expect(org.fake.unmatched).toEqual([]);
			for (const request of composites) {
				const subrequests = (request.body as { compositeRequest: Array<{ url: string }> })
					.compositeRequest;
				expect(subrequests.length).toBeLessThanOrEqual(5);
				for (const sub of subrequests) expect(sub.url.length).toBeLessThan(16_384);
			}
			const queries = composites.flatMap(compositeQueries);
			for (const request of searches) {
				const terms = (
					/^FIND \{(.*)\} IN PHONE FIELDS/.exec(request.query.get('q') ?? '')?.[1] ?? ''
				).split(' OR ');
				expect(terms.length).toBeLessThanOrEqual(50);
			}
			const sentEmails: string[] = [];
			const sentPatterns: string[] = [];
			for (const q of queries) {
				const patterns = [...q.matchAll(/\bPhone LIKE '([%\d]+)'/g)].map((match) => match[1]);
				expect(patterns.length).toBeLessThanOrEqual(100);
				if (q.includes('FROM Contact')) sentPatterns.push(...patterns);
				// Every IN list (emails, and the exact phone spellings looked up besides SOSL) is bounded.
				for (const [, list] of q.matchAll(/\b(?:Email|Phone|MobilePhone) IN \(([^)]*)\)/g))
					expect(list.split(', ').length).toBeLessThanOrEqual(100);
				const emailList = /Email IN \((.*?)\)/.exec(q)?.[1];
				if (emailList !== undefined && q.includes('FROM Contact'))
					sentEmails.push(...emailList.split(', ').map((literal) => literal.slice(1, -1)));
			}
			expect(sentEmails.sort()).toEqual([...emails].map((email) => email.toLowerCase()).sort());
			if (phoneMatching === 'query') {
				expect(searches).toEqual([]);
				// Every number once, as its national digits between wildcards.
				expect(sentPatterns.map((pattern) => `+44${pattern.replace(/%/g, '')}`).sort()).toEqual(
					[...phones].sort(),
				);
			} else {
				expect(sentPatterns).toEqual([]);
				// Bounded work: at most one request per 50 phone spellings, never one giant request.
				expect(searches.length).toBeLessThanOrEqual(Math.ceil((phones.length * 5) / 50));
			}
			// Conditions of ≤ 100 keys, for contacts and leads: never one giant request.
			expect(queries.length).toBeGreaterThanOrEqual(2 * Math.ceil(emails.length / 100));
			expect(composites.length).toBe(Math.ceil(queries.length / 5));
		},
	);
});

describe('Salesforce findMatches: a failing query subrequest', () => {
	const org = fakeOrgPerTest();
	const query = [{ phones: [], emails: ['a@x.io'], domains: ['x.io'] }];

	it('fails the batch with the subrequest status and message on a 400, never an empty match', async () => {
		org.fake.on('POST', `${API}/composite`, (request) =>
			compositeReply(request, (soql) =>
				objectOf(soql) === 'Account'
					? {
							status: 400,
							body: [{ errorCode: 'MALFORMED_QUERY', message: 'unexpected token: OR' }],
						}
					: { body: queryResult([]) },
			),
		);
		await expect(org.provider.findMatches(query, ALL_KINDS)).rejects.toThrow(
			/POST \/composite.*unexpected token: OR/s,
		);
		// A 400 is not retried.
		expect(org.fake.to('POST', `${API}/composite`)).toHaveLength(1);
	});

	it('retries the composite when a subrequest answers 500, and fails clearly when it keeps failing', async () => {
		org.fake.on('POST', `${API}/composite`, (request) =>
			compositeReply(request, (soql) =>
				objectOf(soql) === 'Contact'
					? {
							status: 500,
							body: [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred' }],
						}
					: { body: queryResult([]) },
			),
		);
		await expect(org.provider.findMatches(query, ALL_KINDS)).rejects.toThrow(
			/POST \/composite.*500.*An unexpected error occurred/s,
		);
		expect(org.fake.to('POST', `${API}/composite`).length).toBeGreaterThan(1);
	});

	it('recovers when a 500 subrequest succeeds on the retry, with the right match', async () => {
		let calls = 0;
		org.fake.on('POST', `${API}/composite`, (request) => {
			calls += 1;
			return compositeReply(request, (soql) => {
				if (calls === 1 && objectOf(soql) === 'Contact')
					return { status: 500, body: [{ errorCode: 'UNKNOWN_EXCEPTION', message: 'boom' }] };
				return {
					body: queryResult(
						objectOf(soql) === 'Contact'
							? [rec('Contact', { Id: id('0031'), Email: 'a@x.io', AccountId: null })]
							: [],
					),
				};
			});
		});
		const [set] = await org.provider.findMatches(query, ALL_KINDS);
		expect(set.contact.map((ref) => `${ref.id}:${ref.matchedBy}`)).toEqual([`${id('0031')}:email`]);
		expect(calls).toBe(2);
	});
});
