import type { HubSpotObject } from '../../nodes/shared/providers/hubspot/client';
import {
	cleanDomain,
	companiesOfItem,
	primaryCompanyIds,
	uncoveredDomains,
} from '../../nodes/shared/providers/hubspot/companyMatching';
import type { CrmRef } from '../../nodes/shared/model';

const company = (id: string, domain: string | null): HubSpotObject => ({
	id,
	properties: { name: `Company ${id}`, domain },
});

const contact = (id: string, associatedcompanyid?: string): CrmRef => ({
	crm: 'hubspot',
	kind: 'contact',
	objectType: 'contacts',
	id,
	matchedBy: 'phone',
	properties: associatedcompanyid === undefined ? {} : { associatedcompanyid },
});

describe('HubSpot company matching (pure)', () => {
	it('cleans domains the way people type them', () => {
		expect(cleanDomain(' https://www.Acme.com/about?x=1 ')).toBe('acme.com');
		expect(cleanDomain('acme.com.')).toBe('acme.com');
	});

	it("takes each matched contact's primary company id once, ignoring absent and non-numeric values", () => {
		expect(
			primaryCompanyIds([
				contact('1', '301'),
				contact('2', '301'),
				contact('3'),
				contact('4', ''),
				contact('5', '302 OR 1=1'),
				contact('6', '303'),
			]),
		).toEqual(['301', '303']);
	});

	it('leaves only the domains no read company holds to search for', () => {
		const read = [company('301', 'www.acme.com'), company('302', null)];
		expect(uncoveredDomains(['Acme.com', 'globex.com', 'GLOBEX.com', ''], read)).toEqual([
			'globex.com',
		]);
		expect(uncoveredDomains(['acme.com'], [])).toEqual(['acme.com']);
	});

	it('attributes a company to an item by its domain first, else as a matched contact’s primary company, never otherwise', () => {
		const companies = [
			company('301', 'acme.com'),
			company('302', 'globex.com'),
			company('303', 'initech.com'),
			company('301', 'acme.com'),
		];
		const found = companiesOfItem(['www.acme.com'], [contact('1', '302')], companies);
		expect(found.map(({ company: c, matchedBy }) => [c.id, matchedBy])).toEqual([
			['301', 'domain'],
			['302', 'association'],
		]);
		expect(companiesOfItem([], [], companies)).toEqual([]);
	});

	it('keeps both companies of one domain when both were read (the duplicate case the search would find)', () => {
		const found = companiesOfItem(
			['acme.com'],
			[],
			[company('301', 'acme.com'), company('309', 'acme.com')],
		);
		expect(found.map(({ company: c }) => c.id)).toEqual(['301', '309']);
	});
});
