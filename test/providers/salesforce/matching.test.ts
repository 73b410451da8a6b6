import type { MatchOptions } from '../../../nodes/shared/providers/CrmProvider';
import type { MatchSet } from '../../../nodes/shared/model';
import { phoneSearchSosl } from '../../../nodes/shared/providers/salesforce/sosl';
import { API, type FakeSalesforce, fakeOrgPerTest, queryResult } from './fakeSalesforce';

const ALL_KINDS: MatchOptions = {
	kinds: ['contact', 'lead', 'company', 'deal'],
	openDealsOnly: true,
};

const CONTACT_SELECT =
	'SELECT Id, Name, Phone, MobilePhone, Email, AccountId, OwnerId, CreatedDate FROM Contact';
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

const rec = (type: string, fields: Record<string, unknown>) => ({
	attributes: { type },
	...fields,
});

/** Answers /query by the object after FROM, like a tiny org. */
function answerQueries(fake: FakeSalesforce, byObject: Record<string, unknown[]>): void {
	fake.on('GET', `${API}/query`, (request) => {
		const q = request.query.get('q') ?? '';
		const object = /FROM (\w+)/.exec(q)?.[1] ?? '';
		return { body: queryResult(byObject[object] ?? []) };
	});
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

	it('sends one SOSL for all phones and one SOQL per object for emails, domains and deals, then confirms every hit', async () => {
		org.fake.on('GET', `${API}/search`, {
			body: {
				searchRecords: [
					rec('Contact', {
						Id: '0031',
						Name: 'Jane Doe',
						Phone: '(213) 373-4253',
						AccountId: '001A',
						CreatedDate: '2026-01-01T00:00:00.000+0000',
					}),
					// SOSL matches loosely: a neighbouring number must be rejected client-side.
					rec('Contact', {
						Id: '0032',
						Name: 'Near Miss',
						Phone: '+1 213 373 4250',
						CreatedDate: '2026-01-02T00:00:00.000+0000',
					}),
					rec('Lead', {
						Id: '00Q1',
						Name: 'Bob Lead',
						Phone: '020 7946 0958',
						IsConverted: false,
						CreatedDate: '2026-02-01T00:00:00.000+0000',
					}),
					rec('Lead', {
						Id: '00Q2',
						Name: 'Converted',
						MobilePhone: '+44 20 7946 0958',
						IsConverted: true,
						CreatedDate: '2026-02-02T00:00:00.000+0000',
					}),
					rec('Account', {
						Id: '001P',
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
					Id: '0033',
					Name: 'Jane D',
					Email: 'Jane@Acme.com',
					AccountId: null,
					CreatedDate: '2026-03-01T00:00:00.000+0000',
				}),
				rec('Contact', {
					Id: '0034',
					Name: 'Other',
					Email: 'other@acme.com',
					CreatedDate: '2026-03-02T00:00:00.000+0000',
				}),
			],
			Lead: [
				rec('Lead', {
					Id: '00Q3',
					Name: 'Bob',
					Email: 'bob@example.org',
					IsConverted: false,
					CreatedDate: '2026-04-01T00:00:00.000+0000',
				}),
			],
			Account: [
				rec('Account', {
					Id: '001A',
					Name: 'Acme (linked)',
					Website: null,
					CreatedDate: '2025-01-01T00:00:00.000+0000',
				}),
				rec('Account', {
					Id: '001D',
					Name: 'Acme',
					Website: 'https://www.acme.com/about',
					CreatedDate: '2025-06-01T00:00:00.000+0000',
				}),
				rec('Account', {
					Id: '001E',
					Name: 'Impostor',
					Website: 'acme.com.evil.io',
					CreatedDate: '2025-07-01T00:00:00.000+0000',
				}),
			],
			Opportunity: [
				rec('Opportunity', {
					Id: '006A',
					Name: 'Acme deal',
					AccountId: '001D',
					IsClosed: false,
					CreatedDate: '2026-05-01T00:00:00.000+0000',
				}),
				rec('Opportunity', {
					Id: '006B',
					Name: 'UK deal',
					AccountId: '001P',
					IsClosed: false,
					CreatedDate: '2026-02-01T00:00:00.000+0000',
				}),
			],
			OpportunityContactRole: [
				{
					ContactId: '0033',
					Opportunity: rec('Opportunity', {
						Id: '006C',
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
			ALL_KINDS,
		);

		expect(org.fake.unmatched).toEqual([]);
		// Requests of one round go out in parallel, so compare them as a set.
		expect([...org.fake.queries()].sort()).toEqual(
			[
				String.raw`FIND {"\+12133734253" OR "12133734253" OR "2133734253" OR "\(213\) 373\-4253" OR "\+442079460958" OR "442079460958" OR "02079460958" OR "020 7946 0958" OR "2079460958"} ` +
					RETURNING,
				`${CONTACT_SELECT} WHERE Email IN ('jane@acme.com', 'bob@example.org') ORDER BY CreatedDate DESC`,
				`${LEAD_SELECT} WHERE Email IN ('jane@acme.com', 'bob@example.org') AND IsConverted = false ORDER BY CreatedDate DESC`,
				// People by phone also through SOQL, which sees records the search index has not caught up with.
				`${CONTACT_SELECT} WHERE Phone IN ${SPELLINGS} OR MobilePhone IN ${SPELLINGS} ORDER BY CreatedDate DESC`,
				`${LEAD_SELECT} WHERE (Phone IN ${SPELLINGS} OR MobilePhone IN ${SPELLINGS}) AND IsConverted = false ORDER BY CreatedDate DESC`,
				`${ACCOUNT_SELECT} WHERE Id IN ('001A') OR Website LIKE '%acme.com%' ORDER BY CreatedDate DESC`,
				`${OPPORTUNITY_SELECT} WHERE AccountId IN ('001A', '001D', '001P') AND IsClosed = false ORDER BY CreatedDate DESC`,
				`${ROLE_SELECT} WHERE ContactId IN ('0031', '0033') AND Opportunity.IsClosed = false ORDER BY Opportunity.CreatedDate DESC`,
			].sort(),
		);
		expect(org.fake.requests).toHaveLength(8);
		expect(org.fake.requests[0].headers.authorization).toBe('Bearer token-1');

		expect(result.map(ids)).toEqual([
			{
				contact: ['0033:email', '0031:phone'],
				lead: [],
				company: ['001D:domain', '001A:association'],
				deal: ['006C', '006A'],
			},
			{
				contact: [],
				lead: ['00Q3:email', '00Q1:phone'],
				company: ['001P:phone'],
				deal: ['006B'],
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
			String.raw`${CONTACT_SELECT} WHERE Email IN ('\' or name like \'%', '\\', '} returning user(id)') ORDER BY CreatedDate DESC`,
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

	it('splits many numbers into several SOSL requests of at most 50 terms, never splitting one number', async () => {
		org.fake.on('GET', `${API}/search`, { body: { searchRecords: [] } });
		answerQueries(org.fake, {});
		// 12 UK numbers × 5 spellings = 60 terms → 10 numbers (50 terms) + 2 numbers (10 terms).
		const phones = Array.from({ length: 12 }, (_, i) => `+4420794609${String(i).padStart(2, '0')}`);
		await org.provider.findMatches([{ phones, emails: [], domains: [] }], {
			kinds: ['lead'],
			openDealsOnly: true,
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
					Id: '0031',
					Email: 'a@x.io',
					AccountId: '001A',
					CreatedDate: '2026-01-01T00:00:00.000+0000',
				}),
			],
			Account: [
				rec('Account', {
					Id: '001A',
					Website: 'x.io',
					CreatedDate: '2025-01-01T00:00:00.000+0000',
				}),
			],
			Opportunity: [
				rec('Opportunity', {
					Id: '006O',
					AccountId: '001A',
					IsClosed: false,
					CreatedDate: '2026-01-01T00:00:00.000+0000',
				}),
				rec('Opportunity', {
					Id: '006W',
					AccountId: '001A',
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
		expect(org.fake.queries()).toContain(
			`${OPPORTUNITY_SELECT} WHERE AccountId IN ('001A') ORDER BY CreatedDate DESC`,
		);
		expect(org.fake.queries()).toContain(
			`${ROLE_SELECT} WHERE ContactId IN ('0031') ORDER BY Opportunity.CreatedDate DESC`,
		);
		expect(set.deal.map((ref) => [ref.id, ref.isOpen])).toEqual([['006W', false]]);
		expect(set.contact).toEqual([]);
	});

	it('sends 10,000 phones and 10,000 emails in bounded requests: ≤ 50 SOSL terms, ≤ 200 IN values, URLs under 16,384 bytes, every email once', async () => {
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
		});

		const searches = org.fake.to('GET', `${API}/search`);
		const queries = org.fake.to('GET', `${API}/query`);
		expect(org.fake.unmatched).toEqual([]);
		for (const request of searches) {
			const terms = (
				/^FIND \{(.*)\} IN PHONE FIELDS/.exec(request.query.get('q') ?? '')?.[1] ?? ''
			).split(' OR ');
			expect(terms.length).toBeLessThanOrEqual(50);
		}
		const sentEmails: string[] = [];
		for (const request of queries) {
			const q = request.query.get('q') ?? '';
			expect(`${API}/query?q=${encodeURIComponent(q)}`.length).toBeLessThan(16_384);
			// Every IN list (emails, and the exact phone spellings looked up besides SOSL) is bounded.
			for (const [, list] of q.matchAll(/\b(?:Email|Phone|MobilePhone) IN \(([^)]*)\)/g))
				expect(list.split(', ').length).toBeLessThanOrEqual(200);
			const emailList = /Email IN \((.*?)\)/.exec(q)?.[1];
			if (emailList !== undefined && q.includes('FROM Contact'))
				sentEmails.push(...emailList.split(', ').map((literal) => literal.slice(1, -1)));
		}
		expect(sentEmails.sort()).toEqual([...emails].map((email) => email.toLowerCase()).sort());
		// Bounded work: at most one request per 50 phone spellings or per 200 emails per object, never one giant request.
		expect(searches.length).toBeLessThanOrEqual(Math.ceil((phones.length * 5) / 50));
		expect(queries.length).toBeGreaterThanOrEqual(2 * Math.ceil(emails.length / 200));
	});
});
