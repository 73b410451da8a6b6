/** The page query built from a Salesforce list view's described SOQL (filter kept, key cursor added). */
import fc from 'fast-check';

import { listViewPageQuery } from '../../nodes/shared/providers/salesforce/listViewQuery';

const page = (describedQuery: string, after?: string, objectType = 'Lead') =>
	listViewPageQuery({ describedQuery, objectType, limit: 200, ...(after ? { after } : {}) });

describe('listViewPageQuery', () => {
	it('keeps the filter and scope, replaces the select list and order, adds the cursor', () => {
		expect(
			page(
				"SELECT Name, Company, Id FROM Lead USING SCOPE mine WHERE IsConverted = false AND Status = 'Open' ORDER BY Name ASC NULLS FIRST, Id ASC NULLS FIRST",
				'00Q5gSbx0001000AAA',
			),
		).toEqual({
			soql: "SELECT Id FROM Lead USING SCOPE mine WHERE (IsConverted = false AND Status = 'Open') AND Id > '00Q5gSbx0001000AAA' ORDER BY Id LIMIT 200",
		});
		expect(page('SELECT Name, Id FROM Lead ORDER BY Name ASC NULLS FIRST')).toEqual({
			soql: 'SELECT Id FROM Lead ORDER BY Id LIMIT 200',
		});
	});

	it('does not take clause words inside quoted text or a sub-query for clauses', () => {
		expect(
			page(
				"SELECT Id FROM Lead WHERE Company = 'It\\'s ORDER BY x' AND Id IN (SELECT LeadId FROM CampaignMember WHERE Status = 'Sent' LIMIT 5) ORDER BY Name LIMIT 10",
			),
		).toEqual({
			soql: "SELECT Id FROM Lead WHERE (Company = 'It\\'s ORDER BY x' AND Id IN (SELECT LeadId FROM CampaignMember WHERE Status = 'Sent' LIMIT 5)) ORDER BY Id LIMIT 200",
		});
	});

	it('refuses a view of another object, a grouped one and one without FROM', () => {
		expect(page('SELECT Id FROM Account WHERE Type = null')).toEqual({
			error: 'it lists Account records, not Lead',
		});
		expect(page('SELECT Status, COUNT(Id) FROM Lead GROUP BY Status')).toEqual({
			error: 'it groups its rows',
		});
		expect(page('garbage')).toEqual({ error: 'its query has no FROM clause the sync can read' });
	});

	it('escapes the cursor: whatever it holds stays one string literal', () => {
		fc.assert(
			fc.property(fc.string(), (after) => {
				const result = page("SELECT Id FROM Lead WHERE Status = 'Open'", after || 'x');
				expect('soql' in result).toBe(true);
				const soql = 'soql' in result ? result.soql : '';
				const literal = soql.slice(soql.indexOf('Id > ') + 5, soql.lastIndexOf(' ORDER BY Id'));
				// One literal: opening quote, escaped body, closing quote — no bare quote inside.
				expect(literal.startsWith("'") && literal.endsWith("'")).toBe(true);
				expect(/(^|[^\\])(\\\\)*'/.test(literal.slice(1, -1))).toBe(false);
			}),
		);
	});
});
